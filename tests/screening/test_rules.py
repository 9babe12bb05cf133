"""The rule for one dimension, clause by clause (ILO 2009, WCMS_105023 p.3), and its loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jusoor.screening.assessment import assess, present
from jusoor.screening.catalogue import AgeGroup, CatalogueError, Dimension, Profile, Strength
from jusoor.screening.rules import ilo_rules, load_rules
from tests.screening.conftest import write_yaml

S, M, W = Strength.STRONG, Strength.MEDIUM, Strength.WEAK


def clause_for(strong: int = 0, medium: int = 0, weak: int = 0) -> str | None:
    clause = ilo_rules().positive_clause({S: strong, M: medium, W: weak})
    return clause.id if clause else None


def test_clause_a_two_strong_indicators() -> None:
    assert clause_for(strong=2) == "a"


def test_clause_b_one_strong_and_one_medium() -> None:
    assert clause_for(strong=1, medium=1) == "b"


def test_clause_b_one_strong_and_one_weak() -> None:
    assert clause_for(strong=1, weak=1) == "b"


def test_clause_c_three_medium_indicators() -> None:
    assert clause_for(medium=3) == "c"


def test_clause_d_two_medium_and_one_weak() -> None:
    assert clause_for(medium=2, weak=1) == "d"


@pytest.mark.parametrize(
    "counts",
    [
        {"strong": 1},  # below (a) and (b)
        {"medium": 2},  # below (c) and (d)
        {"medium": 1, "weak": 1},  # below (d)
        {"medium": 1, "weak": 5},  # weak indicators never stand in for medium ones
        {"weak": 3},
        {},
    ],
)
def test_just_below_every_clause_is_not_positive(counts: dict[str, int]) -> None:
    assert clause_for(**counts) is None


# The same clauses through real indicators: coercion at destination, adults, labour.
STRONG = ["cd.confiscation_of_documents", "cd.debt_bondage"]
MEDIUM = ["cd.threats_of_violence", "cd.illicit_activities", "cd.forced_tasks_or_clients"]
WEAK = ["cd.threat_to_inform_family"]


@pytest.mark.parametrize(
    ("ids", "clause"),
    [
        (STRONG, "a"),
        (STRONG[:1] + MEDIUM[:1], "b"),
        (STRONG[:1] + WEAK, "b"),
        (MEDIUM, "c"),
        (MEDIUM[:2] + WEAK, "d"),
        (STRONG[:1], None),
        (MEDIUM[:2], None),
        (MEDIUM[:1] + WEAK, None),
    ],
)
def test_clauses_through_the_indicators_of_a_dimension(ids: list[str], clause: str | None) -> None:
    result = assess(Profile.ADULT_LABOUR, present(ids)).dimension(Dimension.COERCION_AT_DESTINATION)
    assert result.clause == clause
    assert result.positive is (clause is not None)


def test_the_shipped_rules_say_what_is_verified() -> None:
    rules = ilo_rules()
    assert rules.clauses_verified
    assert not rules.presumed_victim[AgeGroup.ADULT].verified
    assert not rules.presumed_victim[AgeGroup.CHILD].verified


def _break(data: dict[str, Any], how: str) -> None:
    clauses = data["dimension_positive"]["clauses"]
    if how == "unknown strength":
        clauses[0]["at_least"][0]["strengths"] = ["mighty"]
    elif how == "a strength counted twice":
        clauses[1]["at_least"][1]["strengths"] = ["strong", "medium"]
    elif how == "duplicate clause":
        clauses[1]["id"] = "a"
    elif how == "zero count":
        clauses[0]["at_least"][0]["count"] = 0
    elif how == "unknown dimension":
        data["presumed_victim"]["adult"]["elements"][1]["any_of"] = ["exploitation_at_sea"]
    elif how == "missing age group":
        del data["presumed_victim"]["child"]
    elif how == "unknown age group":
        data["presumed_victim"]["elderly"] = data["presumed_victim"]["adult"]


@pytest.mark.parametrize(
    ("how", "named"),
    [
        ("unknown strength", "mighty"),
        ("a strength counted twice", "clause b"),
        ("duplicate clause", "share an id"),
        ("zero count", "count"),
        ("unknown dimension", "exploitation_at_sea"),
        ("missing age group", "child"),
        ("unknown age group", "elderly"),
    ],
)
def test_loader_rejects_malformed_rules(
    tmp_path: Path, rules_data: dict[str, Any], how: str, named: str
) -> None:
    _break(rules_data, how)
    path = write_yaml(tmp_path / "rules.yaml", rules_data)
    with pytest.raises(CatalogueError) as caught:
        load_rules(path)
    assert named in caught.value.message
