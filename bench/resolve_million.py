"""`jusoor resolve persons` on about a million records (issue 20, item 3): wall time, peak memory
and quality, step by step.

    .venv/bin/python bench/resolve_million.py [--people 445000] [--label after]

The file comes from the independent generator (`unseen_persons`, part `held_out`): 445,000
people make about 1,000,000 records. It is generated once and cached under
`$TMPDIR/jusoor-resolve-million/` (the full file with its truth, and the input the matcher reads:
no `person_id`, no `source`). `resolve_file` (what the CLI runs: `--region JO`, the model trained
on the file without labels) runs in a child process of its own; the peak is the largest
proportional set size of that process and every process it starts (`tree_memory`), sampled every
0.5 s, and it is also kept per step of the progress the CLI shows. Precision, recall, F1 and
cross-script recall are counted from the written output against the truth, in this process.

The targets: ≤ 20 minutes and ≤ 8 GiB on the 2-core machine. Results go to
`bench/results/resolve-<people>-<label>.json`, a line each appended to
`bench/results/resolve-million.md`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import multiprocessing
import os
import resource
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

from tree_memory import _pss_kb, _tree
from unseen_persons import HOME_REGION, TRUTH, generate

RESULTS = Path(__file__).resolve().parent / "results"
CACHE = Path(tempfile.gettempdir()) / "jusoor-resolve-million"
INTERVAL = 0.5  # seconds between memory samples
Pair = tuple[str, str]


def cached_file(people: int, part: str) -> tuple[Path, Path]:
    """The full file (with the truth) and the matcher's input, generated once."""
    CACHE.mkdir(parents=True, exist_ok=True)
    full = CACHE / f"{part}-{people}.csv"
    given = CACHE / f"{part}-{people}-input.csv"
    if not full.exists():
        started = time.perf_counter()
        files = generate(people, part=part)
        files.write(full.with_suffix(".tmp"))
        full.with_suffix(".tmp").replace(full)
        print(f"generated {full} in {time.perf_counter() - started:.0f} s", flush=True)
    if not given.exists():
        with full.open(encoding="utf-8", newline="") as source:
            reader = csv.DictReader(source)
            columns = [c for c in reader.fieldnames or [] if c not in (TRUTH, "source")]
            with given.with_suffix(".tmp").open("w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, columns, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(reader)
        given.with_suffix(".tmp").replace(given)
    return full, given


class StepMemory:
    """The peak PSS of this process and its descendants, overall and per progress step."""

    def __init__(self) -> None:
        self.step = "read"
        self.peaks: dict[str, int] = {}
        self.started: dict[str, float] = {"read": time.perf_counter()}
        self.totals: dict[str, int] = {}  # the last total heard (block: candidate pairs)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def enter(self, step: str, total: int = 0) -> None:
        self.totals[step] = total
        if step != self.step:
            self.step = step
            self.started.setdefault(step, time.perf_counter())

    def _sample(self) -> None:
        while True:
            total = sum(_pss_kb(pid) or 0 for pid in _tree(os.getpid()))
            self.peaks[self.step] = max(self.peaks.get(self.step, 0), total)
            if self._stop.wait(INTERVAL):
                return

    def __enter__(self) -> StepMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def run(given: str, out: str, max_rows: int) -> dict[str, Any]:
    """`resolve_file` on `given`, in this (child) process: seconds, peaks and steps."""
    os.environ["JUSOOR_IMPORT_MAX_ROWS"] = str(max_rows)  # the console's row limit is 1,000,000
    from jusoor.entities.resolution import resolve_file

    with StepMemory() as memory:
        started = time.perf_counter()
        resolved = resolve_file(
            Path(given),
            Path(out),
            region=HOME_REGION,
            on_progress=lambda step, done, total: memory.enter(step, total),
        )
        seconds = time.perf_counter() - started
        memory.enter("end")
    # CPU time of this process and the workers it started: on a busy shared machine, what the
    # run would take alone is nearer this (most steps use one core) than the wall time.
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu = sum(u.ru_utime + u.ru_stime for u in used)
    order = list(memory.started)
    steps = [
        {
            "step": step,
            "seconds": round(memory.started[after] - memory.started[step], 1),
            "peak_mb": round(memory.peaks.get(step, 0) / 1024),
            "total": memory.totals.get(step, 0),
        }
        for step, after in pairwise(order)
    ]
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "load_average_after": os.getloadavg()[0],
        "peak_mb": round(max(memory.peaks.values()) / 1024),
        "people_found": resolved.people,
        "candidate_pairs": memory.totals.get("block", 0),
        "distinct_name_pairs": memory.totals.get("names", 0),
        "steps": steps,
    }


