"""The HTCDS 2.0 field standards (`field_standards.csv`, IOM, CC BY 4.0; see README.md) and their
loader: which fields the standard has, which are core, and each picklist's values."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

VERSION = "HTCDS 2.0"
# Fields whose "values" are a whole code standard rather than a list (ISO 3166, ISO 639-2).
ISO_LISTS = ("ISO 3166", "ISO 639-2")


@dataclass(frozen=True)
class StandardField:
    """One field of the standard, as the field standards sheet describes it."""

    name: str  # with its table prefix, e.g. vic_TypeOfExploitation
    section: str  # the sheet's section heading, e.g. "Person - Victim Context"
    prefix: str  # the table prefix, e.g. "vic_"
    core: bool
    status: str  # DRAFT or DEPRECATED
    type: str  # Text, Picklist, Multiselect Picklist, Checkbox, Date, Lookup [...], ...
    values: tuple[str, ...]  # the picklist's value names; () when it is not a closed list

    @property
    def picklist(self) -> bool:
        return bool(self.values)

    @property
    def multiple(self) -> bool:
        return self.type.startswith("Multiselect")


def _values(raw: str) -> tuple[str, ...]:
    # Value names are one a line; the sheet has stray spaces ("DebtBondage ") and a trailing
    # empty line (spl_Type). A line naming a code standard is not a closed list.
    names = tuple(v.strip() for v in raw.splitlines() if v.strip())
    if any(iso in v for v in names for iso in ISO_LISTS):
        return ()
    return names


def parse(text: str) -> tuple[StandardField, ...]:
    """The fields of a field standards CSV, in the sheet's order (section rows give headings)."""
    fields: list[StandardField] = []
    section = ""
    for row in csv.DictReader(io.StringIO(text, newline="")):
        name = (row.get("Field Name including Prefix") or "").strip()
        if not name:
            heading = " ".join((row.get("Section") or "").split())
            section = heading or section
            continue
        fields.append(
            StandardField(
                name=name,
                section=section,
                prefix=(row.get("Field Name Prefix") or "").strip(),
                core=(row.get("Core") or "").strip() == "Core",
                status=(row.get("Status") or "").strip(),
                type=" ".join((row.get("Field Type") or "").split()),
                values=_values(row.get("Value Names (if picklist)") or ""),
            )
        )
    return tuple(fields)


@cache
def fields() -> tuple[StandardField, ...]:
    """The standard's fields, from the copy shipped with Jusoor."""
    text = resources.files(__package__).joinpath("field_standards.csv").read_text("utf-8")
    return parse(text)


@cache
def by_name() -> dict[str, StandardField]:
    return {f.name: f for f in fields()}
