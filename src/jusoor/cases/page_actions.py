"""The forms posted from a case page: notes, tasks, consents, stage moves, child safeguards.

Each calls one service function through the one form action (`web.actions.submit`): a refusal
re-renders the case page with the message next to the field it names, and the call's savepoint is
rolled back, so nothing is half-written.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from jusoor.cases import forms, service
from jusoor.cases.page_view import case_page
from jusoor.cases.schemas import (
    BestInterestsSet,
    ConsentCreate,
    GuardianSet,
    NoteCreate,
    TaskCreate,
)
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import N_, format_date
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.web.actions import submit
from jusoor.web.confirm import ASK, asks_first, confirmation_page
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import parse_id, redirect
from jusoor.web.questions import question

WITHDRAW_CONSENT_QUESTION = question(
    "cases:withdraw_consent",
    N_("Record that the person withdraws this consent? What depends on it stops from now on."),
)

router = APIRouter(include_in_schema=False)

# Errors about the case as a whole (not a field of the form posted) go at the top of the page.
FORM_LEVEL = {"consent": "_form", "is_child": "_form", "task_id": "_form", "consent_id": "_form"}

Action = Callable[[Session, Actor, uuid.UUID, FormData], object]


async def _handle(
    request: Request, db: Session, actor: Actor, case_id: str, run: Action, done: str
) -> Response:
    cid = parse_id(case_id, _("No such case."))
    return await submit(
        request,
        db,
        run=lambda form: run(db, actor, cid, form),
        done=lambda _result: redirect(f"/cases/{cid}?done={done}"),
        failed=lambda errors, typed: case_page(request, db, actor, cid, errors=errors, form=typed),
        labels=forms.labels(),
        aliases=FORM_LEVEL,
    )


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _optional(form: FormData, *names: str) -> dict[str, str]:
    return {n: v for n in names if (v := _text(form, n))}


@router.post("/cases/{case_id}/notes", response_class=HTMLResponse)
async def add_note(request: Request, case_id: str, db: DbSession, actor: CurrentActor) -> Response:
    def run(s: Session, a: Actor, cid: uuid.UUID, f: FormData) -> object:
        note_in = NoteCreate(body=_text(f, "body"))
        return service.add_note(s, actor=a, case_id=cid, note_in=note_in)

    return await _handle(request, db, actor, case_id, run, "note")


@router.post("/cases/{case_id}/tasks", response_class=HTMLResponse)
async def add_task(request: Request, case_id: str, db: DbSession, actor: CurrentActor) -> Response:
    def run(s: Session, a: Actor, cid: uuid.UUID, f: FormData) -> object:
        task_in = TaskCreate.model_validate({"title": _text(f, "title"), **_optional(f, "due_on")})
        if task_in.due_on is not None and task_in.due_on < utcnow().date():
            raise Invalid(
                "due_on",
                _(
                    "%(field)s: %(date)s has passed. Choose today or a later day.",
                    field=forms.labels()["due_on"],
                    date=format_date(task_in.due_on),
                ),
            )
        return service.add_task(s, actor=a, case_id=cid, task_in=task_in)

    return await _handle(request, db, actor, case_id, run, "task")


@router.post("/cases/{case_id}/tasks/{task_id}/done", response_class=HTMLResponse)
async def complete_task(
    request: Request, case_id: str, task_id: str, db: DbSession, actor: CurrentActor
) -> Response:
    tid = parse_id(task_id, _("No such task."))

    def run(s: Session, a: Actor, cid: uuid.UUID, f: FormData) -> object:
        return service.complete_task(s, actor=a, case_id=cid, task_id=tid)

    return await _handle(request, db, actor, case_id, run, "task_done")


@router.post("/cases/{case_id}/consents", response_class=HTMLResponse)
async def give_consent(
    request: Request, case_id: str, db: DbSession, actor: CurrentActor
) -> Response:
    def run(s: Session, a: Actor, cid: uuid.UUID, f: FormData) -> object:
        fields = ("agency_code", "interpreter_name", "witness_name", "given_on")
        consent_in = ConsentCreate.model_validate(
            {
                "purpose": _text(f, "purpose"),
                "language": _text(f, "language"),
                **_optional(f, *fields),
            }
        )
        return service.give_consent(s, actor=a, case_id=cid, consent_in=consent_in)

    return await _handle(request, db, actor, case_id, run, "consent")


@router.post("/cases/{case_id}/consents/{consent_id}/withdraw", response_class=HTMLResponse)
async def withdraw_consent(
    request: Request, case_id: str, consent_id: str, db: DbSession, actor: CurrentActor
) -> Response:
    kid = parse_id(consent_id, _("No such consent."))
    form = await request.form()
    if asks_first(str(form.get(ASK) or "")):
        return confirmation_page(
            request,
            question_key=WITHDRAW_CONSENT_QUESTION,
            fields={},
            back=f"/cases/{parse_id(case_id, _('No such case.'))}",
        )

    def run(s: Session, a: Actor, cid: uuid.UUID, f: FormData) -> object:
        return service.withdraw_consent(s, actor=a, case_id=cid, consent_id=kid)

    return await _handle(request, db, actor, case_id, run, "withdrawn")


@router.post("/cases/{case_id}/move", response_class=HTMLResponse)
async def move_case(request: Request, case_id: str, db: DbSession, actor: CurrentActor) -> Response:
    def run(s: Session, a: Actor, cid: uuid.UUID, f: FormData) -> object:
        stage, reason = _text(f, "stage"), _text(f, "reason")
        if not stage:
            raise Invalid("stage", _("Choose the new stage."))
        early = _text(f, "early_end_reason")
        return service.move_stage(
            s, actor=a, case_id=cid, stage=stage, reason=reason, early_end_reason=early
        )

    return await _handle(request, db, actor, case_id, run, "moved")


@router.post("/cases/{case_id}/guardian", response_class=HTMLResponse)
async def set_guardian(
    request: Request, case_id: str, db: DbSession, actor: CurrentActor
) -> Response:
    def run(s: Session, a: Actor, cid: uuid.UUID, f: FormData) -> object:
        guardian_in = GuardianSet.model_validate(
            {
                "name": _text(f, "name"),
                "relation": _text(f, "relation"),
                **_optional(f, "agency_code"),
            }
        )
        return service.set_guardian(s, actor=a, case_id=cid, guardian_in=guardian_in)

    return await _handle(request, db, actor, case_id, run, "guardian")


@router.post("/cases/{case_id}/best-interests", response_class=HTMLResponse)
async def record_best_interests(
    request: Request, case_id: str, db: DbSession, actor: CurrentActor
) -> Response:
    def run(s: Session, a: Actor, cid: uuid.UUID, f: FormData) -> object:
        step_in = BestInterestsSet.model_validate({"step": _text(f, "step"), "on": _text(f, "on")})
        return service.record_best_interests(s, actor=a, case_id=cid, step_in=step_in)

    return await _handle(request, db, actor, case_id, run, "best_interests")
