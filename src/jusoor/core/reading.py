"""Reading units of work on SQLite: read without the writer's lock, hold it only for the write.

Every ordinary transaction on SQLite opens with `BEGIN IMMEDIATE` (`core.db`): it holds the single
writer's lock from its first statement to its commit, so a page that reads for a long time and
writes one audit event at the end makes every person who saves meanwhile wait. A *reading* unit of
work (`Database.reading()`) opens `BEGIN` (deferred) instead: a WAL snapshot that no writer waits
for and that waits for no writer.

Its first write does not upgrade that snapshot in place. SQLite refuses such an upgrade at once
with SQLITE_BUSY_SNAPSHOT whenever another writer committed since the snapshot began (the busy
timeout does not apply), which on a busy node is most of the time. Instead the read transaction
is ended (a COMMIT of nothing) and a write transaction opened with `BEGIN IMMEDIATE`, which waits
its bounded turn like any writer.

The write phase may insert (audit events, rows that depend on nothing read). Changing or deleting
a row loaded in the read phase would be writing over an older snapshot: it is let through only
when no other writer committed since the read began (`PRAGMA data_version`; exactly when SQLite
would have allowed the upgrade), and otherwise refused with `StaleWrite`, answered as "busy, try
again" — unless the unit of work was opened with `blind_writes=True` for last-writer-wins stamps
such as a session's last-seen time. Routes that read-modify-write on GET are marked
`web.deps.writes` and get an ordinary unit of work. Rows locked for update (`with_for_update`, as
the audit chain's head is) are always read again in the write phase, over what the session holds.

A write starts the write phase when the session flushes anything, when a statement is DML, or
when a SELECT asks for row locks (`with_for_update`: on SQLite the only lock is the writer's).
On PostgreSQL nothing here applies: a reading unit of work is an ordinary transaction (MVCC
readers never block writers there).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

log = logging.getLogger("jusoor.db")

READING = "jusoor_reading"  # the engine execution option that makes a transaction deferred
BLIND_WRITES = "jusoor_blind_writes"  # Session.info key: rows read may be stamped over
LATE_WRITES = "jusoor_late_writes"  # Session.info key: appends made just before the commit
_STATE = "jusoor_reading_state"  # Connection.info key, for the open reading transaction
_READS = ("SELECT", "WITH", "PRAGMA", "RELEASE", "ROLLBACK", "EXPLAIN", "VALUES")


class StaleWrite(RuntimeError):
    """A reading unit of work changed a row it read, and another writer committed since it read:
    the change might overwrite theirs, so it is refused (SQLite's SQLITE_BUSY_SNAPSHOT, made
    explicit). It is answered like a busy node: nothing saved, try again."""


@dataclass
class _Reading:
    version: int  # PRAGMA data_version when the read began: moves when another connection commits
    session: Session | None = None
    writing: bool = False


def _raw(conn: Connection) -> sqlite3.Connection:
    # The driver's own connection: these statements are the transaction's plumbing, kept out of
    # SQLAlchemy's events (and so out of the statement counts of the N+1 tests).
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _data_version(raw: sqlite3.Connection) -> int:
    return int(raw.execute("PRAGMA data_version").fetchone()[0])


def begin(conn: Connection) -> bool:
    """Open the transaction of `conn` deferred if it belongs to a reading unit of work."""
    if not conn.get_execution_options().get(READING):
        return False
    raw = _raw(conn)
    raw.execute("BEGIN")
    conn.info[_STATE] = _Reading(version=_data_version(raw))
    return True


def _state(conn: Connection) -> _Reading | None:
    state = conn.info.get(_STATE)
    return state if isinstance(state, _Reading) else None


def _changed(session: Session) -> list[object]:
    return [o for o in session.dirty if session.is_modified(o)] + list(session.deleted)


def start_writing(conn: Connection, state: _Reading, *, opening_savepoint: bool = False) -> None:
    """End the read snapshot and take the writer's lock (waiting at most the busy timeout).

    A SAVEPOINT starts the write phase before it is made (savepoints are for writes, and the
    commit that ends the snapshot would release one made before)."""
    session = state.session
    stale = session is not None and bool(_changed(session)) and not session.info[BLIND_WRITES]
    if conn.in_nested_transaction() and not opening_savepoint:
        raise RuntimeError("a reading unit of work cannot start writing inside a savepoint")
    raw = _raw(conn)
    state.writing = True
    raw.execute("COMMIT")
    try:
        with watched_wait():
            raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:  # busy past the timeout: the caller's busy answer
        raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
    if stale:
        # Changes to rows read in the snapshot: safe only if no one committed since it began,
        # which is when SQLite itself would have let the snapshot become a write transaction.
        log.warning("a reading unit of work changes rows it read (use unit_of_work for it)")
        if _data_version(raw) != state.version:
            raise StaleWrite("rows read by this unit of work were changed by another writer")


LOOP_WAIT_WARNING = 0.2  # seconds


@contextmanager
def watched_wait() -> Iterator[None]:
    """Around a wait for SQLite's writer's lock: warn when it was waited for on a thread that runs
    an asyncio event loop. Every request of that process waited with it, including the holder if
    it needed the loop to finish and commit (then the wait ends only at the busy bound): the
    writing unit should have been opened in a worker thread (`web.deps.db_session`)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        yield
        return
    started = time.monotonic()
    try:
        yield
    finally:
        waited = time.monotonic() - started
        if waited > LOOP_WAIT_WARNING:
            log.warning(
                "SQLite's writer's lock was waited for %.1f s on the event loop's thread", waited
            )


