"""The identification queue through its service, on SQLite and PostgreSQL (demo directory)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from jusoor.core.datafiles import DataFileError, parse
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden
from jusoor.screening.deadlines import DeadlinesFile, deadlines
from jusoor.screening.models import TraffickingStatus
from jusoor.screening.queue import identification_queue
from tests.screening.support import NOTHING, POSSIBLE, PRESUMED, actor, audited, decide, screened


@pytest.fixture
def session(demo_db: Database) -> Iterator[Session]:
    with demo_db.unit_of_work() as s:
        yield s


def test_the_queue_holds_presumed_and_possible_victims_oldest_first(session: Session) -> None:
    screener = actor(session, "screener.ma")
    recent = screened(session, screener, PRESUMED, days_ago=2)
    oldest = screened(session, screener, POSSIBLE, days_ago=25)
    screened(session, screener, NOTHING, days_ago=30)  # no indication: nobody to identify
    queue = identification_queue(session, actor=actor(session, "investigator.ma"))
    assert [r.screening_id for r in queue.rows] == [oldest.id, recent.id]
    assert queue.total == 2
    assert [r.outcome for r in queue.rows] == ["possible_victim", "presumed_victim"]
    first = queue.rows[0]
    assert first.agency_name and first.profile == "adult-labour" and first.age_band == "24-26"
    assert first.decision_url == f"/screening/{oldest.id}/result"


def test_the_deadline_is_the_countrys_and_the_late_ones_are_counted(session: Session) -> None:
    days = deadlines().days_for("MA")
    screener = actor(session, "screener.ma")
    late = screened(session, screener, PRESUMED, days_ago=days + 3)
    on_time = screened(session, screener, PRESUMED, days_ago=days - 1)
    due_today = screened(session, screener, PRESUMED, days_ago=days)
    queue = identification_queue(session, actor=actor(session, "prosecutor.ma"))
    rows = {r.screening_id: r for r in queue.rows}
    assert rows[late.id].overdue and rows[late.id].days_left == -3
    assert rows[late.id].waiting_days == days + 3
    assert not rows[on_time.id].overdue and rows[on_time.id].days_left == 1
    assert not rows[due_today.id].overdue and rows[due_today.id].days_left == 0
    assert queue.overdue == 1
    assert late.completed_at is not None
    assert rows[late.id].deadline == late.completed_at.date() + dt.timedelta(days=days)


def test_the_deadline_file_has_a_default_and_country_values() -> None:
    config = deadlines()
    assert config.days_for("KW") == 7 and config.days_for("LY") == 14
    assert config.days_for("SA") == config.default_days  # a country not listed


def test_a_final_decision_takes_the_person_off_the_queue(session: Session) -> None:
    screener, investigator = actor(session, "screener.ma"), actor(session, "investigator.ma")
    identified = screened(session, screener, PRESUMED, days_ago=4)
    cleared = screened(session, screener, PRESUMED, days_ago=3)
    provisional = screened(session, screener, POSSIBLE, days_ago=2)
    decide(session, investigator, identified, TraffickingStatus.actual)
    decide(session, investigator, cleared, TraffickingStatus.not_a_victim)
    decide(session, investigator, provisional, TraffickingStatus.possible)
    queue = identification_queue(session, actor=investigator)
    assert [r.screening_id for r in queue.rows] == [provisional.id]
    assert queue.rows[0].provisional is TraffickingStatus.possible


def test_another_countrys_investigator_sees_nothing(session: Session) -> None:
    screened(session, actor(session, "screener.ma"), PRESUMED, days_ago=20)
    queue = identification_queue(session, actor=actor(session, "investigator.tn"))
    assert queue.rows == [] and queue.total == 0 and queue.overdue == 0


@pytest.mark.parametrize("username", ["screener.ma", "caseworker.ma", "coordinator.ma"])
def test_who_does_not_decide_is_refused_the_queue(session: Session, username: str) -> None:
    screened(session, actor(session, "screener.ma"), PRESUMED)
    with pytest.raises(Forbidden):
        identification_queue(session, actor=actor(session, username))


def test_the_queue_pages_and_is_audited(session: Session) -> None:
    screener = actor(session, "screener.ma")
    made = [screened(session, screener, PRESUMED, days_ago=10 - n) for n in range(5)]
    investigator = actor(session, "investigator.ma")
    first = identification_queue(session, actor=investigator, limit=2)
    second = identification_queue(session, actor=investigator, limit=2, offset=2)
    assert first.total == second.total == 5
    assert [r.screening_id for r in first.rows + second.rows] == [s.id for s in made[:4]]
    events = audited(session, "identification.queue")
    assert len(events) == 2
    assert all(str(s.id) in events[0].details for s in made[:2])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("default_days: 10\ncountries:\n  XX: 7\n", "'XX' is not an ISO 3166-1"),
        ("default_days: 10\ncountries:\n  MA: 0\n", "MA: days must be between 1 and 365"),
        ("default_days: 0\n", "default_days"),
        ("default_days: 10\nweeks: 2\n", "weeks"),
    ],
)
def test_a_bad_deadline_file_is_one_line_naming_the_problem(text: str, problem: str) -> None:
    with pytest.raises(DataFileError) as refused:
        parse(DeadlinesFile, text, name="identification.yaml")
    message = str(refused.value.message)
    assert message.startswith("identification.yaml, line ") and problem in message
    assert "\n" not in message
