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
its bounded turn like any writer. The write phase may insert (audit events, rows that depend on
nothing read) but must not change or delete a row loaded in the read phase: it was read in an
older snapshot, and the change would overwrite what another writer did meanwhile. A flush that
would raises `StaleWrite` (a programming error: use `unit_of_work()` for read-modify-write),
unless the unit of work was opened with `blind_writes=True` for last-writer-wins stamps such as a
session's last-seen time. Rows locked for update (`with_for_update`, as the audit chain's head is)
are always read again in the write phase, over what the session holds; other objects keep what
the read phase saw (a page shows one snapshot), so do not change them after the write phase began
either: load them again with `populate_existing` first, or use `unit_of_work()`.

A write starts the write phase when the session flushes anything, when a statement is DML, or
when a SELECT asks for row locks (`with_for_update`: on SQLite the only lock is the writer's).
On PostgreSQL nothing here applies: a reading unit of work is an ordinary transaction (MVCC
readers never block writers there).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

READING = "jusoor_reading"  # the engine execution option that makes a transaction deferred
BLIND_WRITES = "jusoor_blind_writes"  # Session.info key: rows read may be stamped over
_STATE = "jusoor_reading_state"  # Connection.info key, for the open reading transaction
_READS = ("SELECT", "WITH", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "EXPLAIN", "VALUES")


class StaleWrite(RuntimeError):
    """A reading unit of work tried to change a row it read before its write phase began."""


@dataclass
class _Reading:
    session: Session | None = None
    writing: bool = False


def begin(conn: Connection) -> bool:
    """Open the transaction of `conn` deferred if it belongs to a reading unit of work."""
    if not conn.get_execution_options().get(READING):
        return False
    conn.exec_driver_sql("BEGIN")
    conn.info[_STATE] = _Reading()
    return True


def _state(conn: Connection) -> _Reading | None:
    state = conn.info.get(_STATE)
    return state if isinstance(state, _Reading) else None


def _changed(session: Session) -> list[object]:
    return [o for o in session.dirty if session.is_modified(o)] + list(session.deleted)


def start_writing(conn: Connection, state: _Reading) -> None:
    """End the read snapshot and take the writer's lock (waiting at most the busy timeout)."""
    session = state.session
    if session is not None and _changed(session) and not session.info.get(BLIND_WRITES):
        raise StaleWrite(
            "a reading unit of work changed rows it read before writing; "
            "use Database.unit_of_work() for read-modify-write"
        )
    if conn.in_nested_transaction():
        raise StaleWrite("a reading unit of work cannot start writing inside a savepoint")
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    state.writing = True
    raw.execute("COMMIT")
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:  # busy past the timeout: the caller's busy answer
        raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc


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
        if words and words[0].upper() not in _READS:
            start_writing(conn, state)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _end(conn: Connection) -> None:
        conn.info.pop(_STATE, None)


def install_sessions(sessions: sessionmaker[Session]) -> None:
    """Tie a reading sessionmaker's sessions to their transactions' state."""

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
