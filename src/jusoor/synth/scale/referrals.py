"""A case's referrals to services of its country, with the referral consent, every move, the
services delivered and the case-timeline events the referral services write.

Paths and wording are the demo's (`synth.services`: answered, in progress with services given,
declined, revoked, waiting, overdue); answer times follow `synth.referral_times` (within the
service kind's deadline, half the time a bit late; later steps days to weeks apart). A closed
case's referrals were all answered; an open case's may still wait, some past their deadline, so
the referral inbox and the overdue list hold real work.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.cases.vocabulary import ConsentPurpose, EventKind, Stage
from jusoor.referrals.labels import DEFAULT_SHARED
from jusoor.referrals.models import Service, ServiceKind, TransitionKind
from jusoor.referrals.service import CASE_EVENT
from jusoor.referrals.workflow import machine
from jusoor.synth.scale.consents import consent_details, consent_row
from jusoor.synth.scale.population import random_uuid
from jusoor.synth.scale.staff import Person, Staff
from jusoor.synth.scale.tables import Row
from jusoor.synth.services import DELIVERED, NEEDS, PATHS, REASONS

DAY = dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)
STATUS = {
    "request": "requested",
    "accept": "accepted",
    "start": "in_progress",
    "complete": "completed",
    "decline": "declined",
    "revoke": "revoked",
}
ANSWERED = [(p, w) for p, w in PATHS if p and p[0] != "overdue"]
SHARE = 0.35  # of open cases past identification have a referral (the demo's share)


class ReferralRows:
    def __init__(self, session: Session, staff: Staff, rng: random.Random) -> None:
        self.rng = rng
        self.staff = staff
        self.offers: dict[tuple[str, ServiceKind], list[tuple[uuid.UUID, uuid.UUID, str]]]
        self.offers = defaultdict(list)
        rows = session.execute(
            select(Service.id, Service.agency_id, Service.country, Service.kind, Service.name)
            .where(Service.active.is_(True))
            .order_by(Service.name)
        )
        for service_id, agency_id, country, kind, name in rows:
            self.offers[(country, ServiceKind(kind))].append((service_id, agency_id, name))
        self.agency_names = dict(session.execute(select(Agency.id, Agency.name_en)).all())
        self.days = machine().deadline_days

    def for_case(
        self,
        rows: dict[str, list[Row]],
        *,
        case: Row,
        owner: Person,
        path: tuple[str, ...],
        moves: list[dt.datetime],
        now: dt.datetime,
        events: list[Any],
    ) -> int:
        rng = self.rng
        if rng.random() >= SHARE:
            return 0
        closed = case["stage"] is Stage.closed
        start = moves[path.index(Stage.assistance)] if Stage.assistance in path else moves[0]
        end = moves[-1] if closed else now
        made = 0
        for kind in rng.sample(NEEDS, k=rng.randint(1, 2)):
            offers = self.offers.get((case["country"], kind))
            if not offers or end <= start:
                continue
            service_id, agency_id, service_name = rng.choice(offers)
            choices = ANSWERED if closed else list(PATHS)
            steps = rng.choices([p for p, _ in choices], weights=[w for _, w in choices])[0]
            allowed = self.days[kind]
            if not steps:  # waiting, within the deadline
                created = now - rng.uniform(0.02, allowed * 0.9) * DAY
            elif steps[0] == "overdue":
                created = now - (allowed + rng.uniform(0.1, 20)) * DAY
                steps = ()
            else:
                created = start + rng.random() * (end - start) * 0.8
            created = max(created, case["opened_at"] + 10 * MINUTE)
            self._referral(
                rows,
                case,
                owner,
                kind,
                service_id,
                agency_id,
                service_name,
                steps,
                created,
                allowed,
                now,
                events,
            )
            made += 1
        return made

    def _referral(
        self,
        rows: dict[str, list[Row]],
        case: Row,
        owner: Person,
        kind: ServiceKind,
        service_id: uuid.UUID,
        agency_id: uuid.UUID,
        service_name: str,
        steps: tuple[str, ...],
        created: dt.datetime,
        allowed: int,
        now: dt.datetime,
        events: list[Any],
    ) -> None:
        rng = self.rng
        consent = consent_row(
            rng, case, ConsentPurpose.referral, agency_id, "ar", created - MINUTE, owner
        )
        rows["case_consents"].append(consent)
        events.append((created - MINUTE, EventKind.consent_given, consent_details(consent), None))
        referral_id = random_uuid(rng)
        responder = self.staff.responders.get(agency_id, owner)
        code = self.staff.agency_codes[agency_id]
        at, status, responded = created, "requested", None
        moves: list[tuple[str, str | None, str, Person, str | None, dt.datetime]] = [
            ("request", None, "requested", owner, None, created)
        ]
        for i, step in enumerate(steps):
            gap = rng.uniform(0.05, allowed * 1.5) if i == 0 else rng.uniform(1, 30)
            at = min(at + gap * DAY, now - MINUTE)
            by = owner if step == "revoke" else responder
            if step == "complete" or (step == "start" and rng.random() < 0.5):
                rows["service_deliveries"].append(
                    {
                        "id": random_uuid(rng),
                        "transition_id": referral_id,
                        "what": DELIVERED.get(kind, service_name)[:300],
                        "delivered_on": at.date(),
                        "delivered_by": self.agency_names.get(agency_id, code)[:200],
                        "notes": None,
                        "recorded_by": by.id,
                        "recorded_at": at,
                    }
                )
                moves.append(("delivery", None, status, by, None, at))
            moves.append((step, status, STATUS[step], by, REASONS.get(step), at))
            if by is responder and status == "requested":
                responded = at
            status = STATUS[step]
        rows["transitions"].append(
            {
                "id": referral_id,
                "kind": TransitionKind.referral,
                "case_id": case["id"],
                "service_id": service_id,
                "from_agency_id": case["agency_id"],
                "to_agency_id": agency_id,
                "country": case["country"],
                "created_by": owner.id,
                "status": status,
                "shared_fields": list(DEFAULT_SHARED)
                + (["contact"] if kind is ServiceKind.shelter else []),
                "note": None,
                "deadline": created + allowed * DAY,
                "responded_at": responded,
                "created_at": created,
                "updated_at": at,
            }
        )
        for action, before, target, by, reason, when in moves:
            if action != "delivery":
                rows["transition_moves"].append(
                    {
                        "id": random_uuid(rng),
                        "transition_id": referral_id,
                        "action": action,
                        "from_status": before,
                        "to_status": target,
                        "by_user_id": by.id,
                        "by_username": by.username,
                        "reason": reason,
                        "at": when,
                    }
                )
            details = {
                "referral_id": str(referral_id),
                "action": action,
                "status": target,
                "agency": code,
                "service_kind": kind.value,
            }
            events.append((when, CASE_EVENT, details, None))
