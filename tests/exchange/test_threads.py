"""Threads: which side may send what, what each message does to the request, and that a closed
request takes nothing more, on the sending node and on the receiving one alike."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jusoor.core.db import Database
from jusoor.core.errors import Conflict
from jusoor.exchange import threads
from jusoor.exchange.models import Message
from jusoor.exchange.vocabulary import Direction, MessageStatus, MessageType
from tests.exchange.support import (
    Node,
    craft,
    deliver,
    information_request,
    message,
    post_envelope,
    send,
    two_nodes,
)

T = MessageType
S = MessageStatus


def request(
    kind: MessageType = T.information_request, status: MessageStatus = S.delivered
) -> Message:
    """An opening request as its requester holds it (outgoing)."""
    message_id = uuid.uuid4()
    return Message(
        id=message_id,
        thread_id=message_id,
        direction=Direction.outgoing,
        peer="TN",
        type=kind,
        status=status,
    )


def test_a_message_leaves_as_the_nodes_send_takes_it() -> None:
    assert threads.sent_status() is S.sent


@pytest.mark.parametrize("status", list(S))
def test_a_receipt_moves_only_a_sent_message(status: MessageStatus) -> None:
    # What exchange.transport.delivery did by hand: `if status is sent: status = delivered`.
    opening = request(status=status)
    moved = threads.transport(opening, "receipt")
    assert (moved, opening.status) == ((True, S.delivered) if status is S.sent else (False, status))


@pytest.mark.parametrize("status", list(S))
def test_giving_up_a_delivery_expires_any_open_message_and_no_closed_one(
    status: MessageStatus,
) -> None:
    # An answer may come in before the receipt of a request that then never is acknowledged:
    # the request still expires, as it did. A refused or withdrawn one stays as it is.
    opening = request(status=status)
    moved = threads.transport(opening, "expire")
    closed = status in {S.refused, S.withdrawn, S.expired}
    assert (moved, opening.status) == ((False, status) if closed else (True, S.expired))


def apply(opening: Message, kind: MessageType, *, by_requester: bool, **content: Any) -> None:
    threads.check_can_add(opening, kind, by_requester=by_requester)
    threads.apply(opening, kind, content, by_requester=by_requester)


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (T.reply, S.answered),
        (T.acknowledgement, S.acknowledged),
        (T.refusal, S.refused),
        (T.progress_report, S.in_progress),
    ],
)
def test_the_requested_side_may_answer(kind: MessageType, status: MessageStatus) -> None:
    opening = request()
    apply(opening, kind, by_requester=False)
    assert opening.status is status


def test_the_requested_side_cannot_withdraw_the_request() -> None:
    opening = request()
    with pytest.raises(Conflict) as caught:
        threads.check_can_add(opening, T.withdrawal, by_requester=False)
    assert caught.value.field == "type"


def test_the_requester_may_add_to_its_request_without_answering_it() -> None:
    opening = request()
    apply(opening, T.reply, by_requester=True)
    assert opening.status is S.delivered


def test_the_requester_may_withdraw_its_request() -> None:
    opening = request(status=S.in_progress)
    apply(opening, T.withdrawal, by_requester=True)
    assert opening.status is S.withdrawn


@pytest.mark.parametrize("kind", [T.acknowledgement, T.refusal, T.progress_report])
def test_the_requester_cannot_answer_its_own_request(kind: MessageType) -> None:
    with pytest.raises(Conflict):
        threads.check_can_add(request(), kind, by_requester=True)


@pytest.mark.parametrize("closed", [S.refused, S.withdrawn, S.expired])
@pytest.mark.parametrize(
    ("kind", "by_requester"),
    [(T.reply, False), (T.reply, True), (T.acknowledgement, False), (T.withdrawal, True)],
)
def test_nothing_is_added_to_a_closed_request(
    closed: MessageStatus, kind: MessageType, by_requester: bool
) -> None:
    with pytest.raises(Conflict) as caught:
        threads.check_can_add(request(status=closed), kind, by_requester=by_requester)
    assert caught.value.field == "reply_to"


def test_status_only_moves_forward() -> None:
    opening = request()
    apply(opening, T.reply, by_requester=False)
    threads.advance(opening, S.delivered)  # a late delivery receipt
    apply(opening, T.acknowledgement, by_requester=False)  # a late acknowledgement
    apply(opening, T.progress_report, by_requester=False)
    assert opening.status is S.answered


def test_a_final_status_is_not_left() -> None:
    opening = request(status=S.refused)
    threads.advance(opening, S.answered)
    threads.apply(opening, T.reply, {}, by_requester=False)
    assert opening.status is S.refused


def test_accepting_a_transnational_referral_records_the_decision() -> None:
    opening = request(T.transnational_referral)
    apply(opening, T.acknowledgement, by_requester=False, decision="accepted")
    assert (opening.status, opening.decision) == (S.acknowledged, "accepted")


def test_a_decision_on_a_request_that_is_not_a_referral_is_not_recorded() -> None:
    opening = request(T.mla_request)
    apply(opening, T.acknowledgement, by_requester=False, decision="accepted")
    assert (opening.status, opening.decision) == (S.acknowledged, None)


def test_acknowledging_without_a_decision_decides_nothing() -> None:
    opening = request(T.transnational_referral)
    apply(opening, T.acknowledgement, by_requester=False)
    assert opening.decision is None


def test_refusing_a_transnational_referral_declines_it() -> None:
    opening = request(T.transnational_referral)
    apply(opening, T.refusal, by_requester=False, ground_kind="declined_referral")
    assert (opening.status, opening.decision) == (S.refused, "declined")


def test_refusing_another_request_decides_nothing() -> None:
    opening = request(T.mla_request)
    apply(opening, T.refusal, by_requester=False)
    assert (opening.status, opening.decision) == (S.refused, None)


# --- the same rules across two nodes ----------------------------------------------------------


@pytest.fixture
def nodes(database: Database, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    with two_nodes(database, tmp_path) as pair:
        yield pair


def test_a_reply_answers_the_request_on_both_nodes(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    asked = send(a, T.information_request, information_request(), to="TN")
    assert deliver(a, b).delivered == 1
    replied = send(b, T.reply, {"text": "The line belongs to a shop in Sfax."}, reply_to=asked)
    assert deliver(b, a).delivered == 1
    for node in (a, b):
        opening = message(node, asked)
        assert opening is not None and opening.status is S.answered
    answer = message(a, replied)
    assert answer is not None and answer.thread_id == asked and answer.reply_to == asked


def test_after_a_refusal_neither_side_can_add_to_the_request(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    asked = send(a, T.information_request, information_request(), to="TN")
    deliver(a, b)
    send(b, T.refusal, {"ground_kind": "not_competent", "grounds": "Ask EG."}, reply_to=asked)
    deliver(b, a)
    with pytest.raises(Conflict):
        send(b, T.reply, {"text": "After all, here it is."}, reply_to=asked)
    with pytest.raises(Conflict):
        send(a, T.withdrawal, {"reason": "No longer needed."}, reply_to=asked)


def test_the_receiving_node_refuses_a_withdrawal_from_the_requested_side(
    nodes: tuple[Node, Node],
) -> None:
    a, b = nodes
    asked = send(a, T.information_request, information_request(), to="TN")
    deliver(a, b)
    raw = craft(
        b,
        a,
        kind="withdrawal",
        content={"reason": "We withdraw your request."},
        reply_to=str(asked),
        thread=str(asked),
    )
    response = post_envelope(a, raw)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "envelope_content"
    opening = message(a, asked)
    assert opening is not None and opening.status is S.delivered
