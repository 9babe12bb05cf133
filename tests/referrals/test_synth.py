"""Demo referrals: cases referred with consent along every path the state machine allows."""

from __future__ import annotations

import json

from sqlalchemy import select
from typer.testing import CliRunner

from jusoor.cases.access import SHAREABLE_FIELDS
from jusoor.cli.main import app
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
        overdue = sorted(str(r.id) for r in rows if workflow.is_overdue(r))
    listed = CliRunner().invoke(app, ["referrals", "list", "--overdue", "--json"])
    assert listed.exit_code == 0, listed.output
    shown = json.loads(listed.output)
    assert sorted(r["id"] for r in shown) == overdue
    assert all(r["case"].startswith("MA-") and "shared_fields" not in r for r in shown)
