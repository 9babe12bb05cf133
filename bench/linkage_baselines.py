"""The generic Splink setups Jusoor's person linkage is measured against (issue 4).

- `out_of_the_box`: Splink as a user sets it up on the raw columns, with library comparisons.
- `generic`: Splink as a careful user sets it up who has looked at the data but knows nothing of
  Arabic names: generic normalisation first, then Splink's library comparison levels, blocking
  on generic keys and training as Splink's tutorials do (λ from deterministic rules, u from
  random pairs, m by EM on two blocks; no labels).

  Normalisation: names transliterated to ASCII (unidecode), lower case, split at spaces and
  punctuation, marks inside words dropped; kept as the sorted words (word order varies between
  sources), the set of words, and a surname and first given name read by the usual written
  conventions ("SURNAME, Given", a surname in capitals, else the last word). Whether the name
  was written in Latin letters is kept too. Dates of birth in ISO, year-only dates kept as the
  year; E.164 phones, ISO countries, one spelling of document numbers (Jusoor's generic
  normalisers, which know nothing of names).

  Names are compared from the sorted words (exact with term-frequency adjustment, Jaro-Winkler),
  the surname and given name, and the set of words (subset, shared words). A name transliterated
  from another script is never as close to a Latin spelling as two spellings in one script, so
  such pairs have looser levels of their own (Jaro-Winkler down to 0.6, Jaccard of letters):
  without them the same levels would carry little weight and most of those pairs would be lost.
  Dates: exact, one keystroke apart, day and month swapped, same year where one record has only
  the year, same year, a year apart.

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
from splink.blocking_rule_library import CustomRule
from unidecode import unidecode

from jusoor.entities.resolution.linkage.linker import TrainingPlan
from jusoor.entities.resolution.normalise.countries import country_code
from jusoor.entities.resolution.normalise.dates import parse_date
from jusoor.entities.resolution.normalise.documents import normalize_document_number
from jusoor.entities.resolution.normalise.phones import normalize_phone

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
    between words; other marks (apostrophes, transliteration signs) dropped inside words."""
    text = _SEPARATOR.sub(" ", unidecode(full_name).lower())
    return _NOT_LETTER.sub("", text).split()


def _latin(text: str) -> bool:
    """Whether every letter of `text` is a Latin letter (the name needed no transliteration)."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())


def _surname_and_given(full_name: str) -> tuple[list[str], list[str]]:
    """The surname and the given names by the usual written conventions: "SURNAME, Given",
    a surname in capitals beside given names that are not, else the last word."""
    if "," in full_name:
        surname, _, given = full_name.partition(",")
        return _name_words(surname), _name_words(given)
    parts = full_name.split()
    capitals = [part for part in parts if part.isupper() and len(part) > 1]
    if capitals and len(capitals) < len(parts):
        rest = [part for part in parts if part not in capitals]
        return _name_words(" ".join(capitals)), _name_words(" ".join(rest))
    words = _name_words(full_name)
    return words[-1:], words[:-1]


def generic_rows(records: Iterable[Mapping[str, str]], *, region: str | None) -> list[Row]:
    """The records after careful generic normalisation (no knowledge of Arabic names)."""
    rows: list[Row] = []
    for record in records:
        full_name = record.get("full_name") or ""
        words = _name_words(full_name)
        surname, given = _surname_and_given(full_name)
        born = parse_date(record.get("date_of_birth") or "")
        rows.append(
            {
                "unique_id": record["record_id"],
                "name": " ".join(sorted(words)) or None,  # word order varies
                "name_tokens": sorted(set(words)) or None,
                "first_name": given[0] if given else None,
                "surname": " ".join(surname) or None,
                "latin": _latin(full_name),
                # the full date only: a year alone is `dob_year`, not a date
                "dob": born.iso if born is not None and born.day is not None else None,
                "dob_year": born.year if born is not None else None,
                "country": country_code(record.get("nationality") or ""),
                "phone": normalize_phone(record.get("phone") or "", region),
                "document": normalize_document_number(record.get("document_number") or ""),
            }
        )
    return rows


def _name() -> cl.CustomComparison:
    same_script = cll.ExactMatchLevel("latin")
    transliterated = cll.Not(same_script)  # one name Latin, the other transliterated
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
            cll.And(same_script, cll.JaroWinklerLevel("name", 0.7)),
            cll.And(same_script, cll.ArrayIntersectLevel("name_tokens", 1)),
            *(cll.And(transliterated, cll.JaroWinklerLevel("name", t)) for t in (0.75, 0.65, 0.6)),
            *(cll.And(transliterated, cll.JaccardLevel("name", t)) for t in (0.6, 0.5)),
            cll.ElseLevel(),
        ],
    )


def _date_of_birth() -> cl.CustomComparison:
    """Full dates where both records have one; the year where one has only the year."""
    swapped = (
        "dob_year_l = dob_year_r AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
        "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
    )
    partial = "dob_year_l = dob_year_r AND (dob_l IS NULL OR dob_r IS NULL)"
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob_year"),
            cll.ExactMatchLevel("dob"),
            cll.DamerauLevenshteinLevel("dob", 1),
            cll.CustomLevel(swapped, "day and month swapped"),
            cll.CustomLevel(partial, "same year, one date only a year"),
            cll.ExactMatchLevel("dob_year"),
            cll.AbsoluteDifferenceLevel("dob_year", 1),
            cll.ElseLevel(),
        ],
    )


# Records whose date is only a year, beside the records of that year and country. Pairs with two
# full dates of one year are left out: the other rules find those that match (the same date, or
# shared name words), and at 100,000 records they are 9 million pairs (bench/).
_YEAR_ONLY_BLOCK = CustomRule(
    "l.dob_year = r.dob_year AND l.country = r.country AND (l.dob IS NULL OR r.dob IS NULL)"
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
            block_on("first_name", "surname"),
            block_on("dob"),
            _YEAR_ONLY_BLOCK,
            block_on("phone"),
            block_on("document"),
        ],
    )
    plan = TrainingPlan(
        em_rules=[block_on("dob"), block_on("name")],
        deterministic_rules=[block_on("document"), block_on("phone"), block_on("name", "dob")],
    )
    return settings, plan
