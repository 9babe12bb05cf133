"""Years of a node's audit trail: case workers signing in, listing and reading their cases,
editing profiles, adding tasks and notes, moving stages, referring; in time order.

Events follow the caseload (more where more cases were open), and each names a case opened
before it, mostly a recent one, acted on by its owner — what `audit.service.record` would have
written for those requests. Cases are sampled (a bounded reservoir), so memory stays flat.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from jusoor.synth.scale.audit_trail import AuditChain
from jusoor.synth.scale.caseload import Sample
from jusoor.synth.scale.population import random_uuid
from jusoor.synth.scale.tables import Row

RESERVOIR = 200_000
# (action, object type, weight): what people do most.
ACTIONS = (
    ("case.read", "case", 40),
    ("case.list", "case", 20),
    ("auth.login", None, 10),
    ("case.update", "case", 6),
    ("case.task", "case", 6),
    ("case.note", "case", 5),
    ("case.transition", "case", 4),
    ("referral.read", "referral", 5),
    ("referral.list", None, 4),
)
FIELDS = (["contact"], ["aliases"], ["health_notes"], ["forms_of_exploitation", "means_of_control"])


class Reservoir:
    """A uniform sample of the loaded cases (Vitter's algorithm R)."""

    def __init__(self, rng: random.Random, size: int = RESERVOIR) -> None:
        self.rng, self.size, self.seen = rng, size, 0
        self.items: list[Sample] = []

    def add(self, sample: Sample) -> None:
        self.seen += 1
        if len(self.items) < self.size:
            self.items.append(sample)
        else:
            j = self.rng.randrange(self.seen)
            if j < self.size:
                self.items[j] = sample


def events(
    chain: AuditChain, samples: list[Sample], count: int, rng: random.Random, now: dt.datetime
) -> Iterator[Row]:
    """`count` sealed events over the years the samples span, oldest first."""
    if not samples or count <= 0:
        return
    samples = sorted(samples, key=lambda s: s.opened_at)
    opened = [s.opened_at for s in samples]
    actions = [a for a, _t, _w in ACTIONS]
    weights = [w for _a, _t, w in ACTIONS]
    kinds = dict((a, t) for a, t, _w in ACTIONS)
    window = max(10, len(samples) // 50)
    n = len(samples)
    last = opened[0]
    for i in range(count):
        # Time follows the caseload: the i-th event is where the i-th share of cases opened.
        q = (i + rng.random()) / count * n
        base = opened[min(n - 1, int(q))]
        at = max(last, base + dt.timedelta(minutes=rng.random() * 600))
        at = min(at, now)
        last = at
        hi = bisect.bisect_right(opened, at)
        case = samples[max(0, hi - 1 - int(rng.expovariate(1 / window)))]
        action = rng.choices(actions, weights=weights)[0]
        owner = case.owner
        details, object_id = _details(action, case, samples, hi, rng)
        yield chain.seal(
            event_id=random_uuid(rng),
            at=at,
            actor_id=owner.id,
            username=owner.username,
            agency_id=owner.agency_id,
            country=owner.country,
            action=action,
            object_type=kinds[action],
            object_id=object_id,
            details=details,
            client_addr="127.0.0.1",
            request_id=f"{rng.getrandbits(64):016x}",
        )


def _details(
    action: str, case: Sample, samples: list[Sample], hi: int, rng: random.Random
) -> tuple[dict[str, Any], str | None]:
    if action == "case.read":
        return {"reference": case.reference, "fields": "all"}, str(case.case_id)
    if action == "case.list":
        page = samples[max(0, hi - 20) : hi][-10:]
        return {"references": [s.reference for s in page], "total": hi}, None
    if action == "auth.login":
        return {}, None
    if action == "case.update":
        return {"fields": rng.choice(FIELDS)}, str(case.case_id)
    if action == "case.task":
        due = (case.opened_at + dt.timedelta(days=rng.randint(3, 30))).date().isoformat()
        return {"task_id": str(random_uuid(rng)), "due_on": due}, str(case.case_id)
    if action == "case.note":
        return {"note_id": str(random_uuid(rng))}, str(case.case_id)
    if action == "case.transition":
        return {"from": "identification", "to": "reasonable_grounds"}, str(case.case_id)
    if action == "referral.read":
        return {"case_id": str(case.case_id)}, str(random_uuid(rng))
    return {"filters": {}, "rows": rng.randint(1, 50)}, None
