"""Encrypted backups: round trips on real engines; archives altered, cut short or misused."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import ForeignKey, MetaData, delete, func, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from jusoor.core import backup, backup_archive
from jusoor.core.backup import (
    ArchiveError,
    BackupError,
    VerificationError,
    create_backup,
    has_rows,
    restore_backup,
)
from jusoor.core.crypto import EncryptedText, Keyring, generate_key_line, set_keyring
from jusoor.core.db import Database

SECRET = "Amina Yusuf, passport P1234567"


class _Base(DeclarativeBase):
    metadata = MetaData()  # kept apart from jusoor's Base so no other test sees these tables


class Shelter(_Base):
    __tablename__ = "backup_test_shelters"

    id: Mapped[int] = mapped_column(primary_key=True)
    city: Mapped[str]


class Resident(_Base):
    __tablename__ = "backup_test_residents"

    id: Mapped[int] = mapped_column(primary_key=True)
    shelter_id: Mapped[int] = mapped_column(ForeignKey("backup_test_shelters.id"))
    name: Mapped[str] = mapped_column(EncryptedText("residents.name"))


@pytest.fixture
def keyring() -> Iterator[Keyring]:
    ring = Keyring.parse(generate_key_line())
    set_keyring(ring)
    yield ring
    set_keyring(None)


def _fill(db: Database, residents: int) -> None:
    _Base.metadata.create_all(db.engine)
    with db.unit_of_work() as session:
        session.add_all([Shelter(id=1, city="Tunis"), Shelter(id=2, city="Sfax")])
        session.flush()
        session.add_all(
            Resident(id=i, shelter_id=1 + i % 2, name=f"{SECRET} #{i}") for i in range(residents)
        )


def _names(db: Database) -> list[str]:
    with db.unit_of_work() as session:
        return list(session.scalars(select(Resident.name).order_by(Resident.id)))


@pytest.fixture
def sqlite_db(tmp_path: Path, keyring: Keyring) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'var' / 'jusoor.db'}")
    (tmp_path / "var").mkdir()
    _fill(db, 40)
    yield db
    db.dispose()


@pytest.fixture
def archive(sqlite_db: Database, keyring: Keyring, tmp_path: Path) -> Path:
    out = tmp_path / "node.jbk"
    create_backup(out, url=sqlite_db.url, keyring=keyring)
    return out


def test_sqlite_backup_and_restore_bring_the_data_back(
    sqlite_db: Database, keyring: Keyring, tmp_path: Path
) -> None:
    out = tmp_path / "node.jbk"
    # The server keeps its engine open, with writes still in the WAL: the backup must see them.
    manifest = create_backup(out, url=sqlite_db.url, keyring=keyring).manifest
    assert manifest.engine == "sqlite" and manifest.kid == keyring.primary_kid
    assert manifest.tables == {"backup_test_shelters": 2, "backup_test_residents": 40}
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    raw = out.read_bytes()
    assert b"SQLite format" not in raw and b"Tunis" not in raw and b"backup_test" not in raw
    assert sorted(p.name for p in tmp_path.iterdir()) == ["node.jbk", "var"]
    expected = _names(sqlite_db)
    with sqlite_db.unit_of_work() as session:
        session.execute(delete(Resident).where(Resident.id > 10))
        session.execute(update(Shelter).values(city="changed"))
    sqlite_db.dispose()  # restoring needs the server stopped

    restored = restore_backup(out, url=sqlite_db.url, keyring=keyring, checks={}).manifest

    assert restored == manifest
    assert _names(sqlite_db) == expected
    with sqlite_db.unit_of_work() as session:
        assert set(session.scalars(select(Shelter.city))) == {"Tunis", "Sfax"}
    leftovers = [p.name for p in (tmp_path / "var").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_backup_does_not_overwrite_an_archive_unless_asked(
    archive: Path, sqlite_db: Database, keyring: Keyring
) -> None:
    before = archive.read_bytes()
    with pytest.raises(BackupError, match="already exists"):
        create_backup(archive, url=sqlite_db.url, keyring=keyring)
    assert archive.read_bytes() == before
    create_backup(archive, url=sqlite_db.url, keyring=keyring, overwrite=True)
    assert archive.read_bytes() != before


def test_backup_of_a_missing_database_file_is_refused(tmp_path: Path, keyring: Keyring) -> None:
    url = f"sqlite:///{tmp_path / 'absent.db'}"
    with pytest.raises(BackupError, match="does not exist"):
        create_backup(tmp_path / "x.jbk", url=url, keyring=keyring)
    assert not (tmp_path / "absent.db").exists() and not (tmp_path / "x.jbk").exists()


def _damage_is_refused(archive: Path, db: Database, keyring: Keyring, data: bytes) -> None:
    archive.write_bytes(data)
    before = _names(db)
    with db.unit_of_work() as session:  # a change the refused restore must not undo
        first = session.scalar(select(func.min(Resident.id)))
        session.execute(delete(Resident).where(Resident.id == first))
    db.dispose()
    with pytest.raises(ArchiveError):
        restore_backup(archive, url=db.url, keyring=keyring, checks={})
    assert _names(db) == before[1:]  # the database was left alone


@pytest.mark.parametrize("offset", [0, 60, 200, -1, -20])
def test_tampered_archive_is_refused(
    archive: Path, sqlite_db: Database, keyring: Keyring, offset: int
) -> None:
    data = bytearray(archive.read_bytes())
    data[offset] ^= 0x01
    _damage_is_refused(archive, sqlite_db, keyring, bytes(data))


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(backup_archive, "CHUNK_BYTES", 4096)
    return 4096 + 16


def _chunks(data: bytes, size: int) -> tuple[bytes, list[bytes]]:
    header, body = data[: backup_archive._HEADER.size], data[backup_archive._HEADER.size :]
    return header, [body[i : i + size] for i in range(0, len(body), size)]


def test_archive_cut_at_a_chunk_boundary_is_refused(
    small_chunks: int, sqlite_db: Database, keyring: Keyring, tmp_path: Path
) -> None:
    out = tmp_path / "cut.jbk"
    create_backup(out, url=sqlite_db.url, keyring=keyring)
    header, chunks = _chunks(out.read_bytes(), small_chunks)
    assert len(chunks) > 3
    _damage_is_refused(out, sqlite_db, keyring, header + b"".join(chunks[:-1]))


def test_archive_cut_anywhere_or_emptied_is_refused(
    archive: Path, keyring: Keyring, tmp_path: Path
) -> None:
    data = archive.read_bytes()
    target = tmp_path / "new" / "jusoor.db"
    for size in (len(data) - 1, len(data) // 2, backup_archive._HEADER.size, 10, 0):
        archive.write_bytes(data[:size])
        with pytest.raises(ArchiveError):
            restore_backup(archive, url=f"sqlite:///{target}", keyring=keyring, checks={})
    assert list(target.parent.iterdir()) == []


def test_archive_with_chunks_swapped_or_appended_is_refused(
    small_chunks: int, sqlite_db: Database, keyring: Keyring, tmp_path: Path
) -> None:
    out = tmp_path / "mixed.jbk"
    create_backup(out, url=sqlite_db.url, keyring=keyring)
    header, c = _chunks(out.read_bytes(), small_chunks)
    _damage_is_refused(out, sqlite_db, keyring, header + c[1] + c[0] + b"".join(c[2:]))
    _damage_is_refused(out, sqlite_db, keyring, header + b"".join(c) + c[-1])


def test_archive_needs_the_key_it_was_made_with(
    archive: Path, sqlite_db: Database, keyring: Keyring
) -> None:
    with pytest.raises(ArchiveError, match=keyring.primary_kid):
        restore_backup(
            archive, url=sqlite_db.url, keyring=Keyring.parse(generate_key_line()), checks={}
        )
    same_kid = Keyring.parse(f"{keyring.primary_kid}:{generate_key_line().split(':')[1]}")
    _damage_is_refused(archive, sqlite_db, same_kid, archive.read_bytes())


def test_archive_opens_with_an_older_key_of_the_keyring(
    archive: Path, sqlite_db: Database, keyring: Keyring
) -> None:
    sqlite_db.dispose()
    newer = keyring.with_new_primary(generate_key_line())
    assert (
        restore_backup(archive, url=sqlite_db.url, keyring=newer, checks={}).manifest.kid
        == keyring.primary_kid
    )


def test_restore_into_a_database_in_use_is_refused(
    archive: Path, sqlite_db: Database, keyring: Keyring
) -> None:
    with sqlite_db.engine.connect(), pytest.raises(BackupError, match="in use"):
        restore_backup(archive, url=sqlite_db.url, keyring=keyring, checks={})


def test_restore_that_does_not_match_its_manifest_changes_nothing(
    sqlite_db: Database, keyring: Keyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = backup._snapshot_sqlite

    def miscounted(path: Path, dump: Path) -> tuple[dict[str, int], list[str]]:
        tables, revisions = snapshot(path, dump)
        return {**tables, "backup_test_residents": 41}, revisions

    monkeypatch.setattr(backup, "_snapshot_sqlite", miscounted)
    out = tmp_path / "wrong.jbk"
    create_backup(out, url=sqlite_db.url, keyring=keyring)
    with sqlite_db.unit_of_work() as session:
        session.execute(delete(Resident))
    sqlite_db.dispose()
    with pytest.raises(VerificationError, match="backup_test_residents"):
        restore_backup(out, url=sqlite_db.url, keyring=keyring, checks={})
    assert _names(sqlite_db) == []


def test_restore_onto_a_new_machine_creates_the_database(
    archive: Path, sqlite_db: Database, keyring: Keyring, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere' / 'jusoor.db'}"
    assert not has_rows(url)
    restore_backup(archive, url=url, keyring=keyring, checks={})
    assert has_rows(url)
    fresh = Database(url)
    assert _names(fresh) == _names(sqlite_db)
    fresh.dispose()
    conn = sqlite3.connect(tmp_path / "elsewhere" / "jusoor.db")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


@pytest.mark.postgres
def test_postgres_backup_and_restore_bring_the_data_back(
    request: pytest.FixtureRequest, keyring: Keyring, tmp_path: Path
) -> None:
    try:
        url = request.getfixturevalue("pg_url")
    except pytest.FixtureLookupError:
        pytest.skip("the pg_url fixture (throwaway PostgreSQL) is not available")
    db = Database(url)
    _fill(db, 25)
    expected = _names(db)
    out = tmp_path / "pg.jbk"
    manifest = create_backup(out, url=url, keyring=keyring).manifest
    assert manifest.engine == "postgresql"
    assert manifest.tables["backup_test_residents"] == 25
    with db.unit_of_work() as session:
        session.execute(delete(Resident).where(Resident.id > 3))
        session.execute(delete(Shelter).where(~Shelter.id.in_(select(Resident.shelter_id))))
    db.dispose()
    assert has_rows(url)

    assert restore_backup(out, url=url, keyring=keyring, checks={}).manifest == manifest

    assert _names(db) == expected
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Shelter)) == 2
    with pytest.raises(BackupError, match="sqlite"):
        restore_backup(out, url=f"sqlite:///{tmp_path / 'x.db'}", keyring=keyring, checks={})
    _Base.metadata.drop_all(db.engine)
    db.dispose()
