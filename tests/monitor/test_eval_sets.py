"""The monitor's evaluation sets (bench/monitor_eval) are well formed, and the tuning set and the
synthetic generator are read at the issue's goal (0.95 of facts). The held-out set is checked for
its shape only: it is scored by `bench/monitor_bench.py`, not tuned against."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from jusoor.monitor.reading.gazetteer import load
from jusoor.monitor.reading.organizations import catalogue

BENCH = Path(__file__).resolve().parents[2] / "bench"
GOAL = 0.95


@pytest.fixture(scope="module")
def facts() -> ModuleType:
    spec = importlib.util.spec_from_file_location("monitor_facts", BENCH / "monitor_facts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["monitor_facts"] = module
    spec.loader.exec_module(module)
    return module


# Every set in the folder, so that a new held-out set is checked without a second list to edit.
SETS = sorted(p.stem for p in (BENCH / "monitor_eval").glob("*.yaml"))


def test_the_scorer_reads_every_set_in_the_folder(facts: ModuleType) -> None:
    assert sorted(facts.SETS) == SETS


@pytest.mark.parametrize("name", SETS)
def test_every_annotated_fact_names_a_known_city_organisation_and_type(
    facts: ModuleType, name: str
) -> None:
    cities = {c["id"] for c in load("places.yaml")["cities"]}
    types = set(load("events.yaml")["types"])
    reports = facts.load_set(name)
    assert len(reports) >= 16
    assert len({r.id for r in reports}) == len(reports)
    assert {r.lang for r in reports} == {"ar", "en", "fr"}
    for r in reports:
        f = r.facts
        assert f["type"] in types, r.id
        assert f["city"] is None or f["city"] in cities, r.id
        assert set(f["organizations"]) <= set(catalogue()), r.id
        assert f["start"] <= f["end"], r.id
    pairs = [r.event for r in reports if r.event]
    assert pairs and all(pairs.count(e) >= 2 for e in pairs)  # events told in two languages


def test_the_tuning_reports_are_read_at_the_goal(facts: ModuleType) -> None:
    score = facts.evaluate(facts.load_set("tuning"))
    assert score.share >= GOAL, score.misses
    assert score.pairs_right == score.pairs_total, score.pair_misses


def test_the_synthetic_reports_are_read_at_the_goal(facts: ModuleType) -> None:
    score = facts.evaluate(facts.synthetic_set(120), grouping=False)
    assert score.share >= GOAL, score.misses
