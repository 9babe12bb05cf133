"""What pages say of delivery and of a thread's state: plain, translated words that never claim
more than was delivered (issue 19)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.core.db import Database, utcnow
from jusoor.exchange.models import Message, OutboxEntry
from jusoor.exchange.transport.failures import Failure, failure_of
from tests.exchange.test_pages import (
    information_request,
    mla_form,
    receive,
    sign_in_english,
    start_node,
)
from tests.support.web import post_form


@pytest.mark.parametrize(
    ("last_error", "kind"),
    [
        ("", Failure.none),
        ("ConnectError: [Errno 111] Connection refused", Failure.unreachable),
        (
            "RemoteProtocolError: Server disconnected without sending a response.",
            Failure.unreachable,
        ),
        ("ReadTimeout: timed out", Failure.timeout),
        ("ConnectTimeout: timed out", Failure.timeout),
        ("HTTP 409: envelope_replay", Failure.refused),
        ("HTTP 400: The envelope is malformed.", Failure.refused),
        ("HTTP 429: Too Many Requests", Failure.busy),
        ("HTTP 503: busy", Failure.busy),
        ("HTTP 500: Internal Server Error", Failure.peer_error),
        ("receipt: the receipt's signature does not verify", Failure.bad_receipt),
        ("the peer is not known or was removed", Failure.not_a_peer),
        ("expired before delivery", Failure.expired),
    ],
)
def test_the_last_delivery_error_is_read_as_a_kind_people_are_told(
    last_error: str, kind: Failure
) -> None:
    assert failure_of(last_error) is kind


def _fail_last_attempt(db: Database, message_id: str, error: str) -> dt.datetime:
    """The delivery worker's record of a failed attempt, as `delivery._retry` leaves it."""
    again = (utcnow() + dt.timedelta(minutes=7)).replace(second=0, microsecond=0)
    with db.unit_of_work() as session:
        entry = session.get(OutboxEntry, uuid.UUID(message_id))
        assert entry is not None
        entry.attempts, entry.last_error, entry.next_attempt_at = 3, error, again
    return again


def test_an_undelivered_request_says_which_node_did_not_answer_and_when_jusoor_tries_again(
    client: TestClient, demo_db: Database
) -> None:
    start_node(demo_db)
    sign_in_english(client, demo_db, "liaison.ma")
    sent = post_form(client, "/exchange/new?type=mla_request", mla_form())
    thread = sent.headers["location"].split("?")[0]
    message_id = thread.rsplit("/", 1)[1]
    _fail_last_attempt(demo_db, message_id, "ConnectError: [Errno 111] Connection refused")
    for page in (client.get(thread).text, client.get("/exchange/sent").text):
        assert "Not delivered yet: the node of Tunisia did not answer." in page
        assert "Jusoor will try again at" in page
        assert "Errno" not in page and "ConnectError" not in page
    # In Arabic too, without the technical text.
    post_form(client, "/language", {"lang": "ar", "next": "/"}, page="/")
    arabic = client.get(thread).text
    assert "Errno" not in arabic and "ConnectError" not in arabic
    assert "لم يُسلَّم بعد" in arabic

    # The administrator, who keeps the peers, sees the technical detail on the peers page.
    admin = TestClient(client.app, base_url=str(client.base_url))
    sign_in_english(admin, demo_db, "admin")
    peers = admin.get("/exchange/peers").text
    assert "Waiting for delivery" in peers and "[Errno 111] Connection refused" in peers


def test_a_reply_is_answered_only_once_the_other_node_has_it(
    client: TestClient, demo_db: Database
) -> None:
    tn = start_node(demo_db)
    request_id = receive(demo_db, tn, information_request())
    sign_in_english(client, demo_db, "liaison.ma")
    url = f"/exchange/messages/{request_id}"
    reply = {"text": "The number belongs to a recruiter known to us."}
    assert post_form(client, f"{url}/reply?type=reply", reply, page=url).status_code == 303

    page = client.get(url).text
    assert "Reply written, not delivered yet" in page
    assert 'data-status="reply"' in page and ">Answered<" not in page
    assert "Reply written, not delivered yet" in client.get("/exchange").text

    with demo_db.unit_of_work() as session:  # the peer's receipt comes in (delivery._delivered)
        answer = session.scalars(
            select(Message).where(Message.thread_id == request_id, Message.id != request_id)
        ).one()
        entry = session.get(OutboxEntry, answer.id)
        assert entry is not None
        entry.pending, answer.delivered_at = False, utcnow()
    page = client.get(url).text
    assert "Reply written, not delivered yet" not in page
    assert 'data-status="answered"' in page and "Answered" in page
