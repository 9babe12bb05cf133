"""A transnational referral accepted here opens or links one local case, routed to a case worker
(exchange.arrival), through the thread page a liaison officer uses."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jusoor.audit.models import AuditEvent
from jusoor.cases.models import Case, CaseEvent, CaseTask
from jusoor.core.db import Database
from jusoor.core.errors import Conflict, Invalid
from jusoor.exchange import arrival
from jusoor.exchange.models import Message
from jusoor.exchange.vocabulary import MessageType
from tests.conftest import DEMO_PASSWORD
from tests.exchange.test_pages import receive, sign_in_english, start_node
from tests.referrals.support import actor
from tests.support.web import login, post_form


def referral(reference: str = "TN-2026-000007") -> dict[str, Any]:
    return {
        "subject": "Return of a Moroccan man",
        "case_reference": reference,
        "shared": {
            "gender": "masculine",
            "age_band": "18-20",
            "languages": ["ar"],
            "citizenship": ["QQ"],  # no country: left out of the case, kept in the referral
        },
        "services_requested": ["shelter", "return_reintegration"],
        "summary": "He wishes to return to his family in Oujda.",
        "consent_id": str(uuid.uuid4()),
    }


def cases_count(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def accept(client: TestClient, url: str, **form: str) -> Any:
    return post_form(client, f"{url}/reply?type=acknowledgement", form, page=url)


def test_accepting_a_referral_opens_one_case_for_the_chosen_case_worker_even_when_clicked_twice(
    client: TestClient, demo_db: Database
) -> None:
    tn = start_node(demo_db)
    message_id = receive(demo_db, tn, referral(), MessageType.transnational_referral)
    sign_in_english(client, demo_db, "liaison.ma")
    url = f"/exchange/messages/{message_id}"
    page = client.get(url).text
    assert "Case worker who takes the person in" in page
    assert 'value="caseworker.ma"' in page and 'value="caseworker.eg"' not in page  # this country's
    before = cases_count(demo_db)

    assert accept(client, url, case_worker="caseworker.ma").status_code == 303
    page = client.get(url).text
    assert "Accept the referral" not in page  # not offered again
    assert "Taken in: case" in page
    again = accept(client, url, case_worker="caseworker.ma")  # a second click, from an old page
    assert again.status_code == 422
    assert "already been accepted" in again.text

    assert cases_count(demo_db) == before + 1
    with demo_db.unit_of_work() as session:
        opening = session.get(Message, message_id)
        assert opening is not None and opening.decision == "accepted"
        case = session.get(Case, opening.case_id)
        assert case is not None and case.owner.username == "caseworker.ma"
        assert case.country == "MA" and case.age_band == "18-20" and case.languages == ["ar"]
        assert case.citizenship == []
        assert case.reference in page
        tasks = session.scalars(select(CaseTask).where(CaseTask.case_id == case.id)).all()
        assert len(tasks) == 1 and "Tunisia" in tasks[0].title
        kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
        assert arrival.CASE_EVENT in kinds
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "exchange.referral.taken_in")
        ).one()
        assert audited.actor_username == "liaison.ma" and audited.object_id == str(case.id)
        acknowledgements = session.scalars(
            select(Message).where(Message.thread_id == message_id, Message.id != message_id)
        ).all()
        assert len(acknowledgements) == 1  # one acceptance sent, not two

    # The case worker finds the person among their cases, with the task to prepare the arrival.
    worker = TestClient(client.app, base_url=str(client.base_url))
    assert login(worker, demo_db, "caseworker.ma", DEMO_PASSWORD).status_code == 303
    post_form(worker, "/language", {"lang": "en", "next": "/"}, page="/")
    assert case.reference in worker.get("/cases").text
    assert (
        "Prepare the arrival of the person referred by Tunisia"
        in worker.get(f"/cases/{case.id}").text
    )


def test_a_second_referral_of_the_same_person_links_the_case_already_opened(
    client: TestClient, demo_db: Database
) -> None:
    tn = start_node(demo_db)
    first = receive(demo_db, tn, referral("TN-2026-000042"), MessageType.transnational_referral)
    second = receive(demo_db, tn, referral("TN-2026-000042"), MessageType.transnational_referral)
    other = receive(demo_db, tn, referral("TN-2026-000099"), MessageType.transnational_referral)
    sign_in_english(client, demo_db, "liaison.ma")
    before = cases_count(demo_db)
    for message_id in (first, second, other):
        url = f"/exchange/messages/{message_id}"
        assert accept(client, url).status_code == 303  # default: the first case worker here
    assert cases_count(demo_db) == before + 2  # the same person once, the other person once
    with demo_db.unit_of_work() as session:
        linked = [session.get(Message, m) for m in (first, second, other)]
        case_ids = [m.case_id if m else None for m in linked]
        assert case_ids[0] is not None and case_ids[0] == case_ids[1] != case_ids[2]
        tasks = session.scalar(
            select(func.count()).select_from(CaseTask).where(CaseTask.case_id == case_ids[0])
        )
        assert tasks == 2  # the holder is told of the second referral too


def test_accepting_names_a_case_worker_of_this_country_and_takes_in_only_once(
    demo_db: Database,
) -> None:
    tn = start_node(demo_db)
    message_id = receive(demo_db, tn, referral(), MessageType.transnational_referral)
    with demo_db.unit_of_work() as session:
        opening = session.get(Message, message_id)
        assert opening is not None
        liaison = actor(session, "liaison.ma")
        with pytest.raises(Invalid, match="case worker of this country"):
            arrival.take_in(session, actor=liaison, opening=opening, case_worker="caseworker.eg")
        assert opening.case_id is None and opening.decision is None
    with demo_db.unit_of_work() as session:
        opening = session.get(Message, message_id)
        assert opening is not None
        arrival.take_in(session, actor=actor(session, "liaison.ma"), opening=opening)
    with demo_db.unit_of_work() as session:
        opening = session.get(Message, message_id)
        assert opening is not None
        with pytest.raises(Conflict):
            arrival.take_in(session, actor=actor(session, "liaison.ma"), opening=opening)
