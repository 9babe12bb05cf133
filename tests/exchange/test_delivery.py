"""The delivery worker: retried with back-off while the peer is down or answers badly, delivered
once a valid receipt comes back, expired when its time runs out, and never applied twice."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from jusoor.core.db import Database, utcnow
from jusoor.exchange.models import Message, OutboxEntry
from jusoor.exchange.nodes.keys import KeyPair
from jusoor.exchange.transport import delivery
from jusoor.exchange.transport.envelope import digest_of, make_receipt
from jusoor.exchange.vocabulary import MessageStatus, MessageType
from tests.exchange.support import (
    Node,
    audited,
    count,
    deliver,
    information_request,
    message,
    outbox_entry,
    send,
    two_nodes,
)

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def nodes(database: Database, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    """(sender, receiver): the sender's outbox is on the parametrised engine."""
    with two_nodes(database, tmp_path) as pair:
        yield pair


def queued(a: Node) -> uuid.UUID:
    return send(a, MessageType.information_request, information_request(), to="TN")


def deliver_through(a: Node, handler: Handler, *, force: bool = True) -> delivery.DeliveryReport:
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        return delivery.deliver(a.db, force=force, client=client)


def peer_down(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def unavailable(request: httpx.Request) -> httpx.Response:
    return httpx.Response(503, json={"error": {"code": "unavailable", "message": "Back soon."}})


def make_due(a: Node, message_id: uuid.UUID) -> None:
    with a.db.unit_of_work() as session:
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.message_id == message_id)
            .values(next_attempt_at=utcnow() - dt.timedelta(seconds=1))
        )


@pytest.mark.parametrize("failure", [peer_down, unavailable], ids=["down", "503"])
def test_a_failed_attempt_leaves_the_entry_pending_for_later(
    nodes: tuple[Node, Node], failure: Handler
) -> None:
    a, _ = nodes
    message_id = queued(a)
    report = deliver_through(a, failure)
    assert (report.delivered, report.retrying) == (0, 1)
    entry = outbox_entry(a, message_id)
    assert entry.pending and entry.attempts == 1
    assert entry.next_attempt_at > utcnow()
    assert entry.last_error == report.errors[str(message_id)]
    assert ("ConnectError" if failure is peer_down else "HTTP 503") in entry.last_error
    sent = message(a, message_id)
    assert sent is not None and sent.status is MessageStatus.sent


