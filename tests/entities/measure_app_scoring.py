"""Measure the app's answer to "same person?" on a synthetic file held out from the shipped model's
training (`generate_person_files(people, seed=21)`; the model was trained on seed 11): the person
model as the app calls it (`evidence.compare` on facts, identifiers as digests would be: equal
values, phone stems apart) against the hand-set weights it replaced (issue 20), over the pairs
sharing a name-word pair, a whole-name key, a phone or a document (blocks of at most 50).

    PYTHONPATH=src:. python -m tests.entities.measure_app_scoring [people]
"""

from __future__ import annotations

import math
import sys
import time
from collections import defaultdict
from itertools import combinations

from jusoor.entities.matching import evidence
from jusoor.entities.resolution import explain, parse_date
from jusoor.entities.resolution.linkage.prepare import prepare_record
from jusoor.synth.person_files import DEFAULT_REGION, generate_person_files

# The hand-set weights of `evidence` before issue 20 (log2 Bayes factors), for the baseline.
HAND_PRIOR = -6.0
HAND_NAME = ((0.9, 7.0), (0.75, 4.0), (0.6, 1.0))
HAND_NAME_DISAGREES = -4.0
HAND_IDS = {"phone": 7.0, "document": 9.0}
HAND_BIRTH = {"day": 4.0, "month": 3.0, "year": 2.0, "other_date": -3.0, "different": -5.0}


def hand_probability(a: evidence.PersonFacts, b: evidence.PersonFacts) -> float:
    weight = HAND_PRIOR
    if a.names and b.names:
        best = max(explain(x, y).score for x in a.names for y in b.names)
        weight += next((w for cut, w in HAND_NAME if best >= cut), HAND_NAME_DISAGREES)
    shared = {kind for kind, _d in a.identifiers & b.identifiers}
    weight += sum(w for kind, w in HAND_IDS.items() if kind in shared)
    x, y = a.birth_date, b.birth_date
    if x and y:
        common = min(len(x), len(y))
        if x[:4] != y[:4]:
            weight += HAND_BIRTH["different"]
        elif x[:common] != y[:common]:
            weight += HAND_BIRTH["other_date"]
        else:
            weight += HAND_BIRTH[{10: "day", 7: "month"}.get(common, "year")]
    return 1.0 / (1.0 + math.pow(2.0, -weight))


def _facts(record: dict[str, str]) -> evidence.PersonFacts:
    row = prepare_record(record, region=DEFAULT_REGION)
    born = parse_date(record["date_of_birth"]) if record["date_of_birth"] else None
    ids = {(kind, str(row[kind])) for kind in ("phone", "phone_stem", "document") if row[kind]}
    name = record["full_name"].strip()
    nationality = (str(row["country"]),) if row["country"] else ()
    iso = born.iso if born else None
    return evidence.PersonFacts(None, (name,) if name else (), iso, frozenset(ids), nationality)


def _blocks(record: dict[str, str]) -> list[str]:
    row = prepare_record(record, region=DEFAULT_REGION)
    keys = [f"p{pair}" for pair in row["name_pairs"] or []]
    keys += [f"{c}{row[c]}" for c in ("name_key", "phone", "document") if row[c]]
    return keys


def _scores(rows: list[tuple[bool, float]], cut: float) -> str:
    tp = sum(1 for same, p in rows if same and p >= cut)
    fp = sum(1 for same, p in rows if not same and p >= cut)
    fn = sum(1 for same, p in rows if same and p < cut)
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return f"P {precision:.3f} R {recall:.3f} F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn})"


def main(people: int) -> None:
    files = generate_person_files(people, seed=21)
    facts = {r["record_id"]: _facts(r) for r in files.records}
    blocks: dict[str, set[str]] = defaultdict(set)
    for record in files.records:
        for key in _blocks(record):
            blocks[key].add(record["record_id"])
    pairs = sorted(
        {tuple(sorted(p)) for m in blocks.values() if len(m) <= 50 for p in combinations(m, 2)}
    )
    model = evidence.current_model()
    started = time.perf_counter()
    truth = files.truth
    scored = [
        (
            truth[a] == truth[b],
            hand_probability(facts[a], facts[b]),
            evidence.compare(facts[a], facts[b], model).probability,
        )
        for a, b in pairs
    ]
    seconds = time.perf_counter() - started
    true_pairs = sum(same for same, _h, _m in scored)
    print(
        f"{len(files.records)} records, {len(pairs)} candidate pairs ({true_pairs} true), {seconds:.1f} s"
    )
    print("hand weights, suggest at 0.6: ", _scores([(s, h) for s, h, _m in scored], 0.6))
    print("hand weights, merge at 0.9:   ", _scores([(s, h) for s, h, _m in scored], 0.9))
    print(
        "person model, suggest at 0.5: ", _scores([(s, m) for s, _h, m in scored], evidence.SUGGEST)
    )
    print(
        f"person model, join at {model.threshold}:",
        _scores([(s, m) for s, _h, m in scored], model.threshold),
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
