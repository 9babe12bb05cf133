"""Person linkage on held-out synthetic files: Splink out of the box, Splink after generic
normalisation, and Jusoor's linkage, side by side (issue 4).

    .venv/bin/python bench/linkage_bench.py [--people 5000] [--seed 2026] [--threshold 0.6]

The files are drawn by `jusoor.synth.person_files` with a seed the models were never tuned on:
each person in one to four records (Moroccan police report, Mauritanian file in Arabic script,
passenger list, NGO intake). The truth is used only to score. Each method runs in its own process
so that its peak memory (engine and worker processes included, see `tree_memory`) is its own.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from itertools import combinations
from typing import Any

import linkage_baselines as baselines
from tree_memory import PeakMemory

from jusoor.entities.resolution.linkage.linker import (
    DEFAULT_THRESHOLD,
    JUSOOR_PLAN,
    PersonLinkage,
    TrainingPlan,
)
from jusoor.entities.resolution.linkage.prepare import prepare_records
from jusoor.entities.resolution.normalise.scripts import is_arabic_char
from jusoor.synth.person_files import DEFAULT_REGION, PersonFiles, generate_person_files

Pair = tuple[str, str]
METHODS = ("out_of_the_box", "generic", "jusoor")


def _pairs(groups: dict[str, list[str]]) -> set[Pair]:
    return {
        (a, b) if a < b else (b, a)
        for members in groups.values()
        for a, b in combinations(members, 2)
    }


def _grouped(assignment: dict[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for record, group in assignment.items():
        groups[group].append(record)
    return groups


def _run(method: str, files: PersonFiles, threshold: float) -> dict[str, str]:
    if method == "jusoor":
        linkage = PersonLinkage(prepare_records(files.records, region=DEFAULT_REGION))
        plan: TrainingPlan = JUSOOR_PLAN
    elif method == "generic":
        settings, plan = baselines.generic()
        rows = baselines.generic_rows(files.records, region=DEFAULT_REGION)
        linkage = PersonLinkage(rows, model=settings)
    else:
        settings, plan = baselines.out_of_the_box()
        linkage = PersonLinkage(baselines.raw_rows(files.records), model=settings)
    linkage.train(plan)
    return linkage.resolve(threshold).clusters


def _measure(method: str, people: int, seed: int, threshold: float) -> dict[str, Any]:
    logging.disable(logging.WARNING)
    files = generate_person_files(people, seed=seed)
    with PeakMemory() as memory:
        started = time.perf_counter()
        clusters = _run(method, files, threshold)
        seconds = time.perf_counter() - started
    truth = _pairs(_grouped(files.truth))
    found = _pairs(_grouped(clusters))
    arabic = {r["record_id"] for r in files.records if any(map(is_arabic_char, r["full_name"]))}
    cross = {(a, b) for a, b in truth if (a in arabic) != (b in arabic)}
    hits = len(truth & found)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    return {
        "method": method,
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if hits else 0.0,
        "cross_script_recall": len(cross & found) / len(cross) if cross else 0.0,
        "seconds": seconds,
        # The process and its workers together, each shared page once (`tree_memory`).
        "peak_mb": memory.megabytes,
        "records": len(files.records),
        "true_pairs": len(truth),
        "cross_script_pairs": len(cross),
    }


def _in_own_process(task: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    # Not a multiprocessing.Pool: its workers are daemonic and may not start processes of their
    # own, which the linkage does for large batches (prepare.PARALLEL_FROM), as the CLI does.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        result: dict[str, Any] = pool.submit(task, *args).result()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2026, help="held out: not a tuning seed")
    parser.add_argument(
        "--threshold", type=float, default=DEFAULT_THRESHOLD, help="same cut for every method"
    )
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    args = parser.parse_args()
    results = [
        _in_own_process(_measure, method, args.people, args.seed, args.threshold)
        for method in args.methods
    ]
    first = results[0]
    print(
        f"{args.people} people, {first['records']} records, {first['true_pairs']} true pairs "
        f"({first['cross_script_pairs']} across scripts); threshold {args.threshold}"
    )
    header = f"{'method':<16}{'P':>7}{'R':>7}{'F1':>7}{'xR':>7}{'s':>9}{'MB':>8}  vs first"
    print(header)
    for row in results:
        ratio = (
            f"F1 ×{row['f1'] / first['f1']:.2f}, time ×{row['seconds'] / first['seconds']:.1f}, "
            f"memory ×{row['peak_mb'] / first['peak_mb']:.1f}"
            if first["f1"]
            else ""
        )
        print(
            f"{row['method']:<16}{row['precision']:>7.3f}{row['recall']:>7.3f}{row['f1']:>7.3f}"
            f"{row['cross_script_recall']:>7.3f}{row['seconds']:>9.1f}{row['peak_mb']:>8.0f}  "
            f"{ratio}"
        )


if __name__ == "__main__":
    main()
