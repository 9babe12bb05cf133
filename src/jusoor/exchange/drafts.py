"""Drafts: a request being written, kept on this node only until it is sent.

A draft is not checked (it may be half written) and never leaves the node: it has no envelope
and no outbox entry. Sending it validates the whole request, seals it and queues it as a new
message; the draft is then removed. Only its author, or another liaison officer, sees it. Another
domain may prepare a draft for the liaison officers (`prepare_draft`, e.g. a request abroad from
an investigation file); whoever sends it sends it with exchange.send, as any other.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.ids import uuid7
from jusoor.core.permissions import Actor
from jusoor.exchange import extensions
from jusoor.exchange.models import Message
from jusoor.exchange.transport.outbox import author_of, send
from jusoor.exchange.vocabulary import Direction, MessageStatus, MessageType

DRAFTABLE = frozenset(
    {
        MessageType.mla_request,
        MessageType.information_request,
        MessageType.spontaneous_information,
    }
)
KEPT = dt.timedelta(days=365)  # a draft is not delivered; this only fills the column


def get_draft(session: Session, *, actor: Actor, draft_id: str | uuid.UUID) -> Message:
    actor.require("exchange.send")
    try:
        key = draft_id if isinstance(draft_id, uuid.UUID) else uuid.UUID(str(draft_id))
    except ValueError:
        raise NotFound(_("No such draft.")) from None
    draft = session.get(Message, key)
    if draft is None or draft.status is not MessageStatus.draft:
        raise NotFound(_("No such draft."))
    return draft


def notes(session: Session, draft_id: str) -> list[str]:
    """What other domains say a draft serves (for a page that already required exchange.send);
    nothing for an id that is not a draft."""
    try:
        draft = session.get(Message, uuid.UUID(draft_id)) if draft_id else None
    except ValueError:
        return []
    if draft is None or draft.status is not MessageStatus.draft:
        return []
    return extensions.draft_notes(session, draft)


def draft_values(draft: Message) -> dict[str, Any]:
    """The form as it was saved, with the country chosen."""
    values = json.loads(draft.body or "{}")
    return {**(values if isinstance(values, dict) else {}), "to": draft.peer}


def save_draft(
    session: Session,
    *,
    actor: Actor,
    kind: MessageType,
    to: str,
    values: dict[str, Any],
    draft_id: str | uuid.UUID | None = None,
) -> Message:
    """Keep what was typed so far (nothing is checked but the kind of request)."""
    actor.require("exchange.send")
    draft = get_draft(session, actor=actor, draft_id=draft_id) if draft_id is not None else None
    return _keep(session, actor=actor, kind=kind, to=to, values=values, draft=draft)


def prepare_draft(
    session: Session, *, actor: Actor, kind: MessageType, to: str, values: dict[str, Any]
) -> Message:
    """A new draft prepared by another domain's service for the liaison officers to check and
    send (a request abroad prepared from an investigation file). The calling service has checked
    the preparer's own right on what the draft serves; nothing leaves the node until a person
    with exchange.send sends it (the central authority, UNTOC art. 18(13))."""
    return _keep(session, actor=actor, kind=kind, to=to, values=values, draft=None)


def _keep(
    session: Session,
    *,
    actor: Actor,
    kind: MessageType,
    to: str,
    values: dict[str, Any],
    draft: Message | None,
) -> Message:
    if kind not in DRAFTABLE:
        raise Invalid("type", _("%(value)s messages cannot be kept as drafts.", value=kind.value))
    now = utcnow().replace(microsecond=0)
    if draft is None:
        new_id = uuid7()
        draft = Message(
            id=new_id,
            direction=Direction.outgoing,
            thread_id=new_id,
            status=MessageStatus.draft,
            created_at=now,
            author=author_of(actor),
            author_id=actor.user_id,
        )
        session.add(draft)
    draft.type = kind
    draft.peer = (to or "").strip().upper()[:16]
    draft.subject = str(values.get("subject") or "")[:200]
    draft.body = json.dumps(values, ensure_ascii=False)
    draft.expires_at = now + KEPT
    draft.updated_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.draft.saved",
        object_type="exchange_message",
        object_id=draft.id,
        details={"type": kind.value, "to": draft.peer},
    )
    return draft


def saved_body(draft: Message) -> dict[str, Any]:
    """The request as the draft holds it, for sending it unchanged: empty fields left out (as a
    form leaves them), so that validation names what is missing."""
    values = json.loads(draft.body or "{}")
    if not isinstance(values, dict):
        return {}
    return {k: v for k, v in values.items() if v not in ("", None, [], False)}


def send_draft(
    session: Session,
    *,
    actor: Actor,
    draft_id: str | uuid.UUID,
    to: str,
    data: dict[str, Any],
) -> Message:
    """Validate and queue the request written in a draft; the draft is removed."""
    draft = get_draft(session, actor=actor, draft_id=draft_id)
    message = send(session, actor=actor, to=to, kind=draft.type, data=data)
    extensions.draft_sent(session, actor=actor, draft_id=draft.id, message=message)
    audit.record(
        session,
        actor=actor,
        action="exchange.draft.sent",
        object_type="exchange_message",
        object_id=draft.id,
        details={"message_id": str(message.id)},
    )
    session.delete(draft)
    session.flush()
    return message
