"""Liveness and readiness for load balancers and orchestrators: public, and saying nothing secret.

`/healthz`: the process answers and the database takes a query. `/readyz`: also, the schema is at
the newest migration, so this node can serve requests (a node mid-upgrade is alive but not ready).
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from jusoor.core import migrate
from jusoor.core.db import Database
from jusoor.core.i18n import gettext as _
from jusoor.web.access import public
from jusoor.web.deps import database
from jusoor.web.responses import ErrorBody

log = logging.getLogger("jusoor.web")
router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]
    schema_: Literal["current"] = Field(alias="schema")
    # Only from `jusoor serve` with one process: its dashboards are being counted ahead, or are.
    dashboards: Literal["warming", "ready"] | None = None


class Unhealthy(ErrorBody):
    status: Literal["unavailable"]
    database: Literal["ok", "unreachable"]
    schema_: Literal["outdated", "unknown"] | None = Field(default=None, alias="schema")


def _database_answers(db: Database) -> bool:
    try:  # a reading unit: on SQLite it waits for no writer (a busy node is still alive)
        with db.reading() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.error("health check: database unreachable: %s", type(exc).__name__)
        return False
    return True


def _schema_current(db: Database) -> bool | None:
    try:
        return migrate.is_current(db.engine)
    except SQLAlchemyError as exc:
        log.error("readiness check: could not read the schema revision: %s", type(exc).__name__)
        return None


def _unavailable(database_state: str, message: str, schema: str | None = None) -> JSONResponse:
    body: dict[str, object] = {
        "status": "unavailable",
        "database": database_state,
        "error": {"code": "unavailable", "message": message, "field": None},
    }
    if schema is not None:
        body["schema"] = schema
    return JSONResponse(body, status_code=503, headers={"cache-control": "no-store"})


_DOWN: dict[int | str, dict[str, Any]] = {
    503: {"model": Unhealthy, "description": "The database is not reachable (or not ready)."}
}


@router.get(
    "/healthz",
    summary="Liveness: the app and its database answer",
    response_model=Health,
    responses=_DOWN,
    include_in_schema=False,  # operations, not the API: every path in the document needs a token
)
@public
def healthz(request: Request) -> JSONResponse:
    if not _database_answers(database(request)):
        return _unavailable("unreachable", _("The database is not reachable."))
    return JSONResponse({"status": "ok", "database": "ok"}, headers={"cache-control": "no-store"})


@router.get(
    "/readyz",
    summary="Readiness: the database answers and its schema is current",
    response_model=Readiness,
    responses=_DOWN,
    include_in_schema=False,
)
@public
def readyz(request: Request) -> JSONResponse:
    db = database(request)
    if not _database_answers(db):
        return _unavailable("unreachable", _("The database is not reachable."), "unknown")
    current = _schema_current(db)
    if current is None:
        return _unavailable("ok", _("The database schema could not be read."), "unknown")
    if not current:
        return _unavailable(
            "ok", _("The database schema is not at the newest version."), "outdated"
        )
    body = {"status": "ok", "database": "ok", "schema": "current"}
    warming = getattr(request.app.state, "warming", None)
    if warming is not None:  # `serve` counts the dashboards ahead (stats.warming)
        body["dashboards"] = "ready" if warming.finished.is_set() else "warming"
    return JSONResponse(body, headers={"cache-control": "no-store"})
