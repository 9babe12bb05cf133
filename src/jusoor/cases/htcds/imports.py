"""Import HTCDS 2.0 cases (CSV or JSON) into cases of the importing user's agency.

Every row is checked before anything is written: a problem names the row and the HTCDS column
(unknown column, bad country or language code, a value outside the standard's picklist, an age
that contradicts the age band, an unknown `cas_Status`, a `jus_` finer code that contradicts the
standard's value). One bad row and nothing is saved. Where a `jus_` column keeps Jusoor's finer
code of a standard column (`refines` in columns.yaml), that code is the one stored; the columns
worked out from a case's records (`derive`) are checked and not stored. Each imported case gets
a new pseudonymous reference; a closed case is opened and closed through the NRM workflow, so its
timeline says so. The file is bounded before it is parsed (`core.import_limits`: bytes, then
rows), a CSV is read strictly (`core.strict_csv`: a ragged row, a quote left open or a control
character is a row problem, never repaired) and no value may hold a control character.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases import service
from jusoor.cases.htcds.columns import (
    CASE_STATUSES,
    SEPARATOR,
    Column,
    column_names,
    columns,
    htcds_choices,
    language_from_htcds,
)
from jusoor.cases.schemas import CaseCreate, settle_childhood
from jusoor.cases.vocabulary import is_country_code
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.import_limits import ImportLimits, check_size, too_many_rows, web_limits
from jusoor.core.permissions import Actor
from jusoor.core.strict_csv import RowError, control_problem, strict_rows
from jusoor.core.typed_dates import ISO_ONLY
from jusoor.core.validation import problems as validation_problems

FILE = "htcds"  # how limit messages name the file (it may come as a request body)
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class RowProblem:
    row: int  # 1 = the first case (the CSV header is row 0)
    column: str | None
    message: str


class NotHtcds(Invalid):
    """The file as a whole is not an HTCDS file (empty, binary, no known column)."""

    def __init__(self, message: str) -> None:
        super().__init__("file", message)


class RowsInvalid(Invalid):
    """Some rows are wrong; `problems` holds each one, the message names the first."""

    def __init__(self, problems: list[RowProblem]) -> None:
        first = problems[0]
        super().__init__(
            first.column,
            _(
                "Row %(row)s: %(problem)s (%(count)s problems in all; nothing was imported.)",
                row=first.row,
                problem=first.message,
                count=len(problems),
            ),
        )
        self.problems = problems


def parse(data: bytes, limits: ImportLimits | None = None) -> list[dict[str, Any]]:
    """The rows of an HTCDS CSV or JSON file; NotHtcds when it is not one, Invalid when it is
    over the limits (the web's by default), RowsInvalid when a CSV row is malformed."""
    limits = limits or web_limits()
    check_size(FILE, len(data), limits)  # before a byte is parsed
    if not data.strip():
        raise NotHtcds(_("The file is empty."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotHtcds(_("The file is not an HTCDS CSV or JSON file.")) from None
    rows = _json_rows(text, limits) if text.lstrip()[:1] in "[{" else _csv_rows(text, limits)
    known = set(column_names())
    if not rows or not any(known & set(row) for row in rows):
        raise NotHtcds(_("The file has no HTCDS column."))
    return rows


def _json_rows(text: str, limits: ImportLimits) -> list[dict[str, Any]]:
    try:
        body = json.loads(text)
    except (json.JSONDecodeError, RecursionError):  # RecursionError: nested beyond reason
        raise NotHtcds(_("The file is not an HTCDS CSV or JSON file.")) from None
    cases = body.get("cases") if isinstance(body, dict) else body
    if not isinstance(cases, list) or not all(isinstance(row, dict) for row in cases):
        raise NotHtcds(_("The file is not an HTCDS CSV or JSON file."))
    if len(cases) > limits.max_rows:
        raise too_many_rows(FILE, limits)
    return cases


def _csv_rows(text: str, limits: ImportLimits) -> list[dict[str, Any]]:
    """Rows as dictionaries by column; blank lines skipped. A malformed row is a RowsInvalid
    numbered as cases are (the first case is row 1)."""
    header: list[str] = []
    rows: list[dict[str, Any]] = []
    try:
        for number, cells in strict_rows(io.StringIO(text, newline=""), file=FILE, limits=limits):
            if number == 1:
                header = cells
            elif cells:
                rows.append(dict(zip(header, cells, strict=True)))
    except RowError as exc:
        raise RowsInvalid([RowProblem(len(rows) + 1, exc.column, exc.problem)]) from None
    return rows


def _items(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(SEPARATOR) if v.strip()]


def _code(col: Column, value: str) -> str:
    code = col.from_htcds(value)
    choices = htcds_choices(col)
    if code is None or (choices and value not in choices):
        raise ValueError(
            _(
                "%(value)s is not a value of this column; use one of: %(choices)s.",
                value=value,
                choices=", ".join(choices),
            )
        )
    return code


def _value(col: Column, raw: Any) -> Any:
    """The Jusoor value of one cell (ValueError with a translated message when it is wrong)."""
    items = _items(raw)
    if col.kind == "codes":
        return [_code(col, v) for v in items]
    if col.kind == "countries":
        for code in items:
            if not is_country_code(code.upper()):
                raise ValueError(_("%(code)s is not an ISO 3166-1 country code.", code=code))
        return [v.upper() for v in items]
    if col.kind == "languages":
        return [language_from_htcds(v.lower()) for v in items]
    if not items:
        return None
    one = items[0] if len(items) == 1 else SEPARATOR.join(items)
    if col.kind == "bool":
        if one.lower() not in ("true", "false", "1", "0"):
            raise ValueError(_("Write true or false."))
        return one.lower() in ("true", "1")
    if col.kind == "int":
        if not one.isdigit():
            raise ValueError(_("Write a whole number."))
        return int(one)
    if col.field == "stage":
        if one not in CASE_STATUSES:
            raise ValueError(_("Unknown value: %(values)s.", values=one))
        return one
    return _code(col, one) if col.kind == "code" else one


def _derived(col: Column, raw: Any) -> None:
    """Check a derived column's cell (ValueError when it is wrong); it is never stored."""
    items = _items(raw)
    if col.kind == "bool":
        _value(col, raw)
    elif col.kind == "text" and col.column.endswith("Month"):
        for item in items:
            if not MONTH.fullmatch(item):
                raise ValueError(_("%(value)s is not a month; write it as YYYY-MM.", value=item))
    elif col.kind in ("code", "codes") and col.values:
        for item in items:
            _code(col, item)


def _disagreement(coarse: Column, fine: Any, given: Any) -> str | None:
    """The problem when a jus_ column's finer codes say otherwise than the standard's column."""
    fine_codes = fine if isinstance(fine, list) else [fine] if fine else []
    given_codes = given if isinstance(given, list) else [given] if given else []
    if not fine_codes or not given_codes:
        return None
    implied = {coarse.to_htcds(c) for c in fine_codes} - {None}
    if implied == {coarse.to_htcds(c) for c in given_codes} - {None}:
        return None
    return _(
        "%(value)s does not agree with %(column)s; make them agree or leave one of them empty.",
        value=SEPARATOR.join(fine_codes),
        column=coarse.column,
    )


def _row_case(number: int, row: dict[str, Any]) -> tuple[CaseCreate | None, bool, list[RowProblem]]:
    by_name = {c.column: c for c in columns()}
    problems = [
        RowProblem(number, name, _("This is not an HTCDS column Jusoor knows."))
        for name in row
        if name not in by_name
    ]
    parsed: dict[str, Any] = {}
    closed = False
    for name, raw in row.items():
        col = by_name.get(name)
        if col is None or col.field == "reference":
            continue
        texts = raw if isinstance(raw, list) else [] if raw is None else [raw]
        unreadable = next(filter(None, (control_problem(str(t)) for t in texts)), None)
        if unreadable:  # never stored, whether from CSV or from JSON's "\u0000"
            problems.append(RowProblem(number, name, unreadable))
            continue
        try:
            if col.derive:  # read and checked, not stored (columns.yaml)
                _derived(col, raw)
                continue
            value = _value(col, raw)
        except ValueError as exc:
            problems.append(RowProblem(number, name, str(exc)))
            continue
        if col.field == "stage":
            closed = CASE_STATUSES.get(value or "Active", False)
        elif value is not None:
            parsed[name] = value
    values: dict[str, Any] = {}
    for name, value in parsed.items():
        col = by_name[name]
        if col.refines:  # Jusoor's finer code wins over the standard's coarser value
            problem = _disagreement(by_name[col.refines], value, parsed.get(col.refines))
            if problem:
                problems.append(RowProblem(number, name, problem))
            if value:
                values[col.field] = value
        elif not any(c.refines == name and parsed.get(c.column) for c in by_name.values()):
            values[col.field] = value
    if problems:
        return None, closed, problems
    field_to_column = {c.field: c.column for c in columns() if not c.refines}
    try:
        case_in = CaseCreate.model_validate(values, context=ISO_ONLY)  # no day/month guessing
        settle_childhood(case_in, utcnow().date())
    except ValidationError as exc:
        return (
            None,
            closed,
            [
                RowProblem(number, field_to_column.get(field or "", field), message)
                for field, message in validation_problems(exc)
            ],
        )
    except Invalid as exc:
        column = field_to_column.get(exc.field or "", exc.field)
        return None, closed, [RowProblem(number, column, exc.message)]
    return case_in, closed, []


def import_cases(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    agency_code: str | None = None,
    owner_username: str | None = None,
    limits: ImportLimits | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Open one case per row in the actor's agency (or `agency_code`, for operators); returns the
    new references. Raises NotHtcds or RowsInvalid, having written nothing, when a row is wrong,
    and Invalid when the file is over `limits` (the web's by default). `progress(done, total)`
    is called as cases are opened."""
    actor.require("cases.import")
    rows = parse(data, limits)
    checked = [_row_case(n, row) for n, row in enumerate(rows, start=1)]
    problems = [p for _case, _closed, found in checked for p in found]
    if problems:
        raise RowsInvalid(problems)
    references: list[str] = []
    for case_in, closed, _found in checked:
        assert case_in is not None
        owner = {"agency_code": agency_code, "owner_username": owner_username}
        case_in = case_in.model_copy(update={k: v for k, v in owner.items() if v})
        case = service.open_case(session, actor=actor, case_in=case_in)
        if closed:
            reason = _("Imported from an HTCDS file as a closed case.")
            service.move_stage(session, actor=actor, case_id=case.id, stage="closed", reason=reason)
        references.append(case.reference)
        if progress is not None and (len(references) % 100 == 0 or len(references) == len(rows)):
            progress(len(references), len(rows))
    audit.record(
        session,
        actor=actor,
        action="cases.import",
        object_type="case",
        details={"count": len(references), "references": references},
    )
    return references
