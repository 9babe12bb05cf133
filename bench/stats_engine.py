"""The statistics engine at scale: a national dashboard's full set of tables over 10,000, 100,000
and (on request) 1,000,000 synthetic victims' cases, on SQLite and PostgreSQL (issue 17, item 1).

    .venv/bin/python bench/stats_engine.py [--sizes 10000,100000] [--engines sqlite,postgres]
        [--repeat 3] [--pg-load copy|insert] [--out bench/results]
    JUSOOR_BENCH_STATS_1M=1 make bench     # adds the 1,000,000 size (about 15 min on 2 cores)

Each size gets a fresh database made by the project's migrations (SQLite in a temporary
directory; PostgreSQL in a throwaway server, as the tests make one), the demo directory of
agencies and users, then N cases from `bench/stats_population.py` in batches. It reports:

- build: seconds, rows/s, database size (cases table and indexes on PostgreSQL);
- the dashboard's tables (`DASHBOARD`), each through `jusoor.stats.engine.count`, as the
  coordinator of Morocco (country scope) and as a Moroccan case worker (agency scope), over the
  current year and over all five years: median seconds per table and the full set;
- a baseline measured in the same run and the same scope: a plain `SELECT COUNT(*)` over the cases
  the viewer may count, so the figures read as ratios ("the full set costs 14 plain counts");
- the same tables with the indexes `PROPOSED_INDEXES` created in the bench database (no
  migration adds them yet), to show what each would gain.

Every table's total is checked against a direct count, so a fast wrong answer cannot pass.
Results go to `--out` as one JSON file per engine and size, and to standard output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, func, select, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support.postgres: the throwaway server the tests use
sys.path.insert(0, str(Path(__file__).resolve().parent))

import stats_population as population  # noqa: E402

from jusoor.agencies.models import User  # noqa: E402
from jusoor.agencies.service import actor_for  # noqa: E402
from jusoor.cases.models import Case  # noqa: E402
from jusoor.core import migrate  # noqa: E402
from jusoor.core.db import Database  # noqa: E402
from jusoor.core.permissions import Action, Actor, Scope, system_actor  # noqa: E402
from jusoor.stats.engine import Query, count  # noqa: E402


@dataclass(frozen=True)
class Panel:
    """One table of the dashboard: its dimensions, and whether it keeps its own period (the time
    series) or follows the dashboard's (None)."""

    name: str
    by: tuple[str, ...]
    period: str | None = None  # "all": every year; "this_year": 1 January to today


# A national dashboard's full set of tables. The dashboard page (`stats/dashboards.py`, being
# written) holds the list users see; point this constant at it once it lands.
DASHBOARD: tuple[Panel, ...] = (
    Panel("victims by year", ("year",), "all"),
    Panel("by quarter, this year", ("quarter",), "this_year"),
    Panel("sex x child/adult", ("sex", "age_group")),
    Panel("form of exploitation", ("form",)),
    Panel("citizenship", ("citizenship",)),
    Panel("country of origin", ("origin",)),
    Panel("country of exploitation", ("exploitation",)),
    Panel("route origin x exploitation", ("origin", "exploitation")),
    Panel("stage", ("stage",)),
    Panel("agency", ("agency",)),
)

# Indexes the engine's WHERE clauses could use: the viewer's scope (country or agency) and the
# period (opened_at). No migration creates them; the bench measures what they would gain.
PROPOSED_INDEXES = {
    "ix_bench_cases_country_opened_at": "cases (country, opened_at)",
    "ix_bench_cases_agency_opened_at": "cases (agency_id, opened_at)",
}
BATCH = 10_000

# SQLite's planner answers `WHERE country = ? GROUP BY stage` by walking the whole of
# ix_cases_stage (to save a sort) and reading every row in that order, instead of the viewer's
# rows through ix_cases_country: ten times slower at 100,000 cases. A unary plus on the grouped
# column (`GROUP BY +stage`) keeps the planner off that index. This subject is the cases subject
# with that change to its plain columns, so the bench measures what the change would gain in
# `stats.engine` (SQLite only: PostgreSQL has no unary plus on text and plans well anyway).
UNINDEXED_GROUPING = "cases_bench_unindexed_grouping"


