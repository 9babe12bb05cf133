"""The anchor file: signed, append-only, safe with several writers; missing or forged is reported."""

from __future__ import annotations

import json
import logging
import multiprocessing
import stat
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from jusoor.audit import anchors
from jusoor.audit import service as audit
from jusoor.audit.anchors import AnchorError, Checkpoint
from jusoor.audit.checkpoints import CheckpointThread, checkpoint_once, write_checkpoint
from jusoor.audit.keys import AuditKeyring, audit_keyring
from jusoor.audit.models import AuditEvent
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from tests.conftest import AUDIT_KEY

WRITERS, LINES_EACH = 4, 60


def _verify(db: Database) -> audit.Verification:
    with db.unit_of_work() as session:
        return audit.verify(session)


def _anchor_file() -> Path:
    return get_settings().effective_audit_anchor


def _record(db: Database, n: int = 1) -> None:
    with db.unit_of_work() as session:
        for _ in range(n):
            audit.record(session, actor=system_actor("ops"), action="case.read")


def test_the_anchor_file_is_private_and_holds_signed_checkpoints(demo_db: Database) -> None:
    path = _anchor_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    (line,) = path.read_text().splitlines()
    checkpoint = anchors.parse_line(line, audit_keyring(), line=1)
    with demo_db.unit_of_work() as session:
        tip = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert (checkpoint.seq, checkpoint.hash, checkpoint.node) == (tip.seq, tip.hash, "XX")
    assert checkpoint.kid == audit_keyring().primary_kid


def test_a_missing_anchor_file_is_reported_not_intact(demo_db: Database) -> None:
    _anchor_file().unlink()
    result = _verify(demo_db)
    assert result.status is audit.Status.unanchored and not result.ok
    assert str(_anchor_file()) in (result.reason or "")
    with pytest.raises(ValueError):
        write_checkpoint(result)  # verify never silently starts a new anchor file
    assert not _anchor_file().exists()


def test_an_edited_checkpoint_is_anchor_invalid(demo_db: Database) -> None:
    path = _anchor_file()
    raw = json.loads(path.read_text())
    raw["seq"] -= 3  # moved back, as if to excuse a cut tail, without the audit key
    path.write_text(json.dumps(raw) + "\n")
    result = _verify(demo_db)
    assert result.status is audit.Status.anchor_invalid
    assert "line 1" in (result.reason or "").lower()


def test_a_checkpoint_signed_with_a_guessed_key_is_anchor_invalid(demo_db: Database) -> None:
    kid = audit_keyring().primary_kid
    guessed = AuditKeyring.parse(f"{kid}:" + "Z3Vlc3NlZC1hdWRpdC1rZXktb2YtMzItYnl0ZXMhISE=")
    forged = Checkpoint(seq=1, hash="0" * 64, at="2026-01-01T00:00:00+00:00", kid=kid, node="XX")
    anchors.append(_anchor_file(), forged, guessed, create=False)
    assert _verify(demo_db).status is audit.Status.anchor_invalid


def test_a_checkpoint_under_an_unknown_key_is_key_missing(demo_db: Database) -> None:
    other = AuditKeyring.parse("kgone:" + "Z3Vlc3NlZC1hdWRpdC1rZXktb2YtMzItYnl0ZXMhISE=")
    cp = Checkpoint(seq=1, hash="0" * 64, at="2026-01-01T00:00:00+00:00", kid="kgone", node="XX")
    anchors.append(_anchor_file(), cp, other, create=False)
    result = _verify(demo_db)
    assert result.status is audit.Status.key_missing and result.key_id == "kgone"


def _append_many(path: str, worker: int) -> None:
    keys = AuditKeyring.parse(AUDIT_KEY)
    for n in range(LINES_EACH):
        cp = Checkpoint(
            seq=worker * 1000 + n,
            hash=f"{worker:02d}{n:062d}",
            at="t",
            kid=keys.primary_kid,
            node="XX",
        )
        anchors.append(Path(path), cp, keys, create=True)


