"""The run's final figures, written once when Locust quits (imported by `locustfile.py`).

Locust's `--csv` files are a snapshot rewritten once a second by a greenlet of their own, and
Locust does not write them again when it quits: requests answered in the run's last second are
missing from them. When a tour ends the run right after its last pages (`--tour`), those are the
very pages the table must show. This module writes Locust's own request and failure tables once
more, from the final statistics, when the run has quit: `<prefix>_stats.csv`,
`<prefix>_failures.csv` and `<prefix>_exceptions.csv` (a journey's step that raised), with
`<prefix>` from `$JUSOOR_LOAD_FINAL` (nothing is written without it).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from locust import events
from locust.env import Environment
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

FINAL_ENV = "JUSOOR_LOAD_FINAL"

_ENVIRONMENT: list[Environment] = []


@events.init.add_listener
def _keep_environment(environment: Environment, **_kwargs: Any) -> None:
    _ENVIRONMENT[:] = [environment]


@events.quit.add_listener
def _write_final(**_kwargs: Any) -> None:  # called with exit_code=
    prefix = os.environ.get(FINAL_ENV)
    if prefix and _ENVIRONMENT:
        write(_ENVIRONMENT[0], prefix)


def write(environment: Environment, prefix: str) -> None:
    """Locust's request, failure and exception tables of `environment`, as they are now."""
    tables = StatsCSV(environment, PERCENTILES_TO_REPORT)
    for name, table in (
        ("stats", tables.requests_csv),
        ("failures", tables.failures_csv),
        ("exceptions", tables.exceptions_csv),
    ):
        with Path(f"{prefix}_{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            table(csv.writer(fh))
