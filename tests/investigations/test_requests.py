"""Requests abroad from a file: the team prepares a draft (names only when ticked), the liaison
officer sends it, the request follows the exchange, answers land once on the file's timeline, and
a request received from abroad is handed over to a unit that opens a file from it."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.agencies.models import Agency
from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.core.i18n import gettext, use_locale
from jusoor.entities.models import SourceKind
from jusoor.entities.service import add_entity
from jusoor.exchange import drafts
from jusoor.exchange.models import Message, OutboxEntry
from jusoor.exchange.vocabulary import Direction, MessageStatus, MessageType
from jusoor.investigations import request_received, request_threads, requests
from jusoor.investigations.models import Defendant, FileEvent, FileRequest, InvestigationFile
from jusoor.investigations.vocabulary import DefendantRole, Origin, RequestKind, Sex
from jusoor.web.labels import country_name
from tests.conftest import DEMO_PASSWORD
from tests.exchange.support import (
    OPERATOR,
    deliver,
    introduce,
    mla_request,
    post_envelope,
    send,
    sqlite_database,
    start_node,
)
from tests.investigations.support import actor, open_file
from tests.support.tokens import bearer
from tests.support.web import csrf_from, login, post_form, translated

SUSPECT = "Karim Benali Testname"
PEER = "JO"  # a node of its own in these tests (the demo's peers have no keys left)


def _mla(**changes: Any) -> requests.RequestDraftIn:
    fields: dict[str, Any] = {
        "kind": "mla",
        "peer": PEER,
        "assistance_kind": "documents_records",
        "assistance_sought": "Certified bank statements of the recruitment agency, 2025.",
        "purpose": "To trace the payments made by the workers to the recruiters.",
        **changes,
    }
    return requests.RequestDraftIn.model_validate(fields)


@pytest.fixture
def jordan(demo_db: Database, tmp_path: Path) -> Any:
    """A second node (JO) on its own SQLite file, peer of the demo node both ways."""
    db_b = sqlite_database(tmp_path / "jo.db")
    try:
        b = start_node(db_b, PEER)
        a = start_node(demo_db, "MA")
        introduce(a, b)
        introduce(b, a)
        yield a, b
    finally:
        db_b.dispose()


def _defendant(db: Database, file_id: uuid.UUID) -> uuid.UUID:
    with db.unit_of_work() as session:
        police = actor(session, "investigator.ma")
        agency = session.get(Agency, police.agency_id)
        assert agency is not None
        entity, _problems = add_entity(
            session,
            actor=police,
            agency=agency,
            schema_name="Person",
            properties={"name": [SUSPECT]},
            source_kind=SourceKind.report,
        )
        defendant = Defendant(
            file_id=file_id,
            entity_id=entity.id,
            role=DefendantRole.recruiter,
            sex=Sex.male,
            citizenship="MA",
        )
        session.add(defendant)
        session.flush()
        return defendant.id


def _draft_body(db: Database, link_id: uuid.UUID) -> dict[str, Any]:
    with db.unit_of_work() as session:
        link = session.get(FileRequest, link_id)
        assert link is not None
        draft = session.get(Message, link.thread_id)
        assert draft is not None and draft.status is MessageStatus.draft
        body: dict[str, Any] = json.loads(draft.body)
        return body


def test_a_draft_names_defendants_only_when_ticked(demo_db: Database, jordan: Any) -> None:
    with demo_db.unit_of_work() as session:
        file_id = open_file(session).id
    defendant_id = _defendant(demo_db, file_id)
    with demo_db.unit_of_work() as session:
        police = actor(session, "investigator.ma")
        unnamed = requests.prepare(session, actor=police, file_id=file_id, request_in=_mla())
        named = requests.prepare(
            session,
            actor=police,
            file_id=file_id,
            request_in=_mla(named_defendants=[str(defendant_id)], subject="Second request"),
        )
        reference = session.get(InvestigationFile, file_id).reference  # type: ignore[union-attr]
        unnamed_id, named_id = unnamed.id, named.id
    plain = _draft_body(demo_db, unnamed_id)
    assert SUSPECT not in json.dumps(plain, ensure_ascii=False)
    assert plain["persons_concerned"] == ""
    assert plain["persons_concerned_note"]  # why no one is named, as UNTOC 18(15)(e) asks
    assert reference in plain["proceeding_nature"]  # the file it serves, in the request itself
    assert plain["requesting_authority"]  # the file's agency
    with_names = _draft_body(demo_db, named_id)
    assert with_names["persons_concerned"] == f"{SUSPECT}; ; MA"
    with demo_db.unit_of_work() as session:
        events = session.scalars(
            select(FileEvent).where(
                FileEvent.file_id == file_id, FileEvent.kind == "request_prepared"
            )
        ).all()
        assert [e.details["named"] for e in events] == [0, 1]
        assert all(SUSPECT not in json.dumps(e.details) for e in events)  # codes only


def test_bad_requests_are_refused_and_nothing_is_kept(demo_db: Database, jordan: Any) -> None:
    with demo_db.unit_of_work() as session:
        file_id = open_file(session).id
    other_file = None
    with demo_db.unit_of_work() as session:
        other_file = open_file(session, title="Another file").id
    stranger = _defendant(demo_db, other_file)
    cases = [
        (_mla(peer="XX"), "peer"),
        (_mla(assistance_sought=""), "assistance_sought"),
        (_mla(assistance_kind=None), "assistance_kind"),
        (_mla(named_defendants=[str(stranger)]), "named_defendants"),
    ]
    for request_in, field in cases:
        with demo_db.unit_of_work() as session:
            police = actor(session, "investigator.ma")
            with pytest.raises(Invalid) as refused:
                requests.prepare(session, actor=police, file_id=file_id, request_in=request_in)
            assert refused.value.field == field
    with demo_db.unit_of_work() as session:
        assert session.scalars(select(FileRequest)).all() == []
        assert session.scalars(select(Message).where(Message.peer == PEER)).all() == []


def test_a_case_worker_and_another_country_cannot_prepare(demo_db: Database, jordan: Any) -> None:
    with demo_db.unit_of_work() as session:
        file_id = open_file(session).id
    with demo_db.unit_of_work() as session:
        with pytest.raises(Forbidden):
            requests.prepare(
                session, actor=actor(session, "caseworker.ma"), file_id=file_id, request_in=_mla()
            )
        with pytest.raises(NotFound):
            requests.prepare(
                session,
                actor=actor(session, "investigator.eg"),
                file_id=file_id,
                request_in=_mla(),
            )


def _state(db: Database, file_id: uuid.UUID) -> request_threads.RequestState:
    with db.unit_of_work() as session:
        file = session.get(InvestigationFile, file_id)
        assert file is not None
        (state,) = request_threads.states(session, file)
        return state


def _answers(db: Database, file_id: uuid.UUID) -> list[FileEvent]:
    with db.unit_of_work() as session:
        found = session.scalars(
            select(FileEvent).where(
                FileEvent.file_id == file_id, FileEvent.kind == "request_answer"
            )
        ).all()
        for event in found:
            session.expunge(event)
        return list(found)


def test_the_request_follows_the_exchange_and_a_reply_lands_once(
    client: TestClient, demo_db: Database, jordan: Any
) -> None:
    ma, jo = jordan
    with demo_db.unit_of_work() as session:
        file_id = open_file(session).id
        police = actor(session, "investigator.ma")
        link = requests.prepare(session, actor=police, file_id=file_id, request_in=_mla())
        draft_id = link.thread_id
    assert _state(demo_db, file_id).status is MessageStatus.draft
    with demo_db.unit_of_work() as session:  # the liaison officer sends it unchanged
        liaison = actor(session, "liaison.ma")
        draft = drafts.get_draft(session, actor=liaison, draft_id=draft_id)
        sent = drafts.send_draft(
            session, actor=liaison, draft_id=draft_id, to=PEER, data=drafts.saved_body(draft)
        )
        sent_id = sent.id
    state = _state(demo_db, file_id)
    assert state.link.thread_id == sent_id != draft_id  # the file follows the new message
    assert state.status is MessageStatus.sent
    deliver(ma, jo)
    assert _state(demo_db, file_id).status is MessageStatus.delivered
    with jo.db.unit_of_work() as session:
        received = session.get(Message, sent_id)
        assert received is not None and received.direction is Direction.incoming
        reply = {"text": "The statements are attached.", "file_reference": "INV-JO-2026-00007"}
        from jusoor.exchange.transport import outbox

        answer = outbox.send(
            session, actor=OPERATOR, to=None, kind=MessageType.reply, data=reply, reply_to=sent_id
        )
        answer_id = answer.id
    deliver(jo, ma)
    state = _state(demo_db, file_id)
    assert state.status is MessageStatus.answered
    assert [a.type for a in state.answers] == [MessageType.reply]
    assert state.partner_reference == "INV-JO-2026-00007"
    lines = _answers(demo_db, file_id)
    assert len(lines) == 1
    assert lines[0].details["partner_reference"] == "INV-JO-2026-00007"
    with jo.db.unit_of_work() as session:  # the same envelope again: a lost receipt
        entry = session.get(OutboxEntry, answer_id)
        assert entry is not None
        raw = entry.envelope.encode()
    assert post_envelope(ma, raw).status_code == 200
    assert len(_answers(demo_db, file_id)) == 1
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    page = client.get(f"/investigations/{file_id}").text.replace("&#39;", "'")
    locale = page.split('<html lang="', 1)[1].split('"', 1)[0]  # the investigator's language
    with use_locale(locale):
        line = gettext(
            "Reply received from %(country)s (%(request)s).",
            country=country_name(PEER),
            request=gettext("Mutual legal assistance"),
        )
    assert line in page
    assert "INV-JO-2026-00007" in page  # their file, on the panel and in the timeline
    assert "The statements are attached." not in page  # the reply's body stays in the exchange


def test_the_file_page_shows_the_state_and_the_liaison_sees_the_file_reference(
    client: TestClient, demo_db: Database, jordan: Any
) -> None:
    with demo_db.unit_of_work() as session:
        file = open_file(session)
        file_id, reference = file.id, file.reference
    page = f"/investigations/{file_id}"
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    incomplete = post_form(
        client,
        f"{page}/requests",
        {"rq-kind": "mla", "rq-peer": PEER, "rq-assistance_kind": "documents_records"},
        page=page,
    )
    assert incomplete.status_code == 422
    with demo_db.unit_of_work() as session:
        assert session.scalars(select(FileRequest)).all() == []
    html = client.get(page).text
    done = client.post(
        f"{page}/requests",
        data={
            "csrf_token": csrf_from(html),
            "rq-kind": "information",
            "rq-peer": PEER,
            "rq-assistance_sought": "Who holds the line +962 7 9000 0000?",
            "rq-purpose": "To identify the recruiter.",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    shown = client.get(page).text
    assert translated("Requests abroad", "ar") in shown
    assert translated("Waiting for the liaison officer to check and send it.", "ar") in shown
    assert "/exchange/messages/" not in shown  # no exchange.read: no way to the bodies
    with demo_db.unit_of_work() as session:
        (link,) = session.scalars(select(FileRequest)).all()
        draft_id = link.thread_id
    client.post("/logout", data={"csrf_token": csrf_from(shown)})
    login(client, demo_db, "liaison.ma", DEMO_PASSWORD)
    assert client.get(page).status_code == 403  # the liaison officer reads no criminal file
    draft_page = client.get(f"/exchange/new?draft={draft_id}").text
    assert reference in draft_page


def test_a_case_worker_gets_no_request_form(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        file_id = open_file(session).id
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    refused = client.post(
        f"/investigations/{file_id}/requests",
        data={"csrf_token": csrf_from(client.get("/").text), "rq-kind": "mla"},
    )
    assert refused.status_code == 403
    assert client.get(f"/api/v1/investigations/{file_id}/requests").status_code in (401, 403)


def _request_from_jordan(jordan: Any, **changes: Any) -> uuid.UUID:
    """An MLA request sent by JO to the demo node and delivered there."""
    ma, jo = jordan
    message_id = send(jo, MessageType.mla_request, mla_request(**changes), to="MA")
    deliver(jo, ma)
    return message_id


def test_a_request_from_abroad_is_handed_over_and_opened_as_a_file(
    client: TestClient, demo_db: Database, jordan: Any
) -> None:
    message_id = _request_from_jordan(jordan, joint_investigation=True)
    handover = f"/investigations/from-abroad/{message_id}"
    # (each person signs in once: a second-factor code is not taken twice in its time step)
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    assert client.get(handover).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    page = client.get(handover)
    assert page.status_code == 200
    opened = post_form(
        client, f"{handover}/open", {"title": "Request from abroad: agency"}, page=handover
    )
    assert opened.status_code == 303, opened.text
    with demo_db.unit_of_work() as session:
        (link,) = session.scalars(select(FileRequest)).all()
        file = session.get(InvestigationFile, link.file_id)
        assert file is not None and file.origin is Origin.foreign_request
        assert link.outgoing is False and link.thread_id == message_id
        assert link.kind is RequestKind.joint_investigation and link.peer == PEER
        reference = file.reference
    again = post_form(client, f"{handover}/join", {"reference": reference}, page=handover)
    assert again.status_code == 422  # already joined
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
    login(client, demo_db, "liaison.ma", DEMO_PASSWORD)
    thread = client.get(f"/exchange/messages/{message_id}").text
    assert handover in thread  # the address the liaison officer hands over
    assert reference in thread
    assert f'value="{reference}"' in thread  # offered in the answer, for the joint record


def test_only_requests_received_can_be_opened_as_files(demo_db: Database, jordan: Any) -> None:
    incoming = _request_from_jordan(jordan)
    with demo_db.unit_of_work() as session:
        outgoing = session.scalars(
            select(Message.id).where(Message.direction == Direction.outgoing)
        ).first()
        police = actor(session, "investigator.ma")
        for message_id in (outgoing, uuid.uuid4()):
            if message_id is None:
                continue
            with pytest.raises(NotFound):
                request_received.open_from_request(session, actor=police, message_id=message_id)
        with pytest.raises(Forbidden):
            request_received.received(
                session, actor=actor(session, "liaison.ma"), message_id=incoming
            )


def test_kind_follows_the_joint_investigation_mark() -> None:
    message = Message(
        type=MessageType.information_request, body=json.dumps({"joint_investigation": True})
    )
    assert request_received.kind_of(message) is RequestKind.joint_investigation
    message.body = json.dumps({})
    assert request_received.kind_of(message) is RequestKind.information


def test_the_api_lists_and_prepares_requests_under_the_same_rules(
    client: TestClient, demo_db: Database, jordan: Any
) -> None:
    with demo_db.unit_of_work() as session:
        file_id = open_file(session).id
    url = f"/api/v1/investigations/{file_id}/requests"
    body = {
        "kind": "information",
        "peer": PEER,
        "assistance_sought": "Who holds the line +962 7 9000 0000?",
        "purpose": "To identify the recruiter.",
    }
    assert client.post(url, json=body, headers=bearer(demo_db, "caseworker.ma")).status_code == 403
    assert (
        client.post(url, json=body, headers=bearer(demo_db, "investigator.eg")).status_code == 404
    )
    refused = client.post(
        url, json={**body, "peer": "ZZ"}, headers=bearer(demo_db, "investigator.ma")
    )
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "peer"
    police = bearer(demo_db, "investigator.ma")
    created = client.post(url, json=body, headers=police)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "draft" and created.json()["outgoing"] is True
    draft_id = created.json()["thread_id"]
    sent = client.post(
        f"/api/v1/exchange/drafts/{draft_id}/send", headers=bearer(demo_db, "liaison.ma")
    )
    assert sent.status_code == 201, sent.text
    (listed,) = client.get(url, headers=police).json()
    assert listed["status"] == "sent" and listed["thread_id"] == sent.json()["id"]
    assert "subject" not in listed and "content" not in listed  # the body stays in the exchange
    with demo_db.unit_of_work() as session:
        actions = {
            a.action
            for a in session.scalars(select(AuditEvent).where(AuditEvent.object_id == str(file_id)))
        }
    assert {"investigations.request.prepare", "investigations.request.sent"} <= actions
