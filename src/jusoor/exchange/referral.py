"""Transnational referral of a victim to another country's national referral mechanism.

Sent only from the case, by a case worker who holds it, with the person's consent to cross-border
transfer in force (DESIGN.md: consent per purpose, checked before the action), and carrying only
the fields the case worker ticks (data minimisation; OSCE/ODIHR TRM guidelines, 2009).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases import service as cases
from jusoor.cases.access import SHAREABLE_FIELDS
from jusoor.cases.consent import require_consent
from jusoor.cases.models import Case
from jusoor.cases.timeline import record_event
from jusoor.cases.vocabulary import ConsentPurpose
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.exchange.models import Message
from jusoor.exchange.transport import outbox
from jusoor.exchange.vocabulary import Direction, MessageType

# The code of the case-timeline event a referral abroad writes (registered in `exchange.domain`).
CASE_EVENT = "referral_abroad"


def _plain(value: Any) -> Any:
    """A case value in a form the envelope carries (str, int, bool, list of str, None)."""
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(_plain(item)) for item in value]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def shared_values(case: Case, fields: Sequence[str]) -> dict[str, Any]:
    unknown = sorted(set(fields) - SHAREABLE_FIELDS)
    if unknown:
        raise Invalid(
            "shared_fields",
            _("These fields cannot be shared: %(fields)s.", fields=", ".join(unknown)),
        )
    if not fields:
        raise Invalid("shared_fields", _("Choose at least one field to share."))
    values: dict[str, Any] = {}
    for field in sorted(set(fields)):
        if field == "guardian":
            parts = [p for p in (case.guardian_name, case.guardian_relation) if p]
            values[field] = " — ".join(parts) or None
        else:
            values[field] = _plain(getattr(case, field))
    return values


def refer_abroad(
    session: Session,
    *,
    actor: Actor,
    case_id: uuid.UUID,
    to: str,
    shared_fields: Sequence[str],
    data: dict[str, Any],
) -> Message:
    """Queue a transnational referral of the case to `to`'s NRM; audited on the case too."""
    actor.require("exchange.refer")
    file = cases.get_case(session, actor=actor, case_id=case_id)
    if not file.whole:  # only the agency holding the case may send it abroad
        raise NotFound(_("No case with this id, or not one you may see."))
    case = file.case
    consent = require_consent(session, case, ConsentPurpose.cross_border_transfer, actor=actor)
    if consent is None:  # an override does not reach across borders
        raise Invalid("consent", _("A transnational referral needs the person's own consent."))
    content = {
        **data,
        "case_reference": case.reference,
        "shared": shared_values(case, shared_fields),
        "consent_id": str(consent.id),
    }
    message = outbox.send(
        session,
        actor=actor,
        to=to,
        kind=MessageType.transnational_referral,
        data=content,
        case_id=case.id,
    )
    details = {"to": message.peer, "message_id": str(message.id), "fields": sorted(shared_fields)}
    record_event(session, actor=actor, case=case, kind=CASE_EVENT, details=details)
    audit.record(
        session,
        actor=actor,
        action="case.referred_abroad",
        object_type="case",
        object_id=case.id,
        details=details,
    )
    return message


def referrals_of_case(session: Session, case_id: uuid.UUID) -> list[Message]:
    """The transnational referrals sent from a case (the caller has already read the case)."""
    stmt = select(Message).where(
        Message.case_id == case_id,
        Message.type == MessageType.transnational_referral,
        Message.direction == Direction.outgoing,  # an accepted referral from abroad links too
    )
    return list(session.scalars(stmt.order_by(Message.created_at.desc())))
