"""A restore that fails half way leaves the database as it was, on both engines.

Bad chunk, killed process, full disk, wrong key, a copy that fails verification (row counts, the
audit chain, a schema from a newer release), a role without the rights: each on a small database.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, func, make_url, select, text, update
from sqlalchemy.pool import NullPool

from jusoor.audit import service as audit
from jusoor.audit.models import AuditEvent
from jusoor.cli.backup import RESTORE_CHECKS as CHECKS
from jusoor.core import backup, backup_archive
from jusoor.core import backup_postgres as pg
from jusoor.core.backup import (
    ArchiveError,
    BackupError,
    VerificationError,
    create_backup,
    restore_backup,
)
from jusoor.core.crypto import Keyring, generate_key_line
from jusoor.core.db import Database
from tests.core.test_backup import Resident, _Base, _fill, _names

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", "postgres"])
def small_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The backup tests' two tables with 40 residents, on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        (tmp_path / "var").mkdir()
        url = f"sqlite:///{tmp_path / 'var' / 'jusoor.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    db = Database(url)
    _fill(db, 40)
    yield db
    db.dispose()


@pytest.fixture
def key_line() -> str:
    return generate_key_line()


@pytest.fixture
def keyring(key_line: str) -> Keyring:
    return Keyring.parse(key_line)


def _databases(url: str) -> set[str]:
    engine = create_engine(make_url(url).set(database="postgres"), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return set(conn.execute(text("SELECT datname FROM pg_database")).scalars())
    finally:
        engine.dispose()


def _leftovers(db: Database) -> set[str]:
    """Databases a restore made beside this one, or private directories beside a SQLite file."""
    url = make_url(db.url)
    if url.get_backend_name() == "sqlite":
        return {p.name for p in Path(str(url.database)).parent.glob(".jusoor-backup-*")}
    name = str(url.database)
    return {d for d in _databases(db.url) if d.startswith(f"{name}_")}


def _changed_since_backup(db: Database) -> list[str]:
    """Delete a resident after the backup: the state a refused restore must leave."""
    with db.unit_of_work() as session:
        session.execute(delete(Resident).where(Resident.id == 0))
    names = _names(db)
    db.dispose()
    return names


def _archive(db: Database, keyring: Keyring, tmp_path: Path) -> Path:
    out = tmp_path / "node.jbk"
    create_backup(out, url=db.url, keyring=keyring)
    return out


def test_postgres_restore_switches_in_a_verified_copy_and_ends_sessions(
    pg_url: str, keyring: Keyring, tmp_path: Path
) -> None:
    db = Database(pg_url)
    _fill(db, 40)
    expected = _names(db)
    out = _archive(db, keyring, tmp_path)
    _changed_since_backup(db)
    name = make_url(pg_url).database
    with db.engine.begin() as conn:  # grants and settings a dump does not carry
        conn.execute(text(f"REVOKE ALL ON DATABASE {name} FROM PUBLIC"))
        if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = 'auditor'")).first():
            conn.execute(text("CREATE ROLE auditor"))
        conn.execute(text(f"GRANT CONNECT ON DATABASE {name} TO auditor"))
        conn.exec_driver_sql(f"ALTER DATABASE {name} SET application_name = 'a%%b'")
    straggler = create_engine(pg_url, poolclass=NullPool).connect()  # a server left running
    straggler.execute(text("SELECT 1"))

    done = restore_backup(
        out, url=pg_url, keyring=keyring, jobs=2, keep_previous=True, checks=CHECKS
    )

    assert _names(db) == expected
    with db.engine.connect() as conn:
        acl = conn.execute(text(f"SELECT datacl::text FROM pg_database WHERE datname = '{name}'"))
        granted = str(acl.scalar())
        assert "auditor=c/" in granted and "=Tc/" not in granted  # as it was: not PUBLIC
        assert conn.execute(text("SHOW application_name")).scalar() == "a%b"
    assert done.previous is not None and done.previous.startswith(db.url.rsplit("/", 1)[1])
    with pytest.raises(Exception, match="terminat"):
        straggler.execute(text("SELECT 1"))
    straggler.close()
    kept = Database(make_url(pg_url).set(database=done.previous).render_as_string(False))
    assert _names(kept) == expected[1:]  # the database as it was before the restore
    kept.dispose()
    pg.drop(pg_url, done.previous)
    assert restore_backup(out, url=pg_url, keyring=keyring, jobs=1, checks=CHECKS).previous is None
    assert _names(db) == expected and _leftovers(db) == set()
    db.dispose()


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(backup_archive, "CHUNK_BYTES", 512)
    return 512 + 16


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bad_chunk_half_way_leaves_the_database_as_it_was(
    small_db: Database, keyring: Keyring, tmp_path: Path, small_chunks: int, jobs: int
) -> None:
    out = _archive(small_db, keyring, tmp_path)
    data = bytearray(out.read_bytes())
    chunks = (len(data) - backup_archive._HEADER.size) // small_chunks
    assert chunks > 4
    data[backup_archive._HEADER.size + small_chunks * (chunks // 2) + 100] ^= 0x01
    out.write_bytes(bytes(data))
    before = _changed_since_backup(small_db)
    with pytest.raises(ArchiveError, match="damaged"):
        restore_backup(out, url=small_db.url, keyring=keyring, jobs=jobs, checks=CHECKS)
    assert _names(small_db) == before
    assert _leftovers(small_db) == set()


def test_a_full_disk_half_way_leaves_the_database_as_it_was(
    small_db: Database,
    keyring: Keyring,
    tmp_path: Path,
    small_chunks: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = _archive(small_db, keyring, tmp_path)
    before = _changed_since_backup(small_db)
    spool = backup._spool

    def full_disk(body: Iterable[bytes], dump: Path) -> int:
        def filling() -> Iterator[bytes]:
            for i, chunk in enumerate(body):
                if i == 1:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                yield chunk

        return spool(filling(), dump)

    monkeypatch.setattr(backup, "_spool", full_disk)
    with pytest.raises(OSError, match="No space left"):
        restore_backup(out, url=small_db.url, keyring=keyring, jobs=2, checks=CHECKS)
    assert _names(small_db) == before
    assert _leftovers(small_db) == set()


@pytest.mark.postgres
def test_a_postgres_restore_that_fails_in_pg_restore_drops_its_copy(
    pg_url: str,
    keyring: Keyring,
    tmp_path: Path,
    small_chunks: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pg_restore stopping half way (a full disk on the server, say) leaves only its copy."""
    db = Database(pg_url)
    _fill(db, 40)
    out = _archive(db, keyring, tmp_path)
    before = _changed_since_backup(db)
    real = pg.run_restore

    def cut_short(url: object, *, source: Iterable[bytes] | Path, jobs: int) -> None:
        assert not isinstance(source, Path)
        stream = iter(source)
        real(url, source=[next(stream)], jobs=jobs)  # type: ignore[arg-type]

    monkeypatch.setattr(pg, "run_restore", cut_short)
    with pytest.raises(BackupError, match="pg_restore failed"):  # it saw its input end early
        restore_backup(out, url=pg_url, keyring=keyring, jobs=1, checks=CHECKS)
    assert _names(db) == before and _leftovers(db) == set()
    db.dispose()


