"""Grow a demo node to N cases for the load test, until `jusoor demo load --cases N` lands.

    .venv/bin/python bench/load/population.py --database-url URL --cases 50000

The demo (`jusoor init --demo`) brings 300 full cases: screenings, referrals, services, timelines,
exchange messages and their audit events. This adds plain cases beside them, drawn by
`bench/stats_population.py` from the demo generator's own distributions (COPY on PostgreSQL,
Core `executemany` on SQLite, 10,000 a transaction): they fill the case lists, searches and
dashboards at the size asked, while the referrals, queues and inboxes keep the demo's. Their
references are numbered from 500,001 in each country and year, apart from the demo's; their
encrypted columns (names) stay empty.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import stats_population as population  # noqa: E402

from jusoor.cases.models import Case  # noqa: E402
from jusoor.core.db import make_engine  # noqa: E402

FIRST_NUMBER = 500_000
BATCH = 10_000


def _renumbered(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        country, year, number = str(row[1]).split("-")
        yield (row[0], f"{country}-{year}-{FIRST_NUMBER + int(number):06d}", *row[2:])


def add_cases(database_url: str, cases: int, *, seed: int = 18) -> int:
    """Add plain cases until the node holds `cases`; returns how many were added."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            have = int(conn.scalar(select(func.count()).select_from(Case)) or 0)
        wanted = max(0, cases - have)
        if not wanted:
            return 0
        insert = (
            population.insert_copy
            if engine.dialect.name == "postgresql"
            else population.insert_core
        )
        rows = population.rows(
            wanted,
            holders_by_country=population.holders(engine),
            now=dt.datetime.now(dt.UTC),
            seed=seed,
        )
        for batch in population.batches(_renumbered(rows), BATCH):
            insert(engine, batch)
        with engine.begin() as conn:  # the planner's statistics for the new size
            conn.exec_driver_sql("ANALYZE")
        return wanted
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", type=int, required=True, help="the node's case count wanted")
    args = parser.parse_args()
    started = time.perf_counter()
    added = add_cases(args.database_url, args.cases)
    print(f"{added:,} cases added in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
