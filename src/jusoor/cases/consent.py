"""Consent per purpose (assistance, referral to a named agency, data for statistics, cross-border
transfer), with language, interpreter and witness; withdrawal takes effect at once.

`require_consent` is what any action that needs consent calls first (referrals call it with the
agency referred to). Without an active consent it refuses, naming the purpose, unless the actor
holds `cases.consent_override` and gives a reason: the override is audited and put on the timeline.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.agencies.service import agency_by_code
from jusoor.cases.access import case_for
from jusoor.cases.labels import purpose_label
from jusoor.cases.models import Case, Consent
from jusoor.cases.schemas import ConsentCreate
from jusoor.cases.timeline import record_and_audit
from jusoor.cases.vocabulary import ConsentPurpose, EventKind
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor


def active_consent(
    session: Session, case: Case, purpose: ConsentPurpose, *, agency_id: uuid.UUID | None = None
) -> Consent | None:
    """The consent in force for `purpose` (and, for a referral, for that agency), if any."""
    stmt = select(Consent).where(
        Consent.case_id == case.id,
        Consent.purpose == purpose,
        Consent.withdrawn_at.is_(None),
    )
    if purpose is ConsentPurpose.referral:
        stmt = stmt.where(Consent.agency_id == agency_id)
    return session.scalars(stmt.order_by(Consent.given_at.desc())).first()


def consents_of(session: Session, case_id: uuid.UUID) -> Sequence[Consent]:
    stmt = select(Consent).where(Consent.case_id == case_id).order_by(Consent.given_at)
    return session.scalars(stmt).all()


def require_consent(
    session: Session,
    case: Case,
    purpose: ConsentPurpose,
    *,
    actor: Actor,
    agency_id: uuid.UUID | None = None,
    override_reason: str | None = None,
) -> Consent | None:
    """Return the consent in force for `purpose`, or raise Invalid("consent", …) naming it.

    With `override_reason`, an actor holding `cases.consent_override` proceeds without consent:
    the override is audited (`case.consent_override`) and recorded on the timeline; None is returned.
    """
    if purpose is ConsentPurpose.referral and agency_id is None:
        raise Invalid("agency_id", _("Name the agency the referral consent is for."))
    consent = active_consent(session, case, purpose, agency_id=agency_id)
    if consent is not None:
        return consent
    reason = (override_reason or "").strip()
    if reason and actor.can("cases.consent_override"):
        details = {"purpose": purpose.value, "agency_id": str(agency_id) if agency_id else None}
        record_and_audit(
            session,
            actor=actor,
            case=case,
            kind=EventKind.consent_overridden,
            details=details,
            reason=reason,
            action="case.consent_override",
        )
        return None
    if reason:
        raise Invalid("consent", _("You are not allowed to act without the person's consent."))
    raise Invalid(
        "consent",
        _(
            "This needs the person's consent for %(purpose)s, and none is in force.",
            purpose=purpose_label(purpose),
        ),
    )


def give_consent(
    session: Session, *, actor: Actor, case_id: uuid.UUID, consent_in: ConsentCreate
) -> Consent:
    """Record a consent for one purpose (for a referral: to one named agency)."""
    case = case_for(session, actor, case_id, "cases.consent")
    agency: Agency | None = None
    if consent_in.purpose is ConsentPurpose.referral:
        agency = agency_by_code(session, consent_in.agency_code or "")
        if agency is None:
            raise Invalid("agency_code", _("Name the agency the referral consent is for."))
    given_at = utcnow()
    if consent_in.given_on is not None:
        if consent_in.given_on > given_at.date():
            raise Invalid("given_on", _("The date of consent is in the future."))
        if consent_in.given_on < given_at.date():
            given_at = dt.datetime.combine(consent_in.given_on, dt.time(12), tzinfo=dt.UTC)
    consent = Consent(
        case_id=case.id,
        purpose=consent_in.purpose,
        agency_id=agency.id if agency else None,
        language=consent_in.language,
        interpreter_name=(consent_in.interpreter_name or "").strip() or None,
        witness_name=(consent_in.witness_name or "").strip() or None,
        given_at=given_at,
        recorded_by_username=actor.username,
    )
    session.add(consent)
    session.flush()
    _log(session, actor, case, EventKind.consent_given, consent)
    return consent


def withdraw_consent(
    session: Session, *, actor: Actor, case_id: uuid.UUID, consent_id: uuid.UUID
) -> Consent:
    """Withdraw a consent: from this moment `require_consent` no longer finds it."""
    case = case_for(session, actor, case_id, "cases.consent")
    consent = session.get(Consent, consent_id)
    if consent is None or consent.case_id != case.id:
        raise NotFound(_("No such consent."))
    if consent.withdrawn_at is not None:
        raise Conflict(_("This consent was already withdrawn."), field="consent_id")
    consent.withdrawn_at = utcnow()
    consent.withdrawn_by_username = actor.username
    session.flush()
    _log(session, actor, case, EventKind.consent_withdrawn, consent)
    return consent


def _log(session: Session, actor: Actor, case: Case, kind: EventKind, consent: Consent) -> None:
    details = {
        "consent_id": str(consent.id),
        "purpose": consent.purpose.value,
        "agency_id": str(consent.agency_id) if consent.agency_id else None,
        "language": consent.language,
    }
    action = "case.consent" if kind is EventKind.consent_given else "case.consent_withdraw"
    record_and_audit(session, actor=actor, case=case, kind=kind, details=details, action=action)
