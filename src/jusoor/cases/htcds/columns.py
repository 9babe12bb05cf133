"""The HTCDS 2.0 columns (`columns.yaml`): which case field each carries, how its values are
named in the standard, and the language and case status conversions export and import share.

Loading the mapping checks it against the standard's own field list (`standard/`): every
non-`jus_` column is a field of HTCDS 2.0 and every value it can write is in that field's
picklist, so an export cannot drift off the standard without failing at start-up."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache
from typing import Annotated

import pycountry
from pydantic import Field, StringConstraints, ValidationInfo, field_validator, model_validator

from jusoor.cases.fields import by_name, profile_fields, vocabulary_codes
from jusoor.cases.htcds import standard
from jusoor.cases.htcds.facts import DERIVATIONS
from jusoor.core.datafiles import StrictModel, declare

STANDARD = standard.VERSION
SEPARATOR = ";"
KINDS = frozenset({"text", "code", "codes", "countries", "languages", "bool", "int"})
DERIVED_KINDS = frozenset({"text", "code", "codes", "bool"})
# HTCDS 2.0 `cas_Status` values and whether each one is a closed case on import.
CASE_STATUSES: dict[str, bool] = {
    "Active": False,
    "FollowUp": False,
    "Closed": True,
    "ClosedReferred": True,
}

# The Jusoor codes each coded profile field accepts (its vocabulary in `fields.yaml`). The stage
# is not among them: it travels as an HTCDS case status (`CASE_STATUSES`).
CHOICES: dict[str, tuple[str, ...]] = {
    f.name: vocabulary_codes(f.vocabulary) for f in profile_fields("code", "codes") if f.vocabulary
}


@dataclass(frozen=True)
class Column:
    """One HTCDS column and the case field (or record, when derived) it carries."""

    column: str
    field: str
    kind: str
    values: dict[str, str] = dataclasses.field(default_factory=dict)
    export: bool = True
    refines: str | None = None  # a jus_ column keeping Jusoor's finer code of this column
    derive: str | None = None  # worked out from the case's records (`facts.DERIVATIONS`)

    def codes(self) -> tuple[str, ...]:
        """The Jusoor codes this column may carry (empty: not a closed list)."""
        if self.derive:
            return tuple(self.values)
        return CHOICES.get(self.field, ())

    def to_htcds(self, code: str) -> str | None:
        """The value written for a Jusoor code; None where the standard has no value for it."""
        if self.refines:
            return code
        name = self.values.get(code, pascal(code)) if not self.derive else self.values[code]
        return name or None

    def from_htcds(self, value: str) -> str | None:
        """The Jusoor code for a value of this column, or None when it is not one."""
        return _reverse(self).get(value)


def _reverse(col: Column) -> dict[str, str]:
    """HTCDS value -> Jusoor code. Where several codes share a coarser value (Other), the code
    that is the value's own name wins (other), else the first in the vocabulary's order."""
    reverse: dict[str, str] = {}
    for code in col.codes():
        name = col.to_htcds(code)
        if name is not None and (name not in reverse or pascal(code) == name):
            reverse[name] = code
    return reverse


def htcds_choices(col: Column) -> tuple[str, ...]:
    """The values a coded column accepts, in order (each once)."""
    return tuple(_reverse(col))


def pascal(code: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in code.split("_"))


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class ColumnSpec(StrictModel):
    """One entry of `columns.yaml`: its field is one of the case field catalogue, whose
    type says how the column is written (a derived column says so with `kind`)."""

    column: Annotated[str, StringConstraints(pattern=r"^(prs|vic|cas|con|jus)_[A-Za-z]+$")]
    # derive comes before field: a derived column may name a record (timeline, consents).
    derive: str | None = None
    field: str
    values: dict[str, str] = Field(default_factory=dict)
    export: bool = True
    refines: str | None = None
    kind: str | None = None

    @field_validator("field")
    @classmethod
    def _catalogued(cls, value: str, info: ValidationInfo) -> str:
        field = by_name().get(value)
        if field is None:
            raise ValueError(f"{value!r} is not a field of cases/fields.yaml")
        if field.type not in KINDS and not info.data.get("derive"):
            raise ValueError(f"a {field.type} field has no HTCDS column")
        return value

    @model_validator(mode="after")
    def _writable(self) -> ColumnSpec:
        if self.derive:
            if self.kind not in DERIVED_KINDS:
                raise ValueError(f"a derived column's kind is one of {sorted(DERIVED_KINDS)}")
            if self.derive not in DERIVATIONS:
                raise ValueError(f"{self.derive!r} is not a derivation of htcds/facts.py")
        elif self.kind is not None:
            raise ValueError("only a derived column names its kind")
        if self.refines and not self.column.startswith("jus_"):
            raise ValueError("only a jus_ column refines a standard column")
        return self


class HtcdsFieldsFile(StrictModel):
    """`columns.yaml`; checks are validators (not asserts), so they hold under `python -O`."""

    columns: tuple[ColumnSpec, ...]

    @model_validator(mode="after")
    def _unique_columns(self) -> HtcdsFieldsFile:
        names = [c.column for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError("duplicate HTCDS column")
        for spec in self.columns:
            target = next((c for c in self.columns if c.column == spec.refines), None)
            if spec.refines and (target is None or target.field != spec.field):
                raise ValueError(f"{spec.column} refines no column of the same field")
        return self


HTCDS_FIELDS_FILE = declare("jusoor.cases.htcds", "columns.yaml", HtcdsFieldsFile)


def _column(spec: ColumnSpec) -> Column:
    kind = spec.kind or by_name()[spec.field].type
    return Column(
        spec.column, spec.field, kind, dict(spec.values), spec.export, spec.refines, spec.derive
    )


def check_against_standard(cols: tuple[Column, ...]) -> None:
    """ValueError naming the column and value when the mapping leaves HTCDS 2.0: a column the
    standard does not have (outside `jus_`), or a value outside the field's picklist."""
    fields = standard.by_name()
    for col in cols:
        if col.column.startswith("jus_"):
            if col.column in fields:
                raise ValueError(f"{col.column} is a standard field: drop its jus_ prefix")
            continue
        field = fields.get(col.column)
        if field is None:
            raise ValueError(f"{col.column} is not a field of {STANDARD}")
        if field.picklist:
            for code in col.codes():
                name = col.to_htcds(code)
                if name is not None and name not in field.values:
                    raise ValueError(f"{col.column}: {name} is not a value of {STANDARD}")


@cache
def columns() -> tuple[Column, ...]:
    """The mapping, checked when it is loaded (a bad data file fails at once, not mid-export)."""
    cols = tuple(_column(c) for c in HTCDS_FIELDS_FILE.load().columns)
    check_against_standard(cols)
    return cols


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
