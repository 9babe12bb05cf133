"""The case side of exchange: the panel of a case's transnational referrals on the case page
(`exchange/_case_exchange.html`, context from `case_panel`), and the form that refers the person
to another country's national referral mechanism, with their consent to cross-border transfer."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jusoor.cases import service as cases
from jusoor.cases.access import SHAREABLE_FIELDS
from jusoor.cases.consent import active_consent
from jusoor.cases.models import Case
from jusoor.cases.vocabulary import ConsentPurpose, Stage
from jusoor.core.errors import DomainError, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.exchange import queries, referral
from jusoor.exchange.forms import form_body
from jusoor.exchange.labels import helpers
from jusoor.exchange.nodes import node
from jusoor.exchange.queries import peer_choices
from jusoor.exchange.request.validation import FIELDS, problems
from jusoor.exchange.vocabulary import MessageType, Urgency
from jusoor.referrals.labels import DEFAULT_SHARED, field_choices
from jusoor.web.actions import attempt
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import parse_id, redirect
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

REFERRAL = MessageType.transnational_referral
# Filled by the service from the case, never typed.
FILLED = frozenset({"case_reference", "shared", "consent_id"})
# Stands for the consent in form checks: the service then checks the real one.
_SOME_CONSENT = str(uuid.UUID(int=0))


def case_panel(session: Session, *, actor: Actor, case: Case) -> dict[str, Any]:
    """What `exchange/_case_exchange.html` needs on the case page (empty when not allowed)."""
    if not actor.can("exchange.refer"):
        return {"abroad_referrals": [], "may_refer_abroad": False, **helpers()}
    sent = referral.referrals_of_case(session, case.id)
    return {
        "abroad_referrals": sent,
        "deliveries": queries.deliveries_of(session, sent),
        "unsent": queries.unsent_answers(session, sent),
        "may_refer_abroad": case.stage is not Stage.closed and node.has_identity(session),
        **helpers(),
    }


def _case(db: Session, actor: Actor, case_id: str) -> Case:
    file = cases.get_case(db, actor=actor, case_id=parse_id(case_id, _("No such case.")))
    if not file.whole or not actor.can("exchange.refer"):
        raise NotFound(_("No such case."))
    return file.case


def _page(
    request: Request,
    db: Session,
    case: Case,
    form: dict[str, Any],
    errors: dict[str, str],
) -> HTMLResponse:
    values: dict[str, Any] = {
        "case": case,
        "form": form,
        "errors": errors,
        "specs": [spec for spec in FIELDS[REFERRAL] if spec.name not in FILLED],
        "peers": peer_choices(db),
        "field_choices": field_choices(SHAREABLE_FIELDS),
        "consent": active_consent(db, case, ConsentPurpose.cross_border_transfer),
        "identity": node.has_identity(db),
        # A case worker's form: the rules in plain words, without treaty citations.
        "cite_law": False,
        **helpers(),
    }
    status = 422 if errors else 200
    return render(request, "exchange/case_refer.html", values, status_code=status)


@router.get("/cases/{case_id}/exchange/refer", response_class=HTMLResponse)
def refer_form(request: Request, db: DbSession, actor: CurrentActor, case_id: str) -> Response:
    case = _case(db, actor, case_id)
    form = {"urgency": Urgency.normal.value, "shared_fields": list(DEFAULT_SHARED)}
    return _page(request, db, case, form, {})


def _problems(case: Case, to: str, shared: list[str], body: dict[str, Any]) -> dict[str, str]:
    """Every problem of the form; the consent and the values shared are the service's to check."""
    placeholders = {"case_reference": case.reference, "consent_id": _SOME_CONSENT}
    found = problems(REFERRAL, {**body, **placeholders})
    if not shared:
        found = {"shared_fields": _("Choose at least one field to share."), **found}
    if not to:
        found = {"to": _("Choose the country the person is referred to."), **found}
    return found


@router.post("/cases/{case_id}/exchange/refer", response_class=HTMLResponse)
async def refer(request: Request, db: DbSession, actor: CurrentActor, case_id: str) -> Response:
    case = _case(db, actor, case_id)
    posted = await request.form()
    body, shown = form_body(REFERRAL, posted, skip=FILLED)
    to = str(posted.get("to") or "").strip()
    shared = [v for v in posted.getlist("shared_fields") if isinstance(v, str)]
    form = {**shown, "to": to, "shared_fields": shared}
    errors = _problems(case, to, shared, body)
    if errors:
        return _page(request, db, case, form, errors)
    return attempt(
        db,
        lambda: referral.refer_abroad(
            db, actor=actor, case_id=case.id, to=to, shared_fields=shared, data=body
        ),
        done=lambda _sent: redirect(f"/cases/{case.id}?done=referred_abroad"),
        failed=lambda errors: _page(request, db, case, form, errors),
        aliases={"case": "_form"},
        catch=(DomainError,),
    )
