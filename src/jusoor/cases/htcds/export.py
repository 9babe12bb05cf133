"""The pseudonymised HTCDS 2.0 export of the cases a user may see.

An export holds only profile codes (no names, contacts, documents, dates of birth, health notes,
guardians, notes or other free text: DESIGN.md, data protection rules), only the cases the caller
may see (`jusoor.cases.access`) and, for a case shared through a referral, only the fields that
referral shares. Every export is one `cases.export` audit event. Import is in `imports`.
Its columns and values are those of the HTCDS 2.0 field standards (`columns.yaml`, checked
against `standard/`); the identification decision, outgoing referrals, consents in force and the
months of opening and closing come from the case's records (`facts`), for its owners only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases.access import can_read_case, visible_case_ids_clause
from jusoor.cases.htcds.columns import (
    SEPARATOR,
    STANDARD,
    Column,
    export_columns,
    language_to_htcds,
)
from jusoor.cases.htcds.facts import DERIVATIONS, NO_FACTS, CaseFacts, gather
from jusoor.cases.models import Case
from jusoor.cases.schemas import age_on
from jusoor.cases.vocabulary import AGE_BANDS, Stage
from jusoor.core.db import utcnow
from jusoor.core.permissions import Actor

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")


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


def _derived(col: Column, case: Case, facts: CaseFacts) -> Any:
    assert col.derive is not None
    value = DERIVATIONS[col.derive](case, facts)
    if col.kind == "code":
        return col.to_htcds(value) if value else None
    if col.kind == "codes":
        return [col.to_htcds(v) if col.values else v for v in value]
    return value


def _cell(col: Column, case: Case, fields: frozenset[str], facts: CaseFacts) -> Any:
    if col.derive:
        return _derived(col, case, facts)
    value = getattr(case, col.field)
    if col.field == "age_band":
        return age_band_of(case, fields)
    if col.field == "stage":
        return "Closed" if value is Stage.closed else "Active"
    if col.kind == "code":
        raw = value.value if hasattr(value, "value") else value
        return col.to_htcds(raw) if raw else None
    if col.kind == "codes":  # each value once: forced criminality and other are both Other
        return list(dict.fromkeys(n for n in map(col.to_htcds, value) if n is not None))
    if col.kind == "languages":
        return [language_to_htcds(v) for v in value]
    if col.kind == "countries":
        return list(value)
    return value


def htcds_row(case: Case, fields: frozenset[str], facts: CaseFacts | None = None) -> dict[str, Any]:
    """One case as HTCDS values, holding only the `fields` the reader may see. The columns
    worked out from the case's records (`derive` in columns.yaml) come from `facts`
    (`facts.gather`); without them those columns hold what a case with no record holds."""
    facts = facts or NO_FACTS
    return {c.column: _cell(c, case, fields, facts) for c in export_columns() if c.field in fields}


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
    readable: list[tuple[Case, frozenset[str]]] = []
    for case in session.scalars(stmt).unique():
        fields = can_read_case(session, actor, case)  # the same check as reading the case
        if fields:
            readable.append((case, fields))
    # Records are read only for the cases whose reader may see them (owners: timeline, consents).
    recorded = [case.id for case, fields in readable if {"timeline", "consents"} & fields]
    facts = gather(session, recorded)
    rows = [htcds_row(case, fields, facts.get(case.id)) for case, fields in readable]
    references = [case.reference for case, _fields in readable]
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
