"""The generic Splink setups Jusoor's person linkage is measured against (issue 4).

- `out_of_the_box`: Splink as a user sets it up on the raw columns, with library comparisons.
- `generic`: careful generic normalisation first, then library comparisons.

Neither knows Arabic names: that is the point of the comparison (bench/linkage_bench.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from unidecode import unidecode

from jusoor.entities.resolution.countries import country_code
from jusoor.entities.resolution.dates import parse_date
from jusoor.entities.resolution.documents import normalize_document_number
from jusoor.entities.resolution.linkage import TrainingPlan
from jusoor.entities.resolution.phones import normalize_phone

_SEPARATOR = re.compile(r"[\s,;./_-]+")
_NOT_LETTER = re.compile(r"[^a-z ]+")
Row = dict[str, Any]
_RAW_COLUMNS = ("full_name", "date_of_birth", "nationality", "phone", "document_number")


def raw_rows(records: Iterable[Mapping[str, str]]) -> list[Row]:
    """The records as a user loads a CSV: empty cells missing, nothing else touched."""
    return [
        {
            "unique_id": record["record_id"],
            **{column: (record.get(column) or None) for column in _RAW_COLUMNS},
        }
        for record in records
    ]


def out_of_the_box() -> tuple[SettingsCreator, TrainingPlan]:
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("full_name"),
            cl.ExactMatch("date_of_birth"),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("document_number"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("full_name"),
            block_on("date_of_birth"),
            block_on("phone"),
            block_on("document_number"),
        ],
    )
    plan = TrainingPlan(
        em_rules=[block_on("date_of_birth"), block_on("document_number")],
        deterministic_rules=[block_on("document_number"), block_on("full_name", "date_of_birth")],
    )
    return settings, plan


def _name_words(full_name: str) -> list[str]:
    """ASCII words of a name: transliterated, lower case, split at spaces and punctuation
    between words, other marks (apostrophes, transliteration signs) dropped inside words."""
    text = _SEPARATOR.sub(" ", unidecode(full_name).lower())
    return _NOT_LETTER.sub("", text).split()


def _latin(text: str) -> bool:
    """Whether every letter of `text` is a Latin letter (the name needed no transliteration)."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())


def _surname_and_given(full_name: str) -> tuple[list[str], list[str]]:
    """The surname and the given names by the usual written conventions: "SURNAME, Given",
    the surname in capitals beside given names that are not, else the last word."""
    if "," in full_name:
        surname, _, given = full_name.partition(",")
        return _name_words(surname), _name_words(given)
    parts = full_name.split()
    capitals = [p for p in parts if p.isupper() and len(p) > 1]
    if capitals and len(capitals) < len(parts):
        return _name_words(" ".join(capitals)), _name_words(
            " ".join(p for p in parts if p not in capitals)
        )
    words = _name_words(full_name)
    return words[-1:], words[:-1]


def generic_rows(records: Iterable[Mapping[str, str]], *, region: str | None) -> list[Row]:
    """The records after careful generic normalisation (no knowledge of Arabic names)."""
    rows: list[Row] = []
    for record in records:
        words = _name_words(record.get("full_name") or "")
        surname, given = _surname_and_given(record.get("full_name") or "")
        born = parse_date(record.get("date_of_birth") or "")
        full_date = born is not None and born.day is not None
        rows.append(
            {
                "unique_id": record["record_id"],
                "name": " ".join(sorted(words)) or None,  # word order varies
                "name_tokens": sorted(set(words)) or None,
                "first_name": given[0] if given else None,
                "surname": " ".join(surname) or None,
                "latin": _latin(record.get("full_name") or ""),
                "dob": born.iso if born is not None and full_date else None,
                "dob_year": born.year if born is not None else None,
                "country": country_code(record.get("nationality") or ""),
                "phone": normalize_phone(record.get("phone") or "", region),
                "document": normalize_document_number(record.get("document_number") or ""),
            }
        )
    return rows


def _date_of_birth() -> cl.CustomComparison:
    """Full dates where both records have one; the year alone where one has only the year."""
    partial = "(dob_l IS NULL OR dob_r IS NULL)"
    swapped = (
        "dob_year_l = dob_year_r AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
        "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
    )
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob_year"),
            cll.ExactMatchLevel("dob"),
            cll.DamerauLevenshteinLevel("dob", 1),
            cll.CustomLevel(swapped, "day and month swapped"),
            cll.CustomLevel(
                f"dob_year_l = dob_year_r AND {partial}", "same year, one date partial"
            ),
            cll.ExactMatchLevel("dob_year"),
            cll.AbsoluteDifferenceLevel("dob_year", 1),
            cll.ElseLevel(),
        ],
    )


def _name() -> cl.CustomComparison:
    same = cll.ExactMatchLevel("latin")
    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name"),
            cll.ExactMatchLevel("name", term_frequency_adjustments=True),
            cll.JaroWinklerLevel("name", 0.92),
            cll.And(
                cll.JaroWinklerLevel("surname", 0.88), cll.JaroWinklerLevel("first_name", 0.88)
            ),
            cll.ArraySubsetLevel("name_tokens"),
            cll.ArrayIntersectLevel("name_tokens", 3),
            cll.JaroWinklerLevel("name", 0.88),
            cll.ArrayIntersectLevel("name_tokens", 2),
            cll.And(same, cll.JaroWinklerLevel("name", 0.7)),
            cll.And(same, cll.ArrayIntersectLevel("name_tokens", 1)),
            *(cll.And(cll.Not(same), cll.JaroWinklerLevel("name", t)) for t in (0.75, 0.65, 0.6)),
            *(cll.And(cll.Not(same), cll.JaccardLevel("name", t)) for t in (0.6, 0.5)),
            cll.ElseLevel(),
        ],
    )


def generic() -> tuple[SettingsCreator, TrainingPlan]:
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            _name(),
            _date_of_birth(),
            cl.ExactMatch("country"),
            cl.ExactMatch("phone"),
            cl.LevenshteinAtThresholds("document", 1),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("name"),
            block_on("name_tokens", "dob_year", arrays_to_explode=["name_tokens"]),
            block_on("dob"),
            block_on("dob_year", "country"),
            block_on("first_name", "surname"),
            block_on("first_name", "country"),
            block_on("surname", "country"),
            block_on("phone"),
            block_on("document"),
        ],
    )
    plan = TrainingPlan(
        em_rules=[block_on("dob"), block_on("name")],
        deterministic_rules=[block_on("document"), block_on("phone"), block_on("name", "dob")],
    )
    return settings, plan
