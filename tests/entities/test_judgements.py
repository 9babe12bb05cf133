"""Judgements of match suggestions: who may confirm or reject a pair, with a reason; the pair
leaves the open suggestions; undo brings it back; every step is audited."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from jusoor.agencies.models import User
from jusoor.core.db import Database
from jusoor.core.errors import Conflict, Forbidden, Invalid
from jusoor.entities.case_persons import person_of_case
from jusoor.entities.matching import judgements
from jusoor.entities.matching.suggestions import open_suggestions
from tests.conftest import DEMO_PASSWORD
from tests.entities.review_support import (
    ARABIC,
    LATIN,
    actions,
    actor,
    details,
    person,
    record_person,
)
from tests.support.web import login, post_form


def _in_english(db: Database, username: str) -> None:
    """These pages are checked in English; the demo user reads Arabic by default."""
    with db.unit_of_work() as s:
        s.execute(update(User).where(User.username == username).values(locale="en"))


def _pair(s: Session, username: str = "investigator.ma") -> tuple[uuid.UUID, uuid.UUID]:
    a = record_person(s, username, name=[ARABIC], birthDate=["1990-03-14"])
    b = record_person(s, username, name=[LATIN], birthDate=["14/03/1990"])
    return a.id, b.id


def _open_pairs(s: Session, username: str) -> list[set[uuid.UUID]]:
    found = open_suggestions(s, actor=actor(s, username))
    return [{p.a.id, p.b.id} for p in found]


def test_an_investigator_confirms_a_pair_then_undoes_it(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        a, b = _pair(s)
        assert {a, b} in _open_pairs(s, "investigator.ma")
        me = actor(s, "investigator.ma")
        made = judgements.judge(
            s, actor=me, entity_a=b, entity_b=a, decision="same", reason="Same passport photo."
        )
        assert (made.entity_a_id, made.entity_b_id) == judgements.pair(a, b)
        assert made.probability is not None and made.probability > 0.9
        assert {a, b} not in _open_pairs(s, "investigator.ma")
        assert [j.id for j in judgements.recent_judgements(s, actor=me)] == [made.id]
        with pytest.raises(Conflict):
            judgements.judge(s, actor=me, entity_a=a, entity_b=b, decision="different", reason="x")
        judgements.undo(s, actor=me, judgement_id=made.id)
        assert made.undone_at is not None and made.undone_by == "investigator.ma"
        assert {a, b} in _open_pairs(s, "investigator.ma")
        with pytest.raises(Conflict):
            judgements.undo(s, actor=me, judgement_id=made.id)
        events = actions(s, "entity.judge")
        judged, undone = [e for e in events if e.action != "entity.judgement_list"]
        assert judged.action == "entity.judge" and details(judged)["decision"] == "same"
        assert undone.action == "entity.judge_undo" and undone.object_id == str(made.id)
        assert actions(s, "entity.review")  # the suggestions read were audited too


def test_a_judgement_needs_a_decision_a_reason_and_two_records(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        a, b = _pair(s)
        me = actor(s, "investigator.ma")
        for decision, reason, other, field in [
            ("maybe", "why", b, "decision"),
            ("same", "  ", b, "reason"),
            ("same", "why", a, "entity_b"),
        ]:
            with pytest.raises(Invalid) as caught:
                judgements.judge(
                    s, actor=me, entity_a=a, entity_b=other, decision=decision, reason=reason
                )
            assert caught.value.field == field


def test_nobody_judges_records_outside_their_scope(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        a, b = _pair(s)
        assert _open_pairs(s, "investigator.tn") == []
        with pytest.raises(Invalid) as caught:
            judgements.judge(
                s,
                actor=actor(s, "investigator.tn"),
                entity_a=a,
                entity_b=b,
                decision="different",
                reason="no",
            )
        assert caught.value.field == "entity_a"
        with pytest.raises(Forbidden):
            judgements.judge(
                s, actor=actor(s, "analyst.ma"), entity_a=a, entity_b=b, decision="same", reason="x"
            )


def test_a_case_worker_judges_duplicate_cases_of_their_agency_only(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        first = person_of_case(s, person(s, name=ARABIC, age=None, date_of_birth="1990-03-14").id)
        second = person_of_case(s, person(s, name=LATIN, age=None, date_of_birth="1990-03-14").id)
        person(s, "caseworker.tn", name=LATIN, age=None, date_of_birth="1990-03-14")
        assert first is not None and second is not None
        assert _open_pairs(s, "caseworker.ma") == [{first.id, second.id}]
        assert _open_pairs(s, "caseworker.tn") == []
        assert _open_pairs(s, "investigator.ma") == []  # victims' files are not police records
        made = judgements.judge(
            s,
            actor=actor(s, "caseworker.ma"),
            entity_a=first.id,
            entity_b=second.id,
            decision="same",
            reason="The person was registered twice.",
        )
        assert made.judged_by == "caseworker.ma"


def test_the_review_page_confirms_and_undoes(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        a, b = _pair(s)
    _in_english(demo_db, "investigator.ma")
    assert login(client, demo_db, "investigator.ma", DEMO_PASSWORD).status_code == 303
    page = client.get("/entities/review")
    assert page.status_code == 200 and ARABIC in page.text and LATIN in page.text
    # The model's reasons, each field by its label and its level in words.
    assert "Date of birth: the same day" in page.text and "Name: the same name" in page.text
    refused = post_form(
        client,
        "/entities/review/judgements",
        {"entity_a": str(a), "entity_b": str(b), "decision": "same", "reason": ""},
        page="/entities/review",
    )
    assert refused.status_code == 422 and "Say why" in refused.text
    done = post_form(
        client,
        "/entities/review/judgements",
        {"entity_a": str(a), "entity_b": str(b), "decision": "same", "reason": "Same photo."},
        page="/entities/review",
    )
    assert done.status_code == 303
    page = client.get(done.headers["location"]).text
    assert "Recorded: the same person." in page and "Undo this decision" in page
    with demo_db.unit_of_work() as s:
        [made] = judgements.active_judgements(s)
        made_id = made.id
    undone = post_form(
        client, f"/entities/review/judgements/{made_id}/undo", {}, page="/entities/review"
    )
    assert undone.status_code == 303
    assert "The decision is undone" in client.get(undone.headers["location"]).text
    with demo_db.unit_of_work() as s:
        assert judgements.active_judgements(s) == []
    assert login(client, demo_db, "analyst.ma", DEMO_PASSWORD).status_code == 303
    assert client.get("/entities/review").status_code == 403
