"""Demo referrals: cases referred with consent along every path the state machine allows."""

from __future__ import annotations

from sqlalchemy import select

from jusoor.cases.access import SHAREABLE_FIELDS
from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from jusoor.referrals import workflow
from jusoor.referrals.models import Transition
from jusoor.synth.services import refer_demo_cases
from tests.referrals.support import open_case


def test_demo_referrals_cover_the_states_and_respect_the_rules(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        case_ids = [open_case(session, consent_for=None) for _ in range(30)]
        made = refer_demo_cases(session, actor=system_actor("demo"), case_ids=case_ids, seed=7)
    with demo_sqlite.unit_of_work() as session:
        rows = session.scalars(select(Transition)).unique().all()
        assert len(rows) == made >= 30
        states = {r.status for r in rows}
        assert {"requested", "accepted", "in_progress", "completed", "declined"} <= states
        assert any(workflow.is_overdue(r) for r in rows)
        assert all(r.service.country == "MA" for r in rows)
        assert all(set(r.shared_fields) <= SHAREABLE_FIELDS for r in rows)
        assert all(r.deliveries for r in rows if r.status == "completed")
