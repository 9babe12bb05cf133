"""The extension points exchange offers the domains above it (investigations): a draft sent is
followed to its new message, a thread message is heard once however often its envelope arrives,
a draft prepared by another domain carries its note; and the optional fields they use (a joint
investigation, the partner's file reference) leave older envelopes valid."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from jusoor.core.db import Database
from jusoor.exchange import drafts, extensions
from jusoor.exchange.models import Message, OutboxEntry
from jusoor.exchange.request.validation import validate_body
from jusoor.exchange.vocabulary import Direction, MessageStatus, MessageType
from tests.exchange.support import (
    OPERATOR,
    Node,
    deliver,
    information_request,
    mla_request,
    post_envelope,
    send,
    two_nodes,
)


@pytest.fixture
def pair(database: Database, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    with two_nodes(database, tmp_path) as (a, b):
        yield a, b


def test_older_envelopes_without_the_new_fields_stay_valid() -> None:
    old_mla = validate_body(MessageType.mla_request, mla_request())
    assert old_mla["joint_investigation"] is False
    old_info = validate_body(MessageType.information_request, information_request())
    assert old_info["joint_investigation"] is False
    assert validate_body(MessageType.reply, {"text": "Done."})["file_reference"] == ""
    assert validate_body(MessageType.acknowledgement, {})["file_reference"] == ""
    joint = validate_body(MessageType.mla_request, mla_request(joint_investigation=True))
    assert joint["joint_investigation"] is True
    unticked = validate_body(
        MessageType.information_request, information_request(joint_investigation="")
    )
    assert unticked["joint_investigation"] is False
    told = validate_body(
        MessageType.reply, {"text": "Opened.", "file_reference": "INV-TN-2026-00003"}
    )
    assert told["file_reference"] == "INV-TN-2026-00003"


def test_a_thread_message_is_heard_once_even_when_delivered_twice(
    pair: tuple[Node, Node], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = pair
    heard: list[tuple[str, str, str]] = []

    def listener(session: Session, *, opening: Message, message: Message) -> None:
        node = "A" if opening.direction is Direction.outgoing else "B"
        heard.append((node, message.type.value, message.direction.value))

    monkeypatch.setitem(extensions._THREAD_MESSAGE, "test", listener)
    request_id = send(a, MessageType.information_request, information_request(), to="TN")
    deliver(a, b)
    assert heard == []  # an opening request is no thread message
    reply_id = send(
        b, MessageType.reply, {"text": "The line is held by a company."}, reply_to=request_id
    )
    assert heard == [("B", "reply", "outgoing")]  # sent from B, heard on B
    deliver(b, a)
    assert heard[-1] == ("A", "reply", "incoming")
    with b.db.unit_of_work() as session:
        entry = session.get(OutboxEntry, reply_id)
        assert entry is not None
        raw = entry.envelope.encode()
    assert post_envelope(a, raw).status_code == 200  # a lost receipt: the same envelope again
    assert len(heard) == 2


def test_a_sent_draft_is_followed_to_its_message_and_a_prepared_draft_has_its_note(
    database: Database, pair: tuple[Node, Node], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = pair
    followed: list[tuple[uuid.UUID, uuid.UUID]] = []

    def on_sent(session: Session, *, actor: Any, draft_id: uuid.UUID, message: Message) -> None:
        followed.append((draft_id, message.thread_id))

    monkeypatch.setitem(extensions._DRAFT_SENT, "test", on_sent)
    monkeypatch.setitem(
        extensions._DRAFT_NOTES, "test", lambda session, draft: f"serves {draft.subject}"
    )
    values = information_request()
    with a.db.unit_of_work() as session:
        draft = drafts.prepare_draft(
            session, actor=OPERATOR, kind=MessageType.information_request, to="TN", values=values
        )
        assert draft.status is MessageStatus.draft
        assert extensions.draft_notes(session, draft) == [f"serves {values['subject']}"]
        draft_id = draft.id
    with a.db.unit_of_work() as session:
        kept = drafts.get_draft(session, actor=OPERATOR, draft_id=draft_id)
        sent = drafts.send_draft(
            session, actor=OPERATOR, draft_id=draft_id, to="TN", data=drafts.saved_body(kept)
        )
        sent_thread = sent.thread_id
    assert followed == [(draft_id, sent_thread)]
    assert sent_thread != draft_id
    with a.db.unit_of_work() as session:
        assert session.get(Message, draft_id) is None  # the draft is gone once sent
