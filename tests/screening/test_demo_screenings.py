"""The demo's screenings (jusoor.synth.screenings): the identification queue, "My screenings" and
the cases opened from screenings show real work after the demo is built (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import User
from jusoor.cases.models import Case, CaseEvent
from jusoor.core import migrate
from jusoor.core.db import Database, utcnow
from jusoor.core.permissions import system_actor
from jusoor.screening import service as screenings
from jusoor.screening.assessment import Outcome, assess
from jusoor.screening.catalogue import Profile
from jusoor.screening.deadlines import deadlines
from jusoor.screening.history import my_completed
from jusoor.screening.models import Identification, Screening, ScreeningStatus
from jusoor.screening.questionnaire import indicator_answers, parse_answer, questionnaire
from jusoor.screening.queue import identification_queue
from jusoor.screening.schemas import AgeBand
from jusoor.synth import demo
from jusoor.synth import screenings as demo_screenings
from jusoor.synth.cases import COUNTRIES
from tests.conftest import DEMO_PASSWORD
from tests.screening.support import actor
from tests.support.web import login


@pytest.fixture
def session(demo_db: Database) -> Iterator[Session]:
    """The demo directory with the demo's screenings loaded, as the full demo loads them."""
    with demo_db.unit_of_work() as s:
        made = demo_screenings.load_if_empty(s, actor=system_actor("demo"))
        assert made["screenings"] >= 9 * len(COUNTRIES)
    with demo_db.unit_of_work() as s:
        yield s


def completed(session: Session, country: str) -> list[Screening]:
    return list(
        session.scalars(
            select(Screening)
            .where(Screening.country == country)
            .where(Screening.status == ScreeningStatus.completed)
        ).all()
    )


def test_the_moroccan_investigators_queue_is_moroccan_oldest_first_with_overdue_rows(
    session: Session,
) -> None:
    queue = identification_queue(session, actor=actor(session, "investigator.ma"))
    assert queue.total == len(queue.rows) >= 4
    assert {r.country for r in queue.rows} == {"MA"}
    assert [r.completed_at for r in queue.rows] == sorted(r.completed_at for r in queue.rows)
    assert queue.overdue >= 1 and queue.rows[0].overdue
    assert any(not r.overdue for r in queue.rows)  # some are still in time
    assert queue.overdue == sum(r.overdue for r in queue.rows)
    assert any(r.provisional is not None for r in queue.rows)  # a provisional decision waits
    assert any(r.case_id is not None for r in queue.rows)  # a case opened, no decision yet


def test_every_country_has_a_mix_of_screenings_and_presumed_victims_awaiting_a_decision(
    session: Session,
) -> None:
    for country in COUNTRIES:
        done = completed(session, country)
        assert 9 <= len(done) <= 12, country
        assert {s.outcome for s in done} == {
            "presumed_victim",
            "possible_victim",
            "no_indication",
        }, country
        queue = identification_queue(session, actor=actor(session, f"prosecutor.{country}"))
        undecided = [r for r in queue.rows if r.outcome == "presumed_victim" and not r.provisional]
        assert len(undecided) >= 3, country
        assert {r.country for r in queue.rows} == {country}
        assert queue.overdue >= 1, country
        screener = actor(session, f"screener.{country.lower()}")
        assert 1 <= len(screenings.list_drafts(session, actor=screener)) <= 2, country
        by = Counter(s.screener_id for s in done)
        assert len(by) >= 3, country  # the screener, a case worker and a service provider
    everyone = session.scalars(select(Screening)).all()
    assert {s.profile for s in everyone} >= {"adult-labour", "adult-sexual", "child-labour"}
    assert {s.gender for s in everyone} == {"feminine", "masculine"}
    assert len({c for s in everyone for c in s.citizenship}) >= 10  # many origins
    assert len({s.age_band for s in everyone}) >= 5


def test_the_screeners_own_list_shows_outcomes_and_the_references_of_cases_opened(
    session: Session,
) -> None:
    page = my_completed(session, actor=actor(session, "screener.ma"))
    assert page.total == len(page.rows) >= 6
    assert {r.outcome for r in page.rows} >= {"presumed_victim", "possible_victim"}
    opened = [r for r in page.rows if r.case_reference]
    assert opened
    for row in opened:
        case = session.scalars(select(Case).where(Case.reference == row.case_reference)).one()
        assert case.screening_id == row.screening_id and case.country == "MA"
    assert any(r.decision is not None for r in page.rows)
    assert [r.completed_at for r in page.rows] == sorted(
        (r.completed_at for r in page.rows), reverse=True
    )


def test_cases_opened_from_demo_screenings_carry_the_persons_details_and_the_decision(
    session: Session,
) -> None:
    linked = session.scalars(select(Screening).where(Screening.case_id.is_not(None))).all()
    assert len(linked) >= 2 * len(COUNTRIES)
    caseworkers = {
        u.id: u.username for u in session.scalars(select(User)) if "case_worker" in u.roles
    }
    identified_events = 0
    for screening in linked:
        case = session.get(Case, screening.case_id)
        assert case is not None and case.screening_id == screening.id
        assert case.gender == screening.gender and screening.gender
        band = AgeBand(screening.age_band)
        assert case.age_band == band.case_band and case.age_band
        assert case.is_child == band.is_child
        assert case.citizenship == screening.citizenship and case.citizenship
        assert case.languages == screening.languages
        assert case.country == screening.country
        assert caseworkers[case.owner_id] == f"caseworker.{case.country.lower()}"
        kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
        assert "opened" in kinds
        decided = session.scalars(
            select(Identification).where(Identification.screening_id == screening.id)
        ).all()
        assert all(d.case_id == case.id for d in decided)
        if decided:
            assert "identified" in kinds
            identified_events += 1
    assert identified_events >= len(COUNTRIES)


