"""Finer name levels (issue 20 item 2): a rarer agreement never weighs less, a pair scored
alone weighs as a name of middling rarity, and a short name found whole in a long one is a
similar name."""

from __future__ import annotations

import math

import pytest

from jusoor.entities.resolution.default_model import default_model
from jusoor.entities.resolution.linkage.levels import ALONE_BITS
from jusoor.entities.resolution.linkage.name_measures import measure, measure_pairs
from jusoor.entities.resolution.linkage.rising_weights import rank, rising_u


def _weights(levels: list[tuple[float, float]]) -> list[float]:
    return [math.log2(m / u) for m, u in levels]


def test_a_level_no_random_pair_reached_weighs_at_least_the_levels_below_it() -> None:
    # (m, u) from commonest to rarest: the last two met no random pair (u at the floor)
    levels = [(0.2, 1e-4), (0.1, 1e-5), (0.002, 4e-7), (0.001, 4e-7)]
    assert _weights(levels)[2] < _weights(levels)[1]
    raised = _weights([(m, u) for (m, _), u in zip(levels, rising_u(levels), strict=True)])
    assert raised == sorted(raised)
    assert raised[:2] == pytest.approx(_weights(levels)[:2])  # rising ones untouched
    assert raised[2] == pytest.approx(raised[1]) and raised[3] == pytest.approx(raised[1])
    rising = [(0.2, 1e-3), (0.1, 1e-5)]
    assert rising_u(rising) == [1e-3, 1e-5]
    # a level whose u was measured keeps its estimate, even weighing less than the one below
    measured = [(0.2, 1e-5), (0.1, 1e-4), (0.001, 4e-7)]
    assert rising_u(measured)[:2] == [1e-5, 1e-4]
    assert _weights([(0.001, rising_u(measured)[2])]) == pytest.approx([_weights(measured)[0]])


def test_only_the_name_levels_split_by_bits_are_ranked() -> None:
    assert rank("name similarity at least 0.9, agreeing on 23.0 bits") == (0.9, 23.0)
    assert rank("name similarity at least 0.75") == (0.75, 0.0)
    assert rank("name similarity at least 0.75, sharing a rare pair of words") == (0.75, 9.5)
    assert rank("same full date") is None


def test_the_shipped_models_unmeasured_name_levels_weigh_at_least_those_below() -> None:
    saved = next(
        c for c in default_model().splink["comparisons"] if c["output_column_name"] == "name"
    )
    tiers: dict[float, list[tuple[float, float, float]]] = {}
    for level in saved["comparison_levels"]:
        ranked = rank(level.get("label_for_charts", ""))
        if ranked is not None:
            m, u = level["m_probability"], level["u_probability"]
            tiers.setdefault(ranked[0], []).append((ranked[1], math.log2(m / u), u))
    assert set(tiers) == {0.9, 0.75, 0.6}
    for levels in tiers.values():
        levels.sort()
        floor = min(u for _bits, _weight, u in levels)
        for i, (_bits, weight, u) in enumerate(levels):
            if u <= floor * 1.01:
                assert weight >= max(w for _b, w, _u in levels[: i + 1]) - 1e-9


def test_a_pair_scored_alone_weighs_as_the_names_of_middling_rarity() -> None:
    model = default_model()
    saved = next(c for c in model.splink["comparisons"] if c["output_column_name"] == "name")
    m = u = 0.0
    for level in saved["comparison_levels"]:
        label = level.get("label_for_charts", "")
        ranked = rank(label)
        if ranked is not None and ranked[0] == 0.9 and ranked[1] < ALONE_BITS:
            m, u = m + level["m_probability"], u + level["u_probability"]
    explained = model.explain(
        {"full_name": "Mohamed Lamine Ould Akik"}, {"full_name": "محمد الأمين ولد أكيك"}
    )
    name = next(f for f in explained.fields if f.field == "name")
    assert name.level == "name similarity at least 0.9"
    assert name.weight == pytest.approx(math.log2(m / u))


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("Reda Ould Ebnou", "رضا ولد جابر ولد ابنو"),
        ("خالد فتحي", "خالد عمار فتحي"),
    ],
)
def test_a_short_name_found_whole_in_a_long_one_is_a_similar_name(short: str, long: str) -> None:
    similarity, _bits = measure(short, long, None, None)
    assert similarity >= 0.75
    # the batch path gives the very same measure
    assert measure_pairs([short], [long], [None], [None]) == [measure(short, long, None, None)]


def test_one_word_in_common_is_not_a_name_found_whole() -> None:
    assert measure("Mohamed Salem", "محمد الأمين ولد أكيك", None, None)[0] < 0.6
