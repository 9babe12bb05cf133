"""Defaults of the linkage that the command line needs without loading the engines."""

from __future__ import annotations

DEFAULT_THRESHOLD = 0.75  # weakest best match that joins: precision ≥ 0.97 at 5k and 100k (bench/)
ENGINES = ("duckdb", "spark")
