"""Referrals of cases to services: request, answer, follow up, record what was delivered.

The referring case worker chooses which case fields are shared; the receiving agency's service
providers read those and nothing else (`jusoor.referrals.grants`). Every read and write is audited
and every move lands on the case's timeline.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.audit import service as audit
from jusoor.cases.access import SHAREABLE_FIELDS, owns_case
from jusoor.cases.consent import require_consent
from jusoor.cases.models import Case
from jusoor.cases.timeline import record_event
from jusoor.cases.vocabulary import ConsentPurpose, Stage
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict, Invalid, NotFound
from jusoor.core.i18n import current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.keyset import KeysetPage
from jusoor.core.permissions import Actor, in_scope, scope_clause
from jusoor.referrals import lists, workflow
from jusoor.referrals.labels import service_kind_label
from jusoor.referrals.models import Service, ServiceDelivery, Transition
from jusoor.referrals.schemas import DeliveryCreate, ReferralCreate, ReferralRead

# The code of the case-timeline event a referral writes (registered in `referrals.domain`).
CASE_EVENT = "referral"


def _visible(actor: Actor) -> ColumnElement[bool]:
    """Referrals the actor's agency sent or received."""
    sent = scope_clause(
        actor,
        "referrals.read",
        agency_col=Transition.from_agency_id,
        country_col=Transition.country,
    )
    received = scope_clause(
        actor, "referrals.read", agency_col=Transition.to_agency_id, country_col=Transition.country
    )
    return or_(sent, received)


def _timeline(session: Session, actor: Actor, referral: Transition, action: str) -> None:
    details = {
        "referral_id": str(referral.id),
        "action": action,
        "status": referral.status,
        "agency": referral.to_agency.code,
        "service_kind": referral.service.kind.value,
    }
    record_event(session, actor=actor, case=referral.case, kind=CASE_EVENT, details=details)


# Making a referral -----------------------------------------------------------------------------


def _referrable_case(session: Session, actor: Actor, case_id: uuid.UUID) -> Case:
    case = session.get(Case, case_id)
    if case is None or not owns_case(actor, case) or not owns_case(actor, case, "referrals.create"):
        raise Invalid("case_id", _("No such case."))
    if case.stage is Stage.closed:
        raise Invalid("case_id", _("A closed case cannot be referred."))
    return case


def _service_for(session: Session, actor: Actor, referral_in: ReferralCreate) -> Service:
    """The receiving agency's active service of the kind asked for, or an error naming the field."""
    agency = session.get(Agency, referral_in.agency_id)
    if agency is None or not agency.active:
        raise Invalid("agency_id", _("No such agency."))
    stmt = select(Service).where(
        Service.agency_id == agency.id, Service.kind == referral_in.kind, Service.active.is_(True)
    )
    if referral_in.service_id is not None:
        stmt = stmt.where(Service.id == referral_in.service_id)
    service = session.scalars(stmt.order_by(Service.name)).first()
    if service is None or not in_scope(
        actor, "services.read", agency_id=service.agency_id, country=service.country
    ):
        raise Invalid(
            "kind",
            _(
                "%(agency)s offers no %(kind)s service: choose another agency or kind of service.",
                agency=agency.name(current_locale()),
                kind=service_kind_label(referral_in.kind),
            ),
        )
    return service


def _shared_fields(fields: Sequence[str]) -> list[str]:
    unknown = sorted(set(fields) - SHAREABLE_FIELDS)
    if unknown:
        raise Invalid(
            "shared_fields",
            _("These fields cannot be shared: %(fields)s.", fields=", ".join(unknown)),
        )
    return sorted(set(fields))


def refer(session: Session, *, actor: Actor, referral_in: ReferralCreate) -> Transition:
    """Refer a case to an agency's service, sharing the fields chosen; needs referral consent."""
    actor.require("referrals.create")
    case = _referrable_case(session, actor, referral_in.case_id)
    shared = _shared_fields(referral_in.shared_fields)
    service = _service_for(session, actor, referral_in)
    now = utcnow()
    deadline = referral_in.deadline or workflow.default_deadline(service.kind, now)
    if deadline <= now:
        raise Invalid("deadline", _("The deadline must be in the future."))
    pending = select(Transition.id).where(
        Transition.case_id == case.id,
        Transition.service_id == service.id,
        Transition.status.in_(workflow.machine().access - {"completed"}),
    )
    if session.scalars(pending).first() is not None:
        raise Conflict(_("This case is already referred to this service."), field="service_id")
    require_consent(
        session,
        case,
        ConsentPurpose.referral,
        actor=actor,
        agency_id=service.agency_id,
        override_reason=referral_in.consent_override_reason,
    )
    referral = Transition(
        case=case,
        service=service,
        from_agency_id=case.agency_id,
        to_agency_id=service.agency_id,
        country=case.country,
        created_by=actor.user_id,
        status=workflow.machine().initial,
        shared_fields=shared,
        note=referral_in.note or None,
        deadline=deadline,
    )
    session.add(referral)
    session.flush()
    session.refresh(referral)  # load the agencies for the timeline
    workflow.record_move(
        session,
        actor=actor,
        referral=referral,
        action="request",
        target=referral.status,
        reason=None,
    )
    _timeline(session, actor, referral, "request")
    audit.record(
        session,
        actor=actor,
        action="referral.create",
        object_type="referral",
        object_id=referral.id,
        details={"case_id": str(case.id), "service_id": str(service.id), "shared": shared},
    )
    return referral


