"""The levels of a saved person model, read in Python: for one pair of prepared records, the level
each field reaches and its weight, as the engine finds them in a batch (`linkage.comparisons`).

Each level of the saved model is known by its label (Splink's for its library levels, Jusoor's
for its own); `compile_levels` turns each into a test over two prepared rows, in the model's
order, with the weight log2(m/u) the model learnt. A level this version cannot read makes the
model unusable here (`UnknownLevel`), never silently different.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

from jusoor.entities.resolution.linkage.comparisons import (
    _GRADES,
    DIFFERENT_GIVEN,
    DOCUMENTS_APART_LABEL,
    NO_NAME_WORD,
    RARE_PAIR_LABEL,
    UNLIKE,
    name_level,
)

Row = Mapping[str, Any]
Test = Callable[[Row, Row], bool]
ELSE = "All other comparisons"


class UnknownLevel(ValueError):
    """A level of a saved model that this version of Jusoor cannot compute."""


@dataclass(frozen=True)
class Level:
    label: str
    test: Test
    weight: float
    # The weight of a name level reached by a pair scored alone, with no batch to say how rare
    # its words are (`name_bits` missing): see `_alone_weights`.
    alone: float | None = None


@dataclass(frozen=True)
class FieldLevels:
    """One comparison of the model: its null test and its levels in the order they are tried."""

    field: str
    missing: Test
    levels: tuple[Level, ...]

    def grade(self, a: Row, b: Row) -> tuple[str, str, float]:
        """(field, level label, weight) of two rows; "missing" weighs 0."""
        if self.missing(a, b):
            return self.field, "missing", 0.0
        for level in self.levels:
            if level.test(a, b):
                if level.alone is not None and (
                    a.get("name_bits") is None or b.get("name_bits") is None
                ):
                    return self.field, level.label, level.alone
                return self.field, level.label, level.weight
        return self.field, ELSE, 0.0


def compile_levels(model: Mapping[str, Any]) -> tuple[FieldLevels, ...]:
    """The comparisons of a saved Splink model (`save_model_to_json`) as `FieldLevels`."""
    compiled = []
    for comparison in model["comparisons"]:
        column = comparison["output_column_name"]
        missing: Test | None = None
        levels: list[Level] = []
        for level in comparison["comparison_levels"]:
            label = str(level.get("label_for_charts") or "")
            if level.get("is_null_level"):
                missing = _documents_apart if label == DOCUMENTS_APART_LABEL else _null_test(column)
                continue
            levels.append(Level(label, _test(column, label), _weight(level)))
        if column == "name":
            levels = _alone_weights(levels, comparison["comparison_levels"])
        compiled.append(FieldLevels(column, missing or _null_test(column), tuple(levels)))
    return tuple(compiled)


# A pair scored alone weighs as a batch's names agreeing on fewer bits than this.
ALONE_BITS = 11.0


def _alone_weights(levels: list[Level], saved: list[Mapping[str, Any]]) -> list[Level]:
    """The name levels that need no rarity (a similarity cut alone), each with the weight of
    the cut's names agreeing on fewer than `ALONE_BITS` bits: log2 of their m over their u.
    A pair scored alone reaches only these levels and may be a rare name or a common one; it
    is weighed as a name of middling rarity, as the level was before the cut was split below
    11 bits (docs/LINKAGE.md §8c), not as the commonest names of the level's own weight. In a
    batch, where rarity is known, the level's own weight stands."""
    sums: dict[float, list[float]] = {}
    for estimate in saved:
        found = NAME_GRADE.fullmatch(str(estimate.get("label_for_charts") or ""))
        m, u = estimate.get("m_probability"), estimate.get("u_probability")
        if found is None or m is None or u is None or found.group(3):
            continue
        if found.group(2) is not None and float(found.group(2)) >= ALONE_BITS:
            continue
        total = sums.setdefault(float(found.group(1)), [0.0, 0.0])
        total[0] += float(m)
        total[1] += float(u)
    chosen: list[Level] = []
    for level in levels:
        found = NAME_GRADE.fullmatch(level.label)
        if found is not None and found.group(2) is None and found.group(3) is None:
            m, u = sums.get(float(found.group(1)), [0.0, 0.0])
            if m > 0 and u > 0:
                level = Level(level.label, level.test, level.weight, math.log2(m / u))
        chosen.append(level)
    return chosen


def _weight(level: Mapping[str, Any]) -> float:
    """log2(m/u); 0 where the model has no estimate (as Splink treats it)."""
    m, u = level.get("m_probability"), level.get("u_probability")
    if m is None or u is None or u == 0:
        return 0.0
    return -math.inf if m == 0 else math.log2(float(m) / float(u))


def _documents_apart(a: Row, b: Row) -> bool:
    """`comparisons.DOCUMENTS_APART`: a number missing, or two of different kinds."""
    left, right = a.get("document"), b.get("document")
    if left is None or right is None:
        return True
    kinds_differ = a.get("document_kind") != b.get("document_kind")
    return kinds_differ and Levenshtein.distance(left, right) > 1