def _pairs(groups: dict[str, list[str]]) -> set[Pair]:
    return {(a, b) if a < b else (b, a) for m in groups.values() for a, b in combinations(m, 2)}


def quality(full: Path, out: Path) -> dict[str, Any]:
    """Precision, recall, F1 and cross-script recall of the written clusters."""
    from jusoor.entities.resolution.normalise.scripts import is_arabic_char

    truth: dict[str, list[str]] = defaultdict(list)
    arabic: set[str] = set()
    with full.open(encoding="utf-8", newline="") as source:
        for row in csv.DictReader(source):
            truth[row[TRUTH]].append(row["record_id"])
            if any(map(is_arabic_char, row["full_name"])):
                arabic.add(row["record_id"])
    found: dict[str, list[str]] = defaultdict(list)
    with out.open(encoding="utf-8", newline="") as clusters:
        for row in csv.DictReader(clusters):
            found[row["cluster_id"]].append(row["record_id"])
    true_pairs, found_pairs = _pairs(truth), _pairs(found)
    hits = len(true_pairs & found_pairs)
    cross = {p for p in true_pairs if (p[0] in arabic) != (p[1] in arabic)}
    precision = hits / len(found_pairs) if found_pairs else 0.0
    recall = hits / len(true_pairs) if true_pairs else 0.0
    return {
        "records": sum(len(m) for m in truth.values()),
        "true_pairs": len(true_pairs),
        "found_pairs": len(found_pairs),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if hits else 0.0,
        "cross_script_recall": round(len(cross & found_pairs) / len(cross), 4) if cross else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=445_000)
    parser.add_argument("--part", choices=("held_out", "tuning"), default="held_out")
    parser.add_argument("--label", default="run", help="names the result file")
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args()
    full, given = cached_file(args.people, args.part)
    records = sum(1 for _ in given.open(encoding="utf-8")) - 1
    out = CACHE / f"{args.part}-{args.people}-{args.label}-clusters.csv"
    context = multiprocessing.get_context("spawn")  # not daemonic: the child starts workers
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        row = pool.submit(run, str(given), str(out), max(1_000_000, records)).result()
    row = {"part": args.part, "people": args.people, "label": args.label, **row}
    row.update(quality(full, out))
    row["candidate_pairs_per_record"] = round(row["candidate_pairs"] / row["records"], 2)
    print(json.dumps(row, indent=2), flush=True)
    if not args.no_save:
        _save(row)


def _save(row: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    name = f"resolve-{row['people']}-{row['label']}.json"
    (RESULTS / name).write_text(json.dumps({**row, "measured": stamp}, indent=2) + "\n")
    steps = ", ".join(f"{s['step']} {s['seconds']:.0f} s/{s['peak_mb']:,} MB" for s in row["steps"])
    line = (
        f"| {row['label']} | {row['people']:,} | {row['records']:,} | {row['precision']:.3f} "
        f"| {row['recall']:.3f} | {row['f1']:.3f} | {row['cross_script_recall']:.3f} "
        f"| {row['seconds']:.0f} s | {row['peak_mb']:,} MB "
        f"| {row['candidate_pairs']:,} ({row['candidate_pairs_per_record']}) | {steps} | {stamp} |\n"
    )
    log = RESULTS / "resolve-million.md"
    if not log.exists():
        log.write_text(
            "| label | people | records | P | R | F1 | cross-script R | time | peak "
            "| candidate pairs (per record) | steps (time/peak) | measured |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        )
    with log.open("a", encoding="utf-8") as out:
        out.write(line)


if __name__ == "__main__":
    main()
