"""Cases as IOM's Human Trafficking Case Data Standard 2.0 (HTCDS): the column mapping
(`htcds_fields.yaml`) and the pseudonymised export of the cases a user may see.

An export holds only profile codes (no names, contacts, documents, dates of birth, health notes,
guardians, notes or other free text: DESIGN.md, data protection rules), only the cases the caller
may see (`jusoor.cases.access`) and, for a case shared through a referral, only the fields that
referral shares. Every export is one `cases.export` audit event. Import is in `htcds_import`.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

import pycountry
from pydantic import Field, StringConstraints, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases.access import can_read_case, visible_case_ids_clause
from jusoor.cases.fields import by_name, profile_fields, vocabulary_codes
from jusoor.cases.models import Case
from jusoor.cases.schemas import age_on
from jusoor.cases.vocabulary import AGE_BANDS, Stage
from jusoor.core.datafiles import StrictModel, declare
from jusoor.core.db import utcnow
from jusoor.core.permissions import Actor

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")
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
    """One entry of `htcds_fields.yaml`: its field is one of the case field catalogue, whose
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
    """`htcds_fields.yaml`; checks are validators (not asserts), so they hold under `python -O`."""

    columns: tuple[ColumnSpec, ...]

    @model_validator(mode="after")
    def _unique_columns(self) -> HtcdsFieldsFile:
        names = [c.column for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError("duplicate HTCDS column")
        return self


HTCDS_FIELDS_FILE = declare("jusoor.cases", "htcds_fields.yaml", HtcdsFieldsFile)


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


def age_band_of(case: Case, fields: frozenset[str]) -> str | None:
    """The case's age band, else the band of its age or date of birth where the reader may see
    them: exports carry the band, never the date (DESIGN.md, minimum data)."""
    if case.age_band:
        return case.age_band
    age = case.age if "age" in fields else None
    if age is None and "date_of_birth" in fields and case.date_of_birth:
        age = age_on(dt.date.fromisoformat(case.date_of_birth), utcnow().date())
    if age is None:
        return None
    return next(
        band
        for band, (low, high) in AGE_BANDS.items()
        if low <= age and (high is None or age <= high)
    )


def _cell(col: Column, case: Case, fields: frozenset[str]) -> Any:
    value = getattr(case, col.field)
    if col.field == "age_band":
        return age_band_of(case, fields)
    if col.field == "stage":
        return "Closed" if value is Stage.closed else "Active"
    if col.kind == "code":
        raw = value.value if hasattr(value, "value") else value
        return col.to_htcds(raw) if raw else None
    if col.kind == "codes":
        return [col.to_htcds(v) for v in value]
    if col.kind == "languages":
        return [language_to_htcds(v) for v in value]
    if col.kind == "countries":
        return list(value)
    return value


def htcds_row(case: Case, fields: frozenset[str]) -> dict[str, Any]:
    """One case as HTCDS values, holding only the `fields` the reader may see."""
    return {c.column: _cell(c, case, fields) for c in export_columns() if c.field in fields}


@dataclass(frozen=True)
class Export:
    rows: list[dict[str, Any]]
    format: Format

    def render(self) -> str:
        return render(self.rows, self.format)


def export_cases(session: Session, *, actor: Actor, fmt: Format) -> Export:
    """Every case the actor may see, as HTCDS rows (oldest first), audited as `cases.export`."""
    actor.require("cases.export")
    stmt = (
        select(Case).where(visible_case_ids_clause(actor)).order_by(Case.opened_at, Case.reference)
    )
    rows: list[dict[str, Any]] = []
    references: list[str] = []
    for case in session.scalars(stmt).unique():
        fields = can_read_case(session, actor, case)  # the same check as reading the case
        if fields:
            rows.append(htcds_row(case, fields))
            references.append(case.reference)
    audit.record(
        session,
        actor=actor,
        action="cases.export",
        object_type="case",
        details={"format": fmt, "count": len(rows), "references": references},
    )
    return Export(rows=rows, format=fmt)


def render(rows: Sequence[dict[str, Any]], fmt: Format) -> str:
    """CSV (one header of every exported column, lists joined by ";") or JSON."""
    if fmt == "json":
        body = {"standard": STANDARD, "cases": list(rows)}
        return json.dumps(body, ensure_ascii=False, indent=1) + "\n"
    out = io.StringIO()
    names = [c.column for c in export_columns()]
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value(row.get(k)) for k in names})
    return out.getvalue()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
