"""Time the pages of a loaded node one reader at a time, with their SQL (issue 18, item 3).

    . env.sh   # JUSOOR_DATABASE_URL, JUSOOR_DATA_DIR, JUSOOR_DEMO_PASSWORD of the node
    .venv/bin/python bench/page_probe.py [--user caseworker.ma] [--cases 30]
        [--pages case,profile,list,list-stage,list-overdue,list-page2,referrals] [--statements 8]

The load test (`bench/load_test.py`) says which pages miss p95 < 300 ms under fifty people; this
says why: the app in this process (`create_app`, the node's own database), signed in as `--user`
through the sign-in pages, asks each page for `--cases` random cases of the user's agency (or that
many times for the lists), cold then warm, and prints p50/p95 per page beside `SELECT 1` sent in
the same run, the statements per request, and the statements that took the most time in all
(`--statements`). Every read is audited as in the app (recorded by the request, chained after by
the appender, as under `jusoor serve`), so the node's audit trail grows by what the probe reads.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select, text

from jusoor.agencies.models import User
from jusoor.app import create_app
from jusoor.audit import appender
from jusoor.cases.models import Case
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.security import totp
from jusoor.synth import demo

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STAGES = ("identification", "assistance", "recovery_reflection", "return_reintegration")
PAGES: dict[str, Callable[[str], str]] = {
    "case": lambda case_id: f"/cases/{case_id}",
    "profile": lambda case_id: f"/cases/{case_id}/profile",
    "list": lambda _case_id: "/cases",
    "list-stage": lambda _case_id: f"/cases?stage={random.choice(STAGES)}",
    "list-overdue": lambda _case_id: "/cases?overdue=1",
    "list-page2": lambda _case_id: "/cases?stage=assistance&page=2",
    "search": lambda _case_id: "/cases?q=2026",
    "referrals": lambda _case_id: "/referrals",
    "referrals-overdue": lambda _case_id: "/referrals/overdue",
    "identification": lambda _case_id: "/identification",
    "screenings": lambda _case_id: "/screening",
    "monitor": lambda _case_id: "/monitor",
    "audit": lambda _case_id: "/audit",
}


class _Statements:
    """Every statement the engine runs while `watch` is on: its first line and its time."""

    def __init__(self, database: Database) -> None:
        self.on = False
        self.current: list[tuple[str, float]] = []
        self.total: dict[str, list[float]] = defaultdict(list)
        started: list[float] = []

        @event.listens_for(database.engine, "before_cursor_execute")
        def _before(*_args: Any) -> None:
            started.append(time.perf_counter())

        @event.listens_for(database.engine, "after_cursor_execute")
        def _after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            took = (time.perf_counter() - started.pop()) * 1000
            if self.on:
                key = " ".join(statement.split())[:160]
                self.current.append((key, took))
                self.total[key].append(took)

    @contextmanager
    def watch(self) -> Iterator[list[tuple[str, float]]]:
        self.current = []
        self.on = True
        try:
            yield self.current
        finally:
            self.on = False


def _sign_in(client: TestClient, database: Database, username: str, password: str) -> None:
    page = client.get("/login").text
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": _csrf(page)},
        follow_redirects=False,
    )
    location = answer.headers.get("location", "")
    if answer.status_code != 303:
        raise SystemExit(f"sign-in of {username} refused ({answer.status_code})")
    if "second-factor" in location:
        with database.unit_of_work() as session:
            user = session.scalars(select(User).where(User.username == username)).one()
            secret, last = user.totp_secret, user.totp_last_step
        form = client.get(location).text
        code = totp.next_unused_code(secret or "", last)
        client.post(
            "/login/second-factor",
            data={"code": code, "csrf_token": _csrf(form)},
            follow_redirects=False,
        )


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    return found.group(1) if found else ""


def _cases(database: Database, username: str, count: int) -> list[str]:
    with database.unit_of_work() as session:
        agency = session.scalars(select(User.agency_id).where(User.username == username)).one()
        ids = session.scalars(
            select(Case.id).where(Case.agency_id == agency).order_by(func.random()).limit(count)
        ).all()
    return [str(i) for i in ids]


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--user", default="caseworker.ma")
    parser.add_argument("--cases", type=int, default=30)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--statements", type=int, default=8, help="slowest statements to print")
    args = parser.parse_args(argv)
    settings = get_settings()
    database = Database(settings.effective_database_url)
    statements = _Statements(database)
    appender.use_background()  # as `jusoor serve`: requests record, one appender chains after
    case_ids = _cases(database, args.user, args.cases)
    if not case_ids:
        raise SystemExit(f"{args.user}'s agency holds no case")
    baseline: list[float] = []
    with TestClient(create_app(database), base_url="http://127.0.0.1:8000") as client:
        _sign_in(client, database, args.user, demo.demo_password(settings))
        print(f"{args.user}: {len(case_ids)} cases of the agency, {database.engine.dialect.name}")
        print("| page | pass | requests | p50 ms | p95 ms | max ms | statements/request |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for name in args.pages.split(","):
            for label in ("cold", "warm"):
                times: list[float] = []
                counts: list[int] = []
                for case_id in case_ids:
                    with database.engine.connect() as conn:
                        started = time.perf_counter()
                        conn.execute(text("SELECT 1"))
                        baseline.append((time.perf_counter() - started) * 1000)
                    with statements.watch() as ran:
                        started = time.perf_counter()
                        answer = client.get(PAGES[name](case_id))
                        times.append((time.perf_counter() - started) * 1000)
                    if answer.status_code != 200:
                        raise SystemExit(f"{name}: {answer.status_code} for {answer.url}")
                    counts.append(len(ran))
                print(
                    f"| {name} | {label} | {len(times)} | {statistics.median(times):.0f} "
                    f"| {_ms(times, 0.95):.0f} | {max(times):.0f} | {statistics.median(counts):.0f} |"
                )
    print(
        f"\nSELECT 1 in the same run: p50 {statistics.median(baseline):.1f} ms, "
        f"p95 {_ms(baseline, 0.95):.1f} ms"
    )
    slowest = sorted(statements.total.items(), key=lambda kv: -sum(kv[1]))[: args.statements]
    print("\nStatements that took the most time in all (total ms, count, p95 ms, statement):")
    for key, took in slowest:
        print(f"{sum(took):9.0f} {len(took):5d} {_ms(took, 0.95):8.1f}  {key}")
    appender.append_once(database)  # chain what the probe's reads recorded
    database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
