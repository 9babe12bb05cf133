"""The HTCDS 2.0 columns (`columns.yaml`): which case field each carries, how its values are
named in the standard, and the language and case status conversions export and import share."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache
from typing import Annotated

import pycountry
from pydantic import Field, StringConstraints, field_validator, model_validator

from jusoor.cases.fields import by_name, profile_fields, vocabulary_codes
from jusoor.core.datafiles import StrictModel, declare

STANDARD = "HTCDS 2.0"
SEPARATOR = ";"
KINDS = frozenset({"text", "code", "codes", "countries", "languages", "bool", "int"})
# HTCDS 2.0 `cas_Status` values and the NRM stage each one opens a case at on import.
CASE_STATUSES: dict[str, bool] = {
    "Active": False,
    "FollowUp": False,
    "Closed": True,
    "ClosedReferred": True,
}


@dataclass(frozen=True)
class Column:
    """One HTCDS column and the case field it carries."""

    column: str
    field: str
    kind: str
    values: dict[str, str] = dataclasses.field(default_factory=dict)
    export: bool = True

    def to_htcds(self, code: str) -> str:
        return self.values.get(code) or pascal(code)

    def from_htcds(self, value: str) -> str | None:
        """The Jusoor code for an HTCDS value name, or None when it is not one."""
        for code, name in self.values.items():
            if name == value:
                return code
        return snake(value) if value not in self.values.values() else None


# The Jusoor codes each coded profile field accepts (its vocabulary in `fields.yaml`). The stage
# is not among them: it travels as an HTCDS case status (`CASE_STATUSES`).
CHOICES: dict[str, tuple[str, ...]] = {
    f.name: vocabulary_codes(f.vocabulary) for f in profile_fields("code", "codes") if f.vocabulary
}


def htcds_choices(col: Column) -> tuple[str, ...]:
    """The HTCDS value names a coded column accepts."""
    return tuple(col.to_htcds(code) for code in CHOICES.get(col.field, ()))


def pascal(code: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in code.split("_"))


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class ColumnSpec(StrictModel):
    """One entry of `columns.yaml`: its field is one of the case field catalogue, whose
    type says how the column is written."""

    column: Annotated[str, StringConstraints(pattern=r"^(prs|vic|cas|jus)_[A-Za-z]+$")]
    field: str
    values: dict[str, str] = Field(default_factory=dict)
    export: bool = True

    @field_validator("field")
    @classmethod
    def _catalogued(cls, value: str) -> str:
        field = by_name().get(value)
        if field is None:
            raise ValueError(f"{value!r} is not a field of cases/fields.yaml")
        if field.type not in KINDS:
            raise ValueError(f"a {field.type} field has no HTCDS column")
        return value


class HtcdsFieldsFile(StrictModel):
    """`columns.yaml`; checks are validators (not asserts), so they hold under `python -O`."""

    columns: tuple[ColumnSpec, ...]

    @model_validator(mode="after")
    def _unique_columns(self) -> HtcdsFieldsFile:
        names = [c.column for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError("duplicate HTCDS column")
        return self


HTCDS_FIELDS_FILE = declare("jusoor.cases.htcds", "columns.yaml", HtcdsFieldsFile)


@cache
def columns() -> tuple[Column, ...]:
    """The mapping, checked when it is loaded (a bad data file fails at once, not mid-export)."""
    return tuple(
        Column(c.column, c.field, by_name()[c.field].type, dict(c.values), c.export)
        for c in HTCDS_FIELDS_FILE.load().columns
    )


def column_names() -> tuple[str, ...]:
    return tuple(c.column for c in columns())


def export_columns() -> tuple[Column, ...]:
    return tuple(c for c in columns() if c.export)


def language_to_htcds(code: str) -> str:
    """ISO 639-2 (three letters), as HTCDS asks, from Jusoor's ISO 639 code."""
    lang = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    return str(getattr(lang, "bibliographic", None) or lang.alpha_3) if lang else code


def language_from_htcds(code: str) -> str:
    """Back to the two-letter code where ISO 639-1 has one."""
    lang = pycountry.languages.get(alpha_3=code) or pycountry.languages.get(bibliographic=code)
    return str(getattr(lang, "alpha_2", None) or code) if lang else code