def test_decisions_come_from_the_countrys_authority_after_the_screening(session: Session) -> None:
    deciders = {
        u.id: u.username
        for u in session.scalars(select(User))
        if u.username.split(".")[0] in ("investigator", "prosecutor")
    }
    decisions = session.scalars(select(Identification)).all()
    assert {d.status.value for d in decisions} == {"actual", "possible", "not_a_victim"}
    now = utcnow()
    for decision in decisions:
        screening = session.get(Screening, decision.screening_id)
        assert screening is not None and screening.completed_at is not None
        assert deciders[decision.decided_by].endswith(f".{screening.country.lower()}")
        assert decision.country == screening.country
        assert screening.completed_at < decision.decided_at <= now
        assert decision.basis
    oldest = min(s.completed_at for s in session.scalars(select(Screening)) if s.completed_at)
    assert now - oldest <= dt.timedelta(days=61)


def test_every_story_gives_the_outcome_it_claims_in_every_list_it_fits() -> None:
    for story in demo_screenings.STORIES:
        for profile in story.profiles:
            questions = questionnaire().questions(profile)
            assert set(story.yes) <= set(questions), (story.label, profile)
            answers = {q: parse_answer(q, "yes") for q in story.yes}
            result = assess(profile, indicator_answers(profile, answers))
            assert result.outcome is story.outcome, (story.label, profile)
    # Whatever list a person is screened with, every fate's outcome has a story to tell.
    for profile in Profile:
        for outcome in Outcome:
            assert any(
                s.outcome is outcome and profile in s.profiles for s in demo_screenings.STORIES
            ), (profile, outcome)


def test_the_demo_loads_screenings_once(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as s:
        assert s.scalar(select(Screening.id).limit(1)) is None  # the directory alone: none
        assert demo_screenings.load_if_empty(s, actor=system_actor("demo"))["screenings"]
    with demo_sqlite.unit_of_work() as s:
        assert not demo_screenings.load_if_empty(s, actor=system_actor("demo"))


def _fresh_demo(tmp_path: Path, name: str) -> list[tuple[object, ...]]:
    """Build the full demo (a few cases) on a new node; what its screenings say, in order."""
    db = Database(f"sqlite:///{tmp_path / name}")
    try:
        migrate.upgrade(db.engine)
        with db.unit_of_work() as s:
            demo.load(s, actor=system_actor("demo"), password=DEMO_PASSWORD, cases=2)
        with db.unit_of_work() as s:
            return _snapshot(s)
    finally:
        db.dispose()


def _snapshot(session: Session) -> list[tuple[object, ...]]:
    now = utcnow()
    users = {u.id: u.username for u in session.scalars(select(User))}
    decided = {
        i.screening_id: (i.status.value, users[i.decided_by])
        for i in session.scalars(select(Identification))
    }
    rows = []
    for s in session.scalars(select(Screening)):
        age = (now - (s.completed_at or s.updated_at)) // dt.timedelta(days=1)
        case = session.get(Case, s.case_id) if s.case_id else None
        person = (s.gender, s.citizenship_codes, s.language_codes, s.age_band)
        result = (s.answers_json, s.status.value, s.outcome, decided.get(s.id))
        case_band = case.age_band if case else None
        rows.append(
            (users[s.screener_id], s.country, s.profile, s.label, age, *person, *result, case_band)
        )
    return sorted(rows, key=repr)


def test_the_same_seed_gives_the_same_screenings(tmp_path: Path) -> None:
    first = _fresh_demo(tmp_path, "a.db")
    second = _fresh_demo(tmp_path, "b.db")
    assert len(first) >= 9 * len(COUNTRIES) and first == second
    overdue = deadlines().days_for("MA")
    assert any(row[1] == "MA" and row[4] > overdue for row in first)


def test_the_demo_logins_see_the_queue_their_workspace_and_their_screenings(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        demo_screenings.load_if_empty(s, actor=system_actor("demo"))
    with demo_db.unit_of_work() as s:
        waiting = identification_queue(s, actor=actor(s, "investigator.ma")).rows
        mine = my_completed(s, actor=actor(s, "screener.ma")).rows
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    queue_page = client.get("/identification")
    assert queue_page.status_code == 200
    assert all(row.reference in queue_page.text for row in waiting)
    assert 'class="queue-row overdue"' in queue_page.text
    workspace = client.get("/investigations/workspace")
    assert workspace.status_code == 200
    assert waiting[0].reference in workspace.text
    client.cookies.clear()
    login(client, demo_db, "screener.ma", DEMO_PASSWORD)
    own = client.get("/screening").text
    assert all(row.case_reference in own for row in mine if row.case_reference)
    assert all(row.reference in own for row in mine)
