"""Where the true pairs of an independent file are lost (issue 20): never compared (blocking),
compared and scored below the threshold, or scored above it and cut by the clustering; by birth
dates, shared phone or document, and script. Only for the `tuning` part: `held_out` is scored by
`linkage_unseen_bench.py`, never inspected pair by pair.

    PYTHONPATH=src:bench .venv/bin/python bench/linkage_unseen_losses.py [--people 5000] [--show 20]
"""

from __future__ import annotations

import argparse
import logging
import time
from collections import Counter
from typing import Any

from linkage_bench import _grouped, _pairs
from linkage_unseen_bench import _birth_dates
from unseen_persons import HOME_REGION, generate

from jusoor.entities.resolution.linkage.defaults import DEFAULT_THRESHOLD
from jusoor.entities.resolution.linkage.linker import PersonLinkage
from jusoor.entities.resolution.linkage.prepare import prepare_records
from jusoor.entities.resolution.normalise.scripts import is_arabic_char

Pair = tuple[str, str]
FIELDS = ("name", "dob", "country", "phone", "document")
GAMMAS = [f"gamma_{field}" for field in FIELDS]


def _category(a: dict[str, Any], b: dict[str, Any], ra: dict[str, str], rb: dict[str, str]) -> str:
    dates = "-".join(sorted((_birth_dates(ra), _birth_dates(rb))))
    shared = []
    if a["phone"] and a["phone"] == b["phone"]:
        shared.append("phone")
    if a["document"] and a["document"] == b["document"]:
        shared.append("doc")
    script = "cross" if _arabic(ra) != _arabic(rb) else "same"
    return f"dob {dates:9} | shares {'+'.join(shared) or 'nothing':9} | {script}"


def _arabic(record: dict[str, str]) -> bool:
    return any(map(is_arabic_char, record["full_name"]))


def _calibration(predictions: list[dict[str, Any]], truth: dict[str, str]) -> None:
    """Among candidate pairs, by combination of levels: how many, how many true, the model's
    mean probability; the combinations where the two disagree most are printed first."""
    fields = FIELDS
    groups: dict[tuple[int, ...], list[float]] = {}
    for row in predictions:
        key = tuple(int(row[f"gamma_{f}"]) for f in fields)
        true = truth[str(row["unique_id_l"])] == truth[str(row["unique_id_r"])]
        n, t, p = groups.get(key, [0.0, 0.0, 0.0])
        groups[key] = [n + 1, t + true, p + float(row["match_probability"])]
    print("gammas " + " ".join(fields), "pairs true rate model")
    ranked = sorted(groups.items(), key=lambda kv: -abs(kv[1][1] - kv[1][2]))
    for key, (n, t, p) in ranked[:40]:
        print(key, f"{n:6.0f} {t:6.0f} {t / n:5.2f} {p / n:5.2f}")


