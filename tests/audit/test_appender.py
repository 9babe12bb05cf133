"""Recording without the head lock, chaining in order by the appender, and nothing lost or
reordered when the appender is killed at any moment (SIGKILL), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Uuid, bindparam, func, select, text

from jusoor.audit import appender, verification
from jusoor.audit import service as audit
from jusoor.audit.chain import seal
from jusoor.audit.keys import audit_keyring
from jusoor.audit.models import AuditEvent
from jusoor.audit.verification import Status, verify_chain, verify_recent
from jusoor.core.db import Database, UTCDateTime, utcnow
from jusoor.core.permissions import system_actor
from tests.conftest import anchor_audit_trail


@pytest.fixture
def background(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(appender.MODE_ENV, appender.BACKGROUND)
    yield


def _record(db: Database, n: int = 1, **details: object) -> list[uuid.UUID]:
    with db.unit_of_work() as session:
        return [
            audit.record(session, actor=system_actor("ops"), action="case.read", details=details).id
            for _ in range(n)
        ]


def _links(db: Database) -> list[tuple[int, int | None]]:
    with db.unit_of_work() as session:
        return [
            (row.seq, row.link)
            for row in session.execute(
                select(AuditEvent.seq, AuditEvent.link).order_by(AuditEvent.seq)
            )
        ]


def test_a_time_budget_ends_a_batch_early_and_the_next_batch_goes_on(
    database: Database, background: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite the appender's transaction holds the only writer's lock: it chains in small
    time-bounded batches (at least one event each), and a pass still chains everything, in order."""
    anchor_audit_trail(database)
    _record(database, 5)
    with database.unit_of_work() as session:
        done = appender.chain_pending(session, limit=None, budget=0.0)
    assert (done.chained, done.last_link) == (1, 1)  # the budget was spent after the first
    monkeypatch.setattr(appender, "SQLITE_BUDGET", 0.0)
    monkeypatch.setattr(appender, "SQLITE_PAUSE", 0.0)
    assert appender.append_once(database) == 4
    assert [link for _, link in _links(database)] == [1, 2, 3, 4, 5]
    with database.unit_of_work() as session:
        result = verify_chain(session)
    assert result.ok and (result.events, result.pending) == (5, 0)


def test_recording_leaves_the_event_pending_and_the_appender_chains_it(
    database: Database, background: None
) -> None:
    anchor_audit_trail(database)
    _record(database, 3)
    assert [link for _, link in _links(database)] == [None, None, None]
    with database.unit_of_work() as session:
        pending = verify_chain(session)
    assert pending.ok and pending.pending == 3 and pending.events == 0  # pending is not an error
    assert appender.append_once(database) == 3
    assert [link for _, link in _links(database)] == [1, 2, 3]
    assert appender.append_once(database) == 0
    with database.unit_of_work() as session:
        result = verify_chain(session)
    assert result.ok and (result.events, result.pending) == (3, 0)