def _register_unindexed_grouping() -> None:
    from dataclasses import replace

    from sqlalchemy.sql import operators
    from sqlalchemy.sql.elements import UnaryExpression

    from jusoor.stats.engine import Dimension, register_subject, subjects

    cases = subjects()["cases"]

    def plus(dimension: Dimension) -> Dimension:
        if dimension.multi:
            return dimension
        column = dimension.expression

        def expression() -> Any:
            inner = column()
            return UnaryExpression(inner, operator=operators.custom_op("+"), type_=inner.type)

        return replace(dimension, expression=expression)

    dimensions = {name: plus(d) for name, d in cases.dimensions.items()}
    register_subject(replace(cases, name=UNINDEXED_GROUPING, dimensions=dimensions))


VIEWERS = {"coordinator": "coordinator.ma", "agency": "caseworker.ma"}


def _median_seconds(work: Callable[[], object], repeat: int) -> tuple[float, object]:
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def _period(name: str | None, dashboard: str, today: dt.date) -> tuple[dt.date | None, dt.date]:
    chosen = name or dashboard
    if chosen == "this_year":
        return dt.date(today.year, 1, 1), today
    return None, today


def _scope(actor: Actor) -> Any:
    """The viewer's cases, written out independently of `scope_clause` (the check's other side)."""
    scope = actor.scope(Action.stats_read)
    if scope is Scope.agency:
        return Case.agency_id == actor.agency_id
    if scope is Scope.country:
        return Case.country == actor.country
    raise SystemExit(f"{actor.username}: the bench knows agency and country scopes, not {scope}")


def _direct_count(session: Session, actor: Actor, start: dt.date | None, end: dt.date) -> int:
    """What the engine's total must equal: the viewer's cases opened in the period."""
    clauses = [_scope(actor), Case.opened_at < _moment(end + dt.timedelta(days=1))]
    if start is not None:
        clauses.append(Case.opened_at >= _moment(start))
    return int(session.scalar(select(func.count()).select_from(Case).where(and_(*clauses))) or 0)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _dashboard(
    db: Database,
    actor: Actor,
    dashboard: str,
    today: dt.date,
    repeat: int,
    *,
    subject: str = "cases",
) -> dict[str, Any]:
    """Median seconds per table and for the whole set, with the baseline, for one viewer."""
    out: dict[str, Any] = {"tables": {}}
    with db.unit_of_work() as session:
        start, end = _period(None, dashboard, today)
        base, expected = _median_seconds(lambda: _direct_count(session, actor, start, end), repeat)
        out["baseline_count_s"] = base
        out["cases_in_scope"] = expected
        for panel in DASHBOARD:
            first, last = _period(panel.period, dashboard, today)
            query = Query(subject=subject, by=panel.by, start=first, end=last)
            seconds, table = _median_seconds(lambda q=query: count(session, actor, q), repeat)
            wanted = _direct_count(session, actor, first, last)
            if table.total != wanted:  # type: ignore[attr-defined]
                raise SystemExit(f"{panel.name}: engine total {table.total} != {wanted}")  # type: ignore[attr-defined]
            out["tables"][panel.name] = {"seconds": seconds, "cells": len(table.cells)}  # type: ignore[attr-defined]
    out["full_set_s"] = sum(t["seconds"] for t in out["tables"].values())
    return out


def _actors(db: Database) -> dict[str, Actor]:
    with db.unit_of_work() as session:
        found = {}
        for key, username in VIEWERS.items():
            user = session.scalars(select(User).where(User.username == username)).one()
            found[key] = actor_for(user, via="cli")
        return found


def _size(engine: Engine, path: Path | None) -> dict[str, int]:
    if path is not None:
        wal = path.with_name(path.name + "-wal")
        return {"database_bytes": path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)}
    with engine.connect() as conn:
        return {
            "database_bytes": int(conn.scalar(text("SELECT pg_database_size(current_database())"))),
            "cases_table_bytes": int(conn.scalar(text("SELECT pg_table_size('cases')"))),
            "cases_indexes_bytes": int(conn.scalar(text("SELECT pg_indexes_size('cases')"))),
        }


