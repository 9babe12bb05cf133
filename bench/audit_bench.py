"""The audit trail at national scale (issue 18, item 2): the audit page's queries and the pages'
incremental verification at several million chained events on PostgreSQL, the whole-chain
verification speed, and fifty concurrent audited requests with the head lock (inline) and without
(background appender).

    .venv/bin/python bench/audit_bench.py [--events 3000000] [--since 1000] [--repeat 30]
        [--whole/--no-whole] [--concurrency 50] [--out bench/results]

Builds, in a throwaway PostgreSQL server (tests/support/postgres.py), a database made by the
migrations with the demo directory of agencies and users (`jusoor.synth.demo.load`, no cases), then
N events chained exactly as the appender chains them (`jusoor.audit.chain.keyed_hash` under the
node's audit key, computed in Python) and written with COPY in batches (secondary indexes built
after the load). Actors are the demo users (their agency and country); actions follow a mix seen in
use (case reads and lists most); objects come from a pool of 100,000 ids; times span three years.
A checkpoint is anchored `--since` events before the end, as the server's checkpointer leaves it.

Every figure is printed beside a `SELECT 1` round trip measured in the same run, as a ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support.postgres: the throwaway server the tests use

ACTIONS = [  # (action, object type, weight)
    ("case.read", "case", 34),
    ("case.list", None, 18),
    ("case.update", "case", 6),
    ("case.note", "case", 4),
    ("referral.read", "referral", 8),
    ("referral.list", None, 5),
    ("auth.login", "user", 6),
    ("auth.logout", "user", 3),
    ("screening.list", None, 3),
    ("identification.queue", None, 2),
    ("exchange.message.list", None, 2),
    ("entity.read", "entity", 3),
    ("stats.read", None, 2),
    ("audit.read", None, 1),
    ("profile.update", "user", 1),
    ("access.refused", "case", 1),
    ("user.unlock", "user", 1),
]
COLUMNS = (
    "seq", "id", "at", "actor_id", "actor_username", "agency_id", "country", "action",
    "object_type", "object_id", "outcome", "client_addr", "request_id", "details", "link",
    "prev_hash", "hash", "key_id",
)  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
    }


def _events(n: int, users: list[Any], seed: int) -> Iterator[SimpleNamespace]:
    """N synthetic events, oldest first, over three years."""
    rng = random.Random(seed)
    actions = [a for a, _, w in ACTIONS for _ in range(w)]
    kinds = {a: k for a, k, _ in ACTIONS}
    objects = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(100_000)]
    end = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    start = end - dt.timedelta(days=3 * 365)
    step = (end - start) / n
    for i in range(n):
        user = rng.choice(users)
        action = rng.choice(actions)
        kind = kinds[action]
        outcome = (
            "denied"
            if action == "access.refused"
            else ("failure" if rng.random() < 0.01 else "success")
        )
        details: dict[str, Any] = {}
        if action.endswith(".list"):
            details = {"rows": rng.randint(0, 50), "filters": {}}
        elif action == "case.update":
            details = {"fields": rng.sample(["stage", "locale", "notes", "owner"], 2)}
        yield SimpleNamespace(
            seq=i + 1,
            link=i + 1,
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            at=start + step * i,
            actor_id=user.id,
            actor_username=user.username,
            agency_id=user.agency_id,
            country=user.country,
            action=action,
            object_type=kind,
            object_id=rng.choice(objects) if kind else None,
            outcome=outcome,
            client_addr=f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            request_id=uuid.UUID(int=rng.getrandbits(128)).hex[:16],
            details=json.dumps(details, sort_keys=True, separators=(",", ":")),
            key_id=None,
            prev_hash=None,
            hash=None,
        )


def load(url: str, n: int, *, since: int, batch: int = 100_000) -> dict[str, Any]:
    """Fill the database with N chained events; returns the timings and the anchored tip."""
    from sqlalchemy import create_engine, insert, text

    from jusoor.audit.chain import GENESIS, keyed_hash
    from jusoor.audit.keys import audit_keyring
    from jusoor.audit.models import AuditEvent, AuditHead

    engine = create_engine(url)
    keys = audit_keyring()
    kid = keys.primary_kid
    with engine.begin() as conn:
        rows = conn.execute(
            text(
                "SELECT u.id, u.username, u.agency_id, a.country FROM users u "
                "JOIN agencies a ON a.id = u.agency_id"
            )
        ).all()
        users = [
            SimpleNamespace(id=r[0], username=r[1], agency_id=r[2], country=r[3]) for r in rows
        ]
        conn.execute(text("DELETE FROM audit_events"))  # the demo load's own few events
        conn.execute(text("DELETE FROM audit_head"))
    indexes = list(AuditEvent.__table__.indexes)  # type: ignore[attr-defined]
    with engine.begin() as conn:
        for ix in indexes:
            conn.execute(text(f"DROP INDEX IF EXISTS {ix.name}"))
    started = time.perf_counter()
    hashing = 0.0
    prev = GENESIS
    tip: tuple[int, str] = (0, GENESIS)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        buffer: list[tuple[Any, ...]] = []

        def flush() -> None:
            with cursor.copy(f"COPY audit_events ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in buffer:
                    copy.write_row(row)
            raw.commit()
            buffer.clear()

        for event in _events(n, users, seed=18):
            t0 = time.perf_counter()
            event.key_id = kid
            event.prev_hash = prev
            event.hash = prev = keyed_hash(keys, kid, prev, cast(AuditEvent, event))
            hashing += time.perf_counter() - t0
            buffer.append(tuple(getattr(event, c) for c in COLUMNS))
            if event.link == n - since:
                tip = (event.link, event.hash)
            if len(buffer) >= batch:
                flush()
                print(f"  … {event.seq:,} events", flush=True)
        if buffer:
            flush()
    finally:
        raw.close()
    copied = time.perf_counter() - started
    t0 = time.perf_counter()
    with engine.begin() as conn:
        for ix in indexes:
            ix.create(conn)
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence('audit_events', 'seq'), :n + 1, false)"),
            {"n": n},
        )
        conn.execute(insert(AuditHead).values(id=1, last_seq=n, last_hash=prev, linked_from=1))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE audit_events"))
    indexed = time.perf_counter() - t0
    engine.dispose()
    return {
        "events": n,
        "load_s": round(copied, 1),
        "hashing_s": round(hashing, 1),
        "index_and_analyze_s": round(indexed, 1),
        "tip": tip,
    }


def anchor(tip: tuple[int, str]) -> None:
    from jusoor.audit.checkpoints import write_checkpoint
    from jusoor.audit.verification import Status, Verification

    path = Path(os.environ["JUSOOR_DATA_DIR"]) / "audit-anchors.jsonl"
    path.unlink(missing_ok=True)
    write_checkpoint(
        Verification(Status.intact, tip[0], tip_seq=tip[0], tip_hash=tip[1]), start=True
    )


def page_queries(url: str, repeat: int) -> dict[str, Any]:
    """The audit page's work: the filtered, keyset-paged list (as the page asks it), the people
    and sentences of the 50 rows, and the incremental check; with the EXPLAIN of each list query."""
    from sqlalchemy import select, text

    from jusoor.agencies.models import User
    from jusoor.agencies.service import actor_for
    from jusoor.audit import service
    from jusoor.audit.models import AuditEvent
    from jusoor.audit.readable_api import readable
    from jusoor.core.db import Database

    db = Database(url)
    out: dict[str, Any] = {}
    with db.unit_of_work() as session:
        admin = actor_for(
            session.scalars(select(User).where(User.username == "admin")).one(), via="bench"
        )
        auditor_user = session.scalars(
            select(User).where(User.role_rows.any(role="auditor"))
        ).first()
        auditor = actor_for(auditor_user, via="bench") if auditor_user else admin
        sample = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_id.is_not(None))
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        ).one()
        someone = session.scalars(select(AuditEvent.actor_username).limit(1)).one()
        middle = int(session.scalar(text("SELECT max(seq) / 2 FROM audit_events")) or 1)
        now = dt.datetime.now(dt.UTC)
        out["baseline_select_1"] = timed(lambda: session.execute(text("SELECT 1")), repeat * 3)
    cases: dict[str, tuple[Any, service.AuditFilter]] = {
        "newest (admin, all)": (admin, service.AuditFilter()),
        "newest (auditor, country)": (auditor, service.AuditFilter()),
        "user": (admin, service.AuditFilter(actor=someone)),
        "action prefix auth.": (admin, service.AuditFilter(action="auth.")),
        "action exact user.unlock": (admin, service.AuditFilter(action="user.unlock")),
        "object": (admin, service.AuditFilter(object_id=sample.object_id)),
        "outcome denied": (admin, service.AuditFilter(outcome="denied")),
        "last 30 days": (admin, service.AuditFilter(since=now - dt.timedelta(days=30))),
        "a day a year ago": (
            auditor,
            service.AuditFilter(
                since=now - dt.timedelta(days=365), until=now - dt.timedelta(days=364)
            ),
        ),
        "page deep in the log": (admin, service.AuditFilter(before_seq=middle)),
        "user, deep page": (auditor, service.AuditFilter(actor=someone, before_seq=middle)),
    }
    timings: dict[str, Any] = {}
    plans: dict[str, str] = {}
    os.environ["JUSOOR_AUDIT_APPENDER"] = "background"  # the page as `serve` runs it
    for label, (actor, flt) in cases.items():
        flt = service.AuditFilter(**{**vars(flt), "limit": 50})

        def page(actor: Any = actor, flt: service.AuditFilter = flt) -> None:
            with db.unit_of_work() as session:
                events = service.search(session, actor=actor, flt=flt)
                readable(session, events)

        timings[label] = timed(page, repeat)
        with db.unit_of_work() as session:
            stmt = service._filtered(actor, flt).order_by(AuditEvent.seq.desc()).limit(50)
            compiled = stmt.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
            plan = session.execute(text(f"EXPLAIN {compiled}")).scalars().all()
        plans[label] = " | ".join(line.strip() for line in plan if "Scan" in line)
    with db.unit_of_work() as session:
        out["pending_after_page_views"] = int(
            session.scalar(text("SELECT count(*) FROM audit_events WHERE link IS NULL")) or 0
        )
    from jusoor.audit.appender import append_once

    append_once(db, limit=None)  # chain the page views' own audit.read events

    def state() -> None:
        with db.unit_of_work() as session:
            result = service.trail_state(session)
            assert result.recent.ok, result.recent

    out["incremental_check"] = timed(state, repeat)
    with db.unit_of_work() as session:
        out["incremental_events"] = service.trail_state(session).recent.events
    os.environ.pop("JUSOOR_AUDIT_APPENDER", None)
    out["pages"] = timings
    out["plans"] = plans
    db.dispose()
    return out


def whole(url: str) -> dict[str, Any]:
    from jusoor.audit.verification import verify_chain
    from jusoor.core.db import Database

    db = Database(url)
    with db.unit_of_work() as session:
        result = verify_chain(session)
    db.dispose()
    return {
        "status": result.status.value,
        "events": result.events,
        "seconds": round(result.seconds, 1),
        "events_per_second": round(result.rate),
    }


def concurrent(url: str, users: int, per_user: int, work_ms: float) -> dict[str, Any]:
    """`users` threads each doing `per_user` audited requests (one event, then `work_ms` of the
    request's own work inside the transaction), inline (head lock) vs background (appender)."""
    from jusoor.audit import service
    from jusoor.audit.appender import append_once
    from jusoor.core.db import Database
    from jusoor.core.permissions import system_actor

    results: dict[str, Any] = {}
    for mode in ("inline", "background"):
        if mode == "background":
            os.environ["JUSOOR_AUDIT_APPENDER"] = "background"
        else:
            os.environ.pop("JUSOOR_AUDIT_APPENDER", None)
        db = Database(url, pool_size=users, max_overflow=10)
        latencies: list[float] = []
        lock = threading.Lock()

        def user(
            db: Database = db, lock: threading.Lock = lock, latencies: list[float] = latencies
        ) -> None:
            for _ in range(per_user):
                t0 = time.perf_counter()
                with db.unit_of_work() as session:
                    service.record(session, actor=system_actor("bench"), action="case.read")
                    time.sleep(work_ms / 1000)
                with lock:
                    latencies.append((time.perf_counter() - t0) * 1000)

        threads = [threading.Thread(target=user) for _ in range(users)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        append_once(db, limit=None)
        db.dispose()
        results[mode] = {
            "requests_per_s": round(len(latencies) / wall, 1),
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1),
        }
    os.environ.pop("JUSOOR_AUDIT_APPENDER", None)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=3_000_000)
    parser.add_argument("--since", type=int, default=1000, help="events after the checkpoint")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--whole", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    print(
        f"audit benchmark · {os.cpu_count()} CPUs · {platform.python_version()} · "
        f"load {os.getloadavg()[0]:.2f} · {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    from sqlalchemy import create_engine, text
    from tests.support.postgres import start_server

    with tempfile.TemporaryDirectory(prefix="jusoor-audit-bench-") as tmp, ExitStack() as stack:
        os.environ["JUSOOR_DATA_DIR"] = tmp
        server = start_server()
        if server is None:
            sys.exit("PostgreSQL binaries not found")
        stack.callback(server.stop)
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE audit_bench"))
        admin.dispose()
        url = server.url("audit_bench")
        os.environ["JUSOOR_DATABASE_URL"] = url
        from jusoor.core import migrate
        from jusoor.core.config import get_settings
        from jusoor.core.db import Database
        from jusoor.core.permissions import system_actor
        from jusoor.synth import demo

        get_settings.cache_clear()
        db = Database(url)
        migrate.upgrade(db.engine)
        with db.unit_of_work() as session:
            demo.load(session, actor=system_actor("bench"), password="bench-password-0")
        db.dispose()
        result: dict[str, Any] = {"engine": "postgresql"}
        if args.concurrency:
            # On the small trail first: what every audited request pays for the chain.
            result["concurrent"] = concurrent(url, args.concurrency, 10, 20.0)
            print("50 concurrent audited requests:", json.dumps(result["concurrent"]))
        print(f"loading {args.events:,} chained events …", flush=True)
        loaded = load(url, args.events, since=args.since)
        anchor(loaded.pop("tip"))
        result["load"] = loaded
        print("load:", json.dumps(loaded), flush=True)
        result["page"] = page_queries(url, args.repeat)
        base = result["page"]["baseline_select_1"]["p50_ms"] or 0.01
        print(f"baseline SELECT 1: {json.dumps(result['page']['baseline_select_1'])}")
        print(f"{'audit page query':32} {'p50 ms':>8} {'p95 ms':>8} {'p95/SELECT 1':>13}  plan")
        for label, t in result["page"]["pages"].items():
            print(
                f"{label:32} {t['p50_ms']:8.1f} {t['p95_ms']:8.1f} {t['p95_ms'] / base:13.0f}  "
                f"{result['page']['plans'][label][:110]}"
            )
        t = result["page"]["incremental_check"]
        print(
            f"{'incremental check':32} {t['p50_ms']:8.1f} {t['p95_ms']:8.1f} "
            f"{t['p95_ms'] / base:13.0f}  ({result['page']['incremental_events']} events since "
            "the checkpoint)"
        )
        if args.whole:
            result["whole"] = whole(url)
            print("jusoor audit verify (whole chain):", json.dumps(result["whole"]))
        result["load_average"] = os.getloadavg()[0]
        args.out.mkdir(parents=True, exist_ok=True)
        target = args.out / f"audit_bench-{args.events}.json"
        target.write_text(json.dumps(result, indent=2, default=str) + "\n", "utf-8")
        print(f"written: {target}")


if __name__ == "__main__":
    main()
