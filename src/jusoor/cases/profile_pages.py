"""The form that edits a case's victim profile (owning agency's case workers only)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jusoor.cases import extensions, forms, labels, service
from jusoor.cases.models import Case
from jusoor.cases.schemas import CaseProfile
from jusoor.cases.vocabulary import AGE_BANDS
from jusoor.core.errors import DomainError, Forbidden
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.web.actions import attempt
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import parse_id, redirect
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)


def _typed(case: Case) -> dict[str, Any]:
    """The form as the case stands, for editing."""
    typed: dict[str, Any] = {n: getattr(case, n) or "" for n in forms.TEXT_FIELDS}
    typed["gender"] = case.gender.value
    typed.update({n: list(getattr(case, n)) for n in forms.LIST_FIELDS})
    typed.update({n: list(getattr(case, n)) for n in forms.CHECKED_FIELDS})
    unknown_age = case.age is None and case.age_band is None and case.date_of_birth is None
    typed["is_child"] = ("yes" if case.is_child else "no") if unknown_age else ""
    return typed


def profile_form(
    request: Request,
    case: Case,
    typed: dict[str, Any],
    errors: dict[str, str],
    extra: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The profile form as typed; `extra` is the data of a registered profile fragment (the
    route of the domain that registered it passes it, e.g. entities' likely matches)."""
    values = {
        **(extra or {}),
        "case": case,
        "form": typed,
        "errors": errors,
        "labels": forms.labels(),
        "choices": {k: labels.choices(k) for k in ("gender", "form", "means", "relation")},
        "age_bands": [(b, b) for b in AGE_BANDS],
        "profile_fragments": extensions.profile_fragments(),
    }
    return render(request, "cases/profile.html", values, status_code=422 if errors else 200)


def _editable(db: Session, actor: Actor, case_id: str) -> Case:
    file = service.get_case(db, actor=actor, case_id=parse_id(case_id, _("No such case.")))
    if not (file.whole and actor.can("cases.update")):
        raise Forbidden(_("You are not allowed to do this."))
    return file.case


@router.get("/cases/{case_id}/profile", response_class=HTMLResponse)
def edit_profile_form(
    request: Request, case_id: str, db: DbSession, actor: CurrentActor
) -> Response:
    case = _editable(db, actor, case_id)
    return profile_form(request, case, _typed(case), {})


@router.post("/cases/{case_id}/profile", response_class=HTMLResponse)
async def edit_profile(
    request: Request, case_id: str, db: DbSession, actor: CurrentActor
) -> Response:
    case = _editable(db, actor, case_id)
    cid: uuid.UUID = case.id
    values, typed = forms.profile_values(await request.form(), clear_empty=True)

    def run() -> object:
        profile_in = CaseProfile.model_validate(values)
        return service.update_profile(db, actor=actor, case_id=cid, profile_in=profile_in)

    # The case read above stays valid: the failed call's changes to it are rolled back with its
    # savepoint (and the ORM reloads what they touched).
    return attempt(
        db,
        run,
        done=lambda _result: redirect(f"/cases/{cid}?done=profile"),
        failed=lambda errors: profile_form(request, case, typed, errors),
        labels=forms.labels(),
        catch=(DomainError,),
    )