def _is_write(statement: Any) -> bool:
    if getattr(statement, "is_dml", False):
        return True
    return getattr(statement, "_for_update_arg", None) is not None


def install(engine: Engine) -> None:
    """Listen on a SQLite engine for the write phase of its reading transactions."""

    @event.listens_for(engine, "before_execute")
    def _before_execute(conn: Connection, clause: Any, *_args: Any) -> None:
        state = _state(conn)
        if state is not None and not state.writing and _is_write(clause):
            start_writing(conn, state)

    @event.listens_for(engine, "before_cursor_execute")
    def _before_cursor(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        # A safety net for text SQL: anything that is not plainly a read starts the write phase.
        state = _state(conn)
        if state is None or state.writing:
            return
        words = statement.lstrip().split(None, 1)
        first = words[0].upper() if words else ""
        if first and first not in _READS:
            start_writing(conn, state, opening_savepoint=first == "SAVEPOINT")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _end(conn: Connection) -> None:
        conn.info.pop(_STATE, None)


def write_late(session: Session, write: Callable[[Session], None]) -> bool:
    """In a reading unit of work on SQLite that is still reading, keep `write` (an append, such
    as a page's audit event) for just before the commit and answer True: the writer's lock is
    then taken for the commit's last moment instead of from the append to the end of the page.
    False anywhere else (PostgreSQL, an ordinary unit of work, a unit already writing): the
    caller writes now."""
    if BLIND_WRITES not in session.info:  # not a reading unit of work
        return False
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    state = _state(session.connection())
    if state is None or state.writing:
        return False
    session.info.setdefault(LATE_WRITES, []).append(write)
    return True


def still_reading(session: Session) -> bool:
    """Whether `session` is a reading unit of work on SQLite that has not started writing (its
    writes so far, if any, are kept for the commit: `write_late`)."""
    if BLIND_WRITES not in session.info:
        return False
    if session.get_bind().dialect.name != "sqlite":
        return False
    state = _state(session.connection())
    return state is not None and not state.writing


class WroteAtOnce(RuntimeError):
    """A step of a page read on SQLite wrote at once (not late) and then failed: without a
    savepoint its writes cannot be undone alone, so the whole request is rolled back."""


@contextmanager
def tentatively(session: Session) -> Iterator[None]:
    """A step whose writes are undone if it fails, while the unit of work goes on.

    Usually a savepoint. On SQLite a savepoint is a write, so a page read (a reading unit of work
    that has not written) would take the node's only writer's lock for the rest of the page: a
    dashboard counting for seconds kept people who save waiting past the busy bound. There the
    step's late writes (its audit events) are dropped instead; if it wrote at once after all and
    fails, `WroteAtOnce` rolls the whole request back."""
    if not still_reading(session):
        with session.begin_nested():
            yield
        return
    kept = len(session.info.get(LATE_WRITES, ()))
    try:
        yield
    except Exception as exc:
        if not still_reading(session):
            raise WroteAtOnce("a page read wrote at once, then failed") from exc
        del session.info.get(LATE_WRITES, [])[kept:]
        raise


def install_sessions(sessions: sessionmaker[Session]) -> None:
    """Tie a reading sessionmaker's sessions to their transactions' state."""

    @event.listens_for(sessions, "before_commit")
    def _late_writes(session: Session) -> None:
        late = session.info.pop(LATE_WRITES, None)
        for write in late or ():
            write(session)

    @event.listens_for(sessions, "after_rollback")
    def _no_late_writes(session: Session) -> None:
        session.info.pop(LATE_WRITES, None)  # rolled back with the rest of the unit

    @event.listens_for(sessions, "after_begin")
    def _after_begin(session: Session, _transaction: Any, conn: Connection) -> None:
        state = _state(conn)
        if state is not None:
            state.session = session

    @event.listens_for(sessions, "do_orm_execute")
    def _locked_rows_fresh(state: ORMExecuteState) -> None:
        if state.is_select and getattr(state.statement, "_for_update_arg", None) is not None:
            state.update_execution_options(populate_existing=True)

    @event.listens_for(sessions, "before_flush")
    def _before_flush(session: Session, *_args: Any) -> None:
        if not (session.new or session.dirty or session.deleted):
            return
        conn = session.connection()
        state = _state(conn)
        if state is not None and not state.writing:
            start_writing(conn, state)
