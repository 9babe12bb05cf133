"""Screening and case together: the values a case receives, the decision on its timeline, the
holder's read of the screening through the case, and "My screenings" (both engines)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from jusoor.cases import service as cases
from jusoor.cases.models import CaseEvent
from jusoor.cases.vocabulary import Gender
from jusoor.core.db import Database
from jusoor.core.errors import Invalid, NotFound
from jusoor.screening import history
from jusoor.screening import identification as identifications
from jusoor.screening import service as screenings
from jusoor.screening.models import TraffickingStatus
from jusoor.screening.schemas import AgeBand, Exploitation, ScreeningStart
from tests.screening.support import (
    POSSIBLE,
    PRESUMED,
    actor,
    audited,
    decide,
    open_case_for,
    screened,
    second_case_worker,
)

PERSON = ScreeningStart(
    age_band=AgeBand.from_24_to_26,
    exploitation=Exploitation.labour,
    gender=Gender.feminine,
    citizenship=["ng"],
    languages=["en", "yo"],
)


@pytest.fixture
def session(demo_db: Database) -> Iterator[Session]:
    with demo_db.unit_of_work() as s:
        yield s


def timeline(session: Session, case_id: object) -> list[CaseEvent]:
    stmt = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)
    return list(session.scalars(stmt).all())


def test_the_case_receives_what_the_screening_asked(session: Session) -> None:
    screener = actor(session, "screener.ma")
    answers = {**PRESUMED, "illegal_acts": "yes"}
    screening = screened(session, screener, answers, start=PERSON)
    case = open_case_for(session, screener, screening, "caseworker.ma")
    assert case.gender is Gender.feminine
    assert case.age_band == "24-26" and case.is_child is False
    assert case.citizenship == ["NG"] and case.languages == ["en", "yo"]
    assert case.forms_of_exploitation == ["forced_labour", "forced_criminality"]
    assert case.screening_id == screening.id and screening.case_id == case.id


def test_the_person_facts_are_encrypted_at_rest(session: Session) -> None:
    screening = screened(session, actor(session, "screener.ma"), PRESUMED, start=PERSON)
    raw = session.execute(
        text("SELECT gender, citizenship_codes, language_codes FROM screenings WHERE id = :id"),
        {"id": screening.id.hex if session.bind.dialect.name == "sqlite" else screening.id},  # type: ignore[union-attr]
    ).one()
    # Ciphertext, not the codes: a random ciphertext may hold the letters "NG" by chance (the
    # earlier `"NG" not in value` failed about once in fifteen runs), never the plain list.
    assert all(value and "feminine" not in value for value in raw)
    assert not any(re.fullmatch(r"[A-Za-z]{2}( [A-Za-z]{2})*", value) for value in raw), raw


@pytest.mark.parametrize(
    ("band", "case_band", "child"),
    [
        (AgeBand.from_12_to_17, "9-17", True),  # an earlier screening's band, still carried
        (AgeBand.from_9_to_17, "9-17", True),
        (AgeBand.unknown, None, False),  # not known: the case worker settles it
    ],
)
def test_the_age_band_goes_into_the_case(
    session: Session, band: AgeBand, case_band: str | None, child: bool
) -> None:
    start = ScreeningStart(age_band=band, exploitation=Exploitation.sexual)
    screening = screened(session, actor(session, "screener.ma"), PRESUMED, start=start)
    case = open_case_for(session, actor(session, "screener.ma"), screening, "caseworker.ma")
    assert case.age_band == case_band and case.is_child is child
    assert case.forms_of_exploitation == ["sexual_exploitation"]


def test_a_screener_must_name_the_case_worker(session: Session) -> None:
    screening = screened(session, actor(session, "screener.ma"), PRESUMED)
    with pytest.raises(Invalid) as refused:
        open_case_for(session, actor(session, "screener.ma"), screening, "")
    assert refused.value.field == "owner_username"


def test_a_decision_on_a_linked_screening_goes_on_the_case_timeline(session: Session) -> None:
    screener = actor(session, "screener.ma")
    screening = screened(session, screener, PRESUMED)
    case = open_case_for(session, screener, screening, "caseworker.ma")
    made = decide(session, actor(session, "investigator.ma"), screening, TraffickingStatus.actual)
    assert made.case_id == case.id
    last = timeline(session, case.id)[-1]
    assert last.kind == "identified"
    assert last.details["identification_id"] == str(made.id)
    assert "Passport" not in str(last.details)  # the basis stays with the decision, encrypted


def test_a_case_opened_after_the_decision_gets_it(session: Session) -> None:
    screener = actor(session, "screener.ma")
    screening = screened(session, screener, POSSIBLE)
    made = decide(session, actor(session, "prosecutor.ma"), screening, TraffickingStatus.possible)
    assert made.case_id is None
    case = open_case_for(session, screener, screening, "caseworker.ma")
    session.refresh(made)
    assert made.case_id == case.id
    assert [e.kind for e in timeline(session, case.id)] == ["opened", "identified_possible"]


def test_the_case_holder_reads_the_screening_through_the_case(session: Session) -> None:
    screener = actor(session, "screener.ma")  # labour inspection
    screening = screened(session, screener, PRESUMED)
    holder = actor(session, "caseworker.ma")  # an NGO: not the screening's agency
    with pytest.raises(NotFound):
        screenings.get(session, actor=holder, screening_id=screening.id)
    case = open_case_for(session, screener, screening, "caseworker.ma")
    decide(session, actor(session, "investigator.ma"), screening, TraffickingStatus.actual)
    assert screenings.get(session, actor=holder, screening_id=screening.id) is screening
    read = audited(session, "screening.read", screening.id)[-1]
    assert read.actor_username == "caseworker.ma" and case.reference in read.details
    decisions = identifications.decisions_on(
        session, actor=holder, screening=screening, locale="en"
    )
    assert decisions[0].basis == "Passport held by the employer."
    assert decisions[0].decided_by != "investigator.ma"  # a display name, not a username


@pytest.mark.parametrize("username", ["caseworker.tn", "provider.ma"])
def test_nobody_else_reads_the_screening_through_the_case(session: Session, username: str) -> None:
    screener = actor(session, "screener.ma")
    screening = screened(session, screener, PRESUMED)
    open_case_for(session, screener, screening, "caseworker.ma")
    with pytest.raises(NotFound):
        screenings.get(session, actor=actor(session, username), screening_id=screening.id)


def test_another_agencys_case_worker_of_the_country_is_refused(session: Session) -> None:
    other = second_case_worker(session)
    screener = actor(session, "screener.ma")
    screening = screened(session, screener, PRESUMED)
    open_case_for(session, screener, screening, "caseworker.ma")
    with pytest.raises(NotFound):
        screenings.get(session, actor=actor(session, other), screening_id=screening.id)
    # The case they hold is theirs; the screening of someone else's case is not.
    mine = screened(session, screener, PRESUMED)
    open_case_for(session, screener, mine, other)
    assert screenings.get(session, actor=actor(session, other), screening_id=mine.id) is mine


def test_the_screener_sees_the_decision_but_not_its_basis(session: Session) -> None:
    screener = actor(session, "screener.ma")
    screening = screened(session, screener, PRESUMED)
    decide(session, actor(session, "investigator.ma"), screening, TraffickingStatus.not_a_victim)
    seen = identifications.decisions_on(session, actor=screener, screening=screening, locale="fr")
    assert [d.status for d in seen] == [TraffickingStatus.not_a_victim]
    assert seen[0].basis is None and seen[0].final


def test_my_screenings_lists_the_completed_ones_newest_first(session: Session) -> None:
    screener = actor(session, "screener.ma")
    draft = screenings.start(
        session,
        actor=screener,
        screening_in=ScreeningStart(age_band=AgeBand.adult, exploitation=Exploitation.labour),
    )
    old = screened(session, screener, PRESUMED, days_ago=3)
    new = screened(session, screener, POSSIBLE, days_ago=1)
    case = open_case_for(session, screener, old, "caseworker.ma")
    decide(session, actor(session, "investigator.ma"), old, TraffickingStatus.actual)
    screened(session, actor(session, "screener.tn"), PRESUMED)  # someone else's
    page = history.my_completed(session, actor=screener)
    assert [r.screening_id for r in page.rows] == [new.id, old.id] and page.total == 2
    assert draft.id not in {r.screening_id for r in page.rows}
    assert page.rows[0].outcome == "possible_victim" and page.rows[0].decision is None
    assert page.rows[1].decision is TraffickingStatus.actual
    assert page.rows[1].case_reference == case.reference
    second = history.my_completed(session, actor=screener, limit=1, offset=1)
    assert [r.screening_id for r in second.rows] == [old.id]
    # The screener still cannot read the case itself: the reference is all they get.
    with pytest.raises(NotFound):
        cases.get_case(session, actor=screener, case_id=case.id)
