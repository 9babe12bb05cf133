"""The SQLite database, its journals, the data dir, key files and backups are the operator's
alone: 0600 files in a 0700 directory, whatever the umask (ASVS 4.0.3 V14.1.x, V1.6.2)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from jusoor.cli.main import app
from jusoor.core.config import get_settings
from jusoor.core.db import Database

runner = CliRunner()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The umask of a careless shell: new files 0644 unless the code says otherwise."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def test_a_new_sqlite_database_and_its_journals_are_0600(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "node.db"
    db = Database(f"sqlite:///{path}")
    with db.unit_of_work() as session:
        session.execute(text("CREATE TABLE t (x INTEGER)"))
        session.execute(text("INSERT INTO t VALUES (1)"))
    with db.engine.connect() as conn:  # keeps the WAL and shared-memory files open
        conn.execute(text("SELECT x FROM t")).all()
        journals = [Path(f"{path}{s}") for s in ("-wal", "-shm")]
        assert all(p.exists() for p in journals)
        assert [mode(p) for p in (path, *journals)] == [0o600, 0o600, 0o600]
    db.dispose()


def test_an_existing_readable_database_is_tightened(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "old.db"
    path.touch()
    path.chmod(0o644)
    Database(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600


def test_init_makes_a_private_data_dir_and_private_files(
    node_env: Path, monkeypatch: pytest.MonkeyPatch, loose_umask: None
) -> None:
    data = node_env / "fresh"
    monkeypatch.setenv("JUSOOR_DATA_DIR", str(data))
    monkeypatch.setenv("JUSOOR_DATABASE_URL", f"sqlite:///{data / 'jusoor.db'}")
    monkeypatch.delenv("JUSOOR_DATA_KEY")
    monkeypatch.delenv("JUSOOR_SECRET_KEY")
    monkeypatch.delenv("JUSOOR_DEMO_PASSWORD")
    get_settings.cache_clear()
    assert runner.invoke(app, ["init", "--demo"]).exit_code == 0
    assert mode(data) == 0o700
    archive = node_env / "backup.jusoor"
    assert runner.invoke(app, ["backup", str(archive)]).exit_code == 0
    files = sorted(p for p in data.iterdir() if p.is_file())
    assert {p.name for p in files} >= {"jusoor.db", "data.key", "demo-password"}
    assert {p.name: mode(p) for p in [*files, archive]} == {
        p.name: 0o600 for p in [*files, archive]
    }
