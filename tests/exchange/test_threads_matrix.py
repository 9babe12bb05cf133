"""Threads answer exactly as they did before the `if` ladder became `threads.yaml`.

`threads_matrix.json` was computed from the previous `exchange/threads.py` (a rank table and an
`if` ladder) and frozen: for every opening status and type, every message type, each side and each
content, whether the message may be added (or the exact refusal) and what it leaves on the opening;
and every status a late receipt (`advance`) may or may not overwrite.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from jusoor.core.errors import Conflict
from jusoor.exchange import threads
from jusoor.exchange.models import Message
from jusoor.exchange.vocabulary import Direction, MessageStatus, MessageType

FROZEN = Path(__file__).with_name("threads_matrix.json")
OPENINGS = (MessageType.information_request, MessageType.transnational_referral)


def _opening(kind: MessageType, status: MessageStatus, direction: Direction) -> Message:
    message_id = uuid.uuid4()
    return Message(
        id=message_id, thread_id=message_id, direction=direction, peer="TN", type=kind,
        status=status,
    )  # fmt: skip


def compute() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for direction in Direction:
        opening = _opening(MessageType.information_request, MessageStatus.sent, direction)
        out[f"requester is us when {direction.value}"] = threads.requester_is_us(opening)
    for status in MessageStatus:
        for target in MessageStatus:
            opening = _opening(MessageType.information_request, status, Direction.outgoing)
            threads.advance(opening, target)
            out[f"advance {status.value} to {target.value}"] = opening.status.value
        for opening_type in OPENINGS:
            for kind in MessageType:
                for by_requester in (False, True):
                    opening = _opening(opening_type, status, Direction.outgoing)
                    key = f"{opening_type.value} {status.value} {kind.value} {by_requester}"
                    out[f"allowed {key}"] = threads.allowed(
                        opening, kind, by_requester=by_requester
                    )
                    try:
                        threads.check_can_add(opening, kind, by_requester=by_requester)
                    except Conflict as refused:
                        out[f"add {key}"] = [refused.field, refused.message]
                        continue
                    for content in ({}, {"decision": "accepted"}, {"decision": "declined"}):
                        opening = _opening(opening_type, status, Direction.outgoing)
                        threads.apply(opening, kind, content, by_requester=by_requester)
                        out[f"apply {key} {content}"] = [opening.status.value, opening.decision]
    return out


def test_the_thread_matrix_is_unchanged() -> None:
    assert compute() == json.loads(FROZEN.read_text("utf-8"))


def test_the_machine_agrees_with_the_vocabulary_and_the_labels() -> None:
    from jusoor.exchange.request.labels import STATUS_LABELS
    from jusoor.exchange.vocabulary import FINAL_STATUSES

    machine = threads.MACHINE.machine()
    assert machine.terminal == FINAL_STATUSES
    assert {name: s.label for name, s in machine.states.items()} == STATUS_LABELS
