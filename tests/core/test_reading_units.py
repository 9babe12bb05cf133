"""Reading units of work and bounded waits (issue 18, item 5).

On SQLite a reading unit of work neither waits for the writer's lock nor holds it while it reads;
its write (an audit event) takes the lock only for the write, even when other writers committed
since it read (no SQLITE_BUSY_SNAPSHOT); it never changes a row it read over someone else's
change. Every wait for a lock is bounded, on SQLite and on PostgreSQL, and recognised as "busy".
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Integer, String, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from jusoor.core.config import get_settings
from jusoor.core.db import Database, is_busy
from jusoor.core.reading import StaleWrite

BUSY_MS = 300
BOUND = BUSY_MS / 1000 + 10  # generous: the machine is shared


class _Base(DeclarativeBase):
    pass


class Row(_Base):
    __tablename__ = "rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[str] = mapped_column(String(20))


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("JUSOOR_SQLITE_BUSY_MS", str(BUSY_MS))
    get_settings.cache_clear()
    database = Database(f"sqlite:///{tmp_path / 'rows.db'}")
    _Base.metadata.create_all(database.engine)
    with database.unit_of_work() as session:
        session.add_all([Row(id=1, value="a"), Row(id=2, value="b")])
    yield database
    database.dispose()


def _writer(path: str) -> sqlite3.Connection:
    """Another connection (as another process would be) holding the writer's lock."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE rows SET value = 'locked' WHERE id = 2")
    return conn


def _path(db: Database) -> str:
    return str(db.engine.url.database)


def test_a_reading_unit_of_work_reads_while_another_writer_holds_the_lock(db: Database) -> None:
    other = _writer(_path(db))
    started = time.monotonic()
    with db.reading() as session:
        assert session.scalars(select(Row.value).order_by(Row.id)).all() == ["a", "b"]
    assert time.monotonic() - started < BUSY_MS / 1000  # it did not wait for the lock
    other.rollback()


def test_a_writer_does_not_wait_for_a_reading_unit_of_work(db: Database) -> None:
    with db.reading() as session:
        assert session.get(Row, 1) is not None  # the snapshot is open
        other = sqlite3.connect(_path(db), isolation_level=None, timeout=0)
        other.execute("BEGIN IMMEDIATE")  # would raise "database is locked" if the read held it
        other.execute("UPDATE rows SET value = 'changed' WHERE id = 1")
        other.execute("COMMIT")
        other.close()
        # The read stays one snapshot: it still sees what it saw.
        assert session.scalars(select(Row.value).where(Row.id == 1)).one() == "a"


def test_its_write_lands_after_others_committed_without_busy_snapshot(db: Database) -> None:
    with db.reading() as session:
        assert session.get(Row, 1) is not None
        other = sqlite3.connect(_path(db), isolation_level=None)
        other.execute("UPDATE rows SET value = 'changed' WHERE id = 2")
        other.close()
        session.add(Row(id=3, value="appended"))  # an audit event, as pages write
    with db.unit_of_work() as session:
        assert session.scalars(select(Row.value).order_by(Row.id)).all() == [
            "a",
            "changed",
            "appended",
        ]


def test_a_reading_unit_of_work_never_overwrites_a_change_it_did_not_see(db: Database) -> None:
    with pytest.raises(StaleWrite), db.reading() as session:
        row = session.get(Row, 2)
        assert row is not None
        other = sqlite3.connect(_path(db), isolation_level=None)
        other.execute("UPDATE rows SET value = 'theirs' WHERE id = 2")
        other.close()
        row.value = "mine"
    with db.unit_of_work() as session:
        assert session.scalars(select(Row.value).where(Row.id == 2)).one() == "theirs"
    # With no other writer in between, the same change is what SQLite itself would allow.
    with db.reading() as session:
        row = session.get(Row, 2)
        assert row is not None
        row.value = "mine"
    with db.unit_of_work() as session:
        assert session.scalars(select(Row.value).where(Row.id == 2)).one() == "mine"


def test_rows_locked_for_update_are_read_again_in_the_write_phase(db: Database) -> None:
    with db.reading() as session:
        row = session.get(Row, 2)
        assert row is not None and row.value == "b"
        other = sqlite3.connect(_path(db), isolation_level=None)
        other.execute("UPDATE rows SET value = 'theirs' WHERE id = 2")
        other.close()
        locked = session.scalars(select(Row).where(Row.id == 2).with_for_update()).one()
        assert locked.value == "theirs"  # as the audit chain's head is read before it moves
        locked.value = "after theirs"
    with db.unit_of_work() as session:
        assert session.scalars(select(Row.value).where(Row.id == 2)).one() == "after theirs"


def test_a_write_waits_at_most_the_busy_bound_and_says_busy(db: Database) -> None:
    other = _writer(_path(db))
    for unit in (db.unit_of_work, db.reading):
        started = time.monotonic()
        with pytest.raises(OperationalError) as caught, unit() as session:
            session.add(Row(id=9, value="mine"))
            session.flush()
        waited = time.monotonic() - started
        assert is_busy(caught.value)
        assert BUSY_MS / 1000 * 0.8 <= waited < BOUND
    other.rollback()
    with db.unit_of_work() as session:  # nothing half-written
        assert session.get(Row, 9) is None


def test_a_missing_database_is_not_busy(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    with pytest.raises(OperationalError) as caught, db.unit_of_work() as session:
        session.execute(text("SELECT 1"))
    assert not is_busy(caught.value)
    db.dispose()


@pytest.mark.postgres
def test_postgresql_bounds_a_lock_wait_and_says_busy(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUSOOR_PG_LOCK_TIMEOUT_MS", str(BUSY_MS))
    get_settings.cache_clear()
    db = Database(pg_url)
    _Base.metadata.create_all(db.engine)
    with db.unit_of_work() as session:
        session.add(Row(id=1, value="a"))
    holder = db.sessions()
    holder.execute(text("UPDATE rows SET value = 'held' WHERE id = 1"))  # holds the row lock
    outcome: list[BaseException | None] = []

    def save() -> None:
        try:
            with db.unit_of_work() as session:
                session.execute(text("UPDATE rows SET value = 'mine' WHERE id = 1"))
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    started = time.monotonic()
    worker = threading.Thread(target=save)
    worker.start()
    worker.join(BOUND)
    assert not worker.is_alive() and time.monotonic() - started < BOUND
    holder.rollback()
    holder.close()
    assert isinstance(outcome[0], OperationalError) and is_busy(outcome[0])
    with db.unit_of_work() as session:
        assert session.scalars(select(Row.value)).one() == "a"
        timeout = session.execute(text("SHOW lock_timeout")).scalar_one()
        assert timeout == f"{BUSY_MS}ms"
    with pytest.raises(OperationalError) as slow, db.unit_of_work(statement_timeout_ms=200) as s:
        s.execute(text("SELECT pg_sleep(3)"))
    assert is_busy(slow.value)
    db.dispose()


def test_a_savepoint_starts_the_write_phase_and_rolls_back_alone(db: Database) -> None:
    """Forms act in a savepoint (`web.actions.attempt`): one opened in a reading unit of work
    takes the lock first, and a failure inside it leaves the rest of the unit of work."""
    with db.reading() as session:
        assert session.get(Row, 1) is not None
        with session.begin_nested():
            session.add(Row(id=4, value="kept"))
        with pytest.raises(RuntimeError), session.begin_nested():
            session.add(Row(id=5, value="rolled back"))
            session.flush()
            raise RuntimeError("the call failed")
    with db.unit_of_work() as session:
        assert session.scalars(select(Row.id).order_by(Row.id)).all() == [1, 2, 4]
