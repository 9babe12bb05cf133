"""Synthetic demo cases: seeded, at every NRM stage, adult and child, with consents, notes, tasks
and referrals made through the real services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from jusoor.cases.htcds import export as htcds
from jusoor.cases.models import Case, CaseEvent, CaseTask, Consent
from jusoor.cases.vocabulary import Stage
from jusoor.core import migrate
from jusoor.core.db import Database, utcnow
from jusoor.core.permissions import system_actor
from jusoor.referrals.models import Transition
from jusoor.synth import demo
from jusoor.synth.cases import COUNTRIES, load_demo_cases, load_if_empty
from tests.cases.support import actor
from tests.conftest import DEMO_PASSWORD


def test_demo_cases_cover_every_stage_children_consents_and_referrals(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as session:
        made = load_demo_cases(session, actor=system_actor("demo"), count=80, seed=11)
    assert made == 80
    with demo_db.unit_of_work() as session:
        cases = session.scalars(select(Case)).unique().all()
        assert {c.stage for c in cases} == set(Stage)
        assert {c.country for c in cases} <= set(COUNTRIES) and len({c.country for c in cases}) > 4
        assert any(c.is_child for c in cases) and not all(c.is_child for c in cases)
        forms = {f for c in cases for f in c.forms_of_exploitation}
        assert {"forced_labour", "sexual_exploitation", "forced_begging"} <= forms
        assert all(c.name and c.aliases and c.name != c.aliases for c in cases)
        consents = session.scalars(select(Consent)).unique().all()
        assert any(c.withdrawn_at for c in consents) and any(not c.withdrawn_at for c in consents)
        statuses = {t.status for t in session.scalars(select(Transition)).unique()}
        assert {"requested", "accepted", "completed"} <= statuses
        today = utcnow().date()
        assert any(t.overdue(today) for t in session.scalars(select(CaseTask)))
        moved = session.scalar(
            select(func.count()).select_from(CaseEvent).where(CaseEvent.kind == "stage_moved")
        )
        assert moved and moved > 80  # the stages were reached through the workflow
        returning_children = [
            c for c in cases if c.is_child and c.stage is Stage.return_reintegration
        ]
        assert all(c.best_interests_determined_on for c in returning_children)


def _fresh_node(tmp_path: Path, name: str, cases: int) -> tuple[list[dict[str, Any]], int]:
    """The node's cases as exported, and how many of them the demo opened from screenings."""
    db = Database(f"sqlite:///{tmp_path / name}")
    try:
        migrate.upgrade(db.engine)
        with db.unit_of_work() as session:
            demo.load(session, actor=system_actor("demo"), password=DEMO_PASSWORD, cases=cases)
        with db.unit_of_work() as session:
            rows = htcds.export_cases(session, actor=system_actor("demo"), fmt="json").rows
            screened = select(func.count(Case.id)).where(Case.screening_id.is_not(None))
            from_screenings = session.scalar(screened) or 0
    finally:
        db.dispose()
    # The demo gives cross-border consent by the case's random id (jusoor.synth.cases), not by
    # the seed, so whether consent stands and for what is left out of the comparison.
    unseeded = {"jus_CaseReference", "con_Consent", "jus_ConsentPurposes"}
    exported = [{k: v for k, v in row.items() if k not in unseeded} for row in rows]
    return exported, from_screenings


def test_the_same_seed_gives_the_same_cases(tmp_path: Path) -> None:
    first, screened = _fresh_node(tmp_path, "a.db", 25)
    second, _ = _fresh_node(tmp_path, "b.db", 25)
    # The full demo also opens a few cases from its screenings (jusoor.synth.screenings).
    # ... and the person met twice (jusoor.synth.reidentified).
    assert screened > 0 and len(first) == 25 + screened + 2 and first == second


def test_the_demo_loader_adds_cases_only_to_a_node_without_any(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        assert load_if_empty(session, actor=system_actor("demo"), count=5) == 5
    with demo_sqlite.unit_of_work() as session:
        assert load_if_empty(session, actor=system_actor("demo"), count=5) == 0
        assert session.scalar(select(func.count()).select_from(Case)) == 5


def test_the_demo_person_met_twice_is_a_possible_match_on_each_case_page(
    demo_sqlite: Database,
) -> None:
    from jusoor.entities.review_pages import matches_for_case
    from jusoor.synth import reidentified

    with demo_sqlite.unit_of_work() as session:
        assert reidentified.load(session) == 2
        first, second = session.scalars(
            select(Case).where(Case.country == "MA").order_by(Case.reference)
        ).all()[-2:]
        worker = actor(session, "caseworker.ma")
        for case, other in ((first, second), (second, first)):
            found = matches_for_case(session, actor=worker, case=case)
            assert [m.reference for m in found] == [other.reference]
            assert found[0].score.probability > 0.9
