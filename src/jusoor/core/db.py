"""Database plumbing: declarative base, engine, sessions and the unit of work.

One schema runs on SQLite (embedded default) and PostgreSQL. Services never commit: the request or
CLI command that calls them is the unit of work, so a change and its audit event land together.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from jusoor.core import reading
from jusoor.core.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores UTC; always hands back timezone-aware UTC datetimes, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[dt.datetime]:
        return dt.datetime  # what keyset cursors read to type a sort-key column

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, a bounded busy wait and serialised
    writers; PostgreSQL a bounded lock wait (`settings.pg_lock_timeout_ms`).

    Statement parameters are kept out of error messages and logs: they carry searched names,
    token digests and other protected values, and a logged error must not (ASVS 4.0.3 V7.1.1)."""
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        if engine.url.database not in (None, "", ":memory:"):
            make_private(Path(engine.url.database))
        _configure_sqlite(engine)
        return engine
    # Each process's pool: a web worker runs up to 40 requests at once in its thread pool (anyio),
    # and one without a connection waits (pool_timeout) rather than failing (docs/SCALE.md).
    settings = get_settings()
    kwargs.setdefault("pool_size", settings.db_pool_size)
    kwargs.setdefault("max_overflow", settings.db_pool_overflow)
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    _configure_postgresql(engine)
    return engine


def make_private(database: Path) -> None:
    """Create the SQLite file readable by its owner only (0600), or tighten it, and its journals.

    The file holds victims' data; SQLite gives new -wal and -shm files the mode of the database
    file, so creating that one 0600 keeps them private too (ASVS 4.0.3 V1.6.2, V14.1.x: stored
    data protected by the operating system's access control as well as by encryption)."""
    if not database.parent.is_dir():
        return  # SQLite reports the missing directory itself
    # Only ever open a file that does not exist yet. Closing any descriptor of an open database
    # drops every POSIX lock this process holds on it (fcntl semantics), so a second engine in a
    # process whose first engine is mid-transaction (`serve` starts its delivery and checkpoint
    # threads beside the app) would let another process write at the same time and corrupt the
    # file ("database disk image is malformed"); SQLite's own documentation warns of this.
    # An existing file is only stat-ed and chmod-ed below, never opened.
    with contextlib.suppress(FileExistsError):
        os.close(os.open(database, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    for path in (database, *(Path(f"{database}{s}") for s in ("-wal", "-shm", "-journal"))):
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(0o600)
        except FileNotFoundError:
            continue
        except PermissionError:  # not ours (a shared volume): leave it, SQLite still works
            continue


def _busy_ms() -> int:
    from jusoor.core.config import get_settings  # settings may change between test engines

    return max(0, int(get_settings().sqlite_busy_ms))


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions (so BEGIN IMMEDIATE below is honoured).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        # A writer waits this long for the lock, then the person is told the node is busy
        # (web.errors): never an unbounded hang (issue 18, item 5).
        cur.execute(f"PRAGMA busy_timeout={_busy_ms()}")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # SQLite allows one writer; taking the write lock at BEGIN avoids read-then-write upgrade
        # failures under concurrency and keeps the audit hash chain strictly sequential. A reading
        # unit of work opens deferred and takes the lock only for its write (core.reading).
        if not reading.begin(conn):
            with reading.watched_wait():
                conn.exec_driver_sql("BEGIN IMMEDIATE")

    reading.install(engine)


def _configure_postgresql(engine: Engine) -> None:
    from jusoor.core.config import get_settings

    lock_ms = max(0, int(get_settings().pg_lock_timeout_ms))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # A row or table lock is waited for at most this long, then `is_busy` errors answer
        # "busy, try again" (the same bound as SQLite's writer lock).
        autocommit = dbapi_conn.autocommit
        dbapi_conn.autocommit = True
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = {lock_ms}")
        dbapi_conn.autocommit = autocommit


# SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), extended codes included (low byte).
_SQLITE_BUSY = {5, 6}
# PostgreSQL: lock_not_available (lock_timeout), query_canceled (statement_timeout),
# deadlock_detected, serialization_failure.
_PG_BUSY = {"55P03", "57014", "40P01", "40001"}


def is_busy(exc: BaseException) -> bool:
    """Whether a database error means "another writer holds what this one needs; try again"
    rather than a database that is down or a bug."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_BUSY
    if getattr(orig, "sqlstate", None) in _PG_BUSY:
        return True
    text = str(orig).lower()
    return "database is locked" in text or "database table is locked" in text


class Database:
    """An engine and its session factory; one per process (or per test database)."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        reader = self.engine.execution_options(**{reading.READING: True})
        self.reading_sessions = sessionmaker(reader, expire_on_commit=False)
        reading.install_sessions(self.reading_sessions)

    @contextmanager
    def unit_of_work(self, *, statement_timeout_ms: int = 0) -> Iterator[Session]:
        """A session whose changes are committed together on success and rolled back on error.

        On SQLite it holds the writer's lock from its first statement (BEGIN IMMEDIATE)."""
        with self._committed(self.sessions(), statement_timeout_ms) as session:
            yield session

    @contextmanager
    def reading(
        self, *, blind_writes: bool = False, statement_timeout_ms: int = 0
    ) -> Iterator[Session]:
        """A unit of work that reads, then at most appends (its audit events): on SQLite it
        takes no lock while it reads and the writer's lock only for its write (core.reading).

        It must not change rows it read (`reading.StaleWrite`), unless `blind_writes` says that
        last-writer-wins stamps are meant."""
        session = self.reading_sessions()
        session.info[reading.BLIND_WRITES] = blind_writes
        with self._committed(session, statement_timeout_ms) as session:
            yield session

    @contextmanager
    def _committed(self, session: Session, statement_timeout_ms: int) -> Iterator[Session]:
        try:
            if statement_timeout_ms > 0 and self.engine.dialect.name == "postgresql":
                # On the driver's connection, inside the transaction: plumbing, not a query of
                # the page (kept out of the statement counts of the N+1 tests).
                raw = session.connection().connection.driver_connection
                assert raw is not None
                raw.execute(
                    "SELECT set_config('statement_timeout', %s, true)", (str(statement_timeout_ms),)
                )
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