_KILLER = """
import os, signal, sys
from pathlib import Path
from jusoor.core import backup
from jusoor.core.crypto import Keyring

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

setattr(backup, sys.argv[3], killed)
ring = Keyring.parse(Path(sys.argv[2]).read_text())
backup.restore_backup(Path(sys.argv[1]), url=os.environ["TARGET_URL"], keyring=ring, jobs=1, checks={})
"""


def test_a_restore_killed_half_way_leaves_the_database_as_it_was(
    small_db: Database, keyring: Keyring, key_line: str, tmp_path: Path
) -> None:
    """A real process, killed (SIGKILL) at the last moment: the copy restored and verified, the
    switch about to start (a kill inside the switch is PostgreSQL's transaction, or a rename)."""
    step = "_replace_sqlite" if small_db.url.startswith("sqlite") else "pg.switch"
    out = _archive(small_db, keyring, tmp_path)
    expected = _names(small_db)
    before = _changed_since_backup(small_db)
    key_file = tmp_path / "key"
    key_file.write_text(key_line)
    script = _KILLER
    if step == "pg.switch":
        script = script.replace("setattr(backup, sys.argv[3], killed)", "backup.pg.switch = killed")
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), str(out), str(key_file), step],
        env={**os.environ, "TARGET_URL": small_db.url, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert _names(small_db) == before
    small_db.dispose()
    left = _leftovers(small_db)
    assert len(left) == 1  # the killed run's copy, and nothing else: the live database is intact
    # The next run clears what a killed run left beside a SQLite file; on PostgreSQL its copy is
    # a database named <name>_restore_<id>, to drop (docs: README, Backups).
    restore_backup(out, url=small_db.url, keyring=keyring, checks=CHECKS)
    if small_db.url.startswith("sqlite"):
        assert _leftovers(small_db) == set()
    else:
        assert _leftovers(small_db) == left
        pg.drop(small_db.url, left.pop())
    assert _names(small_db) == expected


def test_a_wrong_key_changes_nothing(small_db: Database, keyring: Keyring, tmp_path: Path) -> None:
    out = _archive(small_db, keyring, tmp_path)
    before = _changed_since_backup(small_db)
    with pytest.raises(ArchiveError, match=keyring.primary_kid):
        restore_backup(
            out, url=small_db.url, keyring=Keyring.parse(generate_key_line()), checks=CHECKS
        )
    assert _names(small_db) == before and _leftovers(small_db) == set()


def test_a_copy_that_does_not_match_its_manifest_is_dropped(
    small_db: Database, keyring: Keyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = backup.row_counts
    monkeypatch.setattr(
        backup, "row_counts", lambda conn: {**counts(conn), "backup_test_residents": 39}
    )
    out = _archive(small_db, keyring, tmp_path)
    monkeypatch.undo()
    before = _changed_since_backup(small_db)
    with pytest.raises(VerificationError, match="backup_test_residents"):
        restore_backup(out, url=small_db.url, keyring=keyring, checks=CHECKS)
    assert _names(small_db) == before and _leftovers(small_db) == set()


# --- Jusoor databases: the audit chain and the schema ------------------------------------------


def _events(db: Database, n: int) -> None:
    with db.unit_of_work() as session:
        for i in range(n):
            audit.record(session, actor=None, action="case.read", object_id=str(i), username="t")


def test_a_restore_recomputes_the_audit_chain(
    database: Database, keyring: Keyring, tmp_path: Path
) -> None:
    _events(database, 5)
    out = _archive(database, keyring, tmp_path)
    _events(database, 2)
    database.dispose()
    done = restore_backup(out, url=database.url, keyring=keyring, checks=CHECKS)
    assert done.verified == {"audit": 5}
    assert {"verify_counts", "verify_schema", "verify_audit"} <= done.seconds.keys()
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 5


def test_a_backup_with_an_altered_audit_event_is_not_restored(
    database: Database, keyring: Keyring, tmp_path: Path
) -> None:
    _events(database, 5)
    with database.unit_of_work() as session:
        session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(object_id="other"))
    out = _archive(database, keyring, tmp_path)
    _events(database, 1)
    database.dispose()
    with pytest.raises(VerificationError, match="event 3"):
        restore_backup(out, url=database.url, keyring=keyring, checks=CHECKS)
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 6
    assert _leftovers(database) == set()


def test_a_backup_from_a_newer_release_is_not_restored(
    database: Database, keyring: Keyring, tmp_path: Path
) -> None:
    with database.unit_of_work() as session:
        session.execute(text("INSERT INTO alembic_version (version_num) VALUES ('f00dfeedcafe')"))
    out = _archive(database, keyring, tmp_path)
    with database.unit_of_work() as session:
        session.execute(text("DELETE FROM alembic_version WHERE version_num = 'f00dfeedcafe'"))
    database.dispose()
    with pytest.raises(VerificationError, match="newer version"):
        restore_backup(out, url=database.url, keyring=keyring, checks=CHECKS)
    with database.unit_of_work() as session:
        revisions = session.execute(text("SELECT version_num FROM alembic_version")).scalars()
        assert "f00dfeedcafe" not in set(revisions)


@pytest.mark.postgres
def test_a_role_that_cannot_create_databases_is_told_before_any_work(
    pg_url: str, keyring: Keyring, tmp_path: Path
) -> None:
    db = Database(pg_url)
    _fill(db, 3)
    out = _archive(db, keyring, tmp_path)
    with db.engine.begin() as conn:
        conn.execute(text("DROP ROLE IF EXISTS backup_reader"))
        conn.execute(text("CREATE ROLE backup_reader LOGIN NOCREATEDB"))
    db.dispose()
    reader = make_url(pg_url).set(username="backup_reader").render_as_string(False)
    with pytest.raises(BackupError, match="CREATEDB"):
        restore_backup(out, url=reader, keyring=keyring, checks=CHECKS)
    assert _leftovers(db) == set()
    _Base.metadata.drop_all(db.engine)
    db.dispose()
