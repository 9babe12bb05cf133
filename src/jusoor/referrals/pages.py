"""Referral pages: the inbox (new, overdue, in progress), the overdue list, one referral with the
fields it shares and its answers. The directory's pages and the case-side form are included."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.agencies import service as agencies
from jusoor.cases.labels import gender_label, stage_label, value_label
from jusoor.core import keyset
from jusoor.core.errors import DomainError
from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.keyset import KeysetPage
from jusoor.core.permissions import Actor
from jusoor.referrals import case_pages, grants, lists, service, service_pages, workflow
from jusoor.referrals.labels import status_label, template_helpers
from jusoor.referrals.models import Transition
from jusoor.referrals.schemas import DeliveryCreate
from jusoor.web.actions import attempt
from jusoor.web.confirm import asks_first, confirmation_page
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import path_id, redirect
from jusoor.web.questions import question
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(service_pages.router)
router.include_router(case_pages.router)

REFERRALS = "/referrals"
ReferralId = Annotated[uuid.UUID, path_id("referral_id", N_("No such referral."))]
DONE = {
    "created": N_("The referral is sent."),
    "moved": N_("The referral's state is saved."),
    "delivered": N_("The service delivered is recorded."),
}


def _links(request: Request, found: KeysetPage[Any], keep: dict[str, str]) -> dict[str, str]:
    """ "Next" and "First page" links that keep the list's filters."""
    kept = {k: v for k, v in keep.items() if v}
    links = {}
    if found.next_cursor:
        links["next"] = f"{request.url.path}?{urlencode({**kept, 'after': found.next_cursor})}"
    if not found.first:
        links["first"] = f"{request.url.path}?{urlencode(kept)}" if kept else request.url.path
    return links


def _values(**values: Any) -> dict[str, Any]:
    return {
        "locale": current_locale(),
        "states": [(s, status_label(s)) for s in workflow.machine().states],
        "section_choices": [(s.key, _(s.title)) for s in lists.SECTIONS],
        **values,
        **template_helpers(),
    }


@router.get(REFERRALS, response_class=HTMLResponse)
def inbox(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    section: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    after: Annotated[str, Query(max_length=keyset.MAX_CURSOR_CHARS)] = "",
) -> Response:
    """The inbox in sections (the first rows of each), or one section or state paged."""
    if not (section or status or after):
        parts = service.inbox(db, actor=actor)
        sections = [(s.key, _(s.title), p.rows, p.next_cursor is not None) for s, p in parts]
        values = _values(sections=[s for s in sections if s[2]], overdue_only=False, filters={})
        return render(request, "referrals/inbox.html", values)
    chosen = lists.section(section) if section else None
    flt = chosen.filter() if chosen else service.ReferralFilter()
    flt = replace(flt, status=lists.checked_status(status))
    found = service.referral_page(db, actor=actor, flt=flt, after=after or None)
    title = _(chosen.title) if chosen else _("Referrals")
    filters = {"section": section, "status": status}
    values = _values(
        sections=[(section or "list", title, found.rows, False)] if found.rows else [],
        overdue_only=False,
        filters=filters,
        links=_links(request, found, filters),
        paged=True,
    )
    return render(request, "referrals/inbox.html", values)


@router.get(f"{REFERRALS}/overdue", response_class=HTMLResponse)
def overdue(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    after: Annotated[str, Query(max_length=keyset.MAX_CURSOR_CHARS)] = "",
) -> Response:
    """Referrals past their deadline, the longest overdue first."""
    flt = service.ReferralFilter(overdue=True)
    found = service.referral_page(db, actor=actor, flt=flt, after=after or None)
    values = _values(
        sections=[("overdue", _("Overdue referrals"), found.rows, False)] if found.rows else [],
        overdue_only=True,
        filters={},
        links=_links(request, found, {}),
        paged=True,
    )
    return render(request, "referrals/inbox.html", values)