def _analyse(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE cases"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def _indexes(engine: Engine, create: bool) -> float:
    started = time.perf_counter()
    with engine.begin() as conn:
        for name, target in PROPOSED_INDEXES.items():
            conn.execute(
                text(f"CREATE INDEX {name} ON {target}" if create else f"DROP INDEX {name}")
            )
    seconds = time.perf_counter() - started
    _analyse(engine)
    return seconds


def run_one(url: str, sqlite_path: Path | None, n: int, args: argparse.Namespace) -> dict[str, Any]:
    from jusoor.synth import demo

    os.environ["JUSOOR_DATABASE_URL"] = url
    db = Database(url)
    try:
        migrate.upgrade(db.engine)
        with db.unit_of_work() as session:
            demo.load(session, actor=system_actor("bench"), password="bench-password-2026")
        now = dt.datetime.now(dt.UTC)
        today = now.date()
        load = population.insert_core
        method = "core executemany"
        if db.engine.dialect.name == "postgresql" and args.pg_load == "copy":
            load, method = population.insert_copy, "COPY"
        holders = population.holders(db.engine)
        started = time.perf_counter()
        made = population.rows(n, holders_by_country=holders, now=now, seed=args.seed)
        inserting = 0.0
        for batch in population.batches(made, BATCH):
            begun = time.perf_counter()
            load(db.engine, batch)
            inserting += time.perf_counter() - begun
        build = time.perf_counter() - started
        started = time.perf_counter()
        _analyse(db.engine)
        analyse = time.perf_counter() - started
        result: dict[str, Any] = {
            "engine": db.engine.dialect.name,
            "cases": n,
            "load_method": method,
            "build_s": build,
            "rows_per_s": n / build,
            "insert_s": inserting,
            "insert_rows_per_s": n / inserting,
            "analyse_s": analyse,
            **_size(db.engine, sqlite_path),
            "load_average_before": os.getloadavg(),
            "dashboards": {},
        }
        actors = _actors(db)
        for dashboard in ("this_year", "all"):
            for key, actor in actors.items():
                label = f"{key}/{dashboard}"
                result["dashboards"][label] = _dashboard(db, actor, dashboard, today, args.repeat)
        result["proposed_indexes"] = list(PROPOSED_INDEXES.values())
        result["index_build_s"] = _indexes(db.engine, create=True)
        result["with_indexes"] = {}
        for dashboard in ("this_year", "all"):
            for key, actor in actors.items():
                label = f"{key}/{dashboard}"
                result["with_indexes"][label] = _dashboard(db, actor, dashboard, today, args.repeat)
        _indexes(db.engine, create=False)
        if db.engine.dialect.name == "sqlite":
            result["sqlite_group_by_unindexed"] = {}
            for dashboard in ("this_year", "all"):
                for key, actor in actors.items():
                    label = f"{key}/{dashboard}"
                    result["sqlite_group_by_unindexed"][label] = _dashboard(
                        db, actor, dashboard, today, args.repeat, subject=UNINDEXED_GROUPING
                    )
        result["load_average_after"] = os.getloadavg()
        return result
    finally:
        db.dispose()


def report(result: dict[str, Any]) -> None:
    mb = result["database_bytes"] / 1e6
    print(
        f"\n{result['engine']} · {result['cases']:,} cases · built in {result['build_s']:.1f} s "
        f"({result['rows_per_s']:,.0f} rows/s generated and stored; the {result['load_method']} "
        f"alone {result['insert_rows_per_s']:,.0f} rows/s; analyse {result['analyse_s']:.1f} s) · "
        f"database {mb:,.0f} MB · load {result['load_average_before'][0]:.2f} → "
        f"{result['load_average_after'][0]:.2f}"
    )
    labels = list(result["dashboards"])
    print(f"  {'median s per table':<34}" + "".join(f"{k:>22}" for k in labels))
    for name in result["dashboards"][labels[0]]["tables"]:
        cells = "".join(
            f"{result['dashboards'][k]['tables'][name]['seconds']:>22.3f}" for k in labels
        )
        print(f"  {name:<34}{cells}")
    base = "".join(f"{result['dashboards'][k]['baseline_count_s']:>22.4f}" for k in labels)
    print(f"  {'baseline: COUNT(*) in scope':<34}{base}")
    line = ""
    for k in labels:
        block = result["dashboards"][k]
        line += f"{block['full_set_s']:>14.3f} (×{block['full_set_s'] / block['baseline_count_s']:>4.0f})"
    print(f"  {'FULL SET (× baseline)':<34}{line}")
    variants = [("with proposed indexes (gain)", "with_indexes")]
    if "sqlite_group_by_unindexed" in result:
        variants.append(("GROUP BY +column (gain)", "sqlite_group_by_unindexed"))
    for title, key in variants:
        line = ""
        for k in labels:
            seconds = result[key][k]["full_set_s"]
            line += f"{seconds:>14.3f} (×{result['dashboards'][k]['full_set_s'] / seconds:>4.1f})"
        print(f"  {title:<34}{line}")
    scope = "".join(f"{result['dashboards'][k]['cases_in_scope']:>22,}" for k in labels)
    print(f"  {'cases in scope and period':<34}{scope}")
    print(f"  proposed indexes built in {result['index_build_s']:.1f} s: "
          f"{'; '.join(result['proposed_indexes'])}")  # fmt: skip


def summary(folder: Path) -> None:
    """The results of earlier runs as the Markdown table of bench/README.md."""
    found = [json.loads(p.read_text("utf-8")) for p in folder.glob("stats_engine-*.json")]
    found.sort(key=lambda r: (r["engine"], r["cases"]))
    print(
        "| engine | cases | build s (rows/s) | size MB | viewer/period | baseline s | "
        "full set s (× baseline) | slowest table s | with indexes s | GROUP BY +col s | load |"
    )
    print("|" + " --- |" * 11)
    for r in found:
        for label, block in r["dashboards"].items():
            slowest = max(block["tables"].items(), key=lambda item: item[1]["seconds"])
            indexed = r["with_indexes"][label]["full_set_s"]
            ratio = block["full_set_s"] / block["baseline_count_s"]
            plus = r.get("sqlite_group_by_unindexed", {}).get(label)
            unindexed = f"{plus['full_set_s']:.2f}" if plus else "n/a"
            print(
                f"| {r['engine']} | {r['cases']:,} | {r['build_s']:.1f} ({r['rows_per_s']:,.0f}) "
                f"| {r['database_bytes'] / 1e6:,.0f} | {label} | {block['baseline_count_s']:.3f} "
                f"| {block['full_set_s']:.2f} (×{ratio:.0f}) "
                f"| {slowest[1]['seconds']:.2f} ({slowest[0]}) | {indexed:.2f} | {unindexed} "
                f"| {r['load_average_before'][0]:.1f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sizes = "10000,100000" + (",1000000" if os.environ.get("JUSOOR_BENCH_STATS_1M") == "1" else "")
    parser.add_argument("--sizes", default=sizes)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--pg-load", choices=("copy", "insert"), default="copy")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--summary", action="store_true", help="print the results in --out as a Markdown table"
    )
    args = parser.parse_args()
    if args.summary:
        summary(args.out)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    _register_unindexed_grouping()
    print(
        f"statistics engine benchmark · {os.cpu_count()} CPUs · {platform.python_version()} · "
        f"load {os.getloadavg()[0]:.2f} · {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    with tempfile.TemporaryDirectory(prefix="jusoor-stats-bench-") as tmp, ExitStack() as stack:
        os.environ["JUSOOR_DATA_DIR"] = tmp
        server = None
        for engine in args.engines.split(","):
            if engine == "postgres" and server is None:
                from tests.support.postgres import start_server

                server = start_server()
                if server is None:
                    print("PostgreSQL binaries not found: postgres skipped")
                    continue
                stack.callback(server.stop)
            for n in (int(s) for s in args.sizes.split(",")):
                if engine == "sqlite":
                    path = Path(tmp) / f"stats-{n}.db"
                    result = run_one(f"sqlite:///{path}", path, n, args)
                    for leftover in Path(tmp).glob(f"stats-{n}.db*"):
                        leftover.unlink()
                else:
                    assert server is not None
                    name = f"stats_{n}"
                    _admin(server.url(), f"CREATE DATABASE {name}")
                    result = run_one(server.url(name), None, n, args)
                    _admin(server.url(), f"DROP DATABASE {name}")
                report(result)
                target = args.out / f"stats_engine-{engine}-{n}.json"
                target.write_text(json.dumps(result, indent=2) + "\n", "utf-8")


def _admin(url: str, sql: str) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
