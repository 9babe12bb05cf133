"""The load test (issue 18, item 4): `jusoor serve` on loopback, fifty demo users at once through
Locust, and a table per page (requests, p50/p95/p99 ms, errors, requests/s) against a baseline
measured in the same run: `GET /healthz` under the same load.

    .venv/bin/python bench/load_test.py [--database-url URL] [--data-dir DIR] [--users 50]
        [--seconds 60] [--workers N] [--think 0.5-1.5] [--demo-cases 300] [--out bench/results]

Without `--database-url`, a fresh demo node on SQLite in a temporary directory (`--demo-cases`
synthetic cases). With one, the node's own data directory (`--data-dir`, else $JUSOOR_DATA_DIR:
its data, audit and secret keys) and `jusoor init --demo` first, which migrates and adds the demo
users only when the node has none. The rate limits stay as configured: every Locust user is a
different demo login, signed in once. Writes `load-<engine>-<cases>.md` into `--out` and prints
it; exits 1 when a request failed, a journey's step raised or the node logged an error.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "load" / "locustfile.py"
HEALTH = "GET /healthz"
GOAL_P95_MS = 300
# Roles in the order logins are handed out: any number of users mixes them, case work first.
ROLE_ORDER = (
    "admin",
    "case_worker",
    "service_provider",
    "screener",
    "investigator",
    "liaison_officer",
    "prosecutor",
    "coordinator",
    "auditor",
    "analyst",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _node_env(database_url: str, data_dir: Path, port: int, demo_cases: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "JUSOOR_DATABASE_URL": database_url,
            "JUSOOR_DATA_DIR": str(data_dir),
            "JUSOOR_HOST": "127.0.0.1",
            "JUSOOR_PORT": str(port),
            "JUSOOR_DEMO_CASES": str(demo_cases),
            "JUSOOR_LOCALE": "en",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _jusoor(env: dict[str, str], *args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "jusoor", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"jusoor {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _logins(env: dict[str, str], path: Path) -> tuple[int, str]:
    """Write the logins file Locust reads (0600: it holds the demo password and TOTP keys);
    return the node's case count and engine name."""
    for key in ("JUSOOR_DATABASE_URL", "JUSOOR_DATA_DIR", "JUSOOR_DEMO_PASSWORD"):
        if key in env:
            os.environ[key] = env[key]
    from sqlalchemy import func, select

    from jusoor.cases.models import Case
    from jusoor.core.config import get_settings
    from jusoor.core.db import Database
    from jusoor.synth import demo

    get_settings.cache_clear()
    settings = get_settings()
    db = Database(settings.effective_database_url)
    try:
        with db.unit_of_work() as session:
            logins = demo.logins(session)
            cases = int(session.scalar(select(func.count()).select_from(Case)) or 0)
        engine = db.engine.dialect.name
    finally:
        db.dispose()
    rank = {role: i for i, role in enumerate(ROLE_ORDER)}
    by_role: dict[str, list[demo.DemoLogin]] = {}
    for login in logins:
        by_role.setdefault(login.roles[0], []).append(login)
    ordered: list[demo.DemoLogin] = []
    queues = [by_role[r] for r in sorted(by_role, key=lambda r: rank.get(r, len(rank)))]
    while any(queues):  # one of each role, then the next of each...
        ordered += [q.pop(0) for q in queues if q]
    users = [
        {"username": x.username, "roles": list(x.roles), "totp": x.totp_secret} for x in ordered
    ]
    payload = {"password": demo.demo_password(settings), "users": users}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(payload, fh)
    return cases, engine


