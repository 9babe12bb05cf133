"""`jusoor backup` / `restore` of a national PostgreSQL database, against PostgreSQL's own tools.

    .venv/bin/python bench/backup_bench.py [--sizes 100000,1000000] [--events-per-case 1]
        [--levels 1,6] [--jobs 1,2] [--out bench/results]

For each size: a fresh database made by the migrations in a throwaway server (as the tests start
one), the demo directory, N cases drawn by `bench/stats_population.py` with COPY, and N ×
`--events-per-case` audit events ("case.read" by the directory's users) sealed onto the keyed
chain as `audit.service.record` seals them, then COPYed. Then, timed:

- baseline: `pg_dump -Fc` (its default gzip level 6) to /dev/null, and at `-Z1` (jusoor's
  default); `pg_dump -Fc` to a file and `pg_restore` of it (one job, then `--jobs 2`) into an
  empty database;
- `create_backup` at each gzip level of `--levels` (its own steps: count, dump, encrypt);
- `restore_backup` with each of `--jobs` over the bench database itself, as an operator would:
  a fresh copy, verified (row counts, schema, every audit event's HMAC), then switched in.

Every figure is printed beside the baseline of the same run (× baseline), with the archive's
size against the plain dump's, rows per second, and this process's resident memory before each
step and at its peak (Linux VmHWM, reset before the step). The database is dropped afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support.postgres: the throwaway server the tests use
sys.path.insert(0, str(Path(__file__).resolve().parent))

import stats_population as population  # noqa: E402

from jusoor.audit.chain import canonical_json, keyed_hash  # noqa: E402
from jusoor.audit.keys import audit_keyring  # noqa: E402
from jusoor.cli.backup import RESTORE_CHECKS  # noqa: E402
from jusoor.core import migrate  # noqa: E402
from jusoor.core.backup import create_backup, restore_backup  # noqa: E402
from jusoor.core.backup_postgres import tool_command  # noqa: E402
from jusoor.core.crypto import Keyring, generate_key_line  # noqa: E402
from jusoor.core.db import Database  # noqa: E402
from jusoor.core.ids import uuid7  # noqa: E402
from jusoor.core.permissions import system_actor  # noqa: E402

BATCH = 10_000
EVENT_COLUMNS = [
    "seq",
    "id",
    "at",
    "actor_id",
    "actor_username",
    "agency_id",
    "country",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "client_addr",
    "request_id",
    "details",
    "prev_hash",
    "hash",
    "key_id",
]


def _admin(url: str, sql: str) -> None:
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def _scalar(url: str, sql: str) -> Any:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def _audit_events(db: Database, n: int, seed_users: list[Any]) -> float:
    """N events sealed onto the chain after its head, COPYed in batches; returns seconds."""
    started = time.perf_counter()
    keys = audit_keyring()
    kid = keys.primary_kid
    with db.engine.connect() as conn:
        seq, prev = conn.execute(text("SELECT last_seq, last_hash FROM audit_head")).one()
        ids = conn.execute(text("SELECT id FROM cases LIMIT 100000")).scalars()
        case_ids = [str(i) for i in ids] or ["none"]
    at = dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
    step = dt.timedelta(days=365) / max(n, 1)
    done = 0
    while done < n:
        rows = []
        for i in range(min(BATCH, n - done)):
            user = seed_users[(done + i) % len(seed_users)]
            seq += 1
            at += step
            event = SimpleNamespace(
                seq=seq,
                id=uuid7(),
                at=at,
                actor_id=user.id,
                actor_username=user.username,
                agency_id=user.agency_id,
                country=user.country,
                action="case.read",
                object_type="case",
                object_id=case_ids[(done + i) % len(case_ids)],
                outcome="success",
                client_addr="127.0.0.1",
                request_id=uuid7().hex,
                details=canonical_json({}),
                prev_hash=prev,
                key_id=kid,
            )
            event.hash = keyed_hash(keys, kid, prev, event)  # type: ignore[arg-type]
            prev = event.hash
            rows.append([getattr(event, c) for c in EVENT_COLUMNS])
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            with cursor.copy(f"COPY audit_events ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as cp:  # type: ignore[attr-defined]
                for row in rows:
                    cp.write_row(row)
            cursor.execute("UPDATE audit_head SET last_seq = %s, last_hash = %s", (seq, prev))
            raw.commit()
        finally:
            raw.close()
        done += len(rows)
    return time.perf_counter() - started


def build(url: str, n: int, events_per_case: int) -> dict[str, Any]:
    from jusoor.synth import demo

    db = Database(url)
    try:
        started = time.perf_counter()
        migrate.upgrade(db.engine)
        with db.unit_of_work() as session:
            demo.load(session, actor=system_actor("bench"), password="bench-password-2026")
        holders = population.holders(db.engine)
        now = dt.datetime.now(dt.UTC)
        for batch in population.batches(
            population.rows(n, holders_by_country=holders, now=now), BATCH
        ):
            population.insert_copy(db.engine, batch)
        cases_s = time.perf_counter() - started
        with db.engine.connect() as conn:
            users = list(
                conn.execute(
                    text(
                        "SELECT u.id, u.username, u.agency_id, a.country FROM users u "
                        "JOIN agencies a ON a.id = u.agency_id"
                    )
                )
            )
        events_s = _audit_events(db, n * events_per_case, users)
        _admin(url, "VACUUM ANALYZE")
    finally:
        db.dispose()
    return {
        "cases_s": cases_s,
        "events_s": events_s,
        "rows": int(_scalar(url, "SELECT sum(n_live_tup) FROM pg_stat_user_tables")),
        "database_bytes": _scalar(url, "SELECT pg_database_size(current_database())"),
    }


def _timed(argv: list[str], env: dict[str, str], stdout: Any = subprocess.DEVNULL) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=stdout, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - started


def baseline(url: str, server_url: str, work: Path) -> dict[str, Any]:
    argv, env = tool_command("pg_dump", url, "--format=custom")
    to_null = _timed(argv, env)
    argv, env = tool_command("pg_dump", url, "--format=custom", "--compress=1")
    to_null_z1 = _timed(argv, env)
    dump = work / "baseline.dump"
    argv, env = tool_command("pg_dump", url, "--format=custom", f"--file={dump}")
    to_file = _timed(argv, env)
    out: dict[str, Any] = {
        "pg_dump_null_s": to_null,
        "pg_dump_z1_null_s": to_null_z1,
        "pg_dump_file_s": to_file,
    }
    out["dump_bytes"] = dump.stat().st_size
    for jobs in (1, 2):
        name = f"bench_baseline_{jobs}"
        _admin(server_url, f"CREATE DATABASE {name}")
        argv, env = tool_command(
            "pg_restore",
            server_url.rsplit("/", 1)[0] + f"/{name}",
            "--no-owner",
            f"--jobs={jobs}",
            str(dump),
        )
        out[f"pg_restore_j{jobs}_s"] = _timed(argv, env)
        _admin(server_url, f"DROP DATABASE {name}")
    dump.unlink()
    return out


def _reset_peak() -> float:
    """Reset this process's peak resident memory (Linux: VmHWM); returns the current MB."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_mb("VmRSS")


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(server: Any, n: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    name = f"bench_backup_{n}"
    _admin(server.url(), f"CREATE DATABASE {name}")
    url = server.url(name)
    os.environ["JUSOOR_DATABASE_URL"] = url
    result: dict[str, Any] = {"cases": n, "load_average_before": os.getloadavg()}
    try:
        result["build"] = build(url, n, args.events_per_case)
        print(f"  built: {json.dumps(result['build'])}", flush=True)
        result["baseline"] = baseline(url, server.url(), work)
        print(f"  baseline: {json.dumps(result['baseline'])}", flush=True)
        keyring = Keyring.parse(generate_key_line())
        result["backup"], result["restore"] = {}, {}
        archive = work / "bench.jbk"
        for level in (int(x) for x in args.levels.split(",")):
            before = _reset_peak()
            figures = create_backup(
                archive, url=url, keyring=keyring, overwrite=True, compress=level
            )
            peak = {"rss_before_mb": before, "peak_mb": _status_mb("VmHWM")}
            result["backup"][level] = figures.as_dict() | peak
            print(f"  backup -Z{level}: {json.dumps(result['backup'][level])}", flush=True)
        for jobs in (int(x) for x in args.jobs.split(",")):
            before = _reset_peak()
            figures = restore_backup(
                archive, url=url, keyring=keyring, jobs=jobs, checks=RESTORE_CHECKS
            )
            peak = {"rss_before_mb": before, "peak_mb": _status_mb("VmHWM")}
            result["restore"][jobs] = figures.as_dict() | peak
            print(f"  restore -j{jobs}: {json.dumps(result['restore'][jobs])}", flush=True)
        result["restore_level"] = int(args.levels.split(",")[-1])
        archive.unlink()
    finally:
        _admin(server.url(), f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    result["load_average_after"] = os.getloadavg()
    return result


def report(r: dict[str, Any]) -> list[str]:
    b = r["baseline"]
    lines = [
        f"{r['cases']:,} cases · {next(iter(r['backup'].values()))['rows']:,} rows · database "
        f"{r['build']['database_bytes'] / 1e6:,.0f} MB · built in {r['build']['cases_s']:.0f} s "
        f"+ {r['build']['events_s']:.0f} s of audit events · load "
        f"{r['load_average_before'][0]:.1f} → {r['load_average_after'][0]:.1f}",
        f"  baseline pg_dump -Fc > /dev/null {b['pg_dump_null_s']:.1f} s (-Z1:"
        f" {b.get('pg_dump_z1_null_s', float('nan')):.1f} s); to a file "
        f"{b['pg_dump_file_s']:.1f} s, {b['dump_bytes'] / 1e6:,.0f} MB; pg_restore "
        f"{b['pg_restore_j1_s']:.1f} s, --jobs 2 {b['pg_restore_j2_s']:.1f} s",
    ]
    for level, f in r["backup"].items():
        s = f["seconds"]
        lines.append(
            f"  jusoor backup -Z{level}: total {s['total']:.1f} s (×{s['total'] / b['pg_dump_null_s']:.2f}"
            f" pg_dump) = count {s['count']:.1f} + dump {s['dump']:.1f} + encrypt {s['encrypt']:.1f};"
            f" archive {f['archive_bytes'] / 1e6:,.0f} MB (×{f['archive_bytes'] / b['dump_bytes']:.2f}"
            f" pg_dump's); {f['rows_per_second']:,} rows/s; memory {f['rss_before_mb']:.0f} →"
            f" peak {f['peak_mb']:.0f} MB"
        )
    for jobs, f in r["restore"].items():
        s = f["seconds"]
        base = b[f"pg_restore_j{jobs}_s"] if f"pg_restore_j{jobs}_s" in b else b["pg_restore_j1_s"]
        steps = " + ".join(f"{k} {v:.1f}" for k, v in s.items() if k != "total")
        lines.append(
            f"  jusoor restore --jobs {jobs}: total {s['total']:.1f} s (×{s['total'] / base:.2f}"
            f" pg_restore -j{jobs}) = {steps}; {f['verified'].get('audit', 0):,} events verified;"
            f" {f['rows_per_second']:,} rows/s; memory {f['rss_before_mb']:.0f} → peak"
            f" {f['peak_mb']:.0f} MB"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--events-per-case", type=int, default=1)
    parser.add_argument("--levels", default="0,1,6", help="pg_dump gzip levels to back up with")
    parser.add_argument("--jobs", default="1,2", help="pg_restore jobs to restore with")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print(
        f"backup benchmark · {os.cpu_count()} CPUs · {platform.python_version()} · "
        f"load {os.getloadavg()[0]:.2f} · {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    from tests.support.postgres import start_server

    with tempfile.TemporaryDirectory(prefix="jusoor-backup-bench-") as tmp, ExitStack() as stack:
        os.environ["JUSOOR_DATA_DIR"] = tmp
        os.environ["JUSOOR_AUDIT_KEY"] = "kbench1:" + generate_key_line().split(":", 1)[1]
        server = start_server()
        if server is None:
            sys.exit("PostgreSQL binaries not found")
        stack.callback(server.stop)
        for n in (int(s) for s in args.sizes.split(",")):
            result = run(server, n, args, Path(tmp))
            text_lines = report(result)
            print("\n".join(text_lines), flush=True)
            (args.out / f"backup_bench-{n}.json").write_text(
                json.dumps(result, indent=2) + "\n", "utf-8"
            )
            (args.out / f"backup_bench-{n}.txt").write_text("\n".join(text_lines) + "\n", "utf-8")


if __name__ == "__main__":
    main()
