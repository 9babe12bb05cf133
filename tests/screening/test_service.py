"""Screenings and identification through the services, on SQLite and PostgreSQL (demo directory)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from jusoor.agencies import service as directory
from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.errors import Conflict, Forbidden, Invalid, NotFound
from jusoor.core.permissions import Actor
from jusoor.screening import Answer, Assessment, Profile, assess
from jusoor.screening import identification as identifications
from jusoor.screening import service as screenings
from jusoor.screening.models import Screening, ScreeningStatus, TraffickingStatus
from jusoor.screening.questionnaire import indicator_answers, questionnaire
from jusoor.screening.schemas import AgeBand, Exploitation, IdentificationCreate, ScreeningStart

ADULT_LABOUR = ScreeningStart(age_band=AgeBand.adult, exploitation=Exploitation.labour)
# Deceived about the job (strong) and pay (medium): deceptive recruitment positive (clause b);
# passport kept, locked in (two strong): coercion at destination positive (clause a); long hours
# (strong) and no pay (medium): exploitative conditions positive (clause b).
PRESUMED = {
    "job_different": "yes",
    "pay_different": "yes",
    "documents_kept": "yes",
    "not_free_to_leave": "yes",
    "long_hours": "yes",
    "little_or_no_pay": "yes",
    "needed_money": "unknown",
}


@pytest.fixture
def session(demo_db: Database) -> Iterator[Session]:
    with demo_db.unit_of_work() as s:
        yield s


def actor(session: Session, username: str) -> Actor:
    user = directory.get_user_by_username(session, username)
    assert user is not None, username
    return directory.actor_for(user, via="session")


def events(session: Session, action: str, object_id: uuid.UUID | None = None) -> int:
    query = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == str(object_id))
    return session.scalar(query) or 0


def completed(session: Session, who: Actor, answers: dict[str, str]) -> Screening:
    screening = screenings.start(session, actor=who, screening_in=ADULT_LABOUR)
    screenings.save_answers(session, actor=who, screening_id=screening.id, answers=answers)
    return screenings.complete(session, actor=who, screening_id=screening.id)


def test_a_partial_save_is_resumed_from_my_drafts(session: Session) -> None:
    me = actor(session, "screener.ma")
    start = ScreeningStart(
        age_band=AgeBand.from_12_to_17, exploitation=Exploitation.sexual, label="T-7"
    )
    screening = screenings.start(session, actor=me, screening_in=start)
    assert screening.profile == Profile.CHILD_SEXUAL.value
    first = screenings.steps_of(screening)[0]
    answers = dict.fromkeys((q.id for q in first.questions), "no")
    screenings.save_answers(
        session, actor=me, screening_id=screening.id, answers=answers, step_id=first.id
    )
    session.expire_all()
    drafts = screenings.list_drafts(session, actor=me)
    assert [d.id for d in drafts] == [screening.id]
    resumed = screenings.get(session, actor=me, screening_id=screening.id)
    assert resumed.step == 1 and resumed.label == "T-7"
    assert resumed.answers == dict.fromkeys(answers, Answer.NO)


def test_the_label_and_answers_are_encrypted_at_rest(session: Session) -> None:
    me = actor(session, "screener.ma")
    start = ScreeningStart(age_band=AgeBand.adult, exploitation=Exploitation.labour, label="K-42")
    screening = screenings.start(session, actor=me, screening_in=start)
    screenings.save_answers(session, actor=me, screening_id=screening.id, answers=PRESUMED)
    session.flush()
    rows = session.execute(text("SELECT label, answers_json FROM screenings")).all()
    assert rows
    for label, answers in rows:
        assert "K-42" not in str(label) and "job_different" not in str(answers)


def test_the_outcome_is_the_engines_for_the_same_answers(session: Session) -> None:
    me = actor(session, "screener.ma")
    screening = completed(session, me, PRESUMED)
    parsed = {k: Answer(v) for k, v in PRESUMED.items()}
    expected = assess(Profile.ADULT_LABOUR, indicator_answers(Profile.ADULT_LABOUR, parsed))
    assert screening.status is ScreeningStatus.completed
    assert screening.outcome == expected.outcome.value == "presumed_victim"
    assert _summary(screenings.assessment_of(screening)) == _summary(expected)


def _summary(result: Assessment) -> dict[str, object]:
    return {
        "outcome": result.outcome,
        "verified": result.verified,
        "dimensions": {
            d.dimension: (d.positive, d.clause, sorted(i.id for i in d.present), len(d.unknown))
            for d in result.dimensions
        },
    }


def test_unknown_answers_never_count(session: Session) -> None:
    me = actor(session, "screener.ma")
    every = {q: "unknown" for q in questionnaire().questions(Profile.ADULT_LABOUR)}
    assert completed(session, me, every).outcome == "no_indication"


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"job_different": "yes", "no_such_question": "yes"}, "answers.no_such_question"),
        ({"job_different": "yes", "pay_different": "maybe"}, "answers.pay_different"),
        # "No social protection" is not in the child lists, so not a question of this screening.
        ({"no_protection": "yes"}, "answers.no_protection"),
    ],
)
def test_bad_answers_name_the_field_and_save_nothing(
    session: Session, answers: dict[str, str], field: str
) -> None:
    me = actor(session, "screener.ma")
    start = ScreeningStart(age_band=AgeBand.under_12, exploitation=Exploitation.labour)
    screening = screenings.start(session, actor=me, screening_in=start)
    with pytest.raises(Invalid) as caught:
        screenings.save_answers(session, actor=me, screening_id=screening.id, answers=answers)
    assert caught.value.field == field
    assert field.removeprefix("answers.") in caught.value.message
    assert screening.answers == {}
    assert events(session, "screening.update", screening.id) == 0


def test_a_step_is_not_done_until_every_question_is_answered(session: Session) -> None:
    me = actor(session, "screener.ma")
    screening = screenings.start(session, actor=me, screening_in=ADULT_LABOUR)
    with pytest.raises(Invalid) as caught:
        screenings.save_answers(
            session,
            actor=me,
            screening_id=screening.id,
            answers={"job_different": "yes"},
            step_id="promises",
        )
    assert caught.value.field == "answers.pay_different"
    assert screening.step == 0 and screening.answers == {}


def test_another_agencys_screener_cannot_see_or_change_my_drafts(session: Session) -> None:
    mine = screenings.start(session, actor=actor(session, "screener.ma"), screening_in=ADULT_LABOUR)
    other = actor(session, "screener.tn")
    with pytest.raises(NotFound):
        screenings.get(session, actor=other, screening_id=mine.id)
    with pytest.raises(NotFound):
        screenings.save_answers(
            session, actor=other, screening_id=mine.id, answers={"job_different": "yes"}
        )
    assert mine.id not in {d.id for d in screenings.list_drafts(session, actor=other)}


def test_roles_that_do_not_screen_are_refused(session: Session) -> None:
    for username in ("coordinator.ma", "analyst.ma", "auditor.ma", "liaison.ma"):
        with pytest.raises(Forbidden):
            screenings.start(session, actor=actor(session, username), screening_in=ADULT_LABOUR)


def test_a_completed_screening_cannot_change(session: Session) -> None:
    me = actor(session, "screener.ma")
    screening = completed(session, me, PRESUMED)
    with pytest.raises(Conflict):
        screenings.save_answers(
            session, actor=me, screening_id=screening.id, answers={"job_different": "no"}
        )


def test_every_screening_read_and_write_is_audited(session: Session) -> None:
    me = actor(session, "screener.ma")
    screening = screenings.start(session, actor=me, screening_in=ADULT_LABOUR)
    screenings.save_answers(session, actor=me, screening_id=screening.id, answers=PRESUMED)
    screenings.get(session, actor=me, screening_id=screening.id)
    screenings.complete(session, actor=me, screening_id=screening.id)
    screenings.list_drafts(session, actor=me)
    for action in ("screening.create", "screening.update", "screening.read", "screening.complete"):
        assert events(session, action, screening.id) == 1, action
    assert events(session, "screening.list") >= 1


@pytest.mark.parametrize(
    "username", ["screener.ma", "caseworker.ma", "provider.ma", "coordinator.ma", "analyst.ma"]
)
def test_identification_is_refused_to_roles_not_authorised(session: Session, username: str) -> None:
    screening = completed(session, actor(session, "screener.ma"), PRESUMED)
    decision = IdentificationCreate(
        screening_id=screening.id, status=TraffickingStatus.actual, basis="Interview of 3 May."
    )
    with pytest.raises(Forbidden):
        identifications.decide(session, actor=actor(session, username), identification_in=decision)
    assert identifications.for_screening(session, screening=screening) == []


@pytest.mark.parametrize("username", ["investigator.ma", "prosecutor.ma"])
def test_identification_by_an_authorised_role_is_recorded_and_audited(
    session: Session, username: str
) -> None:
    screening = completed(session, actor(session, "screener.ma"), PRESUMED)
    decider = actor(session, username)
    decision = IdentificationCreate(
        screening_id=screening.id, status=TraffickingStatus.actual, basis="Interview of 3 May."
    )
    made = identifications.decide(session, actor=decider, identification_in=decision)
    assert made.decided_by == decider.user_id and made.status is TraffickingStatus.actual
    assert identifications.for_screening(session, screening=screening) == [made]
    assert events(session, "identification.create", made.id) == 1
    read = identifications.get(session, actor=decider, identification_id=made.id)
    assert read.basis == "Interview of 3 May."
    assert events(session, "identification.read", made.id) == 1


def test_identification_of_another_country_is_not_found(session: Session) -> None:
    screening = completed(session, actor(session, "screener.ma"), PRESUMED)
    decision = IdentificationCreate(
        screening_id=screening.id, status=TraffickingStatus.possible, basis="Referral."
    )
    with pytest.raises(NotFound):
        identifications.decide(
            session, actor=actor(session, "prosecutor.tn"), identification_in=decision
        )


def test_identification_needs_a_completed_screening(session: Session) -> None:
    draft = screenings.start(
        session, actor=actor(session, "screener.ma"), screening_in=ADULT_LABOUR
    )
    decision = IdentificationCreate(
        screening_id=draft.id, status=TraffickingStatus.possible, basis="Referral."
    )
    with pytest.raises(Invalid) as caught:
        identifications.decide(
            session, actor=actor(session, "prosecutor.ma"), identification_in=decision
        )
    assert caught.value.field == "screening_id"


def test_the_focal_point_is_the_national_coordinating_committee(session: Session) -> None:
    committee = screenings.focal_point(session, country="MA")
    assert committee is not None and committee.country == "MA"
    assert committee.kind.value == "coordinating_committee"
