"""How two prepared person records are compared, field by field, in levels of agreement.

Every comparison is engine-independent SQL over the columns `prepare.prepare_record` writes. The
name comparison calls `NAME_SIMILARITY_SQL`, a function each engine registers (see `engines`) that
runs Jusoor's `names.similarity`: cross-script, order-insensitive, particles set aside. The other
fields compare normalised values, so a level never has to guess at a format.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import splink.comparison_level_library as cll
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.comparison_library import CustomComparison

from jusoor.entities.resolution.names import Agreement, agreement
from jusoor.entities.resolution.rarity import parse_bits, total_bits

NAME_SIMILARITY_SQL = "jusoor_name_similarity"
NAME_INFORMATION_SQL = "jusoor_name_information"
_INFORMATION = f"{NAME_INFORMATION_SQL}(name_l, name_r, name_bits_l, name_bits_r)"
# Cut points of the name similarity, strongest first (bench/names_eval.py: 0.5 separates the
# same person from a namesake sharing the given name).
NAME_LEVELS = (0.9, 0.75, 0.6)
# Within a similarity level, how many bits of rare words the names agree on (see `rarity`): a
# shared rare full name is far stronger evidence than a shared "Mohamed Ahmed".
NAME_BITS: dict[float, tuple[float, ...]] = {0.9: (20.0, 14.0, 11.0), 0.75: (14.0,)}
# Names that agree on no two words (see `prepare._key_pairs`; a one-word name on its word) score
# below the lowest cut: the engine skips the costly similarity for them, which keeps random
# sampling fast. Names sharing one word only are a level of their own, in SQL alone.
_SHARE_A_PAIR = "list_has_any(name_pairs_l, name_pairs_r)"
_SHARE_A_KEY = "list_has_any(name_keys_l, name_keys_r)"
NO_NAME_WORD = "no name word in common"
# The given names, where the name order shows them (see `prepare`), have no key in common:
# brothers and sisters share every other name.
_GIVEN_DIFFERS = (
    "(len(given_keys_l) > 0 AND len(given_keys_r) > 0 "
    "AND NOT list_has_any(given_keys_l, given_keys_r))"
)


@lru_cache(maxsize=1 << 19)
def _agreement(a: str, b: str) -> Agreement:
    return agreement(a, b)


def name_similarity(a: str | None, b: str | None) -> float | None:
    """`names.similarity` as engines call it: None when either name is missing; cached, since
    the same pair is asked for once per level."""
    if a is None or b is None:
        return None
    return round(_agreement(a, b).score, 4)


def name_information(
    a: str | None, b: str | None, bits_a: str | None, bits_b: str | None
) -> float | None:
    """The bits of the words names `a` and `b` agree on (`rarity`), given each name's word bits
    in this batch (`prepare` column `name_bits`); None when either name is missing."""
    if a is None or b is None:
        return None
    return total_bits([_agreement(a, b).information(parse_bits(bits_a), parse_bits(bits_b))])


def _similar(cut: float) -> str:
    return f"{_SHARE_A_PAIR} AND NOT {_GIVEN_DIFFERS} AND {NAME_SIMILARITY_SQL}(name_l, name_r) >= {cut}"


def _name() -> ComparisonCreator:
    # Most pairs (random ones above all) share no name word: said first, so that the engine
    # tests the costlier levels on the few others only. The order of levels is only the order
    # in which they are tested; each level's weight is its own.
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.NullLevel("name"),
        cll.CustomLevel(f"NOT {_SHARE_A_KEY}", NO_NAME_WORD, base_dialect_str="duckdb"),
    ]
    for cut in NAME_LEVELS:
        for bits in NAME_BITS.get(cut, ()):
            levels.append(
                cll.CustomLevel(
                    f"{_similar(cut)} AND {_INFORMATION} >= {bits}",
                    f"name similarity at least {cut}, agreeing on {bits} bits",
                    base_dialect_str="duckdb",
                )
            )
        levels.append(
            cll.CustomLevel(
                _similar(cut), f"name similarity at least {cut}", base_dialect_str="duckdb"
            )
        )
    levels += [
        cll.CustomLevel(
            f"{_SHARE_A_PAIR} AND {NAME_SIMILARITY_SQL}(name_l, name_r) >= {NAME_LEVELS[-1]}",
            "similar names, different given names",
            base_dialect_str="duckdb",
        ),
        cll.ElseLevel().configure(label_for_charts="some name words in common, no more"),
    ]
    return CustomComparison(levels, "name", "Full name (any script, any order)")


def _date_of_birth() -> ComparisonCreator:
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.CustomLevel("dob_l IS NULL OR dob_r IS NULL", "date of birth missing").configure(
            is_null_level=True
        ),
        cll.CustomLevel("dob_full_l = dob_full_r", "same full date"),
        cll.CustomLevel("dob_swapped_l = dob_full_r", "day and month swapped"),
        cll.CustomLevel(
            "dob_year_l = dob_year_r AND (dob_full_l IS NULL OR dob_full_r IS NULL)",
            "same year, one date partial",
        ),
        cll.CustomLevel("dob_year_l = dob_year_r", "same year, different day"),
        cll.CustomLevel(
            "abs(CAST(dob_year_l AS INTEGER) - CAST(dob_year_r AS INTEGER)) <= 1",
            "one year apart",
        ),
        cll.ElseLevel(),
    ]
    return CustomComparison(levels, "dob", "Date of birth")


def _exact_or_close(column: str, description: str, *, edits: int) -> ComparisonCreator:
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column),
    ]
    if edits:
        levels.append(cll.LevenshteinLevel(column, edits))
    levels.append(cll.ElseLevel())
    return CustomComparison(levels, column, description)


def _phone() -> ComparisonCreator:
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.NullLevel("phone"),
        cll.ExactMatchLevel("phone"),
        cll.LevenshteinLevel("phone", 1),
        cll.CustomLevel("phone_stem_l = phone_stem_r", "same number but the last digits"),
        cll.ElseLevel(),
    ]
    return CustomComparison(levels, "phone", "Phone (E.164)")


def _address() -> ComparisonCreator:
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.NullLevel("address"),
        cll.ExactMatchLevel("address"),
        cll.JaroWinklerLevel("address", 0.9),
        cll.JaroWinklerLevel("address", 0.75),
        cll.ElseLevel(),
    ]
    return CustomComparison(levels, "address", "Address (free text, normalised)")


def person_comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    """The comparisons of Jusoor's person model, one per field."""
    return [
        _name(),
        _date_of_birth(),
        _exact_or_close("country", "Nationality (ISO 3166 alpha-2)", edits=0),
        _phone(),
        _exact_or_close("document", "Identity document number", edits=1),
        _address(),
    ]
