"""The one form action of every page: a failed service call leaves nothing behind, the rest stays.

A tiny router stands in for a page. Its request writes an audit event before the form's call
("before"), the call writes one and then fails or succeeds ("inside"), and the re-rendered form
writes one more ("after"). The request's unit of work commits whatever the page left.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from jusoor.audit import service as audit
from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.errors import Conflict, Forbidden, Invalid
from jusoor.core.i18n import use_locale
from jusoor.web.actions import submit
from jusoor.web.forms import redirect


class Thing(BaseModel):
    name: str = Field(min_length=2, max_length=10)
    count: int = Field(ge=0)


LABELS = {"name": "Name", "count": "Count"}


def _note(db: Session, action: str) -> None:
    audit.record(db, actor=None, action=action, username="tester")


def _app(database: Database) -> FastAPI:
    def session() -> Iterator[Session]:
        with database.unit_of_work() as s:
            yield s

    router = APIRouter()

    @router.post("/things")
    async def make_thing(request: Request, db: Session = Depends(session)) -> Response:
        _note(db, "test.before")

        def run(form: FormData) -> str:
            _note(db, "test.inside")
            thing = Thing.model_validate({k: form.get(k) for k in ("name", "count")})
            if thing.name == "taken":
                raise Conflict("The name is taken.", field="name")
            if thing.name == "secret":
                raise Forbidden("You are not allowed to do this.")
            if thing.name == "nameless":
                raise Invalid(None, "Something about the whole form.")
            return thing.name

        def failed(errors: dict[str, str], typed: dict[str, str]) -> Response:
            _note(db, "test.after")  # the session is still usable after the failed call
            return JSONResponse({"errors": errors, "typed": typed}, status_code=422)

        return await submit(
            request,
            db,
            run=run,
            done=lambda name: redirect(f"/things/{name}"),
            failed=failed,
            labels=LABELS,
        )

    app = FastAPI()
    app.include_router(router)
    return app


def _actions(database: Database) -> list[str]:
    with database.unit_of_work() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


@pytest.fixture
def web(database: Database) -> Iterator[TestClient]:
    with TestClient(_app(database)) as client:
        yield client


def test_a_failed_call_is_undone_and_every_fields_message_shows(
    web: TestClient, database: Database
) -> None:
    with use_locale("en"):
        answer = web.post("/things", data={"name": "x", "count": "-1", "csrf_token": "t"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["errors"] == {
        "name": "The field Name must have at least 2 characters.",
        "count": "The field Count must be at least 0.",
    }
    assert body["typed"] == {"name": "x", "count": "-1"}  # what was typed, never the token
    # The call's write is gone; the one before it and the re-render's after it are kept.
    assert _actions(database) == ["test.before", "test.after"]
    # The rolled-back event did not leave the audit chain's head behind: the chain is whole.
    with database.unit_of_work() as s:
        found = audit.verify(s)
    assert found.first_bad_seq is None and found.events == 2


def test_a_domain_error_is_shown_next_to_the_field_it_names(
    web: TestClient, database: Database
) -> None:
    answer = web.post("/things", data={"name": "taken", "count": "1"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == {"name": "The name is taken."}
    answer = web.post("/things", data={"name": "nameless", "count": "1"})
    assert answer.json()["errors"] == {"_form": "Something about the whole form."}
    assert _actions(database) == ["test.before", "test.after"] * 2


def test_a_success_keeps_every_write_and_redirects(web: TestClient, database: Database) -> None:
    answer = web.post("/things", data={"name": "ok", "count": "3"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/things/ok"
    assert _actions(database) == ["test.before", "test.inside"]


def test_a_refusal_is_not_a_form_error_and_the_whole_request_is_undone(
    web: TestClient, database: Database
) -> None:
    with pytest.raises(Forbidden):
        web.post("/things", data={"name": "secret", "count": "1"})
    assert _actions(database) == []
