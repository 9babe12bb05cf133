"""Saving while the profile form's match search runs, on SQLite (issue 18, item 5).

    .venv/bin/python bench/concurrent_writes.py [--cases 300] [--saves 40] [--searchers 4]

One process: a demo node on a fresh SQLite file (the demo directory and N synthetic cases), served
by uvicorn on loopback in a thread (one event loop and its thread pool, as `jusoor serve`). A case
worker adds notes to a case (POST /cases/{id}/notes) one after another and the time of each save
is taken, in three phases of the same run:

- baseline: the saves alone;
- with searches: meanwhile `--searchers` other sessions post the profile form's automatic match
  search (POST /cases/{id}/matches) without pause, as people typing in profile forms do;
- the same with reading units of work switched off (`Database.reading` made an ordinary
  `BEGIN IMMEDIATE` unit of work, i.e. the locking before issue 18): every search and every page
  read then holds SQLite's writer lock from its first statement to its commit.

Reported: save p50/p95/max in ms, saves refused busy (503), searches done, each phase's p50 and
p95 as a ratio of the baseline's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Bench-Concurrent-Writes-2026"


def _setup(folder: Path, cases: int) -> str:
    os.environ.update(
        {
            "JUSOOR_DATA_DIR": str(folder),
            "JUSOOR_DATABASE_URL": f"sqlite:///{folder / 'jusoor.db'}",
            "JUSOOR_DEMO_PASSWORD": PASSWORD,
            "JUSOOR_DEFAULT_LOCALE": "en",
            "JUSOOR_RATE_LIMIT_PER_MINUTE": "1000000",
            "JUSOOR_AUDIT_CHECKPOINT_SECONDS": "0",
        }
    )
    from jusoor.core import migrate
    from jusoor.core.db import Database
    from jusoor.core.permissions import system_actor
    from jusoor.synth import demo

    url = os.environ["JUSOOR_DATABASE_URL"]
    db = Database(url)
    migrate.upgrade(db.engine)
    with db.unit_of_work() as session:
        demo.load(session, actor=system_actor("bench"), password=PASSWORD, cases=cases)
    db.dispose()
    return url


@contextlib.contextmanager
def _server(url: str) -> Iterator[str]:
    import uvicorn

    from jusoor.app import create_app
    from jusoor.core.db import Database

    db = Database(url)
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=0, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        db.dispose()


def _signed_in(base: str, url: str) -> tuple[httpx.Client, str]:
    sys.path.insert(0, str(ROOT))
    from tests.support.web import csrf_from, login

    from jusoor.core.db import Database

    db = Database(url)
    client = httpx.Client(base_url=base, timeout=120)
    assert login(client, db, "caseworker.ma", PASSWORD).status_code == 303  # type: ignore[arg-type]
    db.dispose()
    return client, csrf_from(client.get("/profile").text)


def _phase(base: str, url: str, case_id: str, saves: int, searchers: int) -> dict[str, float]:
    stop = threading.Event()
    searched = [0]

    def search() -> None:
        client, token = _signed_in(base, url)
        while not stop.is_set():
            client.post(
                f"/cases/{case_id}/matches",
                data={"name": "Fatima Zahra", "contact": "+212 612 345 678", "csrf_token": token},
                headers={"hx-request": "true"},
            )
            searched[0] += 1
        client.close()

    workers = [threading.Thread(target=search) for _ in range(searchers)]
    for worker in workers:
        worker.start()
    saver, token = _signed_in(base, url)
    time.sleep(1.0 if searchers else 0)  # the searches under way
    times: list[float] = []
    busy = 0
    for i in range(saves):
        started = time.perf_counter()
        answer = saver.post(
            f"/cases/{case_id}/notes", data={"body": f"note {i}", "csrf_token": token}
        )
        times.append((time.perf_counter() - started) * 1000)
        busy += answer.status_code == 503
    stop.set()
    for worker in workers:
        worker.join()
    saver.close()
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[max(0, int(len(times) * 0.95) - 1)],
        "max": times[-1],
        "busy": busy,
        "searches": searched[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument("--searchers", type=int, default=4)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jusoor-writes-bench-"))
    url = _setup(folder, args.cases)
    from sqlalchemy import select

    from jusoor.cases.models import Case
    from jusoor.core.db import Database

    db = Database(url)
    with db.unit_of_work() as session:
        case_id = str(session.scalars(select(Case.id).order_by(Case.opened_at)).first())
    db.dispose()
    results: dict[str, dict[str, float]] = {}
    with _server(url) as base:
        results["baseline: saves alone"] = _phase(base, url, case_id, args.saves, 0)
        results["with searches (reading units)"] = _phase(
            base, url, case_id, args.saves, args.searchers
        )
        original = Database.reading
        Database.reading = lambda self, **kw: self.unit_of_work(  # type: ignore[method-assign]
            statement_timeout_ms=kw.get("statement_timeout_ms", 0)
        )
        try:
            results["with searches (before: all IMMEDIATE)"] = _phase(
                base, url, case_id, args.saves, args.searchers
            )
        finally:
            Database.reading = original  # type: ignore[method-assign]
    base_p50 = results["baseline: saves alone"]["p50"]
    base_p95 = results["baseline: saves alone"]["p95"]
    print(f"SQLite, {args.cases} cases, {args.saves} saves, {args.searchers} searchers")
    print(
        f"{'phase':40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'busy':>5} {'searches':>9}"
        f" {'p50/base':>9} {'p95/base':>9}"
    )
    for name, r in results.items():
        print(
            f"{name:40} {r['p50']:8.0f} {r['p95']:8.0f} {r['max']:8.0f} {r['busy']:5.0f}"
            f" {r['searches']:9.0f} {r['p50'] / base_p50:9.2f} {r['p95'] / base_p95:9.2f}"
        )


if __name__ == "__main__":
    main()