def test_a_message_is_delivered_once_the_peer_is_back(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    message_id = queued(a)
    deliver_through(a, peer_down)
    report = deliver(a, b)
    assert (report.delivered, report.retrying) == (1, 0)
    entry = outbox_entry(a, message_id)
    assert not entry.pending and entry.attempts == 2 and entry.last_error == ""
    sent = message(a, message_id)
    assert sent is not None and sent.status is MessageStatus.delivered
    assert sent.receipt is not None and sent.delivered_at is not None
    assert sent.envelope_sha256 == digest_of(entry.envelope.encode())
    [event] = audited(a.db, "exchange.message.delivered", message_id)
    assert json.loads(event.details)["attempts"] == 2
    received = message(b, message_id)
    assert received is not None and received.subject == information_request()["subject"]
    assert deliver(a, b).delivered == 0  # nothing left to send


def test_a_lost_receipt_is_recovered_without_applying_the_message_twice(
    nodes: tuple[Node, Node],
) -> None:
    a, b = nodes
    message_id = queued(a)

    def receipt_lost(request: httpx.Request) -> httpx.Response:
        with b.app_client() as client:
            client.post(delivery.INBOX_PATH, content=request.content, headers=request.headers)
        return httpx.Response(502)

    deliver_through(a, receipt_lost)
    assert outbox_entry(a, message_id).pending
    assert count(b.db, Message) == 1
    assert deliver(a, b).delivered == 1
    assert count(b.db, Message) == 1
    assert len(audited(b.db, "exchange.message.received", message_id)) == 1
    assert len(audited(b.db, "exchange.envelope.replayed", message_id)) == 1


def test_a_receipt_signed_by_another_key_is_not_accepted(nodes: tuple[Node, Node]) -> None:
    a, _ = nodes
    message_id = queued(a)

    def forged(request: httpx.Request) -> httpx.Response:
        receipt = make_receipt(
            message_id=str(message_id),
            sender="MA",
            receiver="TN",
            digest=digest_of(request.content),
            status="accepted",
            keys=KeyPair.generate(),
        )
        return httpx.Response(200, json=receipt)

    report = deliver_through(a, forged)
    assert (report.delivered, report.retrying) == (0, 1)
    entry = outbox_entry(a, message_id)
    assert entry.pending and entry.last_error.startswith("receipt:")
    sent = message(a, message_id)
    assert sent is not None and sent.status is MessageStatus.sent and sent.receipt is None
    assert audited(a.db, "exchange.message.delivered") == []


def test_an_answer_that_is_not_json_is_retried(nodes: tuple[Node, Node]) -> None:
    a, _ = nodes
    message_id = queued(a)
    report = deliver_through(a, lambda request: httpx.Response(200, text="<html>proxy</html>"))
    assert report.retrying == 1 and outbox_entry(a, message_id).pending


def test_an_expired_entry_is_given_up_and_audited(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    message_id = queued(a)
    with a.db.unit_of_work() as session:
        session.execute(
            update(Message)
            .where(Message.id == message_id)
            .values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
    report = deliver(a, b)
    assert (report.delivered, report.expired) == (0, 1)
    assert not outbox_entry(a, message_id).pending
    sent = message(a, message_id)
    assert sent is not None and sent.status is MessageStatus.expired
    [event] = audited(a.db, "exchange.message.expired", message_id)
    assert event.outcome == "failure"
    assert count(b.db, Message) == 0


def test_an_entry_not_yet_due_waits_unless_forced(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    message_id = queued(a)
    deliver_through(a, peer_down)
    assert deliver(a, b, force=False).delivered == 0
    assert outbox_entry(a, message_id).attempts == 1
    make_due(a, message_id)
    assert deliver(a, b, force=False).delivered == 1


def test_a_new_entry_is_due_at_once(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    queued(a)
    assert deliver(a, b, force=False).delivered == 1


def test_each_failure_pushes_the_next_attempt_further(nodes: tuple[Node, Node]) -> None:
    a, _ = nodes
    message_id = queued(a)
    waits = []
    for _ in range(4):
        before = utcnow()
        deliver_through(a, unavailable)
        waits.append(outbox_entry(a, message_id).next_attempt_at - before)
    assert outbox_entry(a, message_id).attempts == 4
    assert all(later > earlier for earlier, later in itertools.pairwise(waits))


def test_backoff_doubles_with_jitter_and_is_capped_at_an_hour() -> None:
    for attempts, base in [(1, 5), (2, 10), (3, 20), (4, 40)]:
        delay = delivery.backoff(attempts).total_seconds()
        assert base * 0.9 <= delay <= base * 1.1
    for attempts in (12, 20, 100):
        delay = delivery.backoff(attempts).total_seconds()
        assert 3600 * 0.9 <= delay <= 3600 * 1.1
    assert delivery.backoff(0) <= delivery.backoff(1) * 1.3


def test_a_peer_down_for_days_does_not_stop_the_worker(nodes: tuple[Node, Node]) -> None:
    """After dozens of attempts the next one is an hour away, not an overflow that ends the pass."""
    a, _ = nodes
    message_id = queued(a)
    with a.db.unit_of_work() as session:
        session.execute(
            update(OutboxEntry).where(OutboxEntry.message_id == message_id).values(attempts=60)
        )
    report = deliver_through(a, unavailable)
    assert report.retrying == 1
    entry = outbox_entry(a, message_id)
    assert entry.attempts == 61
    assert entry.next_attempt_at - utcnow() <= dt.timedelta(hours=1.2)