def _ceiling(predictions: list[dict[str, Any]], truth: dict[str, str], total_true: int) -> None:
    """The best any model could do with these levels, pair by pair: combinations of levels taken
    from the truest down (their true rate known from the truth) while the pairs taken stay at
    precision 0.97 or more; recall over all true pairs (those never compared count as lost).
    Transitive closure and the clustering are left out."""
    groups: dict[tuple[int, ...], list[int]] = {}
    for row in predictions:
        key = tuple(int(row[f"gamma_{f}"]) for f in FIELDS)
        true = truth[str(row["unique_id_l"])] == truth[str(row["unique_id_r"])]
        counts = groups.setdefault(key, [0, 0])
        counts[0] += 1
        counts[1] += true
    taken = hits = 0
    for n, t in sorted(groups.values(), key=lambda c: -c[1] / c[0]):
        if (hits + t) / (taken + n) < 0.97:
            break
        taken, hits = taken + n, hits + t
    print(f"ceiling at P >= 0.97 by levels: P {hits / max(taken, 1):.3f} R {hits / total_true:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--calibration", action="store_true", help="match rate by levels")
    parser.add_argument("--sweep", type=float, nargs="*", default=[], help="other cuts")
    parser.add_argument("--show", type=int, default=0, help="missed pairs to print per stage")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    files = generate(args.people, part="tuning")
    by_id = {r["record_id"]: r for r in files.records}
    started = time.perf_counter()
    rows = prepare_records(files.without_truth(), region=HOME_REGION)
    prepared = {str(r["unique_id"]): r for r in rows}
    linkage = PersonLinkage(rows)
    linkage.train()
    predicted = linkage._predict(0.0)
    columns = ", ".join(["unique_id_l", "unique_id_r", "match_probability", *GAMMAS])
    sql = f"SELECT {columns} FROM {predicted.physical_name}"
    table = linkage._api.duckdb_con.sql(sql).to_arrow_table()  # type: ignore[attr-defined]
    lefts, rights = table.column("unique_id_l").to_pylist(), table.column("unique_id_r").to_pylist()
    probabilities = table.column("match_probability").to_pylist()
    scores: dict[Pair, float] = {
        (a, b) if a < b else (b, a): p for a, b, p in zip(lefts, rights, probabilities, strict=True)
    }
    predictions = table.to_pylist() if args.calibration else []
    resolution = linkage.resolve(DEFAULT_THRESHOLD)
    if args.calibration:
        _calibration(predictions, files.truth)
        _ceiling(predictions, files.truth, len(_pairs(_grouped(files.truth))))
    truth_pairs = _pairs(_grouped(files.truth))
    for cut in args.sweep:
        grouped = _pairs(_grouped(linkage.resolve(cut).clusters))
        hit = len(truth_pairs & grouped)
        print(f"cut {cut}: P {hit / len(grouped):.3f} R {hit / len(truth_pairs):.3f}")
    seconds = time.perf_counter() - started
    truth = _pairs(_grouped(files.truth))
    found = _pairs(_grouped(resolution.clusters))
    hits = len(truth & found)
    print(
        f"records {len(rows)}  candidates {len(scores)}  true {len(truth)}  found {len(found)}  "
        f"P {hits / len(found):.3f}  R {hits / len(truth):.3f}  {seconds:.0f} s"
    )
    stages: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    examples: dict[str, list[Pair]] = {}
    for pair in truth:
        a, b = pair
        category = _category(prepared[a], prepared[b], by_id[a], by_id[b])
        totals[category] += 1
        if pair in found:
            stage = "found"
        elif pair not in scores:
            stage = "never compared"
        elif scores[pair] < DEFAULT_THRESHOLD:
            stage = "scored low"
        else:
            stage = "cut in clusters"
        stages[(category, stage)] += 1
        if stage != "found":
            examples.setdefault(stage, []).append(pair)
    names = ("never compared", "scored low", "cut in clusters")
    print(f"{'category':45} {'pairs':>6} {'recall':>6} " + " ".join(f"{n:>16}" for n in names))
    for category, total in sorted(totals.items(), key=lambda kv: -kv[1]):
        recall = stages[(category, "found")] / total
        lost = " ".join(f"{stages[(category, n)]:>16}" for n in names)
        print(f"{category:45} {total:>6} {recall:6.3f} {lost}")
    print("all", {n: sum(v for (c, s), v in stages.items() if s == n) for n in names})
    fields = ("full_name", "date_of_birth", "nationality", "phone", "document_number")
    for stage in names:
        for a, b in examples.get(stage, [])[: args.show]:
            print(f"-- {stage} p={scores.get((a, b) if a < b else (b, a), 0):.3f}")
            for record in (by_id[a], by_id[b]):
                print("   ", " | ".join(record[f] for f in fields))
            explained = linkage.explain(a, b)
            print(
                "    ", "; ".join(f"{f.field}: {f.level} {f.weight:+.1f}" for f in explained.fields)
            )


if __name__ == "__main__":
    main()
