"""How a thread moves: which side may send which message, and what each does to the request.

The rules are data (`threads.yaml`, on `core.states`); this module words the refusals, applies
a message to the opening request, on either node, and takes the transport's own moves (`send`,
`receipt`, `expire`, by the node) for exchange.transport, so that every status a message or
thread takes is a transition of the file.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import model_validator

from jusoor.core import state_files, states
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict
from jusoor.core.i18n import gettext as _
from jusoor.exchange.models import Message
from jusoor.exchange.vocabulary import Direction, MessageStatus, MessageType

REQUESTER, REQUESTED, NODE = "requester", "requested", "node"


class ThreadWording:
    """The refusals the exchange pages, API and receiving node have always given."""

    def closed(self, state: str, name: str) -> Exception:
        return Conflict(
            _(
                "This request is closed (%(status)s): nothing more can be added to it.",
                status=state,
            ),
            field="reply_to",
        )

    def unknown(self, state: str, name: str) -> Exception:
        return Conflict(
            _("A %(kind)s cannot be sent by this side of the request.", kind=name), field="type"
        )

    def wrong_side(self, state: str, transition: states.Transition, side: str) -> Exception:
        return self.unknown(state, transition.event)

    def not_from(self, state: str, transition: states.Transition) -> Exception:
        return self.closed(state, transition.event)

    def no_reason(self, transition: states.Transition) -> Exception:
        return ValueError(f"threads.yaml: {transition.name} takes no reason")  # none is required

    def refused(self, transition: states.Transition, problem: str) -> Exception:
        return Conflict(problem, field="type")


class ThreadsFile(state_files.MachineSpec):
    """`threads.yaml`: the machine, and the decisions an answer to a referral records."""

    referral_decision: dict[MessageType, Literal["declined", "accepted_if_stated"]]

    @model_validator(mode="after")
    def _decisions_answer(self) -> ThreadsFile:
        names = {t.name for t in self.transitions}
        for kind in self.referral_decision:
            if kind not in names:
                raise state_files.fail(("referral_decision", kind), "not a thread message", kind)
        return self


MACHINE: states.MachineFile[ThreadsFile, None] = states.machine_file(
    "jusoor.exchange",
    "threads.yaml",
    wording=ThreadWording(),
    sides={REQUESTER, REQUESTED, NODE},
    states=MessageStatus,
    model=ThreadsFile,
)


def _side(by_requester: bool) -> str:
    return REQUESTER if by_requester else REQUESTED


def _answering(kind: MessageType, by_requester: bool) -> states.Transition | None:
    side = _side(by_requester)
    return next(
        (t for t in MACHINE.machine().transitions if t.event == kind and side in t.by), None
    )


def allowed(opening: Message, kind: MessageType, *, by_requester: bool) -> bool:
    """Whether this side may send this kind of message in a thread (open or not)."""
    return _answering(kind, by_requester) is not None


def check_can_add(opening: Message, kind: MessageType, *, by_requester: bool) -> None:
    """Conflict when this message cannot be added to the thread (wrong side, or thread closed)."""
    MACHINE.machine().check(opening.status, kind, side=_side(by_requester))


def requester_is_us(opening: Message) -> bool:
    return opening.direction is Direction.outgoing


def advance(opening: Message, status: MessageStatus) -> None:
    """Move forward only: a late delivery receipt does not undo an answer."""
    if MACHINE.machine().ahead(opening.status, status):
        opening.status = status
        opening.updated_at = utcnow()


def sent_status() -> MessageStatus:
    """The status of a message as it leaves this node: the node's `send` from the initial state."""
    machine = MACHINE.machine()
    target = machine.check(machine.initial, "send", side=NODE).target
    if target is None:
        raise ValueError("threads.yaml: send must name its target state")
    return MessageStatus(target)


def transport(message: Message, name: Literal["receipt", "expire"]) -> bool:
    """Take the node's transition `name` on `message` when its status allows it (a receipt moves
    only a sent message; nothing leaves a terminal state); whether the status moved."""
    transition = MACHINE.machine().transition(name)
    if transition is None or NODE not in transition.by or transition.target is None:
        raise ValueError(f"threads.yaml: {name} must be a node transition with a target state")
    if message.status not in transition.sources:
        return False
    message.status = MessageStatus(transition.target)
    return True


def apply(
    opening: Message, kind: MessageType, content: dict[str, Any], *, by_requester: bool
) -> None:
    """What a thread message does to its request, on either node."""
    opening.updated_at = utcnow()
    transition = _answering(kind, by_requester)
    if transition is None:
        return
    if transition.target is not None:
        advance(opening, MessageStatus(transition.target))
    decision = MACHINE.spec().referral_decision.get(kind)
    if decision is None or opening.type is not MessageType.transnational_referral:
        return
    if decision == "declined":
        opening.decision = "declined"
    elif content.get("decision") == "accepted":
        opening.decision = "accepted"
