"""Defaults of the linkage that the command line needs without loading the engines."""

from __future__ import annotations

DEFAULT_THRESHOLD = 0.6  # weakest best match that joins (bench/linkage_bench.py, tuning seed 11)
ENGINES = ("duckdb", "spark")