# Reading ---------------------------------------------------------------------------------------


def get_referral(session: Session, *, actor: Actor, referral_id: uuid.UUID) -> Transition:
    """One referral the actor's agency sent or received; the read is audited."""
    actor.require("referrals.read")
    referral = session.scalars(
        select(Transition).where(Transition.id == referral_id, _visible(actor))
    ).first()
    if referral is None:
        raise NotFound(_("No such referral."))
    audit.record(
        session,
        actor=actor,
        action="referral.read",
        object_type="referral",
        object_id=referral.id,
        details={"case_id": str(referral.case_id)},
    )
    return referral


ReferralFilter = lists.ReferralFilter


def referral_page(
    session: Session,
    *,
    actor: Actor,
    flt: ReferralFilter | None = None,
    after: str | None = None,
    limit: int = lists.PAGE_SIZE,
    full: bool = False,
) -> KeysetPage[Transition]:
    """A keyset page of the referrals sent or received by the actor's agency (newest first, or
    the longest overdue first); the listing is audited."""
    actor.require("referrals.read")
    flt = flt or ReferralFilter()
    found = lists.page(
        session, _visible(actor), actor=actor, flt=flt, after=after, limit=limit, full=full
    )
    audit.record(
        session,
        actor=actor,
        action="referral.list",
        object_type="referral",
        details={
            "box": flt.box,
            "status": flt.status,
            "overdue": flt.overdue,
            "count": len(found.rows),
            "page": "first" if found.first else "next",
        },
    )
    return found


def list_referrals(
    session: Session, *, actor: Actor, flt: ReferralFilter | None = None, limit: int = 500
) -> Sequence[Transition]:
    """The first `limit` referrals of `referral_page` (the CLI and the case page)."""
    return referral_page(session, actor=actor, flt=flt, limit=limit, full=True).rows


def inbox(
    session: Session, *, actor: Actor, rows: int = lists.SECTION_ROWS
) -> list[tuple[lists.Section, KeysetPage[Transition]]]:
    """The first `rows` referrals of each inbox section (one bounded query each); audited once."""
    actor.require("referrals.read")
    visible = _visible(actor)
    pages = lists.first_pages(
        session, visible, actor=actor, sections=lists.SECTIONS, limit=lists.checked_limit(rows)
    )
    found = list(zip(lists.SECTIONS, pages, strict=True))
    audit.record(
        session,
        actor=actor,
        action="referral.list",
        object_type="referral",
        details={"box": "inbox", "count": lists.rows_of([p for _s, p in found])},
    )
    return found


def note_for(actor: Actor, referral: Transition) -> str | None:
    """The referrer's message, which goes with the shared fields: gone once the referral is
    declined or withdrawn, for everyone but the referring agency."""
    if referral.status in workflow.machine().access or workflow.on_side(
        actor, referral, "referrer"
    ):
        return referral.note
    return None


def referral_read(
    referral: Transition,
    *,
    actor: Actor,
    case: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> ReferralRead:
    """The referral as `actor` may see it; `case` holds the shared fields when they were read."""
    values: dict[str, Any] = {
        name: getattr(referral, name)
        for name in ReferralRead.model_fields
        if name not in ("overdue", "moves", "deliveries", "case")
    }
    return ReferralRead.model_validate(
        {
            **values,
            "overdue": workflow.is_overdue(referral, now),
            "moves": referral.moves,
            "deliveries": referral.deliveries,
            "case": case,
            "note": note_for(actor, referral),
        }
    )


# Answering and following up ------------------------------------------------------------------


def move(
    session: Session,
    *,
    actor: Actor,
    referral_id: uuid.UUID,
    action: str,
    reason: str | None = None,
) -> Transition:
    """Accept, decline, start, complete or revoke a referral (see `states.yaml`)."""
    referral = get_referral(session, actor=actor, referral_id=referral_id)
    workflow.transition(session, actor=actor, referral=referral, action=action, reason=reason)
    _timeline(session, actor, referral, action)
    return referral


def record_delivery(
    session: Session, *, actor: Actor, referral_id: uuid.UUID, delivery_in: DeliveryCreate
) -> ServiceDelivery:
    """The receiving agency records a service it gave under an accepted referral."""
    actor.require("referrals.respond")
    referral = get_referral(session, actor=actor, referral_id=referral_id)
    if not workflow.on_side(actor, referral, "provider"):
        raise NotFound(_("No such referral."))
    if referral.status not in workflow.machine().delivery:
        raise Conflict(
            _("Services are recorded once the referral is accepted and until it is completed."),
            field="status",
        )
    if delivery_in.delivered_on < referral.created_at.date():
        raise Invalid("delivered_on", _("The service cannot be given before the referral."))
    delivery = ServiceDelivery(
        what=delivery_in.what,
        delivered_on=delivery_in.delivered_on,
        delivered_by=delivery_in.delivered_by,
        notes=delivery_in.notes or None,
        recorded_by=actor.user_id,
    )
    referral.deliveries.append(delivery)
    referral.updated_at = utcnow()
    session.flush()
    _timeline(session, actor, referral, "delivery")
    audit.record(
        session,
        actor=actor,
        action="referral.delivery",
        object_type="referral",
        object_id=referral.id,
        details={"case_id": str(referral.case_id), "delivery_id": str(delivery.id)},
    )
    return delivery
