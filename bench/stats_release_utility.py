"""Utility of the differentially private synthetic release (and what k-anonymity costs), on two
sets of records kept apart:

- *jusoor*: cases drawn by the project's own generator (`jusoor.synth.cases`: its routes, shares
  of women and children, forms of exploitation), turned into HTCDS rows as the export writes them;
- *ctdc-like*: an independent set with other distributions (CTDC-shaped: more countries, a long
  tail of citizenships, more men, more forced labour, many unknowns), drawn here.

For each, at epsilon 0.5, 1 and 4 (several runs each: the noise differs every time), the mean
absolute error (in records) and total variation distance of the one- and two-way marginals of the
synthetic records against the original; and for k in 5, 10, 11 the k-anonymised extract's loss.
Printed, and written to bench/results/stats_release_utility.json.

    .venv/bin/python bench/stats_release_utility.py [--records 5000] [--runs 3] [--seed 0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jusoor.cases.htcds.export import htcds_row
from jusoor.cases.vocabulary import Stage
from jusoor.stats import dp, kanon
from jusoor.synth import cases as generator

EPSILONS = (0.5, 1.0, 4.0)
KS = (5, 10, 11)
RESULTS = Path(__file__).parent / "results" / "stats_release_utility.json"
FIELDS = frozenset({
    "stage", "gender", "age_band", "age", "is_child", "citizenship", "languages",
    "countries_of_origin", "countries_of_transit", "countries_of_exploitation",
    "forms_of_exploitation", "means_of_control", "recruiter_relation", "reference",
})  # fmt: skip


def jusoor_rows(n: int, seed: int) -> list[dict[str, Any]]:
    """The project generator's cases (without a database) as HTCDS export rows."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        case_in = generator._case_in(rng, rng.choice(generator.ROUTES))
        fields = case_in.model_dump()
        stage = rng.choice([Stage.identification, Stage.closed, Stage.assistance])
        case = SimpleNamespace(**fields, stage=stage, reference=f"C-{i}")
        row = htcds_row(case, FIELDS)  # type: ignore[arg-type]
        row["jus_Year"] = str(rng.choice([2022, 2023, 2024, 2025]))
        rows.append(row)
    return rows


def ctdc_like_rows(n: int, seed: int) -> list[dict[str, Any]]:
    """An independent set: other countries and shares than the generator's."""
    rng = random.Random(seed)
    origins = ["PH", "ID", "UA", "MD", "KH", "NG", "ET", "BD", "NP", "VN", "SY", "HN", "RO", "KE"]
    weights = [2 ** -(i / 3) for i in range(len(origins))]
    places = ["US", "AE", "SA", "TH", "MY", "RU", "PL", "LB", "JO", "KW"]
    forms = ["ForcedLabour", "SexualExploitation", "ForcedMarriage", "ForcedBegging", "Other"]
    rows = []
    for _ in range(n):
        man = rng.random() < 0.55
        child = rng.random() < 0.2
        band = (
            rng.choice(["0-8", "9-17"])
            if child
            else rng.choice(["18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+"])
        )
        rows.append({
            "prs_Gender": "Masculine" if man else rng.choice(["Feminine", "NonSpecifiedUnknown"]),
            "jus_AgeBroad": band if rng.random() < 0.85 else None,
            "prs_Citizenship": rng.choices(origins, weights)[:1] if rng.random() < 0.9 else [],
            "vic_LocationOfExploitation": [rng.choice(places)],
            "vic_TypeOfExploitation": [rng.choices(forms, [6 if man else 2, 1 if man else 6,
                                                             1, 1, 1])[0]],
            "cas_Status": rng.choice(["Active", "Closed"]),
            "jus_Year": str(rng.choice([2019, 2020, 2021, 2022, 2023])),
        })  # fmt: skip
    return rows


def measure(rows: list[dict[str, Any]], runs: int) -> dict[str, Any]:
    out: dict[str, Any] = {"records": len(rows), "dp": {}, "k_anon": {}}
    for epsilon in EPSILONS:
        scores: dict[str, list[float]] = {}
        started = time.perf_counter()
        for run in range(runs):
            synthetic = dp.synthesise(rows, epsilon=epsilon, seed=run).rows
            for key, value in dp.utility(rows, synthetic).items():
                scores.setdefault(key, []).append(value)
        seconds = (time.perf_counter() - started) / runs
        out["dp"][str(epsilon)] = {
            **{key: round(statistics.mean(v), 4) for key, v in scores.items()},
            "seconds": round(seconds, 2),
        }
    for k in KS:
        out["k_anon"][str(k)] = kanon.anonymise(rows, k=k).report.as_dict()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    results = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "method": dp.METHOD,
        "runs": args.runs,
        "sets": {
            "jusoor": measure(jusoor_rows(args.records, args.seed), args.runs),
            "ctdc-like": measure(ctdc_like_rows(args.records, args.seed + 1), args.runs),
        },
    }
    for name, found in results["sets"].items():
        print(f"{name} ({found['records']} records)")
        print("  epsilon   MAE 1-way  TVD 1-way  MAE 2-way  TVD 2-way  seconds")
        for epsilon, s in found["dp"].items():
            print(f"  {epsilon:>7}  {s['mae_1way']:>9.1f}  {s['tvd_1way']:>9.3f}  "
                  f"{s['mae_2way']:>9.1f}  {s['tvd_2way']:>9.3f}  {s['seconds']:>7}")  # fmt: skip
        for k, r in found["k_anon"].items():
            print(f"  k={k}: levels {r['levels']}, suppressed {r['records_suppressed']}, "
                  f"generalised {r['generalised_share']:.0%}")  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
