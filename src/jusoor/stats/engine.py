"""The statistics engine: counts of a subject's units by dimensions, in one grouped query.

A *subject* is a kind of record the node counts (victims' cases, screenings, referrals...), with
the dimensions it can be broken down by and the rule saying which of its records a viewer may
count (the scope of `stats.read`: an agency's staff count their agency's records, the coordinator
and the analyst their country's). Subjects register themselves (`register_subject`); the cases
subject is below, the others live in `stats.sources`.

How a table is computed, the same way on SQLite and PostgreSQL: one `SELECT dims..., COUNT(*)
GROUP BY dims` over the subject's rows in scope and period. A multi-valued dimension (a JSON list,
e.g. citizenship) is grouped by its stored text, so the database returns one row per distinct
combination of lists — a few hundred even at a million cases — which are then spread over their
categories here. A unit is thus counted once in each cell it belongs to, and the margins and the
total are counts of distinct units, not sums of cells.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any

from sqlalchemy import ColumnElement, Date, DateTime, Select, String, cast, extract, func, or_
from sqlalchemy.orm import Session

from jusoor.core.errors import Invalid
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor, scope_clause
from jusoor.stats.tables import UNKNOWN, Key, Table

READ = Action.stats_read
MAX_DIMENSIONS = 3

Explode = Callable[[Any], list[str]]


def _single(value: Any) -> list[str]:
    if value is None or value == "":
        return [UNKNOWN]
    return [str(getattr(value, "value", value))]


def _json_list(value: Any) -> list[str]:
    """The categories of a JSON list stored as text ('["MA", "DZ"]'); [] or NULL is unknown."""
    if value is None:
        return [UNKNOWN]
    items = json.loads(value) if isinstance(value, str) else value
    categories = sorted({str(item) for item in items or () if item not in (None, "")})
    return categories or [UNKNOWN]


@dataclass(frozen=True)
class Dimension:
    """A way to break a subject down: its SQL expression and how a stored value becomes
    categories (one for a plain column, several for a JSON list)."""

    name: str
    label: str  # msgid
    expression: Callable[[], ColumnElement[Any]]
    explode: Explode = _single
    multi: bool = False


def single(name: str, label: str, column: Callable[[], Any]) -> Dimension:
    return Dimension(name, label, column)


def listed(name: str, label: str, column: Callable[[], Any]) -> Dimension:
    """A JSON-list column, grouped by its text and spread here (portable across databases)."""
    return Dimension(name, label, lambda: cast(column(), String), _json_list, multi=True)


@dataclass(frozen=True)
class Subject:
    """What is counted: `unit` (msgid, plural), the table and the moment that dates a unit, the
    dimensions, and the scope columns."""

    name: str
    unit: str
    label: str  # msgid
    base: Callable[[], Select[Any]]  # SELECT FROM ... (joins) without columns: select_from
    dated_by: Callable[[], Any]  # the column whose date puts a unit in a period
    agency: Callable[[], Any]
    country: Callable[[], Any]
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    # A second agency a unit belongs to (a referral: the referring and the receiving agency):
    # the staff of either count it, and an agency filter matches either.
    also_agency: Callable[[], Any] | None = None
    # The subject's own table alone, for counts whose dimensions and filters are all in
    # `lean_dimensions` (its scope and date columns must be that table's too): the joins of
    # `base` are then left out (issue 18: at a million cases a country's identification
    # decisions by outcome took 300-400 ms joined to screenings and cases, which they do not need).
    lean_base: Callable[[], Select[Any]] | None = None
    lean_dimensions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Unit:
    """One unit of a computed subject: its identity, the day that dates it, its categories."""

    id: Any
    on: dt.date | None
    categories: dict[str, list[str]]


@dataclass(frozen=True)
class ComputedSubject:
    """A subject whose units are assembled in Python by its source (persons brought before the
    criminal justice system: a person's charges span several rows and rules). `units` returns
    the units `actor` may count in the query's period and filters; a unit listed twice (one row
    per charge) is merged, so that every unit is counted once per cell."""

    name: str
    unit: str
    label: str  # msgid
    dimensions: dict[str, str]  # name -> label msgid
    units: Callable[[Session, Actor, Query], Iterable[Unit]]


AnySubject = Subject | ComputedSubject
_SUBJECTS: dict[str, AnySubject] = {}


def dimension_labels(found: AnySubject) -> dict[str, str]:
    """Each dimension of `found` (SQL or computed subject) -> its label's msgid."""
    return {name: d if isinstance(d, str) else d.label for name, d in found.dimensions.items()}


