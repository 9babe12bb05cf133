"""FastAPI dependencies shared by every domain's routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from jusoor.core.db import Database
from jusoor.core.permissions import Actor
from jusoor.web.access import require_actor
from jusoor.web.context import RequestContext, context_of


def database(request: Request) -> Database:
    db = request.app.state.database
    assert isinstance(db, Database)
    return db


def db_session(request: Request) -> Iterator[Session]:
    """The request is the unit of work: committed when the route returns, rolled back on error."""
    with database(request).unit_of_work() as session:
        yield session


# scope="function": commit before the response is sent, so a failed commit is reported as an
# error rather than after a success was already answered (FastAPI's default closes it later).
DbSession = Annotated[Session, Depends(db_session, scope="function")]
CurrentActor = Annotated[Actor, Depends(require_actor)]
Ctx = Annotated[RequestContext, Depends(context_of)]
