"""Extension points of exchange for the domains built on it (investigations).

exchange sits below investigations, so it never imports it. A domain above registers here,
explicitly, from its `domain.py` `register()` (called by `jusoor.domains.register_all`):

- a *draft note* `(session, draft) -> str | None`: a line the liaison officer reads on a draft that
  another domain prepared ("prepared from investigation file INV-MA-2026-00042"), so that the
  person who sends it knows what it serves;
- a *draft-sent listener* `(session, actor=, draft_id=, message=)`: sending a draft queues a new
  message with a new id and removes the draft; whoever pointed at the draft follows the message;
- a *thread-message listener* `(session, opening=, message=)`: a message was added to a thread,
  received from the peer or sent from here (reply, acknowledgement, refusal, progress report,
  withdrawal), after the thread's status moved. It runs in the same transaction as the message:
  a redelivered envelope is not applied again, so it is not heard twice;
- a *thread panel* `(session, actor=, opening=) -> dict` with its template, drawn on the thread
  page under the request. A panel that has nothing for this reader returns `{"visible": False}`.
  Its values may hold `prefill`: field values offered in this side's answer forms.

Listeners raise only on a real fault: an error rolls the received message back, and the sending
node retries, so a bug here is loud rather than a silently lost line.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from jusoor.core.permissions import Actor
from jusoor.exchange.models import Message


class DraftNote(Protocol):
    def __call__(self, session: Session, draft: Message) -> str | None: ...


class DraftSent(Protocol):
    def __call__(
        self, session: Session, *, actor: Actor, draft_id: uuid.UUID, message: Message
    ) -> object: ...


class ThreadMessage(Protocol):
    def __call__(self, session: Session, *, opening: Message, message: Message) -> object: ...


class ThreadPanelBuild(Protocol):
    def __call__(self, session: Session, *, actor: Actor, opening: Message) -> dict[str, Any]: ...


@dataclass(frozen=True)
class ThreadPanel:
    build: ThreadPanelBuild
    template: str  # the registering domain's own template, included with the page's context


_DRAFT_NOTES: dict[str, DraftNote] = {}
_DRAFT_SENT: dict[str, DraftSent] = {}
_THREAD_MESSAGE: dict[str, ThreadMessage] = {}
_THREAD_PANELS: dict[str, ThreadPanel] = {}


def register_draft_note(name: str, note: DraftNote) -> None:
    """Add (or replace) the draft note `name`."""
    _DRAFT_NOTES[name] = note


def register_on_draft_sent(name: str, listener: DraftSent) -> None:
    """Call `listener` each time a draft is sent (registering `name` again replaces it)."""
    _DRAFT_SENT[name] = listener


def register_on_thread_message(name: str, listener: ThreadMessage) -> None:
    """Call `listener` each time a message is added to a thread, either way."""
    _THREAD_MESSAGE[name] = listener


def register_thread_panel(name: str, build: ThreadPanelBuild, *, template: str) -> None:
    """Draw `template` with `build`'s values on every request's thread page."""
    _THREAD_PANELS[name] = ThreadPanel(build, template)


def draft_notes(session: Session, draft: Message) -> list[str]:
    """What the registered domains say about `draft`, in registration order."""
    return [line for note in _DRAFT_NOTES.values() if (line := note(session, draft))]


def draft_sent(session: Session, *, actor: Actor, draft_id: uuid.UUID, message: Message) -> None:
    for listener in _DRAFT_SENT.values():
        listener(session, actor=actor, draft_id=draft_id, message=message)


def thread_message(session: Session, *, opening: Message, message: Message) -> None:
    for listener in _THREAD_MESSAGE.values():
        listener(session, opening=opening, message=message)


def thread_panels(
    session: Session, *, actor: Actor, opening: Message
) -> list[tuple[str, dict[str, Any]]]:
    """(template, values) of every registered panel for this thread, in registration order."""
    return [
        (panel.template, panel.build(session, actor=actor, opening=opening))
        for panel in _THREAD_PANELS.values()
    ]
