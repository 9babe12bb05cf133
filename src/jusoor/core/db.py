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
    """Create an engine; SQLite gets WAL, foreign keys, a busy timeout and serialised writers.

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
    return create_engine(url, pool_pre_ping=True, **kwargs)


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


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions (so BEGIN IMMEDIATE below is honoured).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # SQLite allows one writer; taking the write lock at BEGIN avoids read-then-write upgrade
        # failures under concurrency and keeps the audit hash chain strictly sequential.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An engine and its session factory; one per process (or per test database)."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session whose changes are committed together on success and rolled back on error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
