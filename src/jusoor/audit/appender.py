"""The appender: chains recorded audit events onto the keyed hash chain, in order, shortly after.

Requests record their events *pending* (`jusoor.audit.service.record`: one INSERT, no lock shared
with other requests), so fifty people reading cases at once do not queue on the chain's head.
`chain_pending` then, in one transaction: locks the head row (FOR UPDATE on PostgreSQL; SQLite's
single writer lock), takes the pending events in `seq` (insertion) order, checks each one's seal,
gives it the next `link`, its `prev_hash`, key id and keyed hash, and moves the head. Several
processes may run it at once: the head lock makes them take turns, and a second one finds nothing
left to chain.

Two modes, one chain:

- **inline** (the default: CLI commands, tests, any process without an appender thread):
  `record` chains in the caller's transaction, as before issue 18. The event is on the chain when
  the transaction commits, and audited requests are serialised on the head row.
- **background** (`jusoor serve`, when `JUSOOR_AUDIT_APPEND_SECONDS` > 0): `serve` starts an
  `AppenderThread` and sets `JUSOOR_AUDIT_APPENDER=background` in its environment (inherited by
  worker processes); `record` only inserts, and the thread chains every
  `JUSOOR_AUDIT_APPEND_SECONDS`.

Both call `chain_pending`, so the chain is the same whichever mode wrote it. Order: an event whose
transaction began after another event's transaction committed gets a later `seq`, and it cannot be
chained before that one (which is already visible when it is), so links follow commit causality;
events of concurrent transactions are chained in insertion order. A crash loses nothing: an event
is either committed pending (chained by the next pass) or was never committed; a pass that dies
rolls back whole. Verification counts pending events and reports any older than
`STALE_AFTER` (the appender should have chained it).
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import os
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.chain import GENESIS, keyed_hash, seal
from jusoor.audit.keys import AuditKeyring, audit_keyring
from jusoor.audit.models import AuditEvent, AuditHead
from jusoor.core.db import Database
from jusoor.core.periodic import PeriodicThread

log = logging.getLogger("jusoor.audit")

HEAD_ID = 1
MODE_ENV = "JUSOOR_AUDIT_APPENDER"
BACKGROUND = "background"
BATCH = 2000  # events chained per transaction by the background appender
# On SQLite the appender's transaction holds the node's only writer's lock, and the appender thread
# shares the interpreter lock with the requests it serves: a 2,000-event pass held the writer's lock
# past the 5 s busy bound on a loaded machine, and people saving meanwhile were told "busy". There it
# chains small batches within a time budget and pauses between them, so a waiting writer gets in.
SQLITE_BATCH = 200
SQLITE_BUDGET = 0.1  # seconds of chaining per transaction (the flush of what was chained follows)
SQLITE_PAUSE = 0.05  # seconds between two transactions of one pass
STALE_AFTER = dt.timedelta(minutes=10)
_refused: set[int] = set()  # pending rows already reported as not sealed by Jusoor (log once)


def background() -> bool:
    """True when this process records events pending and an appender chains them."""
    return os.environ.get(MODE_ENV, "") == BACKGROUND


def use_background(enabled: bool = True) -> None:
    """Switch this process (and the workers it starts later) to background chaining."""
    if enabled:
        os.environ[MODE_ENV] = BACKGROUND
    else:
        os.environ.pop(MODE_ENV, None)


def lock_head(session: Session) -> AuditHead:
    """The head row, locked for this transaction and read afresh (never a stale copy)."""
    head = session.scalars(
        select(AuditHead)
        .where(AuditHead.id == HEAD_ID)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if head is None:
        head = AuditHead(id=HEAD_ID, last_seq=0, last_hash=GENESIS, linked_from=1)
        session.add(head)
        session.flush()
    return head


def seal_ok(keys: AuditKeyring, event: AuditEvent) -> bool:
    """Whether a pending event carries the seal `record` gave it (so Jusoor recorded it)."""
    if event.key_id is None or event.hash is None or not keys.has(event.key_id):
        return False
    return hmac.compare_digest(seal(keys, event.key_id, event), event.hash)


@dataclass(frozen=True)
class Appended:
    chained: int
    refused: int  # pending rows whose seal does not verify: left pending, reported by verify
    last_link: int


def chain_pending(
    session: Session,
    *,
    limit: int | None = BATCH,
    keys: AuditKeyring | None = None,
    own: AuditEvent | None = None,
    budget: float | None = None,
) -> Appended:
    """Chain up to `limit` pending events (None: all of them) in `seq` order, in this transaction.

    `own`: an event `record` has just added in this same transaction (inline mode), chained
    without a seal to check (it was never committed unchained). `budget`: stop taking events once
    this many seconds have passed (at least one is chained); the rest wait for the next batch.
    """
    started = time.monotonic()
    keys = keys or audit_keyring()  # before the head lock: a first-use key load does not hold it
    head = lock_head(session)
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.link.is_(None))
        .order_by(AuditEvent.seq)
        .execution_options(populate_existing=True)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    link, prev, kid = head.last_seq, head.last_hash, keys.primary_kid
    chained = refused = 0
    for event in session.scalars(stmt):
        if budget is not None and chained and time.monotonic() - started > budget:
            break
        if event is not own and not seal_ok(keys, event):
            refused += 1
            if event.seq not in _refused:
                _refused.add(event.seq)
                log.error("audit event row %s is not sealed by Jusoor: not chained", event.seq)
            continue
        link += 1
        event.link, event.prev_hash, event.key_id = link, prev, kid
        event.hash = prev = keyed_hash(keys, kid, prev, event)
        chained += 1
    if chained:
        head.last_seq, head.last_hash = link, prev
        session.flush()
    return Appended(chained, refused, link)


def append_once(db: Database, *, limit: int | None = BATCH) -> int:
    """One pass of the background appender: chain what is pending, batch by batch. Events chained.

    On SQLite batches are small and time-bounded, with a pause between them (`SQLITE_BATCH`)."""
    total = 0
    budget: float | None = None
    if db.engine.dialect.name == "sqlite" and limit is not None:
        limit, budget = min(limit, SQLITE_BATCH), SQLITE_BUDGET
    while True:
        with db.unit_of_work() as session:
            done = chain_pending(session, limit=limit, budget=budget)
        total += done.chained
        if limit is None or not done.chained:
            return total
        if budget is None and done.chained + done.refused < limit:
            return total
        if budget is not None:
            time.sleep(SQLITE_PAUSE)


class AppenderThread(PeriodicThread):
    """Runs `append_once` every `interval` seconds inside `jusoor serve` (and once more when
    stopped, so a clean stop leaves nothing pending)."""

    immediate = True
    last_pass = True
    what = "audit appender pass"

    def __init__(self, database_url: str, interval: float) -> None:
        super().__init__("jusoor-audit-appender", database_url, interval)

    def tick(self, db: Database) -> None:
        append_once(db)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after one last pass (nothing left pending); this process records inline again."""
        super().stop(timeout)
        use_background(False)


def start_appender(database_url: str, interval: float) -> AppenderThread:
    """Record pending from now on in this process (and its workers), and start chaining them."""
    use_background()
    thread = AppenderThread(database_url, interval)
    thread.start()
    return thread
