"""The case list, its filters and search, and the identification queue at 100,000 and 1,000,000
cases on PostgreSQL (issue 18, item 3): p50/p95 of each query against `SELECT 1` in the same
run, before and after the indexes of migration 0017, with each query's plan.

    .venv/bin/python bench/list_queries.py [--sizes 100000,1000000] [--repeat 30]
        [--url postgresql+psycopg://…/db]   # reuse a database this script built (no rebuild)
        [--keep]                            # leave the throwaway server running, print its URL

Each size gets a fresh database (migrations, the demo directory without cases), N cases drawn by
`bench/stats_population.py` (COPY), one completed screening per case and a formal decision on
the screenings older than 60 days but for 1 in 200 (stragglers), written with `INSERT … SELECT`.
The queries are built by the code the pages run (`cases.listing`, `screening.queue`), as the
viewers the pages serve: `caseworker.ma` (agency scope) for the case list, `investigator.ma`
(country scope) for the queue. "Before" drops the three indexes of 0017 (then `ANALYZE`); the
old list (offset paging and an exact `COUNT(*)`) is timed beside the new one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support.postgres: the throwaway server the tests use
sys.path.insert(0, str(Path(__file__).resolve().parent))

import stats_population as population  # noqa: E402

from jusoor.agencies.models import User  # noqa: E402
from jusoor.agencies.service import actor_for  # noqa: E402
from jusoor.cases import listing  # noqa: E402
from jusoor.cases.models import Case  # noqa: E402
from jusoor.cases.vocabulary import Stage  # noqa: E402
from jusoor.core import crypto, keyset, migrate  # noqa: E402
from jusoor.core.db import Database  # noqa: E402
from jusoor.core.permissions import Actor, system_actor  # noqa: E402
from jusoor.screening import queue  # noqa: E402

BATCH = 10_000


def _admin(url: str, sql: str) -> None:
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def _analyse(engine: Engine) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def build(db: Database, n: int) -> dict[str, float]:
    """The national database: directory, N cases, their screenings and decisions."""
    from jusoor.synth import demo

    started = time.perf_counter()
    migrate.upgrade(db.engine)
    with db.unit_of_work() as session:
        demo.load(session, actor=system_actor("bench"), password="bench-password-2026")
    now = dt.datetime.now(dt.UTC)
    holders = population.holders(db.engine)
    for batch in population.batches(population.rows(n, holders_by_country=holders, now=now), BATCH):
        population.insert_copy(db.engine, batch)
    cases_s = time.perf_counter() - started
    answers = crypto.encrypt("{}", context="screenings.answers")
    basis = crypto.encrypt("bench", context="identifications.basis")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO screenings (id, profile, age_band, answers_json, step, status,"
                " outcome, screener_id, agency_id, country, case_id, created_at, updated_at,"
                " completed_at) SELECT gen_random_uuid(),"
                " CASE WHEN is_child THEN 'child-labour' ELSE 'adult-labour' END, 'adult', :a, 0,"
                " 'completed', CASE WHEN random() < 0.7 THEN 'presumed_victim'"
                " ELSE 'possible_victim' END, owner_id, agency_id, country, id,"
                " opened_at - interval '2 days', opened_at - interval '1 day',"
                " opened_at - interval '1 day' FROM cases"
            ),
            {"a": answers},
        )
        conn.execute(
            text(
                "INSERT INTO identifications (id, screening_id, case_id, status, basis,"
                " decided_by, agency_id, country, decided_at) SELECT gen_random_uuid(), id,"
                " case_id, CASE WHEN random() < 0.9 THEN 'actual' ELSE 'not_a_victim' END, :b,"
                " screener_id, agency_id, country, completed_at + interval '20 days'"
                " FROM screenings WHERE completed_at < now() - interval '60 days'"
                " AND random() >= 0.005"
            ),
            {"b": basis},
        )
        conn.execute(  # as migration 0017 fills it and `identification.decide` keeps it
            text(
                "UPDATE screenings SET decided_final = TRUE WHERE id IN (SELECT screening_id"
                " FROM identifications WHERE status IN ('actual', 'not_a_victim'))"
            )
        )
    _analyse(db.engine)
    return {"cases_s": cases_s, "total_s": time.perf_counter() - started}


def _actor(db: Database, username: str) -> Actor:
    with db.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return actor_for(user, via="cli")


def _timed(engine: Engine, stmt: Any, repeat: int) -> tuple[float, float, int]:
    """p50 and p95 in milliseconds of `stmt` on one connection, and its rows."""
    seconds = []
    rows = 0
    with engine.connect() as conn:
        conn.execute(stmt).all()  # warm
        for _ in range(repeat):
            begun = time.perf_counter()
            rows = len(conn.execute(stmt).all())
            seconds.append(time.perf_counter() - begun)
    seconds.sort()
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    return statistics.median(seconds) * 1000, p95 * 1000, rows


def _plan(engine: Engine, stmt: Any) -> str:
    compiled = stmt.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    processors = compiled._bind_processors
    for key, value in list(params.items()):
        if key in processors and value is not None:
            params[key] = processors[key](value)
    with engine.connect() as conn:
        sql = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) " + compiled.string
        rows = conn.exec_driver_sql(sql, params).all()
    return "\n".join(f"      {r[0]}" for r in rows)


def queries(db: Database) -> dict[str, Callable[[], Any]]:
    """Each query the pages send, built by their own code."""
    worker, investigator = _actor(db, "caseworker.ma"), _actor(db, "investigator.ma")
    with db.unit_of_work() as session:
        base = listing.filtered(session, actor=worker, flt=listing.CaseFilter())
        keys = base.with_only_columns(Case.opened_at, Case.id)
        keys = keys.order_by(Case.opened_at.desc(), Case.id.desc())
        deep = session.execute(keys.offset(5000).limit(1)).first()
        deep = deep or session.execute(keys.offset(500).limit(1)).one()
        owner = session.scalar(select(User.username).where(User.id == worker.user_id))
        reference = session.scalar(base.with_only_columns(Case.reference).limit(1))
        today = dt.datetime.now(dt.UTC).date()

        def page(flt: listing.CaseFilter, after: tuple[Any, ...] | None = None) -> Any:
            stmt = listing.filtered(session, actor=worker, flt=flt)
            return keyset.seek(stmt, listing.KEY, after).limit(26)

        last_month = listing.CaseFilter(opened_from=today - dt.timedelta(days=30))
        built = {
            "list: first page": page(listing.CaseFilter()),
            "list: page after 5,000 rows": page(listing.CaseFilter(), tuple(deep)),
            "list: stage filter": page(listing.CaseFilter(stage=Stage.recovery_reflection)),
            "list: owner filter": page(listing.CaseFilter(owner=owner or "")),
            "list: opened in the last 30 days": page(last_month),
            "list: search by reference": page(listing.CaseFilter(search=reference or "")),
            "list: search by owner": page(listing.CaseFilter(search=owner or "")),
            "list: bounded total": select(func.count()).select_from(
                base.with_only_columns(Case.id).limit(listing.TOTAL_CAP + 1).subquery()
            ),
            "old list: exact COUNT(*)": select(func.count()).select_from(
                base.with_only_columns(Case.id).subquery()
            ),
            "old list: offset 5,000": base.order_by(Case.opened_at.desc(), Case.reference.desc())
            .offset(5000)
            .limit(25),
            "queue: first page": queue.page_statement(investigator, after=None, limit=25),
            "queue: bounded total": select(func.count()).select_from(
                select(queue.Screening.id)
                .where(queue._awaiting(investigator))
                .limit(queue.COUNT_CAP + 1)
                .subquery()
            ),
        }
    return {name: (lambda s=stmt: s) for name, stmt in built.items()}


def measure(db: Database, repeat: int, label: str, plans: bool) -> dict[str, tuple[float, ...]]:
    found: dict[str, tuple[float, ...]] = {}
    base50, base95, _rows = _timed(db.engine, text("SELECT 1"), repeat)
    found["SELECT 1"] = (base50, base95, 1)
    print(f"  [{label}] baseline SELECT 1: p50 {base50:.2f} ms, p95 {base95:.2f} ms")
    for name, make in queries(db).items():
        p50, p95, rows = _timed(db.engine, make(), repeat)
        found[name] = (p50, p95, rows)
        print(
            f"  [{label}] {name}: p50 {p50:.2f} ms (x{p50 / base50:.0f}), "
            f"p95 {p95:.2f} ms (x{p95 / base95:.0f}), {rows} rows"
        )
        if plans:
            print(_plan(db.engine, make()))
    return found


def _indexes(engine: Engine, create: bool) -> None:
    from importlib import import_module

    version = import_module("jusoor.migrations.versions.0017_case_list_indexes")
    with engine.begin() as conn:
        for name, (table, columns) in version.INDEXES.items():
            sql = f"CREATE INDEX {name} ON {table} ({', '.join(columns)})"
            conn.execute(text(sql if create else f"DROP INDEX {name}"))
    _analyse(engine)


def run(url: str, n: int, args: argparse.Namespace, built: bool) -> None:
    os.environ["JUSOOR_DATABASE_URL"] = url
    db = Database(url)
    try:
        if not built:
            took = build(db, n)
            print(f"built {n:,} cases in {took['total_s']:.0f} s (cases {took['cases_s']:.0f} s)")
        with db.engine.connect() as conn:
            counts = {
                t: conn.scalar(text(f"SELECT count(*) FROM {t}"))
                for t in ("cases", "screenings", "identifications")
            }
        print(f"{n:,} cases · rows {counts} · load {os.getloadavg()[0]:.1f}")
        _indexes(db.engine, create=False)
        measure(db, args.repeat, "before 0017", plans=args.plans)
        _indexes(db.engine, create=True)
        measure(db, args.repeat, "after 0017", plans=args.plans)
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--url", help="an already built database (one size)")
    parser.add_argument("--keep", action="store_true", help="leave the server running")
    parser.add_argument("--no-plans", dest="plans", action="store_false")
    args = parser.parse_args()
    print(
        f"list queries benchmark · {os.cpu_count()} CPUs · load {os.getloadavg()[0]:.2f} · "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    with tempfile.TemporaryDirectory(prefix="jusoor-list-bench-") as tmp, ExitStack() as stack:
        # A kept or reused database needs the keys it was written with.
        keys = ROOT / "var" / "bench-lists" if args.keep or args.url else Path(tmp)
        keys.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("JUSOOR_DATA_DIR", str(keys))
        if args.url:
            run(args.url, int(args.sizes.split(",")[0]), args, built=True)
            return
        from tests.support.postgres import start_server

        server = start_server()
        if server is None:
            sys.exit("PostgreSQL binaries not found")
        if not args.keep:
            stack.callback(server.stop)
        for n in (int(s) for s in args.sizes.split(",")):
            name = f"lists_{n}"
            _admin(server.url(), f"CREATE DATABASE {name}")
            run(server.url(name), n, args, built=False)
            if args.keep:
                print(f"kept: {server.url(name)}")
            else:
                _admin(server.url(), f"DROP DATABASE {name}")


if __name__ == "__main__":
    main()
