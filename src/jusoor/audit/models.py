"""The audit trail: append-only events chained by keyed hashes (HMAC-SHA256), and its head.

Row format (for anyone writing events without `jusoor.audit.service.record`, e.g. a bulk loader):

- `seq` is the row number the database assigns on insert (SQLite `INTEGER PRIMARY KEY`, PostgreSQL
  an identity column). It orders rows by insertion and keys the audit page's pagination. Leave it
  out of an INSERT (or, in a bulk COPY, give increasing values and move the identity past them).
- A **pending** event (just recorded, not yet on the chain) has `link`, `prev_hash` NULL, `key_id`
  the primary audit key id and `hash` = its seal: `jusoor.audit.chain.seal(keys, kid, event)`, an
  HMAC of the event's fields without `seq`/`link`. The appender (`jusoor.audit.appender`) chains
  pending events in `seq` order, and refuses (leaves pending and reports) one whose seal does not
  verify, so a row slipped into the table behind the application's back is never sealed.
- A **chained** event has `link` (its position on the chain: 1, 2, 3 … without gaps), `prev_hash`
  (the hash of link - 1, or 64 zeros), `key_id` and `hash` = `jusoor.audit.chain.keyed_hash`.
  Chained rows are never changed again.

The simplest correct bulk writer inserts pending rows (seal them) and lets the appender chain them;
one that writes chained rows must also move `audit_head` (`last_seq` = the last link).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Index, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from jusoor.core.db import Base, UTCDateTime

_BIGINT = BigInteger().with_variant(Integer, "sqlite")


class AuditEvent(Base):
    """One thing that happened. `hash` = HMAC-SHA256(audit key `key_id`, prev_hash ‖ the event).

    Rows from before audit keys have `key_id` NULL and a plain SHA-256 hash (jusoor.audit.chain).
    Rows chained before links existed (before migration 0016) have a hash without `link` in it
    (`AuditHead.linked_from`).
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        # The audit page's filters, each newest first by keyset on seq (bench/audit_bench.py).
        Index("ix_audit_events_country_seq", "country", "seq"),
        Index("ix_audit_events_agency_seq", "agency_id", "seq"),
        Index("ix_audit_events_actor_seq", "actor_username", "seq"),
        Index("ix_audit_events_country_actor_seq", "country", "actor_username", "seq"),
        Index("ix_audit_events_object_seq", "object_id", "seq"),
        Index("ix_audit_events_action_seq", "action", "seq"),
        # What the appender has still to chain, oldest first.
        Index(
            "ix_audit_events_pending",
            "seq",
            sqlite_where=text("link IS NULL"),
            postgresql_where=text("link IS NULL"),
        ),
    )

    seq: Mapped[int] = mapped_column(_BIGINT, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    actor_username: Mapped[str] = mapped_column(String(64))
    agency_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    country: Mapped[str | None] = mapped_column(String(2))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))  # success | failure | denied
    client_addr: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    link: Mapped[int | None] = mapped_column(_BIGINT, unique=True)  # position on the chain
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))  # the seal while pending
    key_id: Mapped[str | None] = mapped_column(String(32))  # the audit key that sealed `hash`


class AuditHead(Base):
    """A single row naming the last chained event, so that removing events from the end is found.

    `last_seq` holds the last event's `link` (its name predates links). `linked_from` is the first
    link whose hash covers `link` (events chained before migration 0016 keep their older hash).
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(_BIGINT)
    last_hash: Mapped[str] = mapped_column(String(64))
    linked_from: Mapped[int] = mapped_column(_BIGINT, default=1, server_default="1")
