"""`jusoor resolve persons` on Spark (local[2]) beside DuckDB: the same file, the same model,
wall time and peak memory of each, and whether they found the same people.

    .venv/bin/python bench/spark_bench.py [--records 100000] [--seed 2026] [--engines duckdb spark]
        [--same-model]

Each engine runs `resolve_file` in its own process, training included (with `--same-model`, the
first engine trains and saves the model and the others only read it and score); the peak is the largest
proportional set size of that process and all it starts (Spark's JVM and Python workers,
DuckDB's worker processes), sampled every 0.5 s (`tree_memory`). Spark's driver heap is sized
by `spark_engine.driver_memory` (JUSOOR_SPARK_DRIVER_MEMORY overrides it).
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path
from typing import Any

from linkage_bench import _in_own_process
from tree_memory import PeakMemory

from jusoor.synth.person_files import generate_person_files

RECORDS_PER_PERSON = 2.15  # the generator's mean: people drawn for about `--records` records


def _run(source: str, out: str, engine: str, model: str | None) -> dict[str, Any]:
    from jusoor.entities.resolution.file_resolution import resolve_file

    started = time.perf_counter()
    with PeakMemory() as peak:
        resolved = resolve_file(
            Path(source), Path(out), engine=engine, model=Path(model) if model else None
        )
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": peak.megabytes,
        "people": resolved.people,
    }


def _groups(path: Path) -> set[frozenset[str]]:
    members: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            members.setdefault(row["cluster_id"], set()).add(row["record_id"])
    return {frozenset(group) for group in members.values()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--same-model",
        action="store_true",
        help="the first engine trains and saves the model, the others read it (no training)",
    )
    parser.add_argument(
        "--engines", nargs="+", choices=("duckdb", "spark"), default=["duckdb", "spark"]
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jusoor-spark-bench-") as scratch:
        source = Path(scratch) / "people.csv"
        files = generate_person_files(round(args.records / RECORDS_PER_PERSON), seed=args.seed)
        files.write(source)
        print(f"{len(files.records)} records (seed {args.seed})", flush=True)
        print(f"{'engine':<8}{'s':>8}{'peak MB':>9}{'people':>9}", flush=True)
        found: dict[str, set[frozenset[str]]] = {}
        for engine in args.engines:
            out = Path(scratch) / f"{engine}.csv"
            model = str(Path(scratch) / "model.json") if args.same_model else None
            row = _in_own_process(_run, str(source), str(out), engine, model)
            found[engine] = _groups(out)
            print(
                f"{engine:<8}{row['seconds']:>8.0f}{row['peak_mb']:>9.0f}{row['people']:>9}",
                flush=True,
            )
        if len(found) == 2:
            same = found["duckdb"] == found["spark"]
            print(f"same people on both engines: {'yes' if same else 'no'}", flush=True)


if __name__ == "__main__":
    main()