def test_concurrent_writers_never_corrupt_or_lose_a_line(tmp_path: Path) -> None:
    path = tmp_path / "anchors.jsonl"
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_append_many, args=(str(path), w)) for w in range(WRITERS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    checkpoints = anchors.read_all(path, AuditKeyring.parse(AUDIT_KEY))
    assert checkpoints is not None and len(checkpoints) == WRITERS * LINES_EACH
    assert len({cp.seq for cp in checkpoints}) == WRITERS * LINES_EACH
    for worker in range(WRITERS):  # each writer's lines stay in its order
        mine = [cp.seq for cp in checkpoints if cp.seq // 1000 == worker]
        assert mine == sorted(mine)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_torn_line_is_reported_not_skipped(tmp_path: Path) -> None:
    path = tmp_path / "anchors.jsonl"
    path.write_text('{"seq": 3, "hash"\n')
    with pytest.raises(AnchorError):
        anchors.read_all(path, AuditKeyring.parse(AUDIT_KEY))


def test_the_server_checkpoint_covers_only_new_events_and_only_when_moved(
    demo_db: Database,
) -> None:
    lines = len(_anchor_file().read_text().splitlines())
    assert checkpoint_once(demo_db) is None  # head unchanged since the fixture's checkpoint
    _record(demo_db, 3)
    result = checkpoint_once(demo_db)
    assert result is not None and result.ok and result.events == 3
    assert len(_anchor_file().read_text().splitlines()) == lines + 1
    assert _verify(demo_db).checkpoints == lines + 1


def test_the_server_checkpoint_never_names_an_uncommitted_event(demo_db: Database) -> None:
    if demo_db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises transactions (BEGIN IMMEDIATE): the checkpoint waits")
    with demo_db.unit_of_work() as pending:
        event = audit.record(pending, actor=system_actor("ops"), action="case.read")
        other = Database(get_settings().effective_database_url)
        try:
            assert checkpoint_once(other) is None  # the pending event is not visible, not anchored
        finally:
            other.dispose()
    assert (result := checkpoint_once(demo_db)) is not None and result.tip_seq == event.seq


def test_the_server_checkpoint_refuses_a_rewritten_tail(
    demo_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    _record(demo_db, 2)
    with demo_db.unit_of_work() as session:
        tip = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
        tip.outcome = "denied"
    before = _anchor_file().read_text()
    with caplog.at_level(logging.ERROR, logger="jusoor.audit"):
        result = checkpoint_once(demo_db)
    assert result is not None and result.status is audit.Status.rewritten
    assert _anchor_file().read_text() == before
    assert "rewritten" in caplog.text


def test_the_checkpoint_thread_anchors_a_moved_head(demo_db: Database) -> None:
    thread = CheckpointThread(get_settings().effective_database_url, 0.05)
    thread.start()
    try:
        _record(demo_db)
        with demo_db.unit_of_work() as session:
            last = session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            newest = anchors.read_last(_anchor_file(), audit_keyring())
            if newest is not None and newest.seq == last:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the checkpoint thread did not anchor the new head")
    finally:
        thread.stopping.set()
        thread.join(10)


def test_recording_an_event_does_not_touch_the_anchor_and_computes_one_hmac(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_mac = AuditKeyring.mac

    def counting_mac(self: AuditKeyring, kid: str, message: str) -> str:
        calls.append(kid)
        return real_mac(self, kid, message)

    def no_anchor(*args: object, **kwargs: object) -> None:
        raise AssertionError("the anchor file was used on the hot path")

    monkeypatch.setattr(AuditKeyring, "mac", counting_mac)
    for name in ("append", "read_all", "read_last"):
        monkeypatch.setattr(anchors, name, no_anchor)
    audit_keyring()  # loaded once per process, before
    _record(demo_db)
    assert len(calls) == 1


def test_an_anchor_file_others_may_write_is_refused(demo_db: Database) -> None:
    _anchor_file().chmod(0o622)
    result = _verify(demo_db)
    assert result.status is audit.Status.anchor_invalid and "chmod 600" in (result.reason or "")


def test_a_layer_above_receives_each_written_checkpoint_and_cannot_break_it(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(anchors, "_listeners", [])
    received: list[str] = []

    def broken(line: str) -> None:
        raise RuntimeError("peer unreachable")

    anchors.on_checkpoint(broken)
    anchors.on_checkpoint(received.append)
    _record(demo_db)
    with caplog.at_level(logging.ERROR, logger="jusoor.audit"):
        result = checkpoint_once(demo_db)
    assert result is not None and result.ok
    (line,) = received
    assert anchors.parse_line(line, audit_keyring(), line=1).seq == result.tip_seq
    assert _anchor_file().read_text().splitlines()[-1] == line
    assert "listener failed" in caplog.text
