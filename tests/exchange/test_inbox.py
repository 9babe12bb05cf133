"""The inbox: every check an envelope must pass, each refusal recorded and audited, nothing of a
refused envelope stored, and an envelope received twice applied once."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from jusoor.core.db import Database, utcnow
from jusoor.exchange.models import Message, Rejection
from jusoor.exchange.transport.canonical import canonical
from jusoor.exchange.transport.envelope import check_receipt, digest_of, iso
from tests.exchange.support import (
    Node,
    audited,
    count,
    craft,
    header_of,
    mla_request,
    post_envelope,
    sqlite_database,
    start_node,
    two_nodes,
)


@pytest.fixture
def nodes(database: Database, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    """(receiver, sender): the receiver is on the parametrised engine."""
    with two_nodes(database, tmp_path) as (a, b):
        yield a, b


def refused(receiver: Node, raw: bytes, status: int, code: str) -> dict[str, Any]:
    """Post `raw`, expect the refusal, and check it was recorded, audited and nothing stored."""
    response = post_envelope(receiver, raw)
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == f"envelope_{code}"
    with receiver.db.unit_of_work() as session:
        rejections = session.scalars(select(Rejection).where(Rejection.code == code)).all()
        assert [r.envelope_sha256 for r in rejections] == [digest_of(raw)]
    events = audited(receiver.db, "exchange.envelope.rejected")
    assert [json.loads(e.details)["code"] for e in events][-1] == code
    assert events[-1].outcome == "refused"
    assert count(receiver.db, Message) == 0
    return error


def times(created: dt.timedelta, expires: dt.timedelta) -> dict[str, Any]:
    now = utcnow().replace(microsecond=0)
    return {"created": iso(now + created), "expires": iso(now + expires)}


def test_a_valid_envelope_is_stored_and_answered_with_a_signed_receipt(
    nodes: tuple[Node, Node],
) -> None:
    receiver, sender = nodes
    raw = craft(sender, receiver)
    response = post_envelope(receiver, raw)
    assert response.status_code == 200, response.text
    receipt = check_receipt(
        response.json(),
        message_id=header_of(raw)["id"],
        digest=digest_of(raw),
        receiver=receiver.node_id,
        receiver_keys=[receiver.descriptor()["signing_key"]],
    )
    assert receipt["status"] == "accepted"
    with receiver.db.unit_of_work() as session:
        stored = session.get(Message, uuid.UUID(header_of(raw)["id"]))
        assert stored is not None
        assert (stored.peer, stored.status.value, stored.envelope_sha256) == (
            "TN",
            "delivered",
            digest_of(raw),
        )
    assert len(audited(receiver.db, "exchange.message.received", header_of(raw)["id"])) == 1


def test_an_unknown_sender_is_refused_and_recorded(
    nodes: tuple[Node, Node], tmp_path: Path
) -> None:
    receiver, _ = nodes
    stranger_db = sqlite_database(tmp_path / "stranger.db")
    try:
        stranger = start_node(stranger_db, "EG")
        raw = craft(stranger, receiver)
    finally:
        stranger_db.dispose()
    refused(receiver, raw, 403, "unknown_sender")
    with receiver.db.unit_of_work() as session:
        rejection = session.scalars(select(Rejection)).one()
        assert (rejection.claimed_sender, rejection.message_id) == ("EG", header_of(raw)["id"])
    [event] = audited(receiver.db, "exchange.envelope.rejected")
    assert event.actor_username == "node:EG"


def test_an_envelope_addressed_to_another_node_is_refused(nodes: tuple[Node, Node]) -> None:
    receiver, sender = nodes
    refused(receiver, craft(sender, receiver, recipient="EG"), 403, "recipient")


def test_an_altered_envelope_is_refused(nodes: tuple[Node, Node]) -> None:
    receiver, sender = nodes
    wire = json.loads(craft(sender, receiver))
    wire["header"]["handling"] = "H0"  # a lower restriction than the sender set
    refused(receiver, canonical(wire), 403, "signature")


def test_an_expired_envelope_is_refused(nodes: tuple[Node, Node]) -> None:
    receiver, sender = nodes
    raw = craft(sender, receiver, **times(-dt.timedelta(days=2), -dt.timedelta(seconds=1)))
    refused(receiver, raw, 422, "expired")


def test_an_envelope_from_the_future_beyond_the_clock_skew_is_refused(
    nodes: tuple[Node, Node],
) -> None:
    receiver, sender = nodes
    raw = craft(sender, receiver, **times(dt.timedelta(minutes=10), dt.timedelta(days=1)))
    refused(receiver, raw, 422, "not_yet_valid")


def test_an_envelope_slightly_ahead_within_the_clock_skew_is_accepted(
    nodes: tuple[Node, Node],
) -> None:
    receiver, sender = nodes
    raw = craft(sender, receiver, **times(dt.timedelta(minutes=2), dt.timedelta(days=1)))
    assert post_envelope(receiver, raw).status_code == 200
    assert count(receiver.db, Message) == 1


def test_the_same_envelope_twice_is_stored_once_and_gets_the_same_receipt(
    nodes: tuple[Node, Node],
) -> None:
    receiver, sender = nodes
    raw = craft(sender, receiver)
    first = post_envelope(receiver, raw)
    again = post_envelope(receiver, raw)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert count(receiver.db, Message) == 1
    message_id = header_of(raw)["id"]
    assert len(audited(receiver.db, "exchange.message.received", message_id)) == 1
    assert len(audited(receiver.db, "exchange.envelope.replayed", message_id)) == 1


def test_the_same_id_with_other_bytes_is_refused_as_a_replay(nodes: tuple[Node, Node]) -> None:
    receiver, sender = nodes
    raw = craft(sender, receiver)
    assert post_envelope(receiver, raw).status_code == 200
    other = craft(sender, receiver, id=header_of(raw)["id"], thread=header_of(raw)["id"])
    response = post_envelope(receiver, other)
    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "envelope_replay"
    with receiver.db.unit_of_work() as session:
        assert session.scalars(select(Rejection.code)).all() == ["replay"]
        stored = session.get(Message, uuid.UUID(header_of(raw)["id"]))
        assert stored is not None and stored.envelope_sha256 == digest_of(raw)


def test_an_mla_request_missing_an_article_18_15_element_stores_nothing(
    nodes: tuple[Node, Node],
) -> None:
    receiver, sender = nodes
    content = mla_request(purpose=None)  # art. 18(15)(f)
    raw = craft(sender, receiver, kind="mla_request", content=content)
    error = refused(receiver, raw, 422, "content")
    assert error["message"]


def test_an_answer_to_a_request_the_receiver_does_not_know_is_refused(
    nodes: tuple[Node, Node],
) -> None:
    receiver, sender = nodes
    unknown = str(uuid.uuid4())
    raw = craft(
        sender,
        receiver,
        kind="reply",
        content={"text": "Here it is."},
        reply_to=unknown,
        thread=unknown,
    )
    refused(receiver, raw, 422, "thread")


def test_an_envelope_of_an_unknown_type_is_refused(nodes: tuple[Node, Node]) -> None:
    receiver, sender = nodes
    refused(receiver, craft(sender, receiver, kind="gossip"), 422, "content")


@pytest.mark.parametrize(
    "header",
    [
        {"handling": "H0-EXTENDED"},
        {"handling": 7},
        {"reply_to": "not-an-id"},
        {"thread": 5},
        {"recipient_key": 5},
    ],
    ids=["long-handling", "number-handling", "bad-reply-to", "number-thread", "number-key"],
)
def test_a_signed_envelope_with_a_malformed_header_field_is_refused(
    nodes: tuple[Node, Node], header: dict[str, Any]
) -> None:
    """Even from a known peer with a valid signature: refused and recorded, never a 500."""
    receiver, sender = nodes
    refused(receiver, craft(sender, receiver, **header), 400, "malformed")


def test_what_is_not_an_envelope_is_refused_and_recorded(nodes: tuple[Node, Node]) -> None:
    receiver, _ = nodes
    refused(receiver, b'{"hello": "world"}', 400, "malformed")
