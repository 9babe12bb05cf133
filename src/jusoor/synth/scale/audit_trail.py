"""The audit writer of the scale loader: events sealed onto the keyed chain, in bulk.

Each event is sealed exactly as `audit.service.record` seals it (`audit.chain.keyed_hash` under the
primary audit key, over the event's canonical payload and the previous hash), after the current
head, which is locked for the load and moved to the last event at the end. Kept in this one
module so that a change of the audit table (a `link` column, `seq` assigned by the database) is
adapted here: when `audit_events` has a `link` column, it is written as `seq`; when `seq`
comes from a sequence, the sequence is moved past the loaded events.
"""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from jusoor.audit.chain import GENESIS, canonical_json, keyed_hash
from jusoor.audit.keys import audit_keyring
from jusoor.audit.models import AuditEvent, AuditHead
from jusoor.audit.verification import HEAD_ID
from jusoor.synth.scale.tables import Row


class AuditChain:
    def __init__(self, session: Session) -> None:
        self.keys = audit_keyring()
        self.kid = self.keys.primary_kid
        head = session.scalars(
            select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
        ).first()
        if head is None:
            head = AuditHead(id=HEAD_ID, last_seq=0, last_hash=GENESIS)
            session.add(head)
            session.flush()
        self.head = head
        self.seq, self.prev = head.last_seq, head.last_hash
        columns = {c["name"] for c in inspect(session.connection()).get_columns("audit_events")}
        self.has_link = "link" in columns

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
            "prev_hash": self.prev,
            "key_id": self.kid,
        }
        event = cast(AuditEvent, SimpleNamespace(**row))
        row["hash"] = self.prev = keyed_hash(self.keys, self.kid, self.prev, event)
        if self.has_link:
            row["link"] = self.seq
        return row

    def close(self, session: Session) -> None:
        """Move the head to the last event sealed (in the load's transaction)."""
        self.head.last_seq, self.head.last_hash = self.seq, self.prev
        session.flush()
        if session.get_bind().dialect.name == "postgresql":
            # Should `seq` come from a sequence, the next event must follow the loaded ones.
            found = session.scalar(text("SELECT pg_get_serial_sequence('audit_events', 'seq')"))
            if found:
                session.execute(text("SELECT setval(:s, :v)"), {"s": found, "v": self.seq})