def _wait_warm(url: str, server: subprocess.Popen[bytes], deadline: float = 1800.0) -> float:
    """Wait until the node has counted its dashboards ahead (`/readyz` "dashboards"), as a node
    started before the working day has; seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        if server.poll() is not None:
            raise SystemExit("the node exited while starting (see its log)")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=10) as answer:
                if json.load(answer).get("dashboards", "ready") == "ready":
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(1.0)
    raise SystemExit(f"the node's dashboards were not counted in {deadline:.0f}s")


def _wait_healthy(url: str, server: subprocess.Popen[bytes], deadline: float = 180.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit("the node exited while starting (see its log)")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the node did not answer /healthz in {deadline:.0f}s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the node's process group (the supervisor and its worker processes), then
    SIGKILL to the group: killed alone, the supervisor would leave its workers running."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=60)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # workers still shutting down, stuck in a request
    server.wait(timeout=30)


def _rows(stats_csv: Path) -> list[dict[str, Any]]:
    rows = []
    with stats_csv.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.append(
                {
                    "name": row["Name"] if row["Name"] != "Aggregated" else "all pages",
                    "requests": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "p50": float(row["50%"] or 0),
                    "p95": float(row["95%"] or 0),
                    "p99": float(row["99%"] or 0),
                    "rps": float(row["Requests/s"] or 0),
                }
            )
    return rows


def _failures(failures_csv: Path, exceptions_csv: Path) -> list[str]:
    """Failed requests, then steps of a journey that raised (a journey broken half way)."""
    found = []
    with failures_csv.open(encoding="utf-8") as fh:
        found += [
            f"{r['Occurrences']} × {r['Method']} {r['Name']}: {r['Error']}"
            for r in csv.DictReader(fh)
        ]
    with exceptions_csv.open(encoding="utf-8") as fh:
        found += [
            f"{r['Count']} × a step raised {r['Message']}: {r['Traceback'].strip().splitlines()[-1:]}"
            for r in csv.DictReader(fh)
        ]
    return found


def run_locust(
    locustfile: Path,
    env: dict[str, str],
    *,
    users: int,
    spawn_rate: float,
    seconds: int,
    host: str,
    workdir: Path,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Run Locust headless; its final table per page and its failures.

    The figures are those Locust holds when it quits (`load/final_stats.py`), not its `--csv`
    files: those are rewritten once a second and miss the requests of the run's last second."""
    final = workdir / "final"
    for name in ("stats", "failures", "exceptions"):
        Path(f"{final}_{name}.csv").unlink(missing_ok=True)
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f",
        str(locustfile),
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        host,
        "--exit-code-on-error",
        "0",
    ]
    done = subprocess.run(
        command,
        env={**env, "JUSOOR_LOAD_FINAL": str(final)},
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    stats = Path(f"{final}_stats.csv")
    if done.returncode != 0 or not stats.exists():
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"locust exited {done.returncode} without its final table")
    return _rows(stats), _failures(Path(f"{final}_failures.csv"), Path(f"{final}_exceptions.csv"))


def _server_errors(log: Path) -> int:
    text = log.read_text(errors="replace") if log.exists() else ""
    return text.count("Traceback (most recent call last)")