def _page(
    request: Request,
    db: DbSession,
    actor: Actor,
    referral: Transition,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    sides = [side for side in ("provider", "referrer") if workflow.on_side(actor, referral, side)]
    actions = [a for side in sides for a in workflow.machine().allowed(referral.status, side)]
    people = agencies.display_names(db, {m.by_username for m in referral.moves})
    values: dict[str, Any] = {
        "referral": referral,
        "person": lambda username: people.get(username, username),
        "shared": grants.shared_values(db, actor=actor, referral=referral),
        "actions": actions,
        "may_deliver": "provider" in sides and referral.status in workflow.machine().delivery,
        "overdue": workflow.is_overdue(referral),
        "note": service.note_for(actor, referral),
        "locale": current_locale(),
        "errors": errors or {},
        "form": form or {"delivered_on": dt.date.today().isoformat()},
        "notice": notice,
        "stage_label": stage_label,
        "gender_label": gender_label,
        "value_label": value_label,
        **template_helpers(),
    }
    return render(request, "referrals/referral.html", values, status_code=422 if errors else 200)


def _shown(
    request: Request,
    db: DbSession,
    actor: Actor,
    referral_id: uuid.UUID,
    errors: dict[str, str],
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    """The referral page again, with the errors of a form that failed."""
    referral = service.get_referral(db, actor=actor, referral_id=referral_id)
    return _page(request, db, actor, referral, errors=errors, form=form)


@router.get(f"{REFERRALS}/{{referral_id}}", response_class=HTMLResponse)
def show(
    request: Request, db: DbSession, actor: CurrentActor, referral_id: ReferralId, done: str = ""
) -> Response:
    referral = service.get_referral(db, actor=actor, referral_id=referral_id)
    return _page(request, db, actor, referral, notice=_(DONE[done]) if done in DONE else None)


# The moves that end a referral for the other side, asked before they are made.
CONFIRM = {
    "decline": question(
        "referrals:decline", N_("Decline this referral? The referring agency is told at once.")
    ),
    "revoke": question(
        "referrals:revoke", N_("Revoke this referral? The receiving agency is told at once.")
    ),
}


@router.post(f"{REFERRALS}/{{referral_id}}/move", response_class=HTMLResponse)
def move(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    referral_id: ReferralId,
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    ask: Annotated[str, Form()] = "",
) -> Response:
    question_key = CONFIRM.get(action)
    # Asked once the move can be made (its reason given): a refusal is shown on the page first.
    if question_key and reason.strip() and asks_first(ask):
        return confirmation_page(
            request,
            question_key=question_key,
            fields={"action": action, "reason": reason},
            back=f"{REFERRALS}/{referral_id}",
        )
    return attempt(
        db,
        lambda: service.move(
            db, actor=actor, referral_id=referral_id, action=action, reason=reason
        ),
        done=lambda _moved: redirect(f"{REFERRALS}/{referral_id}?done=moved"),
        failed=lambda errors: _shown(request, db, actor, referral_id, errors),
        aliases={"reason": f"reason-{action}", "action": "_form"},
        catch=(DomainError,),
    )


def _delivery_labels() -> dict[str, str]:
    return {
        "what": _("Service given"),
        "delivered_on": _("Date"),
        "delivered_by": _("Given by"),
        "notes": _("Notes"),
    }


@router.post(f"{REFERRALS}/{{referral_id}}/deliveries", response_class=HTMLResponse)
def record_delivery(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    referral_id: ReferralId,
    what: Annotated[str, Form()] = "",
    delivered_on: Annotated[str, Form()] = "",
    delivered_by: Annotated[str, Form()] = "",
    notes: Annotated[str, Form()] = "",
) -> Response:
    form = {
        "what": what,
        "delivered_on": delivered_on,
        "delivered_by": delivered_by,
        "notes": notes,
    }

    def run() -> object:
        delivery_in = DeliveryCreate.model_validate(form)
        return service.record_delivery(
            db, actor=actor, referral_id=referral_id, delivery_in=delivery_in
        )

    return attempt(
        db,
        run,
        done=lambda _given: redirect(f"{REFERRALS}/{referral_id}?done=delivered"),
        failed=lambda errors: _shown(request, db, actor, referral_id, errors, form),
        labels=_delivery_labels(),
        aliases={"status": "_form"},
        catch=(DomainError,),
    )