def _null_test(column: str) -> Test:
    if column == "dob":
        return lambda a, b: a.get("dob") is None or b.get("dob") is None
    return lambda a, b: a.get(column) is None or b.get(column) is None


def _equal(column: str) -> Test:
    def test(a: Row, b: Row) -> bool:
        left = a.get(column)
        return left is not None and left == b.get(column)

    return test


def _levenshtein(column: str, edits: int) -> Test:
    def test(a: Row, b: Row) -> bool:
        left, right = a.get(column), b.get(column)
        return left is not None and right is not None and Levenshtein.distance(left, right) <= edits

    return test


def _jaro_winkler(column: str, cut: float) -> Test:
    def test(a: Row, b: Row) -> bool:
        left, right = a.get(column), b.get(column)
        return left is not None and right is not None and JaroWinkler.similarity(left, right) >= cut

    return test


def _year_partial(a: Row, b: Row) -> bool:
    same = a.get("dob_year") is not None and a.get("dob_year") == b.get("dob_year")
    return same and (a.get("dob_full") is None or b.get("dob_full") is None)


def _year_apart(a: Row, b: Row) -> bool:
    left, right = a.get("dob_year"), b.get("dob_year")
    return left is not None and right is not None and abs(int(left) - int(right)) <= 1


def _year_apart_partial(a: Row, b: Row) -> bool:
    partial = a.get("dob_full") is None or b.get("dob_full") is None
    return partial and _year_apart(a, b)


def _day_and_month(a: Row, b: Row) -> bool:
    left, right = a.get("dob_full"), b.get("dob_full")
    return left is not None and right is not None and left[5:] == right[5:]


def _swapped(a: Row, b: Row) -> bool:
    left = a.get("dob_swapped")
    return left is not None and left == b.get("dob_full")


_NAMED: dict[tuple[str, str], Test] = {
    ("dob", "same full date"): _equal("dob_full"),
    ("dob", "day and month swapped"): _swapped,
    ("dob", "same year, one date partial"): _year_partial,
    ("dob", "same year, different day"): _equal("dob_year"),
    ("dob", "one year apart, one date partial"): _year_apart_partial,
    ("dob", "same day and month, another year"): _day_and_month,
    ("dob", "one year apart"): _year_apart,
    ("phone", "same number but the last digits"): _equal("phone_stem"),
}
_EXACT = re.compile(r"Exact match on (\w+)")
_LEVENSHTEIN = re.compile(r"Levenshtein distance of (\w+) <= (\d+)")
_JARO_WINKLER = re.compile(r"Jaro-Winkler distance of (\w+) >= ([0-9.]+)")
# The labels of the name levels split by similarity and rarity (`comparisons._name`): the one
# reading of them, also `rising_weights.rank`'s.
NAME_GRADE = re.compile(
    r"name similarity at least ([0-9.]+)(?:, agreeing on ([0-9.]+) bits)?"
    r"(" + re.escape(RARE_PAIR_LABEL) + r")?"
)


def _test(column: str, label: str) -> Test:
    if label == ELSE:
        return lambda a, b: True
    if (column, label) in _NAMED:
        return _NAMED[(column, label)]
    if column == "name":
        return _name_test(label)
    if found := _EXACT.fullmatch(label):
        return _equal(found.group(1))
    if found := _LEVENSHTEIN.fullmatch(label):
        return _levenshtein(found.group(1), int(found.group(2)))
    if found := _JARO_WINKLER.fullmatch(label):
        return _jaro_winkler(found.group(1), float(found.group(2)))
    raise UnknownLevel(f"{column}: {label}")


def _name_test(label: str) -> Test:
    if label == NO_NAME_WORD:
        return lambda a, b: not set(a.get("name_keys") or ()) & set(b.get("name_keys") or ())
    if label == "some name words in common, no more":
        return lambda a, b: name_grade(a, b) == UNLIKE
    if label == "similar names, different given names":
        return lambda a, b: name_grade(a, b) == DIFFERENT_GIVEN
    found = NAME_GRADE.fullmatch(label)
    if found is None:
        raise UnknownLevel(f"name: {label}")
    cut, bits = float(found.group(1)), found.group(2)
    grade = _GRADES.index((cut, float(bits) if bits is not None else None))
    if found.group(3):
        return lambda a, b: (
            name_grade(a, b) == grade
            and bool(set(a.get("name_blocks") or ()) & set(b.get("name_blocks") or ()))
        )
    return lambda a, b: name_grade(a, b) == grade


def name_grade(a: Row, b: Row) -> int | None:
    """The grade the engine gives two names (`comparisons._GRADE`)."""
    if not set(a.get("name_pairs") or ()) & set(b.get("name_pairs") or ()):
        return UNLIKE
    given_a, given_b = set(a.get("given_keys") or ()), set(b.get("given_keys") or ())
    differs = bool(given_a and given_b and not given_a & given_b)
    return name_level(a.get("name"), b.get("name"), a.get("name_bits"), b.get("name_bits"), differs)