def report(
    rows: list[dict[str, Any]],
    failures: list[str],
    *,
    engine: str,
    cases: int,
    users: int,
    seconds: int,
    workers: int,
    think: str,
    server_errors: int,
    warmed: float | None = None,
) -> str:
    base = next((r for r in rows if r["name"] == HEALTH), None)
    pages = sorted(
        (r for r in rows if r["name"] not in (HEALTH, "all pages")), key=lambda r: r["name"]
    )
    everything = next((r for r in rows if r["name"] == "all pages"), None)
    load = os.getloadavg()[0]
    lines = [
        f"# Load test: {engine}, {cases:,} cases, {users} users, {seconds} s, {workers} worker(s)",
        "",
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; think time {think} s; machine load "
        f"{load:.1f} on {os.cpu_count()} cores at the end; PostgreSQL pool per worker "
        f"{os.environ.get('JUSOOR_DB_POOL_SIZE', '10')} + "
        f"{os.environ.get('JUSOOR_DB_POOL_OVERFLOW', '10')}.",
        "",
    ]
    if warmed is not None:
        lines += [
            f"The node counted its dashboards ahead in {warmed:.0f} s after it answered, "
            "before the run began (`stats.warming`, as a node started before the working day).",
            "",
        ]
    if base is not None:
        lines.append(
            f"Baseline, `GET /healthz` under the same load: p50 {base['p50']:.0f} ms, "
            f"p95 {base['p95']:.0f} ms ({base['requests']} probes)."
        )
    if everything is not None:
        total_rps = everything["rps"]
        lines.append(
            f"All requests: {everything['requests']:,}, {total_rps:.1f} requests/s, "
            f"{everything['errors']} errors; node errors logged: {server_errors}."
        )
    slow = [r["name"] for r in pages if r["p95"] >= GOAL_P95_MS]
    lines += [
        f"Goal p95 < {GOAL_P95_MS} ms on every page: "
        + ("met." if not slow else f"missed on {len(slow)} ({', '.join(slow)}).")
        + " Locust rounds times over 100 ms to two significant digits.",
        "",
        "| page | requests | req/s | p50 ms | p95 ms | p99 ms | p95 × baseline | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in [*pages, *([base] if base else [])]:
        ratio = f"×{r['p95'] / base['p95']:.1f}" if base and base["p95"] else "n/a"
        lines.append(
            f"| `{r['name']}` | {r['requests']} | {r['rps']:.2f} | {r['p50']:.0f} | {r['p95']:.0f} "
            f"| {r['p99']:.0f} | {ratio} | {r['errors']} |"
        )
    if failures:
        lines += ["", "Errors:", "", *[f"- {f}" for f in failures]]
    return "\n".join(lines) + "\n"


def summary(results: Path) -> str:
    """One line per recorded run (`load-*.md` in `results`), for docs/SCALE.md."""
    lines = [
        "| run | engine | cases | workers | req/s | baseline p50 / p95 ms | pages' median p95 ms "
        "(× baseline) | slowest page p95 ms | errors | load |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for path in sorted(results.glob("load-*.md")):
        text = path.read_text(encoding="utf-8")
        head = re.search(
            r"# Load test: (\w+), ([\d,]+) cases, \d+ users, \d+ s, (\d+) worker", text
        )
        base = re.search(r"p50 (\d+) ms, p95 (\d+) ms", text)
        total = re.search(r"([\d.]+) requests/s, (\d+) errors", text)
        load = re.search(r"machine load ([\d.]+)", text)
        if not (head and base and total and load):
            continue
        rows = [line.split("|") for line in text.splitlines() if line.startswith("| `")]
        pages = [(r[1].strip().strip("`"), float(r[5])) for r in rows if "/healthz" not in r[1]]
        p95s = sorted(p for _, p in pages)
        median = p95s[len(p95s) // 2] if p95s else 0.0
        worst = max(pages, key=lambda page: page[1]) if pages else ("", 0.0)
        ratio = median / float(base[2]) if float(base[2]) else 0.0
        lines.append(
            f"| `{path.name}` | {head[1]} | {head[2]} | {head[3]} | {total[1]} | {base[1]} / {base[2]} "
            f"| {median:.0f} (×{ratio:.1f}) | {worst[1]:.0f} (`{worst[0]}`) | {total[2]} | {load[1]} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="", help="the node's database (default: a fresh demo on SQLite)"
    )
    parser.add_argument(
        "--data-dir", default="", help="the node's data dir (keys); default $JUSOOR_DATA_DIR"
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1, help="jusoor serve --workers")
    parser.add_argument(
        "--think", default="0.5-1.5", help="seconds between a user's clicks, low-high"
    )
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=1.0,
        help="users signing in per second (1: people arriving at the start of a working day; "
        "10 signs fifty in within five seconds, Argon2id's worst case on two cores)",
    )
    parser.add_argument("--demo-cases", type=int, default=300, help="cases of a fresh demo node")
    parser.add_argument("--out", default=str(HERE / "results"), help="where the table goes")
    parser.add_argument(
        "--name", default="", help="the table's file name (default load-ENGINE-CASES.md)"
    )
    parser.add_argument("--log", default="", help="keep the node's log in this file")
    parser.add_argument(
        "--tour",
        action="store_true",
        help="each user walks its journey once, then the run ends (--seconds is the limit)",
    )
    parser.add_argument(
        "--summary", action="store_true", help="print one line per recorded run in --out, and stop"
    )
    args = parser.parse_args(argv)
    if args.summary:
        print(summary(Path(args.out)))
        return 0

    with tempfile.TemporaryDirectory(prefix="jusoor-load-") as tmp_name:
        tmp = Path(tmp_name)
        data_dir = Path(args.data_dir or os.environ.get("JUSOOR_DATA_DIR", "") or tmp / "node")
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        url = args.database_url or f"sqlite:///{data_dir / 'jusoor.db'}"
        port = _free_port()
        env = _node_env(url, data_dir, port, args.demo_cases)
        if not args.database_url:
            env.setdefault("JUSOOR_DEMO_PASSWORD", "load-test-" + os.urandom(6).hex())
        _jusoor(env, "init", "--demo", cwd=tmp)
        logins_file = tmp / "logins.json"
        cases, engine = _logins(env, logins_file)
        log_path = tmp / "server.log"
        with log_path.open("wb") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "jusoor", "serve", "--workers", str(args.workers)],
                env=env,
                cwd=tmp,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one (_stop)
            )
            try:
                node_url = f"http://127.0.0.1:{port}"
                _wait_healthy(node_url, server)
                warmed = _wait_warm(node_url, server)
                locust_env = dict(
                    env,
                    JUSOOR_LOAD_LOGINS=str(logins_file),
                    JUSOOR_LOAD_THINK=args.think,
                    JUSOOR_LOAD_TOUR_USERS=str(args.users) if args.tour else "",
                )
                rows, failures = run_locust(
                    LOCUSTFILE,
                    locust_env,
                    users=args.users + 1,  # the /healthz probe is one more Locust user
                    spawn_rate=args.spawn_rate,
                    seconds=args.seconds,
                    host=node_url,
                    workdir=tmp,
                )
            finally:
                _stop(server)
        server_errors = _server_errors(log_path)
        if args.log:
            Path(args.log).write_bytes(log_path.read_bytes())
        if server_errors:
            sys.stderr.write(log_path.read_text(errors="replace")[-6000:])
        table = report(
            rows,
            failures,
            engine=engine,
            cases=cases,
            users=args.users,
            seconds=args.seconds,
            workers=args.workers,
            think=args.think,
            server_errors=server_errors,
            warmed=warmed,
        )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / (args.name or f"load-{engine}-{cases}.md")
    path.write_text(table, encoding="utf-8")
    print(table)
    print(f"written to {path}")
    errors = sum(r["errors"] for r in rows if r["name"] != "all pages")
    return 1 if errors or failures or server_errors else 0  # failures: steps that raised too


if __name__ == "__main__":
    raise SystemExit(main())
