"""Requests abroad on the file page (its panel and the form that prepares a draft for the liaison
officers), and the hand-over page of a request received from abroad, from which an investigator
or prosecutor opens a file or joins it to one."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from jusoor.core.errors import DomainError
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor
from jusoor.exchange.queries import peer_choices
from jusoor.exchange.request.labels import (
    ASSISTANCE_KIND_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    URGENCY_LABELS,
)
from jusoor.investigations import access, request_received, request_threads, requests
from jusoor.investigations.labels import choices, label
from jusoor.investigations.models import InvestigationFile
from jusoor.investigations.pages import FILES, FileId, helpers, saved, shown_again
from jusoor.investigations.vocabulary import RequestKind
from jusoor.investigations.workflow import machine
from jusoor.web.access import requires
from jusoor.web.actions import submit
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import path_id, redirect
from jusoor.web.labels import country_name
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

PREFIX = "rq-"  # the form's fields on the file page, apart from the other panels' fields
MessageId = Annotated[uuid.UUID, path_id("message_id", N_("No such request from abroad."))]
FIELDS = (
    "kind",
    "peer",
    "subject",
    "urgency",
    "deadline",
    "assistance_kind",
    "assistance_sought",
    "facts_summary",
    "purpose",
)


def _labels() -> dict[str, str]:
    return {
        "kind": _("Kind of request"),
        "peer": _("Country"),
        "subject": _("Subject"),
        "urgency": _("Urgency"),
        "deadline": _("Deadline"),
        "assistance_kind": _("Kind of assistance"),
        "assistance_sought": _("What is asked"),
        "facts_summary": _("Summary of the relevant facts"),
        "purpose": _("Purpose of the request"),
        "named_defendants": _("Persons concerned"),
    }


def _status(code: object) -> str:
    return _(STATUS_LABELS.get(str(code), str(code))) if code else _("Discarded draft")


def _translated(table: dict[str, str]) -> list[tuple[str, str]]:
    return [(str(k), _(v)) for k, v in table.items()]


def panel(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    """The requests panel of the file page (its reader was audited by the page)."""
    may_prepare = access.may_update(actor, file) and file.stage.value not in machine().terminal
    rows = request_threads.states(session, file)
    return {
        "visible": True,
        "title": _("Requests abroad"),
        "count": len(rows),
        "rows": rows,
        "may_prepare": may_prepare,
        "exchange_reader": actor.can("exchange.read"),
        "status": _status,
        "country": country_name,
        "peers": peer_choices(session) if may_prepare else [],
        "defendants": [
            (str(d.id), name, label(type(d.role), d.role))
            for d, name in requests.defendants(session, file)
        ]
        if may_prepare
        else [],
        "kinds": choices(RequestKind),
        "assistance_kinds": _translated(ASSISTANCE_KIND_LABELS),
        "urgencies": _translated(URGENCY_LABELS),
        "types": {str(k): _(v) for k, v in TYPE_LABELS.items()},
    }


def _request_in(form: FormData) -> requests.RequestDraftIn:
    values: dict[str, Any] = {
        name: value
        for name in FIELDS
        if isinstance(value := form.get(PREFIX + name), str) and value.strip()
    }
    values["peer"] = values.get("peer", "")
    values["named_defendants"] = [v for v in form.getlist(PREFIX + "named_defendants") if v]
    return requests.RequestDraftIn.model_validate(values)


def _prefixed(errors: dict[str, str]) -> dict[str, str]:
    """The form's fields by their names on the page; a problem of the file itself (its stage)
    goes to the top of the page."""
    own = {*FIELDS, "named_defendants"}
    return {(PREFIX + k if k in own else "_form"): v for k, v in errors.items()}


@router.post(
    f"{FILES}/{{file_id}}/requests",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_update)],
)
async def prepare(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId
) -> Response:
    return await submit(
        request,
        db,
        run=lambda form: requests.prepare(
            db, actor=actor, file_id=file_id, request_in=_request_in(form)
        ),
        done=lambda _link: saved(file_id, "requests"),
        failed=lambda errors, typed: shown_again(
            request, db, actor, file_id, _prefixed(errors), typed, panel="requests"
        ),
        labels=_labels(),
        catch=(DomainError,),
    )


def _handover_page(
    request: Request,
    db: Session,
    actor: Actor,
    message_id: uuid.UUID,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    found = request_received.received(db, actor=actor, message_id=message_id)
    values = {
        "found": found,
        "errors": errors or {},
        "form": form or {},
        "types": {str(k): _(v) for k, v in TYPE_LABELS.items()},
        "status": _status,
        "country": country_name,
        **helpers(),
    }
    return render(
        request, "investigations/from_abroad.html", values, status_code=422 if errors else 200
    )


HANDOVER = request_received.HANDOVER


@router.get(
    f"{HANDOVER}/{{message_id}}",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_open)],
)
def handover(
    request: Request, db: DbSession, actor: CurrentActor, message_id: MessageId
) -> Response:
    return _handover_page(request, db, actor, message_id)


@router.post(
    f"{HANDOVER}/{{message_id}}/open",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_open)],
)
async def open_from_request(
    request: Request, db: DbSession, actor: CurrentActor, message_id: MessageId
) -> Response:
    return await submit(
        request,
        db,
        run=lambda form: request_received.open_from_request(
            db, actor=actor, message_id=message_id, title=str(form.get("title") or "")
        ),
        done=lambda file: redirect(f"{FILES}/{file.id}?done=opened"),
        failed=lambda errors, typed: _handover_page(request, db, actor, message_id, errors, typed),
        labels={"title": _("Title")},
        catch=(DomainError,),
    )


@router.post(
    f"{HANDOVER}/{{message_id}}/join",
    response_class=HTMLResponse,
    dependencies=[requires(Action.investigations_open)],
)
async def join_request(
    request: Request, db: DbSession, actor: CurrentActor, message_id: MessageId
) -> Response:
    return await submit(
        request,
        db,
        run=lambda form: request_received.join_request(
            db, actor=actor, message_id=message_id, reference=str(form.get("reference") or "")
        ),
        done=lambda file: saved(file.id, "requests"),
        failed=lambda errors, typed: _handover_page(request, db, actor, message_id, errors, typed),
        labels={"reference": _("File reference")},
        catch=(DomainError,),
    )