def register_subject(subject: AnySubject) -> None:
    _SUBJECTS[subject.name] = subject


def subjects() -> dict[str, AnySubject]:
    _ensure_sources()
    return dict(_SUBJECTS)


def subject(name: str) -> AnySubject:
    _ensure_sources()
    try:
        return _SUBJECTS[name]
    except KeyError:
        raise Invalid(
            "subject",
            _("%(name)s is not something Jusoor counts; choose one of: %(names)s.",
              name=name, names=", ".join(sorted(_SUBJECTS))),
        ) from None  # fmt: skip


def _ensure_sources() -> None:
    from jusoor.stats import sources

    sources.load()


# Periods: every subject can be broken down by the year, quarter or month of its date.
PERIODS = {"year": N_("Year"), "quarter": N_("Quarter"), "month": N_("Month")}


def _period_parts(name: str, column: Any) -> list[ColumnElement[Any]]:
    year = extract("year", column)
    if name == "year":
        return [year]
    return [year, extract("month", column)]


def _period_key(name: str, parts: Sequence[Any]) -> str:
    year = int(parts[0])
    if name == "year":
        return f"{year:04d}"
    month = int(parts[1])
    if name == "quarter":
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    return f"{year:04d}-{month:02d}"


@dataclass(frozen=True)
class Query:
    """A table asked for: subject, dimensions, period and filters."""

    subject: str
    by: tuple[str, ...] = ()
    start: dt.date | None = None  # inclusive
    end: dt.date | None = None  # inclusive
    country: str | None = None
    agency_id: Any = None
    where: dict[str, str] = field(default_factory=dict)  # dimension -> category


def check_dimensions(found: AnySubject, by: Iterable[str]) -> tuple[str, ...]:
    names = tuple(by)
    if len(names) > MAX_DIMENSIONS:
        raise Invalid("by", _("A table has at most %(n)s dimensions.", n=MAX_DIMENSIONS))
    if len(set(names)) != len(names):
        raise Invalid("by", _("A dimension appears twice."))
    for name in names:
        if name not in found.dimensions and name not in PERIODS:
            raise Invalid(
                "by",
                _("%(subject)s cannot be counted by %(name)s; choose from: %(names)s.",
                  subject=found.name, name=name,
                  names=", ".join([*PERIODS, *sorted(found.dimensions)])),
            )  # fmt: skip
    return names


def count(session: Session, actor: Actor, query: Query) -> Table:
    """Exact counts of `query.subject` by `query.by`, over the records `actor` may count.

    The result is exact: pass it through `stats.disclosure` before it is shown or exported."""
    actor.require(READ)
    found = subject(query.subject)
    by = check_dimensions(found, query.by)
    for name in query.where:
        check_dimensions(found, [name])
    tally = _Tally(len(by))
    if isinstance(found, ComputedSubject):
        for unit in _merged(found.units(session, actor, query)):
            per_dimension = [_unit_categories(unit, name) for name in by]
            if all(v in _unit_categories(unit, k) for k, v in query.where.items()):
                tally.add(per_dimension, 1)
    else:
        statement, spans = _grouped(found, actor, query, by)
        for row in session.execute(statement):
            per_dimension = categories_of(found, by, spans, row)
            if _filter_row(found, query.where, row, sum(spans)):
                tally.add(per_dimension, int(row[-1]))
    return Table(
        statistic=query.subject,
        unit=found.unit,
        by=by,
        cells=dict(tally.cells),
        total=tally.total,
        margins=tuple(dict(m) for m in tally.margins),
        additive=tally.additive,
        filters=described(query),
    )


class _Tally:
    """Cells, margins and total of a table as units (or groups of n units) are added."""

    def __init__(self, dimensions: int) -> None:
        self.cells: dict[Key, int] = defaultdict(int)
        self.margins: list[dict[str, int]] = [defaultdict(int) for _ in range(dimensions)]
        self.total = 0
        self.additive = True

    def add(self, per_dimension: list[list[str]], n: int) -> None:
        self.total += n
        for i, categories in enumerate(per_dimension):
            if len(categories) > 1:
                self.additive = False
            for category in categories:
                self.margins[i][category] += n
        for key in product(*per_dimension):
            self.cells[key] += n


def _merged(units: Iterable[Unit]) -> list[Unit]:
    found: dict[Any, Unit] = {}
    for unit in units:
        seen = found.get(unit.id)
        if seen is None:
            found[unit.id] = Unit(
                unit.id, unit.on, {k: list(v) for k, v in unit.categories.items()}
            )
            continue
        for name, values in unit.categories.items():
            into = seen.categories.setdefault(name, [])
            into.extend(v for v in values if v not in into)
    return list(found.values())


