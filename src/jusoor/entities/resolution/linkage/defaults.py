"""Defaults of the linkage that the command line needs without loading the engines."""

from __future__ import annotations

# The weakest best match that joins. At 0.72, three generated 100,000-record files (seeds 2026
# twice, 7) kept precision ≥ 0.97 and F1 ≥ 0.93, and 5,000 people F1 0.965 at precision 0.973.
# Lower cuts cost precision on one of those files; 0.75 cost F1 on another (docs/LINKAGE.md).
DEFAULT_THRESHOLD = 0.72
ENGINES = ("duckdb", "spark")
