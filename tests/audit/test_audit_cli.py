"""`jusoor audit verify|checkpoint|rotate-key` and `jusoor init` as an operator runs them: exit codes,
`--json`, key rotation, a missing key, and the upgrade of events written before audit keys."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from jusoor.audit import service as audit
from jusoor.audit.chain import GENESIS, legacy_hash
from jusoor.audit.keys import AuditKeyring, audit_keyring, keyfile_path
from jusoor.audit.models import AuditEvent
from jusoor.cli.main import app
from jusoor.core import migrate
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from tests.conftest import AUDIT_KEY, _reset_caches

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _record(n: int = 1) -> None:
    db = Database(get_settings().effective_database_url)
    try:
        with db.unit_of_work() as session:
            for _ in range(n):
                audit.record(session, actor=system_actor("ops"), action="case.read")
    finally:
        db.dispose()


def _sql(statement: str, **params: object) -> None:
    db = Database(get_settings().effective_database_url)
    try:
        with db.engine.begin() as connection:
            connection.execute(text(statement), params)
    finally:
        db.dispose()


def _key_ids() -> list[str | None]:
    db = Database(get_settings().effective_database_url)
    try:
        with db.unit_of_work() as session:
            return list(session.scalars(select(AuditEvent.key_id).order_by(AuditEvent.seq)))
    finally:
        db.dispose()


@pytest.fixture
def node(db_url: str) -> str:
    """A node made with `jusoor init` (which starts the anchor file), on SQLite and PostgreSQL."""
    code, _, err = run("init")
    assert code == 0, err
    return db_url


def test_verify_exit_codes_and_json_for_intact_rewritten_and_truncated(node: str) -> None:
    _record(4)
    code, out, _ = run("audit", "verify", "--json")
    report = json.loads(out)
    assert code == 0 and report["status"] == "intact" and report["ok"] is True
    assert report["events"] == 5 and report["checkpoints"] == 1 and report["checkpoint_written"]
    assert isinstance(report["seconds"], float)
    code, out, _ = run("audit", "verify")
    # The first verify was recorded (event 6): the pages say when the whole chain was verified.
    assert code == 0 and "intact: 6 events and 2 anchored checkpoints" in out
    assert "events per second" in out

    _sql("DELETE FROM audit_events WHERE seq = 5")
    _sql(
        "UPDATE audit_head SET last_seq = 4, last_hash = (SELECT hash FROM audit_events WHERE seq = 4)"
    )
    code, out, _ = run("audit", "verify", "--json")
    assert code == 1 and json.loads(out)["status"] == "truncated"
    code, _, err = run("audit", "verify")
    assert code == 1 and "truncated after event 4" in err

    _sql("UPDATE audit_events SET outcome = 'denied' WHERE seq = 2")
    code, out, _ = run("audit", "verify", "--json")
    report = json.loads(out)
    assert code == 1 and (report["status"], report["first_bad_seq"]) == ("rewritten", 2)
    assert run("audit", "checkpoint")[0] == 1  # a broken chain is never anchored


def test_a_missing_anchor_file_fails_verify_until_an_operator_starts_one(node: str) -> None:
    get_settings().effective_audit_anchor.unlink()
    code, _, err = run("audit", "verify")
    assert code == 1 and "not anchored" in err
    code, out, _ = run("audit", "checkpoint")
    assert code == 0 and "Anchor file started" in out
    code, out, _ = run("audit", "verify", "--json")
    assert code == 0 and json.loads(out)["status"] == "intact"
    code, out, _ = run("audit", "list", "--action", "audit.anchor", "--json")
    assert [e["action"] for e in json.loads(out)] == ["audit.anchor.start"] * 2


def test_rotate_key_seals_new_events_with_a_new_key_and_old_ones_still_verify(
    node: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = keyfile_path(get_settings())  # the same key, now kept in the data dir's key file
    path.touch(mode=0o600)
    path.write_text(AUDIT_KEY + "\n")
    monkeypatch.delenv("JUSOOR_AUDIT_KEY")
    _reset_caches()
    old = audit_keyring().primary_kid
    _record(2)
    code, out, err = run("audit", "rotate-key", "--json")
    assert code == 0, err
    new = json.loads(out)["primary_kid"]
    assert AuditKeyring.parse(path.read_text()).kids == (new, old)
    _record(2)
    kids = _key_ids()
    assert kids[-3:] == [new, new, new] and old in kids
    code, out, _ = run("audit", "verify", "--json")
    assert code == 0 and json.loads(out)["status"] == "intact"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_without_jusoor_audit_key_a_private_key_file_is_made_on_first_use(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JUSOOR_AUDIT_KEY")
    _reset_caches()
    _record(1)
    path = keyfile_path(get_settings())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _key_ids() == [AuditKeyring.parse(path.read_text()).primary_kid]
    _reset_caches()  # another process reads the same file
    with database.unit_of_work() as session:
        assert audit.verify(session).status is audit.Status.unanchored  # chain fine, no anchor


def test_rotate_key_is_refused_when_keys_come_from_the_environment(node: str) -> None:
    code, _, err = run("audit", "rotate-key")
    assert code == 1 and "JUSOOR_AUDIT_KEY" in err and "Traceback" not in err


def test_a_key_put_first_in_the_environment_seals_new_events(
    node: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _record(1)
    new_key = "knew2:" + base64.b64encode(b"n" * 32).decode()
    monkeypatch.setenv("JUSOOR_AUDIT_KEY", f"{new_key},{AUDIT_KEY}")
    _reset_caches()
    _record(1)
    assert _key_ids()[-1] == "knew2" and _key_ids()[0] == AUDIT_KEY.split(":")[0]
    assert run("audit", "verify")[0] == 0


def test_a_removed_key_is_reported_by_its_id(node: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _record(1)
    monkeypatch.setenv("JUSOOR_AUDIT_KEY", "kother:" + base64.b64encode(b"o" * 32).decode())
    _reset_caches()
    code, out, _ = run("audit", "verify", "--json")
    report = json.loads(out)
    assert code == 1 and report["status"] == "key_missing" and report["key_id"] == "ktestaudit1"
    code, _, err = run("audit", "verify")
    assert code == 1 and "ktestaudit1" in err


def _make_legacy(db: Database) -> int:
    """Turn every event into a pre-upgrade row: no key id, plain SHA-256 chain, head to match."""
    with db.unit_of_work() as session:
        prev, rows = GENESIS, []
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
            event.key_id, event.prev_hash = None, prev
            event.hash = prev = legacy_hash(prev, event)
            rows.append({"s": event.seq, "p": event.prev_hash, "h": event.hash})
        session.expunge_all()
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_events SET key_id = NULL, prev_hash = :p, hash = :h WHERE seq = :s"),
            rows,
        )
        connection.execute(
            text("UPDATE audit_head SET last_seq = :s, last_hash = :h"), {"s": len(rows), "h": prev}
        )
    return len(rows)


def test_init_seals_events_written_before_audit_keys_and_later_rewrites_are_caught(
    db_url: str,
) -> None:
    db = Database(db_url)
    migrate.upgrade(db.engine)  # a node upgraded in place: events, no anchor file yet
    _record(6)
    legacy = _make_legacy(db)
    assert not get_settings().effective_audit_anchor.exists()
    code, _, err = run("init")  # the first start after the upgrade
    assert code == 0, err
    _record(2)
    code, out, _ = run("audit", "verify", "--json")
    assert code == 0 and json.loads(out)["events"] == legacy + 3
    assert _key_ids()[:legacy] == [None] * legacy

    # A keyed event turned into a "legacy" one, with a plain SHA-256 chain after it, is rewritten.
    with db.unit_of_work() as session:
        event = session.get(AuditEvent, legacy + 2)
        assert event is not None
        forged = legacy_hash(event.prev_hash, event)
    _sql("UPDATE audit_events SET key_id = NULL, hash = :h WHERE seq = :s", h=forged, s=legacy + 2)
    code, out, _ = run("audit", "verify", "--json")
    report = json.loads(out)
    assert code == 1 and (report["status"], report["first_bad_seq"]) == ("rewritten", legacy + 2)
    db.dispose()


def test_a_legacy_event_changed_after_sealing_is_rewritten(db_url: str) -> None:
    db = Database(db_url)
    migrate.upgrade(db.engine)
    _record(6)
    legacy = _make_legacy(db)
    assert run("init")[0] == 0
    _sql("UPDATE audit_events SET outcome = 'denied' WHERE seq = 3")
    _make_legacy_tail_consistent(db, legacy)  # even with the plain chain recomputed to the seal
    code, out, _ = run("audit", "verify", "--json")
    report = json.loads(out)
    assert code == 1 and report["status"] == "rewritten" and report["first_bad_seq"] <= legacy + 1
    db.dispose()


def _make_legacy_tail_consistent(db: Database, legacy: int) -> None:
    with db.unit_of_work() as session:
        prev, rows = GENESIS, []
        for event in session.scalars(
            select(AuditEvent).where(AuditEvent.seq <= legacy).order_by(AuditEvent.seq)
        ):
            event.prev_hash = prev
            event.hash = prev = legacy_hash(prev, event)
            rows.append({"s": event.seq, "p": event.prev_hash, "h": event.hash})
        session.expunge_all()
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE seq = :s"), rows
        )


def test_help_texts_name_the_new_commands() -> None:
    code, out, _ = run("audit", "--help")
    assert code == 0
    for command in ("verify", "checkpoint", "rotate-key"):
        assert command in out


def test_a_node_without_events_and_without_anchor_is_intact(database: Database) -> None:
    with database.unit_of_work() as session:
        assert audit.verify(session).status is audit.Status.intact


def test_a_restore_keeps_the_old_checkpoints_aside_and_anchors_the_restored_trail(
    node: str, tmp_path: Path
) -> None:
    archive = tmp_path / "node.jbk"
    _record(2)
    assert run("backup", str(archive))[0] == 0
    _record(3)
    assert run("audit", "checkpoint")[0] == 0  # anchors events the backup does not hold
    old_anchor = get_settings().effective_audit_anchor.read_text()
    code, _, err = run("restore", str(archive), "--yes")
    assert code == 0, err
    retired = list(get_settings().effective_audit_anchor.parent.glob("*.before-restore-*"))
    assert len(retired) == 1 and retired[0].read_text() == old_anchor
    code, out, _ = run("audit", "verify", "--json")
    assert code == 0 and json.loads(out)["status"] == "intact"
    code, out, _ = run("audit", "list", "--limit", "4", "--json")
    # Newest first: the restored trail is anchored after the restore ended every credential
    # (then the intact verification is recorded).
    assert [e["action"] for e in json.loads(out)] == [
        "audit.verify",
        "audit.anchor.start",
        "auth.credentials_ended",
        "backup.restore",
    ]


def test_serve_refuses_to_start_without_a_usable_audit_key(
    node: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    def must_not_serve(*args: object, **kwargs: object) -> None:
        raise AssertionError("served without an audit key")

    monkeypatch.setattr(uvicorn, "run", must_not_serve)
    monkeypatch.setenv("JUSOOR_AUDIT_CHECKPOINT_SECONDS", "0")
    monkeypatch.setenv("JUSOOR_EXCHANGE_DELIVER_SECONDS", "0")
    monkeypatch.setenv("JUSOOR_AUDIT_KEY", "kbad:not-base64!")
    _reset_caches()
    code, _, err = run("serve")
    assert code == 1 and "audit key is not valid" in err and "not-base64" not in err


def test_serve_chains_in_the_background_and_leaves_nothing_pending_when_it_stops(
    node: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from jusoor.audit import appender

    seen: list[bool] = []

    def a_request(*args: object, **kwargs: object) -> None:  # what a request does while serving
        seen.append(appender.background())
        _record(1)

    monkeypatch.setattr(uvicorn, "run", a_request)
    monkeypatch.setenv("JUSOOR_AUDIT_CHECKPOINT_SECONDS", "0")
    monkeypatch.setenv("JUSOOR_EXCHANGE_DELIVER_SECONDS", "0")
    monkeypatch.setenv("JUSOOR_AUDIT_APPEND_SECONDS", "30")  # only the stop's last pass chains
    _reset_caches()
    code, _, err = run("serve")
    assert code == 0, err
    assert seen == [True] and not appender.background()  # inline again once serve returned
    code, out, _ = run("audit", "verify", "--json")
    report = json.loads(out)
    assert report["ok"] and report["pending"] == 0
