"""Pages of match review: the suggestions of a case's profile form, and /entities/review, where
open suggestions are confirmed or rejected and recent decisions undone.

- POST /cases/{id}/matches: the profile form as typed → the fragment `_case_matches.html` for
  htmx, or without JavaScript the profile form again with the suggestions under it.
- GET /entities/review; POST /entities/review/judgements; POST …/judgements/{id}/undo.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from jusoor.cases import forms
from jusoor.cases import service as cases
from jusoor.cases.models import Case
from jusoor.cases.profile_pages import profile_form
from jusoor.core.errors import DomainError, NotFound
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.entities.case_persons import read_profile
from jusoor.entities.matching import judgements
from jusoor.entities.matching.reasons import reason
from jusoor.entities.matching.suggestions import (
    CaseMatch,
    editable_case,
    find_matches,
    matches_for_case,
    open_suggestions,
    record_matches,
)
from jusoor.web.actions import attempt
from jusoor.web.deps import CurrentActor, DbReading, DbSession
from jusoor.web.forms import parse_id, redirect
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

PROFILE_FIELDS = (
    "name",
    "aliases",
    "date_of_birth",
    "citizenship",
    "contact",
    "identity_documents",
)
DONE = {
    "same": N_("Recorded: the same person. Undo it below if it was a mistake."),
    "different": N_("Recorded: not the same person. Undo it below if it was a mistake."),
    "undone": N_("The decision is undone: the model decides this pair again."),
}


def helpers() -> dict[str, Any]:
    """Template helpers of the match fragments: why a field spoke, and percentages."""
    return {
        "match_reason": reason,
        "percent": lambda p: round(100 * float(p)),
    }


def case_matches_panel(session: Session, *, actor: Actor, case: Case) -> dict[str, Any]:
    """What `entities/_case_matches.html` needs on the case page (the stored profile)."""
    return {
        "matches": matches_for_case(session, actor=actor, case=case),
        "may_judge": actor.can(judgements.JUDGE),
        **helpers(),
    }


def _editable(db: Session, actor: Actor, case_id: str) -> Case:
    file = cases.get_case(db, actor=actor, case_id=parse_id(case_id, _("No such case.")))
    if not (file.whole and actor.can("cases.update")):
        raise NotFound(_("No such case."))
    return file.case


@router.post("/cases/{case_id}/matches", response_class=HTMLResponse)
async def case_matches(
    request: Request, case_id: str, db: DbReading, actor: CurrentActor
) -> Response:
    """Likely matches of the profile as typed, in other cases the user may open.

    The profile form asks for them on every change while the person types, and may save at any
    moment: the search reads in a reading unit of work, off the event loop, and takes SQLite's
    writer lock only for its two audit events at the end (core.reading), so a save never waits
    for a search (issue 18)."""
    form = await request.form()
    return await run_in_threadpool(_case_matches, request, db, actor, case_id, form)


def _case_matches(
    request: Request, db: Session, actor: Actor, case_id: str, form: FormData
) -> Response:
    case = editable_case(db, actor=actor, case_id=parse_id(case_id, _("No such case.")))
    if case is None:
        _editable(db, actor, case_id)  # refuses as ever (NotFound), audited as a refusal
        raise NotFound(_("No such case."))
    # A picker of several values (citizenship) posts one value per choice.
    values = {name: " ".join(str(v) for v in form.getlist(name)) for name in PROFILE_FIELDS}
    found: list[CaseMatch] = find_matches(
        db, actor=actor, case=case, profile=read_profile(values, case.country)
    )
    # The writes, last: the read of the case (as `_editable` records it) and the lookup.
    case = _editable(db, actor, case_id)
    record_matches(db, actor=actor, case=case, found=found, typed=True)
    context = {
        "case": case,
        "matches": found,
        "typed": True,
        "may_judge": actor.can(judgements.JUDGE),
    }
    if request.headers.get("hx-request") == "true":
        return render(request, "entities/_case_matches.html", {**context, **helpers()})
    _values, typed = forms.profile_values(form, clear_empty=True)
    return profile_form(request, case, typed, {}, extra={**context, **helpers()})


def _review(
    request: Request,
    db: Session,
    actor: Actor,
    *,
    errors: dict[str, str] | None = None,
    done: str | None = None,
) -> HTMLResponse:
    recent = judgements.recent_judgements(db, actor=actor)
    ends = {x for j in recent for x in (j.entity_a_id, j.entity_b_id)}
    values = {
        "suggestions": open_suggestions(db, actor=actor),
        "recent": recent,
        "captions": judgements.captions(db, ends),
        "errors": errors or {},
        "done": _(DONE[done]) if done in DONE else None,
        **helpers(),
    }
    return render(request, "entities/review.html", values, status_code=422 if errors else 200)


@router.get("/entities/review", response_class=HTMLResponse)
def review_page(
    request: Request, db: DbSession, actor: CurrentActor, done: str | None = None
) -> Response:
    return _review(request, db, actor, done=done)  # Forbidden, from the service, for non-judges


@router.post("/entities/review/judgements", response_class=HTMLResponse)
async def judge_pair(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()

    def failed(errors: dict[str, str]) -> Response:
        errors["pair"] = f"{form.get('entity_a')}:{form.get('entity_b')}"  # the row to show it on
        return _review(request, db, actor, errors=errors)

    return attempt(
        db,
        lambda: judgements.judge(
            db,
            actor=actor,
            entity_a=parse_id(str(form.get("entity_a") or ""), _("No such entity.")),
            entity_b=parse_id(str(form.get("entity_b") or ""), _("No such entity.")),
            decision=str(form.get("decision") or ""),
            reason=str(form.get("reason") or ""),
        ),
        done=lambda made: redirect(f"/entities/review?done={made.decision.value}"),
        failed=failed,
        catch=(DomainError,),
    )


@router.post("/entities/review/judgements/{judgement_id}/undo", response_class=HTMLResponse)
def undo_judgement(
    request: Request, judgement_id: str, db: DbSession, actor: CurrentActor
) -> Response:
    wanted: uuid.UUID = parse_id(judgement_id, _("No such decision."))
    judgements.undo(db, actor=actor, judgement_id=wanted)
    return redirect("/entities/review?done=undone")
