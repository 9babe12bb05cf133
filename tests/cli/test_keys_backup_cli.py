"""`jusoor keys`, `jusoor backup` and `jusoor restore` as an operator runs them."""

from __future__ import annotations

import datetime as dt
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select, text, update
from typer.testing import CliRunner

from jusoor.agencies.models import Agency, AgencyKind, User
from jusoor.audit import service as audit
from jusoor.audit.models import AuditEvent
from jusoor.auth.models import ApiToken, WebSession
from jusoor.cli.backup import app as backup_app
from jusoor.cli.keys import app as keys_app
from jusoor.core.config import get_settings
from jusoor.core.crypto import Keyring, all_models_metadata, generate_key_line, set_keyring
from jusoor.core.db import Database, utcnow

TOTP = "JBSWY3DPEHPK3PXP"
runner = CliRunner()


@pytest.fixture
def node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty node: data dir, SQLite schema, no key yet (unless a test sets JUSOOR_DATA_KEY)."""
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    monkeypatch.setenv("JUSOOR_DATA_DIR", str(data_dir))
    monkeypatch.setenv("JUSOOR_DATABASE_URL", f"sqlite:///{data_dir / 'jusoor.db'}")
    monkeypatch.delenv("JUSOOR_DATA_KEY", raising=False)
    get_settings.cache_clear()
    set_keyring(None)
    db = Database(get_settings().effective_database_url)
    all_models_metadata().create_all(db.engine)
    db.dispose()
    yield data_dir
    get_settings.cache_clear()
    set_keyring(None)


def _use_env_keys(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("JUSOOR_DATA_KEY", value)
    get_settings.cache_clear()
    set_keyring(None)


def _add_user(username: str = "amal") -> None:
    db = Database(get_settings().effective_database_url)
    with db.unit_of_work() as session:
        agency = Agency(code=f"ma-{username}", country="MA", kind=AgencyKind.coordinating_committee)
        agency.name_ar, agency.name_en, agency.name_fr = "اللجنة", "Commission", "Commission"
        session.add(agency)
        session.flush()
        session.add(
            User(username=username, display_name="Amal", agency_id=agency.id, totp_secret=TOTP)
        )
    db.dispose()


def _stored_totp() -> str:
    db = Database(get_settings().effective_database_url)
    with db.engine.connect() as conn:
        value = conn.execute(text("SELECT totp_secret FROM users")).scalar_one()
    db.dispose()
    return str(value)


def _actions() -> list[str]:
    db = Database(get_settings().effective_database_url)
    with db.unit_of_work() as session:
        # The chain verifies; this node has no anchor file (schema made without `jusoor init`).
        assert audit.verify(session).status is audit.Status.unanchored
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    db.dispose()
    return actions


def _one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr


def test_keys_generate_prints_a_line_for_jusoor_data_key() -> None:
    result = runner.invoke(keys_app, ["generate"])
    assert result.exit_code == 0
    assert Keyring.parse(result.stdout.strip()).primary_kid.startswith("k")
    as_json = runner.invoke(keys_app, ["generate", "--json"])
    assert Keyring.parse(json.loads(as_json.stdout)["key"])


def test_rotate_with_new_key_moves_secrets_to_a_fresh_key_in_the_key_file(node: Path) -> None:
    _add_user()
    keyfile = node / "data.key"
    old_kid = Keyring.parse(keyfile.read_text()).primary_kid
    assert _stored_totp().startswith(f"jx1:{old_kid}:")

    result = runner.invoke(keys_app, ["rotate", "--new-key", "--json"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    kids = Keyring.parse(keyfile.read_text()).kids
    assert kids == (report["primary_kid"], old_kid) and report["old_kids"] == [old_kid]
    assert report["reencrypted"]["users.totp_secret"] == 1
    assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    assert _stored_totp().startswith(f"jx1:{kids[0]}:")
    assert _actions() == ["keys.rotate"]


def test_rotate_follows_the_first_key_of_jusoor_data_key(
    node: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = generate_key_line()
    _use_env_keys(monkeypatch, old)
    _add_user()
    new = generate_key_line()
    _use_env_keys(monkeypatch, f"{new},{old}")

    result = runner.invoke(keys_app, ["rotate"])

    assert result.exit_code == 0, result.output
    assert "users.totp_secret\t1" in result.stdout
    assert _stored_totp().startswith(f"jx1:{new.split(':')[0]}:")
    assert not (node / "data.key").exists()


def test_rotate_new_key_with_environment_keys_is_a_user_error(
    node: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_env_keys(monkeypatch, generate_key_line())
    _one_line_error(runner.invoke(keys_app, ["rotate", "--new-key"]), "JUSOOR_DATA_KEY")


def test_malformed_environment_key_is_named_but_never_echoed(
    node: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_env_keys(monkeypatch, "k1:c2VjcmV0LXNob3J0")
    result = runner.invoke(keys_app, ["rotate"])
    _one_line_error(result, "32 bytes")
    assert "c2VjcmV0LXNob3J0" not in result.output


def test_backup_and_restore_bring_a_node_back_and_are_audited(node: Path) -> None:
    _add_user()
    archive = node.parent / "node.jbk"

    made = runner.invoke(backup_app, ["backup", str(archive), "--json"])

    assert made.exit_code == 0, made.output
    manifest = json.loads(made.stdout)
    assert manifest["tables"]["users"] == 1 and manifest["engine"] == "sqlite"
    assert _actions() == ["backup.create"]
    _add_user("second")
    _one_line_error(runner.invoke(backup_app, ["restore", str(archive)]), "--yes")

    restored = runner.invoke(backup_app, ["restore", str(archive), "--yes"])

    assert restored.exit_code == 0, restored.output
    assert manifest["backup_id"] in restored.stdout and "verified" in restored.stdout
    db = Database(get_settings().effective_database_url)
    with db.unit_of_work() as session:
        assert [u.username for u in session.scalars(select(User))] == ["amal"]
        assert session.scalars(select(User.totp_secret)).one() == TOTP
    db.dispose()
    # The snapshot predates its own audit event; the restore is recorded on top of it.
    assert _actions() == ["backup.restore", "auth.credentials_ended"]


def test_a_restore_ends_every_session_and_revokes_every_token(node: Path) -> None:
    """A token revoked after the backup must not come back with it (nor any session): the backup
    cannot know what was revoked since, so everything is ended and everyone signs in again."""
    _add_user()
    db = Database(get_settings().effective_database_url)
    later = utcnow() + dt.timedelta(days=30)
    with db.unit_of_work() as session:
        user = session.scalars(select(User)).one()
        for name in ("kept", "revoked-after-backup"):
            session.add(
                ApiToken(
                    user_id=user.id,
                    name=name,
                    token_digest=name.ljust(64, "0"),
                    prefix="jsr_ab",
                    expires_at=later,
                )
            )
        session.add(WebSession(token_digest="s".ljust(64, "0"), user_id=user.id, expires_at=later))
    archive = node.parent / "node.jbk"
    assert runner.invoke(backup_app, ["backup", str(archive)]).exit_code == 0
    with db.unit_of_work() as session:
        session.execute(
            update(ApiToken)
            .where(ApiToken.name == "revoked-after-backup")
            .values(revoked_at=utcnow())
        )
    db.dispose()  # Jusoor is stopped for a restore

    restored = runner.invoke(backup_app, ["restore", str(archive), "--yes"])

    assert restored.exit_code == 0, restored.output
    db = Database(get_settings().effective_database_url)
    assert "Every session ended (1) and every API token was revoked (2)" in restored.stdout
    with db.unit_of_work() as session:
        assert session.scalars(select(WebSession)).all() == []
        assert all(t.revoked_at is not None for t in session.scalars(select(ApiToken)))
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.credentials_ended")
        ).one()
        assert json.loads(event.details) == {"reason": "restore", "sessions": 1, "tokens": 2}
    db.dispose()
    again = runner.invoke(backup_app, ["restore", str(archive), "--yes", "--json"])
    report = json.loads(again.stdout)
    assert (report["sessions_ended"], report["tokens_revoked"]) == (1, 2)


def test_backup_refuses_to_replace_an_archive_without_force(node: Path) -> None:
    archive = node.parent / "node.jbk"
    archive.write_bytes(b"an older backup")
    _one_line_error(runner.invoke(backup_app, ["backup", str(archive)]), "already exists")
    assert archive.read_bytes() == b"an older backup"
    assert runner.invoke(backup_app, ["backup", str(archive), "--force"]).exit_code == 0


def test_restore_of_a_damaged_or_missing_archive_is_a_user_error(node: Path) -> None:
    archive = node.parent / "node.jbk"
    assert runner.invoke(backup_app, ["backup", str(archive)]).exit_code == 0
    data = bytearray(archive.read_bytes())
    data[-5] ^= 0xFF
    archive.write_bytes(bytes(data))
    _one_line_error(runner.invoke(backup_app, ["restore", str(archive), "--yes"]), "altered")
    _one_line_error(runner.invoke(backup_app, ["restore", str(node / "nope.jbk")]), "nope.jbk")


def test_missing_arguments_are_usage_errors() -> None:
    assert runner.invoke(backup_app, ["backup"]).exit_code == 2
    assert runner.invoke(keys_app, ["rotate", "--bogus"]).exit_code == 2


def test_backup_and_restore_report_their_time_and_size(node: Path) -> None:
    _add_user()
    archive = node.parent / "node.jbk"
    made = runner.invoke(backup_app, ["backup", str(archive)])
    assert made.exit_code == 0, made.output
    assert "in all" in made.stdout and "Archive:" in made.stdout and "rows/s" in made.stdout
    as_json = json.loads(
        runner.invoke(backup_app, ["backup", str(archive), "--force", "--json"]).stdout
    )
    figures = as_json["figures"]
    assert figures["archive_bytes"] == archive.stat().st_size
    assert {"snapshot", "encrypt", "total"} <= figures["seconds"].keys()

    restored = runner.invoke(backup_app, ["restore", str(archive), "--yes", "--keep-previous"])

    assert restored.exit_code == 0, restored.output
    assert "checking row counts" in restored.stdout
    kept = [p for p in node.iterdir() if p.name.startswith("jusoor.db.before-")]
    assert len(kept) == 1 and str(kept[0]) in restored.stdout
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600


def test_out_of_range_options_are_usage_errors(node: Path) -> None:
    archive = node.parent / "node.jbk"
    assert runner.invoke(backup_app, ["backup", str(archive), "--compress", "10"]).exit_code == 2
    assert runner.invoke(backup_app, ["restore", str(archive), "--jobs", "0"]).exit_code == 2
    assert not archive.exists()
