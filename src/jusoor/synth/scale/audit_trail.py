"""The audit writer of the scale loader: events chained onto the keyed chain, in bulk.

Rows are written as chained events (`jusoor.audit.models` documents the row format): each gets the
next `seq` after the table's largest (its row number) and the next `link` after `audit_head`
(its chain position), and is hashed exactly as the appender chains an event
(`audit.chain.keyed_hash` under the primary audit key, over the canonical payload with `seq` and
`link`, after the previous hash). Events still pending when the load starts are chained first, so
the loaded ones follow them; the head, locked for the load, is moved to the last event at the end,
and on PostgreSQL the identity of `seq` is moved past the loaded rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from jusoor.audit.appender import chain_pending
from jusoor.audit.chain import canonical_json, keyed_hash
from jusoor.audit.keys import audit_keyring
from jusoor.audit.models import AuditEvent, AuditHead
from jusoor.audit.verification import HEAD_ID
from jusoor.synth.scale.tables import Row


class AuditChain:
    def __init__(self, session: Session) -> None:
        self.keys = audit_keyring()
        self.kid = self.keys.primary_kid
        # Whatever is pending is chained first (and the head locked until the load commits).
        chain_pending(session, limit=None, keys=self.keys)
        head = session.get(AuditHead, HEAD_ID)
        assert head is not None  # chain_pending made it if there was none
        self.head = head
        self.link, self.prev = head.last_seq, head.last_hash
        self.seq = int(session.scalar(select(func.coalesce(func.max(AuditEvent.seq), 0))) or 0)

    def seal(
        self,
        *,
        event_id: uuid.UUID,
        at: dt.datetime,
        actor_id: uuid.UUID | None,
        username: str,
        agency_id: uuid.UUID | None,
        country: str | None,
        action: str,
        object_type: str | None = None,
        object_id: str | None = None,
        details: dict[str, Any] | None = None,
        outcome: str = "success",
        client_addr: str | None = None,
        request_id: str | None = None,
    ) -> Row:
        """The next event of the chain, as a row of `audit_events`."""
        self.seq += 1
        self.link += 1
        row: Row = {
            "seq": self.seq,
            "id": event_id,
            "at": at,
            "actor_id": actor_id,
            "actor_username": username,
            "agency_id": agency_id,
            "country": country,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "outcome": outcome,
            "client_addr": client_addr,
            "request_id": request_id,
            "details": canonical_json(details or {}),
            "link": self.link,
            "prev_hash": self.prev,
            "key_id": self.kid,
        }
        event = cast(AuditEvent, SimpleNamespace(**row))
        row["hash"] = self.prev = keyed_hash(self.keys, self.kid, self.prev, event)
        return row

    def close(self, session: Session) -> None:
        """Move the head to the last event sealed (in the load's transaction)."""
        self.head.last_seq, self.head.last_hash = self.link, self.prev
        session.flush()
        if session.get_bind().dialect.name == "postgresql":
            # Should `seq` come from a sequence, the next event must follow the loaded ones.
            found = session.scalar(text("SELECT pg_get_serial_sequence('audit_events', 'seq')"))
            if found:
                session.execute(text("SELECT setval(:s, :v)"), {"s": found, "v": self.seq})