def test_inline_and_background_recording_make_one_chain(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    anchor_audit_trail(database)
    _record(database, 2)  # inline: chained in the transaction
    monkeypatch.setenv(appender.MODE_ENV, appender.BACKGROUND)
    _record(database, 2)
    monkeypatch.delenv(appender.MODE_ENV)
    _record(database, 1)  # inline again: chains the two pending ones first, then its own
    assert [link for _, link in _links(database)] == [1, 2, 3, 4, 5]
    with database.unit_of_work() as session:
        assert verify_chain(session).ok


def test_events_chained_while_the_chain_is_checked_are_left_for_the_next_check(
    database: Database, background: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jusoor audit checkpoint` walks a national log for minutes while the node keeps chaining:
    what was chained meanwhile is not "added after the recorded end of the chain" (it was, on
    PostgreSQL, which reads each statement's rows as committed when it starts)."""
    if not database.engine.url.get_backend_name().startswith("postgres"):
        pytest.skip("SQLite: the check's transaction holds the only writer's lock meanwhile")
    anchor_audit_trail(database)
    _record(database, 2)
    appender.append_once(database)
    walk = verification.walk_events

    def walk_while_the_node_works(*args: Any, **kwargs: Any) -> Any:
        walked = walk(*args, **kwargs)
        _record(database, 3)  # people read cases meanwhile, and the appender chains their events
        appender.append_once(database)
        return walked

    monkeypatch.setattr(verification, "walk_events", walk_while_the_node_works)
    with database.unit_of_work() as session:
        for result in (verify_chain(session), verify_recent(session, every=True)):
            assert result.ok, result.reason
    with database.unit_of_work() as session:  # the next check covers them
        assert verify_chain(session).events == 8


def test_recording_does_not_wait_for_the_head_lock(database: Database, background: None) -> None:
    """The issue's queue: a transaction holding the head row no longer blocks anyone's event."""
    if not database.engine.url.get_backend_name().startswith("postgres"):
        pytest.skip("SQLite has one writer at a time: the lock is the database's own")
    _record(database)
    appender.append_once(database)
    holder = database.engine.connect()
    try:
        holder.execute(text("SELECT * FROM audit_head FOR UPDATE"))  # as the old record() did
        with database.unit_of_work() as session:
            session.execute(text("SET LOCAL lock_timeout = '2s'"))
            audit.record(session, actor=system_actor("ops"), action="case.read")
    finally:
        holder.rollback()
        holder.close()
    assert appender.append_once(database) == 1


def test_a_row_put_in_the_trail_outside_jusoor_is_never_chained(
    database: Database, background: None
) -> None:
    anchor_audit_trail(database)
    _record(database)
    with database.unit_of_work() as session:  # a forger without the audit key
        forged = AuditEvent(
            id=uuid.uuid4(),
            at=utcnow(),
            actor_username="admin",
            action="user.create",
            outcome="success",
            details="{}",
            key_id=audit_keyring().primary_kid,
            hash="0" * 64,
        )
        session.add(forged)
    _record(database)
    assert appender.append_once(database) == 2  # the two real ones; the forged one stays out
    forged = max(seq for seq, link in _links(database) if link is None)
    with database.unit_of_work() as session:
        for result in (verify_chain(session), verify_recent(session)):
            assert (result.status, result.first_bad_seq) == (Status.rewritten, forged)
            assert "outside Jusoor" in (result.reason or "")


def test_an_event_left_pending_too_long_is_reported(database: Database, background: None) -> None:
    anchor_audit_trail(database)
    _record(database, 2)
    with database.unit_of_work() as session:
        assert (verify_recent(session).pending, verify_recent(session).stale_pending) == (2, 0)
        # One recorded eleven minutes ago (sealed as `record` seals), that no appender chained.
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).first()
        assert event is not None
        event.at = utcnow() - dt.timedelta(minutes=11)
        event.hash = seal(audit_keyring(), str(event.key_id), event)
    with database.unit_of_work() as session:
        result = verify_recent(session)
    assert result.ok and (result.pending, result.stale_pending) == (2, 1)


_APPENDER = """
import sys, time
from jusoor.audit.appender import append_once
from jusoor.core.db import Database
db = Database(sys.argv[1])
sys.stdin.readline()  # started ahead (imports are slow on a loaded machine); work when told
while True:
    append_once(db, limit=7)   # small batches: a kill often lands inside one
    time.sleep(0.01)
"""


def _chained(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.max(AuditEvent.link))) or 0)


def _start_appender(url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", _APPENDER, url],
        env=os.environ.copy(),
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.nodes
def test_killing_the_appender_at_any_moment_loses_and_reorders_nothing(
    database: Database, background: None
) -> None:
    """Two writers record events one per transaction while an appender process is killed with
    SIGKILL at random moments and restarted. Every committed event is then chained exactly once,
    the links have no gap, each writer's events are chained in its commit order, and the chain
    verifies intact."""
    anchor_audit_trail(database)
    url = str(database.engine.url.render_as_string(hide_password=False))
    rng = random.Random()
    committed: dict[int, list[uuid.UUID]] = {0: [], 1: []}
    stop = threading.Event()

    def write(writer: int) -> None:
        db = Database(url)
        try:
            n = 0
            while not stop.is_set():
                with db.unit_of_work() as session:
                    event = audit.record(
                        session,
                        actor=system_actor("ops"),
                        action="case.read",
                        details={"writer": writer, "n": n},
                    )
                    event_id = event.id
                committed[writer].append(event_id)  # after the commit returned
                n += 1
                time.sleep(0.002)
        finally:
            db.dispose()

    processes = [_start_appender(url) for _ in range(3)]
    writers = [threading.Thread(target=write, args=(w,)) for w in (0, 1)]
    for thread in writers:
        thread.start()
    kills = 0
    errors: list[str] = []
    try:
        for process in processes:
            before = _chained(database)
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            process.stdin.flush()
            deadline = time.monotonic() + 30
            while _chained(database) == before and time.monotonic() < deadline:
                time.sleep(0.05)  # until this appender is at work…
            time.sleep(rng.uniform(0.0, 0.3))  # …then at a random moment
            process.send_signal(signal.SIGKILL)
            _, err = process.communicate(timeout=10)
            errors.append(err.decode(errors="replace")[-2000:])
            kills += 1
    finally:
        stop.set()
        for thread in writers:
            thread.join(30)
        for process in processes:
            process.kill()
            process.wait(10)
    assert kills == 3
    chained_by_killed = _chained(database)
    appender.append_once(database, limit=None)  # the restarted appender's catch-up

    with database.unit_of_work() as session:
        rows = session.execute(
            select(AuditEvent.id, AuditEvent.link).order_by(AuditEvent.link)
        ).all()
        total = session.scalar(select(func.count()).select_from(AuditEvent))
    link_of = {row.id: row.link for row in rows}
    every = committed[0] + committed[1]
    assert len(every) > 20 and total == len(every) == len(set(link_of))
    assert chained_by_killed >= 3, errors  # the killed appenders did chain
    assert all(link_of[event_id] is not None for event_id in every)  # chained, exactly once
    assert [row.link for row in rows] == list(range(1, len(rows) + 1))  # no gap, no repeat
    for writer in (0, 1):  # one writer's commits are chained in the order they were made
        links = [link_of[event_id] for event_id in committed[writer]]
        assert links == sorted(links)
    with database.unit_of_work() as session:
        result = verify_chain(session)
    assert result.ok and result.events == len(every), result


def test_events_chained_before_the_migration_still_verify_and_new_ones_follow(
    database: Database,
) -> None:
    """Migration 0016 on a trail written the old way (seq = position, hashes without `link`):
    the old events verify with their old hash, the new ones cover their link."""
    from alembic import command

    from jusoor.audit.chain import GENESIS, keyed_hash
    from jusoor.audit.keys import audit_keyring
    from jusoor.core import migrate

    config = migrate.alembic_config(database.engine.url.render_as_string(hide_password=False))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0016_audit_appender-1")
    keys, prev = audit_keyring(), GENESIS
    rows = []
    for seq in (1, 2, 3):  # as the old `record` wrote them
        event = AuditEvent(
            seq=seq, id=uuid.uuid4(), at=utcnow(), actor_username="ops", action="case.read",
            outcome="success", details="{}", key_id=keys.primary_kid,
        )  # fmt: skip
        event.hash = keyed_hash(keys, keys.primary_kid, prev, event, linked=False)
        rows.append({"seq": seq, "id": event.id, "at": event.at, "p": prev, "h": event.hash})
        prev = event.hash
    with database.engine.begin() as sql:
        for row in rows:
            sql.execute(
                text(
                    "INSERT INTO audit_events (seq, id, at, actor_username, action, outcome, "
                    "details, prev_hash, hash, key_id) VALUES (:seq, :id, :at, 'ops', "
                    "'case.read', 'success', '{}', :p, :h, :k)"
                ).bindparams(bindparam("id", type_=Uuid()), bindparam("at", type_=UTCDateTime())),
                {**row, "k": keys.primary_kid},
            )
        sql.execute(
            text("INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 3, :h)"), {"h": prev}
        )
    migrate.upgrade(database.engine)
    anchor_audit_trail(database)
    _record(database, 2)
    assert [link for _, link in _links(database)] == [1, 2, 3, 4, 5]
    with database.unit_of_work() as session:
        result = verify_chain(session)
    assert result.ok and result.events == 5, result
    with database.engine.begin() as sql:  # the boundary is covered: moving it breaks the chain
        sql.execute(text("UPDATE audit_head SET linked_from = 3"))
    with database.unit_of_work() as session:
        assert verify_chain(session).first_bad_seq == 3


def test_a_page_checks_the_newest_events_when_checkpoints_fell_behind(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jusoor.audit import verification
    from jusoor.audit.checkpoints import checkpoint_if_moved

    _record(database, 3)
    anchor_audit_trail(database)  # the checkpoint: 3 events
    _record(database, 12)  # then a bulk load, or a server stopped: no checkpoint since
    monkeypatch.setattr(verification, "RECENT_LIMIT", 5)
    with database.unit_of_work() as session:
        page = verify_recent(session)
        assert page.ok and (page.events, page.unchecked) == (5, 7), page
        due = checkpoint_if_moved(session)  # a checkpoint still checks everything since the last
        assert due is not None and due.ok and (due.events, due.unchecked) == (12, 0), due
        # An event rewritten inside the window is still found by the page.
        session.execute(
            text("UPDATE audit_events SET details = '{\"x\": 1}' WHERE link = :link"),
            {"link": 15},
        )
        assert verify_recent(session).status is Status.rewritten
