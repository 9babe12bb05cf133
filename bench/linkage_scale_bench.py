"""Person linkage at scale: wall time, peak memory and accuracy of Jusoor's linkage beside Splink
after generic normalisation, on the same held-out synthetic files (issue 4).

    .venv/bin/python bench/linkage_scale_bench.py [--records 100000 1000000] [--seed 2026]

Targets at 100,000 records: F1 ≥ 0.93 with precision ≥ 0.97, in no more wall time than the
baseline. Each method runs in its own process (see bench/linkage_bench.py, whose measure this
reuses), so the peak resident set it reports is its own, engine included. A million records takes
long: both methods train and score every blocked pair of the whole file on one machine.
"""

from __future__ import annotations

import argparse

from linkage_bench import _in_own_process, _measure

from jusoor.entities.resolution.linkage.linker import DEFAULT_THRESHOLD

RECORDS_PER_PERSON = 2.15  # the generator's mean: people drawn for about `--records` records
METHODS = ("generic", "jusoor")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seed", type=int, default=2026, help="held out: not a tuning seed")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    args = parser.parse_args()
    print(f"{'records':>9} {'method':<10}{'P':>7}{'R':>7}{'F1':>7}{'xR':>7}{'s':>8}{'MB':>7}")
    for size in args.records:
        people = round(size / RECORDS_PER_PERSON)
        for method in args.methods:
            row = _in_own_process(_measure, method, people, args.seed, args.threshold)
            print(
                f"{row['records']:>9} {method:<10}{row['precision']:>7.3f}{row['recall']:>7.3f}"
                f"{row['f1']:>7.3f}{row['cross_script_recall']:>7.3f}{row['seconds']:>8.0f}"
                f"{row['peak_mb']:>7.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
