"""How a thread moves: which side may send which message, and what each does to the request.

A thread is the opening request and everything that answers it; its status is kept on the opening
message, the same way on both nodes, since both apply the same rule to the same messages.
"""

from __future__ import annotations

from typing import Any

from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict
from jusoor.core.i18n import gettext as _
from jusoor.exchange.models import Message
from jusoor.exchange.vocabulary import (
    FINAL_STATUSES,
    Direction,
    MessageStatus,
    MessageType,
)

# The requested side answers; the requesting side may add to its request or withdraw it.
BY_REQUESTED = frozenset(
    {
        MessageType.reply,
        MessageType.acknowledgement,
        MessageType.refusal,
        MessageType.progress_report,
    }
)
BY_REQUESTER = frozenset({MessageType.reply, MessageType.withdrawal})

_RANK = {
    MessageStatus.draft: 0,
    MessageStatus.sent: 1,
    MessageStatus.delivered: 2,
    MessageStatus.acknowledged: 3,
    MessageStatus.in_progress: 4,
    MessageStatus.answered: 5,
}


def allowed(opening: Message, kind: MessageType, *, by_requester: bool) -> bool:
    return kind in (BY_REQUESTER if by_requester else BY_REQUESTED)


def check_can_add(opening: Message, kind: MessageType, *, by_requester: bool) -> None:
    """Conflict when this message cannot be added to the thread (wrong side, or thread closed)."""
    if opening.status in FINAL_STATUSES:
        raise Conflict(
            _(
                "This request is closed (%(status)s): nothing more can be added to it.",
                status=opening.status.value,
            ),
            field="reply_to",
        )
    if not allowed(opening, kind, by_requester=by_requester):
        raise Conflict(
            _("A %(kind)s cannot be sent by this side of the request.", kind=kind.value),
            field="type",
        )


def requester_is_us(opening: Message) -> bool:
    return opening.direction is Direction.outgoing


def advance(opening: Message, status: MessageStatus) -> None:
    """Move forward only: a late delivery receipt does not undo an answer."""
    if opening.status in FINAL_STATUSES:
        return
    if status in FINAL_STATUSES or _RANK.get(status, 0) > _RANK.get(opening.status, 0):
        opening.status = status
        opening.updated_at = utcnow()


def apply(
    opening: Message, kind: MessageType, content: dict[str, Any], *, by_requester: bool
) -> None:
    """What a thread message does to its request, on either node."""
    opening.updated_at = utcnow()
    if kind is MessageType.withdrawal:
        advance(opening, MessageStatus.withdrawn)
    elif kind is MessageType.refusal:
        advance(opening, MessageStatus.refused)
        if opening.type is MessageType.transnational_referral:
            opening.decision = "declined"
    elif kind is MessageType.acknowledgement:
        advance(opening, MessageStatus.acknowledged)
        is_referral = opening.type is MessageType.transnational_referral
        if is_referral and content.get("decision") == "accepted":
            opening.decision = "accepted"
    elif kind is MessageType.progress_report:
        advance(opening, MessageStatus.in_progress)
    elif kind is MessageType.reply and not by_requester:
        advance(opening, MessageStatus.answered)