def _unit_categories(unit: Unit, name: str) -> list[str]:
    if name in PERIODS:
        if unit.on is None:
            return [UNKNOWN]
        parts = (unit.on.year, unit.on.month)
        return [_period_key(name, parts)]
    values = sorted(set(unit.categories.get(name) or ()))
    return values or [UNKNOWN]


def categories_of(
    found: Subject, by: tuple[str, ...], spans: Sequence[int], row: Sequence[Any]
) -> list[list[str]]:
    """The categories, per dimension of `by`, of a row whose first columns are `by`'s."""
    per_dimension: list[list[str]] = []
    position = 0
    for name, width in zip(by, spans, strict=True):
        parts = row[position : position + width]
        position += width
        if name in PERIODS:
            categories = [_period_key(name, parts)] if parts[0] is not None else [UNKNOWN]
        else:
            categories = found.dimensions[name].explode(parts[0])
        per_dimension.append(categories)
    return per_dimension


def described(query: Query) -> dict[str, str]:
    """The query's filters and period, as a table states them (`Table.filters`)."""
    out = {f"where.{k}": v for k, v in query.where.items()}
    if query.start:
        out["from"] = query.start.isoformat()
    if query.end:
        out["to"] = query.end.isoformat()
    if query.country:
        out["country"] = query.country
    if query.agency_id:
        out["agency"] = str(query.agency_id)
    return out


def dimension_columns(found: Subject, by: tuple[str, ...]) -> tuple[list[Any], list[int]]:
    """The SQL columns of `by` (a period takes one or two) and how many each dimension takes."""
    columns: list[Any] = []
    spans: list[int] = []
    for name in by:
        if name in PERIODS:
            parts = _period_parts(name, found.dated_by())
        else:
            parts = [found.dimensions[name].expression()]
        columns.extend(parts)
        spans.append(len(parts))
    return columns, spans


def restricted(found: Subject, actor: Actor, query: Query, statement: Select[Any]) -> Select[Any]:
    """`statement` limited to the units `actor` may count, in the query's period and filters."""
    statement = statement.where(_scope(found, actor))
    dated = found.dated_by()
    if query.start is not None:
        statement = statement.where(dated >= _bound(dated, query.start))
    if query.end is not None:
        statement = statement.where(dated < _bound(dated, query.end + dt.timedelta(days=1)))
    if query.country is not None:
        statement = statement.where(found.country() == query.country)
    if query.agency_id is not None:
        agency = found.agency() == query.agency_id
        if found.also_agency is not None:
            agency = or_(agency, found.also_agency() == query.agency_id)
        statement = statement.where(agency)
    return statement


def _scope(found: Subject, actor: Actor) -> ColumnElement[bool]:
    clause = scope_clause(actor, READ, agency_col=found.agency(), country_col=found.country())
    if found.also_agency is None:
        return clause
    also = scope_clause(actor, READ, agency_col=found.also_agency(), country_col=found.country())
    return or_(clause, also)


def _grouped(
    found: Subject, actor: Actor, query: Query, by: tuple[str, ...]
) -> tuple[Select[Any], list[int]]:
    columns, spans = dimension_columns(found, by)
    filters = [found.dimensions[name].expression() for name in query.where]
    labelled = [c.label(f"c{i}") for i, c in enumerate([*columns, *filters])]
    lean = found.lean_base is not None and {*by, *query.where} <= found.lean_dimensions
    base = found.lean_base if lean and found.lean_base is not None else found.base
    statement = base().add_columns(*labelled, func.count().label("n"))
    statement = restricted(found, actor, query, statement)
    if labelled:
        statement = statement.group_by(*[c.element for c in labelled])
    return statement, spans


def _filter_row(found: Subject, where: dict[str, str], row: Any, position: int) -> bool:
    for offset, (name, wanted) in enumerate(where.items()):
        if wanted not in found.dimensions[name].explode(row[position + offset]):
            return False
    return True


def _bound(column: Any, day: dt.date) -> dt.date | dt.datetime:
    """The first moment of `day` in the column's own type: a DATE column is compared with a date
    (SQLite stores dates as text, where '2026-01-01' sorts before '2026-01-01 00:00:00')."""
    kind = getattr(column, "type", None)
    if isinstance(kind, Date) and not isinstance(kind, DateTime):
        return day
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
