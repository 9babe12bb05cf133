"""What an HTCDS export works out from a case's records rather than its fields: the last
identification decision, the outgoing referrals and the consents in force (`columns.yaml`,
entries with `derive`).

cases sits below screening, referrals and exchange, so it reads what they wrote on the case's
timeline, which holds codes only (`cases.timeline.record_event`): `identified*` events carry the
decision's status, `referral` events the receiving agency, the service kind and the action,
`referral_abroad` events the receiving node. One query for the events and one for the consents
of a batch of cases, so an export of many cases does not query per case.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.cases.models import Case, CaseEvent, Consent
from jusoor.cases.vocabulary import Stage

# Timeline codes other domains write (registered with cases.extensions by their domain.py).
DECISION_EVENTS = ("identified", "not_identified", "identified_possible")
REFERRAL_EVENT = "referral"
REFERRAL_ABROAD_EVENT = "referral_abroad"
# A referral the receiving agency declined, or the sender revoked, did not send the case there.
UNDONE_REFERRAL_ACTIONS = frozenset({"decline", "revoke"})
BATCH = 500  # case ids per IN list (well under every engine's parameter limit)


@dataclass(frozen=True)
class OutgoingReferral:
    organisation: str  # an agency code of this node, or the name of the node abroad
    reason: str  # "service" or "abroad" (columns.yaml maps them onto the standard's reasons)
    at: dt.datetime
    service: str | None = None


@dataclass(frozen=True)
class CaseFacts:
    decision: str | None = None  # the last identification status: possible, actual, not_a_victim
    referrals: tuple[OutgoingReferral, ...] = ()  # oldest first
    consents: tuple[str, ...] = ()  # purposes given and not withdrawn
    extra: dict[str, Any] = field(default_factory=dict)


NO_FACTS = CaseFacts()


def _batches(ids: Sequence[uuid.UUID]) -> Iterable[Sequence[uuid.UUID]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def gather(session: Session, case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, CaseFacts]:
    """The facts of each case in `case_ids`. The caller has checked the reader may see the
    records each derived column comes from (the column's `field`)."""
    events: dict[uuid.UUID, list[CaseEvent]] = {}
    purposes: dict[uuid.UUID, list[str]] = {}
    kinds = (*DECISION_EVENTS, REFERRAL_EVENT, REFERRAL_ABROAD_EVENT)
    for ids in _batches(case_ids):
        stmt = (
            select(CaseEvent)
            .where(CaseEvent.case_id.in_(ids), CaseEvent.kind.in_(kinds))
            .order_by(CaseEvent.seq)
        )
        for event in session.scalars(stmt):
            events.setdefault(event.case_id, []).append(event)
        consents = select(Consent).where(Consent.case_id.in_(ids), Consent.withdrawn_at.is_(None))
        for consent in session.scalars(consents.order_by(Consent.given_at)).unique():
            given = purposes.setdefault(consent.case_id, [])
            if consent.purpose.value not in given:
                given.append(consent.purpose.value)
    return {
        case_id: CaseFacts(
            decision=_decision(events.get(case_id, [])),
            referrals=_referrals(events.get(case_id, [])),
            consents=tuple(purposes.get(case_id, [])),
        )
        for case_id in case_ids
    }


def _decision(events: list[CaseEvent]) -> str | None:
    statuses = [str(e.details.get("status")) for e in events if e.kind in DECISION_EVENTS]
    return statuses[-1] if statuses else None


def _referrals(events: list[CaseEvent]) -> tuple[OutgoingReferral, ...]:
    made: dict[str, OutgoingReferral] = {}
    for event in events:
        details = event.details
        if event.kind == REFERRAL_ABROAD_EVENT and details.get("to"):
            key = f"abroad:{details.get('message_id') or event.seq}"
            made[key] = OutgoingReferral(str(details["to"]), "abroad", event.at)
        elif event.kind == REFERRAL_EVENT and details.get("referral_id"):
            key = str(details["referral_id"])
            if details.get("action") in UNDONE_REFERRAL_ACTIONS:
                made.pop(key, None)
            elif key not in made and details.get("agency"):
                kind = details.get("service_kind")
                made[key] = OutgoingReferral(
                    str(details["agency"]), "service", event.at, str(kind) if kind else None
                )
    return tuple(made.values())


def _month(moment: dt.datetime | None) -> str | None:
    return moment.strftime("%Y-%m") if moment else None


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


# Each derivation: (case, facts) -> a Jusoor value (a code, codes, text or a bool).
Derivation = Callable[[Case, CaseFacts], Any]
DERIVATIONS: dict[str, Derivation] = {
    "trafficking_status": lambda case, facts: facts.decision or "possible",
    "case_source": lambda case, facts: "screening" if case.screening_id else "direct",
    "opened_month": lambda case, facts: _month(case.opened_at),
    "closed_month": lambda case, facts: (
        _month(case.closed_at) if case.stage is Stage.closed else None
    ),
    "referred_organisations": lambda case, facts: _unique(r.organisation for r in facts.referrals),
    "outgoing_referral_reason": lambda case, facts: (
        facts.referrals[-1].reason if facts.referrals else None
    ),
    "outgoing_referral_month": lambda case, facts: (
        _month(facts.referrals[0].at) if facts.referrals else None
    ),
    "services_referred": lambda case, facts: _unique(r.service for r in facts.referrals),
    "consent": lambda case, facts: bool(facts.consents),
    "consent_purposes": lambda case, facts: list(facts.consents),
}
