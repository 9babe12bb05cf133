"""The default person matcher on files it was never tuned on (issue 20): precision, recall, F1,
cross-script recall, time and peak memory, beside Splink after careful generic normalisation
measured in the same run (the anchor: on a busy shared machine compare the time ratio).

    .venv/bin/python bench/linkage_unseen_bench.py [--people 5000 100000] [--parts held_out]

The files come from `unseen_persons` (another generator, other names, other error rates; read its
docstring): `tuning` may be looked at while tuning, `held_out` never. Jusoor's matcher is
`jusoor resolve persons` itself (`resolve_file`: default threshold, the PersonModel trained on
the file without labels, the file's home region for local phone numbers); the truth column is taken off before it sees the records. Each
method runs in its own process, so that its peak memory (workers included) is its own. Results go
to `bench/results/linkage_unseen-<part>-<people>-<method>.json`, and a line each is appended to
`bench/results/linkage_unseen.md`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from linkage_bench import _grouped, _in_own_process, _pairs
from tree_memory import PeakMemory
from unseen_persons import HOME_REGION, PARTS, generate

from jusoor.entities.resolution.linkage import baselines
from jusoor.entities.resolution.linkage.defaults import DEFAULT_THRESHOLD
from jusoor.entities.resolution.normalise.scripts import is_arabic_char

RESULTS = Path(__file__).resolve().parent / "results"
METHODS = ("jusoor", "generic")
Pair = tuple[str, str]
_YEAR = re.compile(r"[0-9٠-٩]{4}")


def _jusoor(records: list[dict[str, str]]) -> dict[str, str]:
    """What `jusoor resolve persons FILE --out OUT --region JO` does (`resolve_file`), the
    file written and read back included."""
    from jusoor.entities.resolution import resolve_file

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "people.csv"
        with source.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, list(records[0]))
            writer.writeheader()
            writer.writerows(records)
        resolved = resolve_file(source, Path(folder) / "clusters.csv", region=HOME_REGION)
    return resolved.resolution.clusters


def _generic(records: list[dict[str, str]]) -> dict[str, str]:
    from jusoor.entities.resolution.linkage.linker import PersonLinkage

    settings, plan = baselines.generic()
    linkage = PersonLinkage(baselines.generic_rows(records, region=HOME_REGION), model=settings)
    linkage.train(plan)
    return linkage.resolve(DEFAULT_THRESHOLD).clusters


RUNNERS: dict[str, Callable[[list[dict[str, str]]], dict[str, str]]] = {
    "jusoor": _jusoor,
    "generic": _generic,
}


def _birth_dates(record: dict[str, str]) -> str:
    text = record["date_of_birth"]
    return "none" if not text else "year" if _YEAR.fullmatch(text) else "full"


def _recall_where(
    truth: set[Pair], found: set[Pair], keep: Callable[[Pair], bool]
) -> dict[str, Any]:
    chosen = {pair for pair in truth if keep(pair)}
    return {
        "true_pairs": len(chosen),
        "recall": round(len(chosen & found) / len(chosen), 4) if chosen else None,
    }


def measure(method: str, people: int, part: str) -> dict[str, Any]:
    """One method on one file; runs in its own process (`_in_own_process`)."""
    logging.disable(logging.WARNING)
    files = generate(people, part=part)
    records = files.without_truth()
    with PeakMemory() as memory:
        started = time.perf_counter()
        clusters = RUNNERS[method](records)
        seconds = time.perf_counter() - started
    truth = _pairs(_grouped(files.truth))
    found = _pairs(_grouped(clusters))
    by_id = {r["record_id"]: r for r in files.records}
    arabic = {i for i, r in by_id.items() if any(map(is_arabic_char, r["full_name"]))}
    dates = {i: _birth_dates(r) for i, r in by_id.items()}
    shared = {i: (r["phone"], r["document_number"]) for i, r in by_id.items()}
    hits = len(truth & found)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    cross = _recall_where(truth, found, lambda p: (p[0] in arabic) != (p[1] in arabic))

    def no_date_nothing_shared(pair: Pair) -> bool:
        a, b = pair
        none = "none" in (dates[a], dates[b])
        phone_a, doc_a = shared[a]
        phone_b, doc_b = shared[b]
        return none and not (phone_a and phone_a == phone_b) and not (doc_a and doc_a == doc_b)

    return {
        "method": method,
        "part": part,
        "seed": files.seed,
        "people": people,
        "records": len(records),
        "true_pairs": len(truth),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if hits else 0.0,
        "cross_script_recall": cross["recall"],
        "cross_script_pairs": cross["true_pairs"],
        # Where the missed pairs are (issue 20 names these groups).
        "recall_by_birth_dates": {
            "both_full": _recall_where(
                truth, found, lambda p: dates[p[0]] == dates[p[1]] == "full"
            ),
            "one_year_only": _recall_where(
                truth, found, lambda p: "year" in (dates[p[0]], dates[p[1]])
            ),
            "one_missing": _recall_where(
                truth, found, lambda p: "none" in (dates[p[0]], dates[p[1]])
            ),
            "one_missing_no_shared_phone_or_document": _recall_where(
                truth, found, no_date_nothing_shared
            ),
        },
        "seconds": round(seconds, 1),
        "peak_mb": round(memory.megabytes),
    }


def _line(row: dict[str, Any], anchor: dict[str, Any] | None) -> str:
    ratio = ""
    if anchor is not None and anchor is not row and anchor["seconds"]:
        ratio = f" (time ×{row['seconds'] / anchor['seconds']:.2f} of generic)"
    return (
        f"| {row['part']} | {row['people']:,} | {row['records']:,} | {row['method']} "
        f"| {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} "
        f"| {row['cross_script_recall']:.3f} | {row['seconds']:.0f} s{ratio} "
        f"| {row['peak_mb']:,} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[5000])
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=["tuning", "held_out"])
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args()
    print("| part | people | records | method | P | R | F1 | cross-script R | time | peak |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for people in args.people:
        for part in args.parts:
            rows = [_in_own_process(measure, m, people, part) for m in args.methods]
            anchor = next((r for r in rows if r["method"] == "generic"), None)
            for row in rows:
                line = _line(row, anchor)
                print(line, flush=True)
                if not args.no_save:
                    _save(row, line)


def _save(row: dict[str, Any], line: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    name = f"linkage_unseen-{row['part']}-{row['people']}-{row['method']}.json"
    (RESULTS / name).write_text(json.dumps({**row, "measured": stamp}, indent=2) + "\n")
    with (RESULTS / "linkage_unseen.md").open("a", encoding="utf-8") as log:
        log.write(f"{line} {stamp} |\n")


if __name__ == "__main__":
    main()
