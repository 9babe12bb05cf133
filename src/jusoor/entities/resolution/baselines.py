"""The generic Splink setups Jusoor's person linkage is measured against (issue 4).

- `out_of_the_box`: Splink as a user sets it up on the raw columns, with library comparisons.
- `generic`: careful generic normalisation first: names transliterated to ASCII (unidecode)
  with their words sorted,
  ISO dates, E.164 phones, ISO countries, one spelling of document numbers; library comparisons.

Neither knows Arabic names: that is the point of the comparison (bench/linkage_bench.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from unidecode import unidecode

from jusoor.entities.resolution.countries import country_code
from jusoor.entities.resolution.dates import parse_date
from jusoor.entities.resolution.documents import normalize_document_number
from jusoor.entities.resolution.linkage import TrainingPlan
from jusoor.entities.resolution.phones import normalize_phone

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


def generic_rows(records: Iterable[Mapping[str, str]], *, region: str | None) -> list[Row]:
    """The records after careful generic normalisation (no knowledge of Arabic names)."""
    rows: list[Row] = []
    for record in records:
        name = _NOT_LETTER.sub(" ", unidecode(record.get("full_name") or "").lower())
        born = parse_date(record.get("date_of_birth") or "")
        rows.append(
            {
                "unique_id": record["record_id"],
                "name": " ".join(sorted(name.split())) or None,  # word order varies
                "dob": born.iso if born is not None else None,
                "dob_year": str(born.year) if born is not None else None,
                "country": country_code(record.get("nationality") or ""),
                "phone": normalize_phone(record.get("phone") or "", region),
                "document": normalize_document_number(record.get("document_number") or ""),
            }
        )
    return rows


def generic() -> tuple[SettingsCreator, TrainingPlan]:
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("name"),
            cl.LevenshteinAtThresholds("dob", [1, 2]),
            cl.ExactMatch("country"),
            cl.ExactMatch("phone"),
            cl.LevenshteinAtThresholds("document", 1),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("name"),
            block_on("substr(name, 1, 4)", "dob_year"),
            block_on("dob"),
            block_on("phone"),
            block_on("document"),
        ],
    )
    plan = TrainingPlan(
        em_rules=[block_on("dob"), block_on("document")],
        deterministic_rules=[block_on("document"), block_on("phone", "dob_year")],
    )
    return settings, plan
