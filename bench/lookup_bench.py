"""Candidate lookup for one new person record against N indexed records: latency and recall,
beside a brute-force scan in the same run (issue 4; target: p95 under 200 ms at 1,000,000).

    .venv/bin/python bench/lookup_bench.py [--records 1000000] [--queries 200] [--seed 2026]
                                           [--weights model|index]

`--weights model` (the default) scores candidates with the person model the app ships
(`resolution.default_model`, `PersonIndex.from_model`): what the case page's possible matches
use; `--weights index` with the index's own copied weights, as before.

Synthetic person files (`jusoor.synth.person_files`) are drawn until they hold `--records` records.
Query records are taken out before indexing: each is a new record whose person has other records in
the index, and recall@10 counts those found among the ten first candidates. The baseline scores
every record of a 10,000-record sample with the same field comparisons and `names.similarity`
(no index), and its latency is scaled linearly to the full size.
"""

from __future__ import annotations

import argparse
import resource
import time
from collections import defaultdict

from jusoor.entities.resolution.linkage.lookup import PersonIndex
from jusoor.synth.person_files import DEFAULT_REGION, generate_person_files

RECORDS_PER_PERSON = 2.15  # the generator's mean, to draw about `--records` records
BASELINE_SAMPLE = 10_000
BASELINE_QUERIES = 5


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--weights", choices=("model", "index"), default="model")
    args = parser.parse_args()

    files = generate_person_files(int(args.records / RECORDS_PER_PERSON), seed=args.seed)
    by_person: dict[str, list[str]] = defaultdict(list)
    for record_id, person in files.truth.items():
        by_person[person].append(record_id)
    queries = [r for r in files.records if len(by_person[files.truth[r["record_id"]]]) >= 2]
    queries = queries[: args.queries]
    asked = {q["record_id"] for q in queries}
    indexed = [r for r in files.records if r["record_id"] not in asked]

    started = time.perf_counter()
    if args.weights == "model":
        from jusoor.entities.resolution.default_model import default_model

        index = PersonIndex.from_model(default_model(), indexed)
    else:
        index = PersonIndex.build(indexed, region=DEFAULT_REGION)
    build_seconds = time.perf_counter() - started
    build_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    latencies: list[float] = []
    found = wanted = 0
    for query in queries:
        started = time.perf_counter()
        result = index.candidates(query, limit=10)
        latencies.append(time.perf_counter() - started)
        others = set(by_person[files.truth[query["record_id"]]]) - asked
        wanted += len(others)
        found += len(others & {record_id for record_id, _p, _e in result})

    sample = PersonIndex.build(indexed[:BASELINE_SAMPLE], region=DEFAULT_REGION)
    scan: list[float] = []
    for query in queries[:BASELINE_QUERIES]:
        started = time.perf_counter()
        sample.scan(query, limit=10)
        scan.append(time.perf_counter() - started)
    scale = len(index) / len(sample)

    print(
        f"weights: {args.weights}; "
        f"{len(index)} records indexed in {build_seconds:.0f} s, peak {build_mb:.0f} MB; "
        f"{len(queries)} queries, recall@10 {found / wanted if wanted else 0:.3f}"
    )
    print(f"{'method':<28}{'p50 ms':>9}{'p95 ms':>9}")
    print(
        f"{'index lookup':<28}{_percentile(latencies, 0.5) * 1000:>9.1f}"
        f"{_percentile(latencies, 0.95) * 1000:>9.1f}"
    )
    print(
        f"{'brute-force scan (scaled)':<28}{_percentile(scan, 0.5) * scale * 1000:>9.0f}"
        f"{_percentile(scan, 0.95) * scale * 1000:>9.0f}"
    )


if __name__ == "__main__":
    main()
