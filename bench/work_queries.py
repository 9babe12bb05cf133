"""Time the work lists of a national node on PostgreSQL: referral inbox and overdue lists, the
exchange boxes, the entity list and search, the dashboard (issue 18, item 3).

    .venv/bin/python bench/work_queries.py [--sizes 100000,1000000] [--repeat 15] [--explain]

For each size: a throwaway PostgreSQL server (tests/support/postgres.py), the migrations, the demo
directory, N cases drawn by `stats_population` (COPY), then with INSERT ... SELECT: a referral for
60 % of the cases (recent ones waiting or in progress, older ones mostly closed, 2 % still
unanswered past their deadline), an exchange message for 5 % of them (a third of them replies,
which no box lists), an investigation entity for 20 % of them (50 names, so that a search finds
2 % of an agency's entities), with their blind-index keys. Encrypted values are copied from rows
written through the models, so every row reads back.

Each query is the service call the page or the API makes (scope clause and audit included; the
session is rolled back after each call), timed `--repeat` times: p50 and p95 next to those of
`SELECT 1` sent the same way in the same run (the machine is shared: compare the ratios). Run
twice: without the indexes of migration 0018_work_list_indexes ("before") and with them
("after"); `--explain` prints each query's main plan both times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support.postgres: the throwaway server the tests use
sys.path.insert(0, str(Path(__file__).resolve().parent))

import stats_population as population  # noqa: E402

from jusoor.agencies.models import Agency, User  # noqa: E402
from jusoor.agencies.service import actor_for  # noqa: E402
from jusoor.core import migrate  # noqa: E402
from jusoor.core.db import Database, utcnow  # noqa: E402
from jusoor.core.ids import uuid7  # noqa: E402
from jusoor.core.permissions import Actor, system_actor  # noqa: E402
from jusoor.entities import service as entities  # noqa: E402
from jusoor.entities.models import SourceKind  # noqa: E402
from jusoor.exchange import queries as exchange  # noqa: E402
from jusoor.exchange.models import Message  # noqa: E402
from jusoor.exchange.vocabulary import Direction, MessageStatus, MessageType  # noqa: E402
from jusoor.referrals import service as referrals  # noqa: E402
from jusoor.stats import dashboards  # noqa: E402
from jusoor.stats.publishing import Period, Protection  # noqa: E402

BATCH = 10_000
# 50 names with words of their own (the blind index drops digits: "Karim07" would be "karim").
NAMES = [f"Karim{chr(97 + i // 26)}{chr(97 + i % 26)} Benali{chr(98 + i % 20)}x" for i in range(50)]
VIEWERS = {
    "provider": "provider.ma",
    "caseworker": "caseworker.ma",
    "coordinator": "coordinator.ma",
    "liaison": "liaison.ma",
    "investigator": "investigator.ma",
}


def _migration_indexes() -> dict[str, tuple[str, list[str]]]:
    path = ROOT / "src/jusoor/migrations/versions/0018_work_list_indexes.py"
    spec = importlib.util.spec_from_file_location("work_list_indexes", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.INDEXES)


INDEXES = _migration_indexes()


# Building --------------------------------------------------------------------------------------


def _sql(engine: Engine, *statements: str, **params: Any) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)


def _templates(db: Database) -> tuple[uuid_t, list[uuid_t]]:
    """One exchange message and 50 people written through the models (real ciphertexts)."""
    operator = system_actor("bench")
    now = utcnow()
    with db.unit_of_work() as session:
        message = Message(
            id=uuid7(),
            direction=Direction.incoming,
            peer="TN",
            type=MessageType.information_request,
            thread_id=uuid7(),
            subject="Recruiter's telephone number",
            body='{"question": "Who holds the line, and since when?"}',
            status=MessageStatus.delivered,
            created_at=now,
            expires_at=now + dt.timedelta(days=30),
            updated_at=now,
        )
        session.add(message)
        agency = session.scalars(select(Agency).where(Agency.code == "ma-police")).one()
        people = []
        for name in NAMES:
            person, _problems = entities.add_entity(
                session,
                actor=operator,
                agency=agency,
                schema_name="Person",
                properties={"name": [name]},
                source_kind=SourceKind.report,
            )
            people.append(person.id)
        return message.id, people


uuid_t = Any


def build(db: Database, n: int, seed: int) -> dict[str, float]:
    from jusoor.synth import demo

    timings: dict[str, float] = {}
    started = time.perf_counter()
    migrate.upgrade(db.engine)
    with db.unit_of_work() as session:
        demo.load(session, actor=system_actor("bench"), password="bench-password-2026")
    holders = population.holders(db.engine)
    made = population.rows(n, holders_by_country=holders, now=dt.datetime.now(dt.UTC), seed=seed)
    for batch in population.batches(made, BATCH):
        population.insert_copy(db.engine, batch)
    timings["cases_s"] = time.perf_counter() - started
    message_id, people = _templates(db)
    started = time.perf_counter()
    _sql(
        db.engine,
        "CREATE TEMP TABLE IF NOT EXISTS svc AS SELECT id, agency_id, country, "
        "row_number() OVER (PARTITION BY country ORDER BY id) - 1 AS rn, "
        "count(*) OVER (PARTITION BY country) AS n FROM services WHERE active",
        "INSERT INTO transitions (id, kind, case_id, service_id, from_agency_id, to_agency_id, "
        "country, created_by, status, shared_fields, deadline, created_at, updated_at) "
        "SELECT gen_random_uuid(), 'referral', c.id, s.id, c.agency_id, s.agency_id, c.country, "
        "c.owner_id, CASE WHEN c.opened_at > now() - interval '20 days' "
        "THEN (ARRAY['requested','accepted','in_progress'])[1 + c.h / 10 % 3] "
        "WHEN c.h / 10 % 50 = 0 THEN 'requested' "
        "ELSE (ARRAY['completed','completed','completed','declined','revoked','in_progress'])"
        '[1 + c.h / 10 % 6] END, \'["age_band", "gender"]\', '
        "c.opened_at + interval '3 days' + (c.h % 10) * interval '1 day', "
        "c.opened_at + interval '1 day', c.opened_at + interval '2 days' "
        "FROM (SELECT id, agency_id, country, owner_id, opened_at, "
        "abs(hashtext(id::text)) AS h FROM cases) c "
        "JOIN svc s ON s.country = c.country AND s.rn = c.h % s.n WHERE c.h % 10 < 6",
    )
    timings["referrals_s"] = time.perf_counter() - started
    started = time.perf_counter()
    _sql(
        db.engine,
        "INSERT INTO exchange_messages (id, direction, peer, type, thread_id, subject, body, "
        "urgency, deadline, status, created_at, expires_at, author, updated_at) "
        "SELECT gen_random_uuid(), CASE WHEN c.h / 20 % 2 = 0 THEN 'incoming' ELSE 'outgoing' END, "
        "'TN', CASE WHEN c.h / 40 % 3 = 0 THEN 'reply' ELSE 'information_request' END, "
        "gen_random_uuid(), t.subject, t.body, 'normal', "
        "(c.opened_at + interval '30 days')::date, "
        "CASE WHEN c.h / 20 % 40 = 1 THEN 'delivered' ELSE 'answered' END, c.opened_at, "
        "c.opened_at + interval '60 days', 'bench', c.opened_at + (c.h % 30) * interval '1 day' "
        "FROM (SELECT opened_at, abs(hashtext(id::text)) AS h FROM cases) c, "
        "(SELECT subject, body FROM exchange_messages WHERE id = :template) t "
        "WHERE c.h % 20 = 7",
        template=message_id,
    )
    timings["messages_s"] = time.perf_counter() - started
    started = time.perf_counter()
    _sql(
        db.engine,
        "CREATE TEMP TABLE IF NOT EXISTS templates (rn int, id uuid)",
        *(f"INSERT INTO templates VALUES ({i}, '{p}')" for i, p in enumerate(people)),
        "CREATE TEMP TABLE clones AS SELECT gen_random_uuid() AS id, t.id AS template, "
        "c.agency_id, c.country, c.opened_at FROM (SELECT agency_id, country, opened_at, "
        "abs(hashtext(id::text)) AS h FROM cases) c JOIN templates t ON t.rn = c.h / 5 % 50 "
        "WHERE c.h % 5 = 3",
        "INSERT INTO entities (id, schema, caption, properties, source_kind, agency_id, country, "
        "created_at, updated_at) SELECT k.id, e.schema, e.caption, e.properties, e.source_kind, "
        "k.agency_id, k.country, k.opened_at, k.opened_at FROM clones k "
        "JOIN entities e ON e.id = k.template",
        "INSERT INTO entity_keys (entity_id, kind, digest) SELECT k.id, x.kind, x.digest "
        "FROM clones k JOIN entity_keys x ON x.entity_id = k.template",
    )
    timings["entities_s"] = time.perf_counter() - started
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        counts = {
            t: int(conn.scalar(text(f"SELECT count(*) FROM {t}")) or 0)
            for t in ("cases", "transitions", "exchange_messages", "entities", "entity_keys")
        }
    print(f"  built: {counts} in {timings}", flush=True)
    return timings


def set_indexes(engine: Engine, present: bool) -> None:
    with engine.begin() as conn:
        for name, (table, columns) in INDEXES.items():
            if present:
                conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                                  f"({', '.join(columns)})"))  # fmt: skip
            else:
                conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE transitions, exchange_messages, entities"))


# Timing ----------------------------------------------------------------------------------------

Work = Callable[[Session, Actor], object]


@contextmanager
def captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def _before(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", _before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _before)


def timed(db: Database, actor: Actor, work: Work, repeat: int) -> dict[str, float]:
    seconds = []
    for _ in range(repeat):
        session = db.sessions()
        try:
            started = time.perf_counter()
            work(session, actor)
            seconds.append(time.perf_counter() - started)
        finally:
            session.rollback()
            session.close()
    seconds.sort()
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    return {"p50": statistics.median(seconds), "p95": p95}


MAIN_TABLES = ("FROM transitions", "FROM exchange_messages", "FROM entities", "FROM cases")


def explain(db: Database, actor: Actor, work: Work) -> list[str]:
    """The plan of the call's slowest statement on the lists' tables (EXPLAIN ANALYZE)."""
    session = db.sessions()
    try:
        with captured(db.engine) as seen:
            work(session, actor)
    finally:
        session.rollback()
        session.close()
    best: tuple[float, list[str]] = (-1.0, [])
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, params in seen:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            if not any(t in statement for t in MAIN_TABLES):
                continue
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) " + statement, params)
            lines = [r[0] for r in cursor.fetchall()]
            took = float(lines[-1].split(":")[1].split()[0]) if "Execution" in lines[-1] else 0
            if took > best[0]:
                best = (took, lines)
        raw.rollback()
    finally:
        raw.close()
    return best[1]


def _cursor_of(db: Database, actor: Actor, page: Callable[..., Any]) -> str | None:
    session = db.sessions()
    try:
        return page(session, actor, None).next_cursor  # type: ignore[no-any-return]
    finally:
        session.rollback()
        session.close()


def queries(db: Database) -> list[tuple[str, str, Work]]:
    overdue = referrals.ReferralFilter(overdue=True)
    completed = referrals.ReferralFilter(status="completed")

    def ref_page(flt: referrals.ReferralFilter) -> Callable[..., Any]:
        return lambda s, a, after: referrals.referral_page(s, actor=a, flt=flt, after=after)

    def box(direction: Direction) -> Callable[..., Any]:
        return lambda s, a, after: exchange.message_page(
            s, actor=a, direction=direction, after=after
        )

    def deeper(viewer: str, page: Callable[..., Any]) -> Work:
        cursor: dict[str, str | None] = {}

        def work(s: Session, a: Actor) -> object:
            if "c" not in cursor:
                cursor["c"] = _cursor_of(db, a, page)
            return page(s, a, cursor["c"])

        return work

    period = Period.of(year=dt.date.today().year)
    protection = Protection()

    def dashboard(cold: bool) -> Work:
        def work(s: Session, a: Actor) -> object:
            if cold:
                dashboards.forget(s)
            return (
                dashboards.key_figures(s, a, period, protection),
                dashboards.panels(s, a, period, protection),
            )

        return work

    search = NAMES[7]
    return [
        ("referral inbox (7 sections)", "provider", lambda s, a: referrals.inbox(s, actor=a)),
        ("referral inbox (7 sections)", "caseworker", lambda s, a: referrals.inbox(s, actor=a)),
        ("old inbox: 500 rows loaded", "provider",
         lambda s, a: referrals.list_referrals(s, actor=a, limit=500)),
        ("overdue referrals", "provider", lambda s, a: ref_page(overdue)(s, a, None)),
        ("overdue referrals", "caseworker", lambda s, a: ref_page(overdue)(s, a, None)),
        ("referrals completed, page 2", "caseworker", deeper("caseworker", ref_page(completed))),
        ("referrals, all, page 1", "caseworker", lambda s, a: ref_page(
            referrals.ReferralFilter())(s, a, None)),
        ("exchange received, page 1", "liaison", lambda s, a: box(Direction.incoming)(s, a, None)),
        ("exchange sent, page 2", "liaison", deeper("liaison", box(Direction.outgoing))),
        ("exchange overdue + due soon", "liaison", lambda s, a: (
            exchange.overdue(s, actor=a, limit=21), exchange.due_soon(s, actor=a, limit=21))),
        ("old box: COUNT + OFFSET 2500", "liaison", lambda s, a: exchange.list_messages(
            s, actor=a, direction=Direction.incoming, limit=25, offset=2500)),
        ("entity list, page 1", "investigator", lambda s, a: entities.entity_page(s, actor=a)),
        ("entity search (a name)", "investigator",
         lambda s, a: entities.entity_page(s, actor=a, text=search)),
        ("dashboard, counted", "coordinator", dashboard(cold=True)),
        ("dashboard, kept", "coordinator", dashboard(cold=False)),
        ("dashboard, counted", "caseworker", dashboard(cold=True)),
    ]  # fmt: skip


def actors(db: Database) -> dict[str, Actor]:
    with db.unit_of_work() as session:
        out = {}
        for key, username in VIEWERS.items():
            user = session.scalars(select(User).where(User.username == username)).one()
            out[key] = actor_for(user, via="cli")
        return out


def run(db: Database, repeat: int, with_explain: bool, label: str) -> dict[str, Any]:
    found = actors(db)
    results: dict[str, Any] = {}
    base = timed(db, found["provider"], lambda s, a: s.execute(text("SELECT 1")), repeat)
    results["SELECT 1"] = base
    print(f"  [{label}] baseline SELECT 1: p50 {base['p50'] * 1000:.2f} ms", flush=True)
    for name, viewer, work in queries(db):
        reps = max(3, repeat // 5) if name.startswith("dashboard, counted") else repeat
        got = timed(db, found[viewer], work, reps)
        results[f"{name} / {viewer}"] = got
        print(
            f"  [{label}] {name:<32} {viewer:<12} p50 {got['p50'] * 1000:8.1f} ms "
            f"(x{got['p50'] / base['p50']:.0f})  p95 {got['p95'] * 1000:8.1f} ms "
            f"(x{got['p95'] / base['p95']:.0f})",
            flush=True,
        )
        if with_explain and not name.startswith("dashboard"):
            for line in explain(db, found[viewer], work):
                if any(w in line for w in ("Scan", "Sort", "Limit", "Execution", "Filter")):
                    print(f"      {line.strip()[:150]}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    print(
        f"work lists benchmark · {os.cpu_count()} CPUs · {platform.python_version()} · "
        f"load {os.getloadavg()[0]:.2f} · {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    from tests.support.postgres import start_server

    with tempfile.TemporaryDirectory(prefix="jusoor-work-bench-") as tmp, ExitStack() as stack:
        os.environ["JUSOOR_DATA_DIR"] = tmp
        for name in ("JUSOOR_DATA_KEY", "JUSOOR_SECRET_KEY", "JUSOOR_AUDIT_KEY"):
            os.environ.setdefault(name, _bench_key(name))
        server = start_server()
        if server is None:
            print("PostgreSQL binaries not found")
            return
        stack.callback(server.stop)
        for n in (int(s) for s in args.sizes.split(",")):
            name = f"work_{n}"
            _admin(server.url(), f"CREATE DATABASE {name}")
            os.environ["JUSOOR_DATABASE_URL"] = server.url(name)
            db = Database(server.url(name))
            try:
                print(f"{n:,} cases", flush=True)
                build(db, n, args.seed)
                set_indexes(db.engine, present=False)
                run(db, args.repeat, args.explain, "before")
                set_indexes(db.engine, present=True)
                run(db, args.repeat, args.explain, "after")
            finally:
                db.dispose()
                _admin(server.url(), f"DROP DATABASE {name}")


def _bench_key(name: str) -> str:
    """Throwaway keys for the bench node (the same shapes as the tests')."""
    from tests.conftest import AUDIT_KEY, DATA_KEY, SECRET_KEY

    return {"JUSOOR_DATA_KEY": DATA_KEY, "JUSOOR_SECRET_KEY": SECRET_KEY,
            "JUSOOR_AUDIT_KEY": AUDIT_KEY}[name]  # fmt: skip


def _admin(url: str, sql: str) -> None:
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
