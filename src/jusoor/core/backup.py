"""Encrypted, consistent backups of the whole database, and restores verified before they count.

The archive format is `jusoor.core.backup_archive` (AES-256-GCM chunks, manifest first). Memory
stays bounded, a chunk at a time. On PostgreSQL the dump is sealed as `pg_dump` writes it, so no
plaintext touches the disk; a SQLite snapshot, and a PostgreSQL dump decrypted for a parallel
`pg_restore`, only ever lie in a private (0700) temporary directory that is removed afterwards.

A restore changes nothing until the restored copy has been verified: row counts per table against
the manifest, SQLite's integrity check, the schema brought to the current migrations, and the
audit chain recomputed. SQLite: the copy is a file beside the database, renamed over it.
PostgreSQL: a fresh database, renamed in (`jusoor.core.backup_postgres`). A restore that fails or
is killed before that leaves the database as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import URL, Connection, create_engine, inspect, make_url
from sqlalchemy.pool import NullPool

from jusoor import __version__
from jusoor.core import backup_postgres as pg
from jusoor.core.backup_archive import (
    ArchiveError,
    BackupError,
    Manifest,
    VerificationError,
    open_archive,
    sealed_archive,
)
from jusoor.core.backup_verify import CopyCheck, row_counts, verify_copy
from jusoor.core.crypto import Keyring
from jusoor.core.db import utcnow
from jusoor.core.i18n import gettext as _
from jusoor.core.ids import uuid7

__all__ = [
    "ArchiveError",
    "BackupError",
    "CopyCheck",
    "Figures",
    "Manifest",
    "VerificationError",
    "create_backup",
    "has_rows",
    "restore_backup",
]

# gzip level of pg_dump's custom format (bench/backup_bench.py measured 0, 1 and 6; README).
DEFAULT_COMPRESS = 1
DEFAULT_JOBS = 2


@dataclass(frozen=True)
class Figures:
    """What a backup or restore took: seconds per step, bytes, rows."""

    manifest: Manifest
    seconds: dict[str, float]
    archive_bytes: int
    dump_bytes: int
    previous: str | None = None  # the previous database (or file), when kept
    verified: dict[str, int] = field(default_factory=dict)  # what each check of the copy checked

    @property
    def rows(self) -> int:
        return sum(self.manifest.tables.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / max(self.seconds.get("total", 0.0), 1e-9)

    def as_dict(self) -> dict[str, object]:
        return {
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "archive_bytes": self.archive_bytes,
            "dump_bytes": self.dump_bytes,
            "rows": self.rows,
            "rows_per_second": round(self.rows_per_second),
            "previous_database": self.previous,
            "verified": self.verified,
        }


# --- backup ----------------------------------------------------------------------------------


def create_backup(
    out_file: Path,
    *,
    url: str,
    keyring: Keyring,
    overwrite: bool = False,
    compress: int = DEFAULT_COMPRESS,
) -> Figures:
    """Write a consistent snapshot of the database at `url`, encrypted under the primary key.

    Safe while Jusoor runs. The archive appears under `out_file` only once it is complete.
    `compress`: pg_dump's gzip level (0-9; SQLite files are stored as they are).
    """
    if out_file.exists() and not overwrite:
        raise BackupError(_("%(path)s already exists.", path=out_file))
    if not 0 <= compress <= 9:
        raise BackupError(_("The compression level must be between 0 and 9."))
    started = time.perf_counter()
    if _engine(url) == "sqlite":
        figures = _backup_sqlite(out_file, _sqlite_path(url), keyring, started)
    else:
        figures = _backup_postgres(out_file, url, keyring, compress, started)
    figures.seconds["total"] = time.perf_counter() - started
    return figures


def _manifest(engine: str, keyring: Keyring, tables: dict[str, int], revs: list[str]) -> Manifest:
    return Manifest(
        backup_id=str(uuid7()),
        created_at=utcnow().isoformat(timespec="seconds"),
        engine=engine,
        jusoor_version=__version__,
        kid=keyring.primary_kid,
        tables=tables,
        revisions=revs,
    )


def _backup_sqlite(out_file: Path, source: Path, keyring: Keyring, started: float) -> Figures:
    with _private_dir(source.parent) as work:
        dump = work / "dump"
        tables, revisions = _snapshot_sqlite(source, dump)
        snapshot = time.perf_counter() - started
        manifest = _manifest("sqlite", keyring, tables, revisions)
        with sealed_archive(out_file, keyring, manifest) as writer, dump.open("rb") as src:
            while data := src.read(pg.PIPE_BYTES):
                writer.write(data)
        stream = time.perf_counter() - started - snapshot
    seconds = {"snapshot": snapshot, "dump": stream - writer.seconds, "encrypt": writer.seconds}
    return Figures(manifest, seconds, out_file.stat().st_size, writer.plain_bytes)


def _backup_postgres(
    out_file: Path, url: str, keyring: Keyring, compress: int, started: float
) -> Figures:
    with _connect(url) as conn:
        conn.execution_options(isolation_level="REPEATABLE READ")
        # pg_dump reads the very snapshot the counts come from, so the manifest matches the dump.
        snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        tables, revisions = row_counts(conn), _revisions(conn)
        counted = time.perf_counter() - started
        manifest = _manifest("postgresql", keyring, tables, revisions)
        with sealed_archive(out_file, keyring, manifest) as writer:
            pg.stream_dump(url, snapshot=snapshot, compress=compress, sink=writer.write)
        stream = time.perf_counter() - started - counted
        conn.rollback()
    # pg_dump and the sealing overlap (a pipe): "dump" is the time not spent sealing.
    seconds = {"count": counted, "dump": stream - writer.seconds, "encrypt": writer.seconds}
    return Figures(manifest, seconds, out_file.stat().st_size, writer.plain_bytes)


# --- restore ---------------------------------------------------------------------------------


def restore_backup(
    in_file: Path,
    *,
    url: str,
    keyring: Keyring,
    checks: Mapping[str, CopyCheck],
    jobs: int = DEFAULT_JOBS,
    keep_previous: bool = False,
) -> Figures:
    """Replace the database at `url` with the archive's contents once they are verified.

    Nothing is changed unless the whole archive authenticates and the restored copy passes
    `backup_verify.verify_copy` with `checks` (for a Jusoor database, `jusoor restore` passes
    the audit chain's); raises ArchiveError or VerificationError otherwise. PostgreSQL:
    `jobs` parallel pg_restore workers (1 streams the archive into pg_restore, with no
    decrypted copy on disk); the sessions still connected are ended at the switch. SQLite: stop
    Jusoor first. `keep_previous` keeps the replaced database (its name is in the result).
    """
    if jobs < 1:
        raise BackupError(_("The number of restore jobs must be at least 1."))
    engine = _engine(url)
    started = time.perf_counter()
    target = _sqlite_path(url) if engine == "sqlite" else None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        pg.check_can_restore(url)
    with _private_dir(target.parent if target else None) as work, in_file.open("rb") as src:
        manifest, body = open_archive(src, keyring)
        _check_manifest(manifest, engine)
        if target is not None:
            figures = _restore_sqlite(target, work / "dump", manifest, body, checks, keep_previous)
        else:
            figures = _restore_postgres(
                url, work / "dump", manifest, body, checks, jobs, keep_previous
            )
    figures.seconds["total"] = time.perf_counter() - started
    return Figures(
        manifest,
        figures.seconds,
        in_file.stat().st_size,
        figures.dump_bytes,
        figures.previous,
        figures.verified,
    )


def _check_manifest(manifest: Manifest, engine: str) -> None:
    if manifest.engine != engine:
        raise BackupError(
            _(
                "This is a %(kind)s backup; the database is %(engine)s.",
                kind=manifest.engine,
                engine=engine,
            )
        )


def _spool(body: Iterable[bytes], dump: Path) -> int:
    """Write the authenticated dump to `dump` (0600, synced); returns its size."""
    size = 0
    with os.fdopen(os.open(dump, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        for chunk in body:
            out.write(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return size


def _restore_sqlite(
    target: Path,
    dump: Path,
    manifest: Manifest,
    body: Iterable[bytes],
    checks: Mapping[str, CopyCheck],
    keep: bool,
) -> Figures:
    t0 = time.perf_counter()
    size = _spool(body, dump)
    t1 = time.perf_counter()
    checked = verify_copy(_sqlite_url(dump), manifest, checks)
    t2 = time.perf_counter()
    previous = _replace_sqlite(target, dump, keep)
    seconds = {"decrypt": t1 - t0, **checked.seconds, "switch": time.perf_counter() - t2}
    return Figures(manifest, seconds, 0, size, previous, checked.verified)


def _restore_postgres(
    url: str,
    dump: Path,
    manifest: Manifest,
    body: Iterable[bytes],
    checks: Mapping[str, CopyCheck],
    jobs: int,
    keep: bool,
) -> Figures:
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    source: Path | Iterable[bytes] = body
    if jobs > 1:  # parallel workers seek in the dump: decrypt it to a private file first
        _spool(body, dump)
        source = dump
        seconds["decrypt"] = time.perf_counter() - t0
    counted = _Counted(source) if not isinstance(source, Path) else None
    scratch = pg.scratch_name(url, "restore")
    copy = pg.create_like(url, scratch)
    switched = False
    try:
        t1 = time.perf_counter()
        pg.run_restore(copy, source=counted or dump, jobs=jobs)
        t2 = time.perf_counter()
        seconds["restore"] = t2 - t1
        checked = verify_copy(copy, manifest, checks)
        seconds.update(checked.seconds)
        t3 = time.perf_counter()
        previous = pg.switch(url, scratch)
        switched = True
        if previous is not None and not keep:
            pg.drop(url, previous)
            previous = None
        seconds["switch"] = time.perf_counter() - t3
    finally:
        if not switched:
            pg.drop(url, scratch)
    size = counted.size if counted else dump.stat().st_size
    return Figures(manifest, seconds, 0, size, previous, checked.verified)


class _Counted:
    """The chunks of an iterable, counting their bytes as they pass."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks, self.size = chunks, 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            self.size += len(chunk)
            yield chunk


# --- helpers ---------------------------------------------------------------------------------


def has_rows(url: str) -> bool:
    """Whether any table of the database at `url` holds a row (a missing database holds none)."""
    if _engine(url) == "sqlite" and not _sqlite_path(url).exists():
        return False
    if _engine(url) == "postgresql" and not pg.database_exists(url):
        return False
    with _connect(url) as conn:
        return any(row_counts(conn).values())


def _engine(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(engine)s.", engine=name))
    return name


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(_("Only a SQLite database file can be backed up or restored."))
    return Path(database)


def _sqlite_url(path: Path) -> URL:
    return URL.create("sqlite", database=str(path))


@contextmanager
def _connect(url: str | URL) -> Iterator[Connection]:
    engine = create_engine(url, poolclass=NullPool, hide_parameters=True)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _revisions(conn: Connection) -> list[str]:
    if not inspect(conn).has_table("alembic_version"):
        return []
    return sorted(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


def _snapshot_sqlite(path: Path, dump: Path) -> tuple[dict[str, int], list[str]]:
    if not path.is_file():
        raise BackupError(_("Database file %(path)s does not exist.", path=path))
    # mode=rw: never create an empty database by mistake. The online backup API copies a
    # consistent snapshot while other connections keep working.
    try:
        src = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True, timeout=30)
        dst = sqlite3.connect(dump)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        finally:
            dst.close()
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(_("The database cannot be read: %(reason)s", reason=exc)) from None
    with _connect(_sqlite_url(dump)) as conn:
        return row_counts(conn), _revisions(conn)


def _replace_sqlite(target: Path, restored: Path, keep: bool) -> str | None:
    """Rename the verified copy over the database; returns where the previous one was kept."""
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o600
    previous = None
    if target.exists():
        # Leaving WAL mode needs the only connection: this both checkpoints the old file and
        # proves no server has it open (an old -wal replayed onto the new file would corrupt it).
        conn = sqlite3.connect(target, timeout=5)
        try:
            journal = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError:
            journal = "busy"
        except sqlite3.Error as exc:
            raise BackupError(
                _("The database cannot be replaced: %(reason)s", reason=exc)
            ) from None
        finally:
            conn.close()
        if str(journal).lower() != "delete":
            raise BackupError(_("The database is in use: stop Jusoor before restoring."))
        if keep:
            kept = target.with_name(f"{target.name}.before-{uuid7().hex[-8:]}")
            os.link(target, kept)
            previous = str(kept)
    for suffix in ("-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.chmod(restored, mode)
    os.replace(restored, target)  # atomic: the old file or the new one, never half of either
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return previous


@contextmanager
def _private_dir(parent: Path | None) -> Iterator[Path]:
    # Beside a SQLite database (same file system, so the restore is a rename); else in TMPDIR.
    # Named after this process, so that what a killed run left behind (a plaintext copy) is
    # removed by the next one.
    _remove_leftovers(Path(parent or tempfile.gettempdir()))
    prefix = f"{_PRIVATE_PREFIX}{os.getpid()}-"
    with tempfile.TemporaryDirectory(prefix=prefix, dir=parent) as name:
        path = Path(name)
        path.chmod(0o700)
        yield path


_PRIVATE_PREFIX = ".jusoor-backup-"


def _remove_leftovers(parent: Path) -> None:
    """Remove the private directories of backups and restores whose process is gone."""
    for path in parent.glob(f"{_PRIVATE_PREFIX}*-*"):
        pid = path.name.removeprefix(_PRIVATE_PREFIX).split("-", 1)[0]
        if not pid.isdigit() or not path.is_dir() or path.stat().st_uid != os.geteuid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except PermissionError:
            continue  # alive, someone else's
