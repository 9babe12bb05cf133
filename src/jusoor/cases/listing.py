"""The case list at national scale: filters, search and keyset pages (issue 18, item 3).

A page is the next `limit` cases after a cursor, newest first by `(opened_at, id)` (a total
order: `id` is a unique uuid7), read through one index range scan whatever the depth
(`jusoor.core.keyset`). No page counts the viewer's whole caseload: the total is counted up to
`TOTAL_CAP` and shown as "more than …" beyond. Every filter is checked against the viewer: an
agency or owner outside what they may see is refused, naming the field, rather than silently
giving an empty page. Search is exact: a reference, an owner's username, or a whole name or
alias through the person index that the entities domain keeps of each case (blind-index
digests, so no national table is decrypted); see `extensions.register_case_search`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency, User
from jusoor.audit import service as audit
from jusoor.cases import extensions
from jusoor.cases.access import cases_sharing_clause, grant_sources, visible_case_ids_clause
from jusoor.cases.models import Case, CaseTask
from jusoor.cases.vocabulary import Stage
from jusoor.core import keyset
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope

TAG = "cases"  # the cursor's list name: a cursor of another list is refused
# Newest first; the indexes `ix_cases_*_opened_id` of migration 0017 serve it.
KEY: tuple[ColumnElement[Any], ...] = (Case.opened_at.expression, Case.id.expression)
KINDS = (dt.datetime, uuid.UUID)  # UTCDateTime gives no python_type: named here
TOTAL_CAP = 1000  # counted exactly up to here, then "more than 1,000"
MAX_OFFSET = 1000  # the API's legacy `offset`; beyond it, pages go by cursor
MAX_LIMIT = 200
MAX_SEARCH = 100
MAX_NAMED = 1000  # cases one name may match (a common name in one script) before the list stops
REFERENCE_SHAPE = re.compile(r"[A-Z]{2}-\d{4}-\d{1,9}")
# Search by name or alias only among cases whose reader may read both fields: a match must not
# tell a partner which of its referred cases bears a name it was not shown.
NAME_FIELDS = frozenset({"name", "aliases"})


@dataclass(frozen=True)
class CaseFilter:
    """What the case list narrows to; `after` is the cursor of the last case seen."""

    stage: Stage | None = None
    agency_id: uuid.UUID | None = None
    owner: str = ""  # an owner's username
    opened_from: dt.date | None = None
    opened_to: dt.date | None = None  # inclusive
    search: str = ""  # a reference, an owner's username, or a whole name or alias
    overdue: bool = False
    after: str | None = None
    offset: int = 0  # skipped after the cursor (the API's legacy paging), at most MAX_OFFSET
    limit: int = 50


@dataclass(frozen=True)
class CaseList:
    cases: Sequence[Case]
    total: int  # exact when `more` is False, else TOTAL_CAP
    more: bool  # more than TOTAL_CAP cases match
    next_cursor: str | None  # None on the last page
    first: bool  # no cursor was given


def _overdue_clause(today: dt.date) -> ColumnElement[bool]:
    """A case with an open task past its due date: its first open task is (migration 0021)."""
    return Case.next_due_on < today


def _shares_cases(actor: Actor) -> bool:
    """True when a grant source may show the actor cases beyond their own scope."""
    return any(source.case_ids(actor) is not None for source in grant_sources())


def _check_agency(session: Session, actor: Actor, agency_id: uuid.UUID) -> None:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise Invalid("agency", _("No such agency."))
    reach = in_scope(actor, "cases.read", agency_id=agency.id, country=agency.country)
    if not reach and not _shares_cases(actor):
        raise Invalid("agency", _("You cannot see this agency's cases."))


def _owner_id(session: Session, actor: Actor, username: str) -> uuid.UUID:
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        raise Invalid("owner", _("No user has this username."))
    reach = in_scope(
        actor, "cases.read", agency_id=user.agency_id, country=user.agency.country, owner_id=user.id
    )
    if not reach and not _shares_cases(actor):
        raise Invalid("owner", _("You cannot see this user's cases."))
    return user.id


def _search_clause(session: Session, actor: Actor, text: str) -> ColumnElement[bool]:
    """Cases with this reference, owned by this username, or whose person bears this whole name
    or alias (exact, any script, through the blind index: never a decryption). Each part is
    resolved first (a reference, a user, at most `MAX_NAMED` case ids), so the clause is an OR
    of indexed equalities rather than a subquery the planner must run per case."""
    text = " ".join(text.split())
    if len(text) > MAX_SEARCH:
        raise Invalid("q", _("Search for at most %(num)s characters.", num=MAX_SEARCH))
    clauses: list[ColumnElement[bool]] = []
    reference = text.upper()
    if REFERENCE_SHAPE.fullmatch(reference):
        clauses.append(Case.reference == reference)
    owner = session.scalar(select(User.id).where(User.username == text.lower()))
    if owner is not None:
        clauses.append(Case.owner_id == owner)
    # A reference or a username is not also looked up as a name ("MA-2026-…" holds "MA").
    named = None if clauses else extensions.case_ids_named(text, actor.country)
    if named is not None:
        ids = [i for i in session.scalars(named.limit(MAX_NAMED)) if i is not None]
        if ids:
            named_clause: ColumnElement[bool] = Case.id.in_(ids)
            if _shares_cases(actor):  # a partner sees the match only if shown both fields
                named_clause = named_clause & cases_sharing_clause(actor, NAME_FIELDS)
            clauses.append(named_clause)
    return or_(false(), *clauses)


def _check_dates(flt: CaseFilter) -> None:
    if flt.opened_from and flt.opened_to and flt.opened_to < flt.opened_from:
        raise Invalid("opened_to", _("The end date is before the start date."))


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def filtered(session: Session, *, actor: Actor, flt: CaseFilter) -> Select[Any]:
    """The cases the actor may see (owned or shared) that `flt` keeps, unordered; Invalid naming
    the field when a filter cannot apply to this viewer."""
    _check_dates(flt)
    stmt = select(Case).where(visible_case_ids_clause(actor))
    if flt.stage is not None:
        stmt = stmt.where(Case.stage == flt.stage)
    if flt.agency_id is not None:
        _check_agency(session, actor, flt.agency_id)
        stmt = stmt.where(Case.agency_id == flt.agency_id)
    if flt.owner:
        stmt = stmt.where(Case.owner_id == _owner_id(session, actor, flt.owner))
    if flt.opened_from is not None:
        stmt = stmt.where(Case.opened_at >= _moment(flt.opened_from))
    if flt.opened_to is not None:
        stmt = stmt.where(Case.opened_at < _moment(flt.opened_to + dt.timedelta(days=1)))
    if flt.overdue:
        stmt = stmt.where(_overdue_clause(utcnow().date()))
    if flt.search.strip():
        stmt = stmt.where(_search_clause(session, actor, flt.search))
    return stmt


def bounded_count(session: Session, stmt: Select[Any], cap: int = TOTAL_CAP) -> int:
    """How many rows `stmt` has, counting no further than `cap + 1` (an index range, not the
    national table)."""
    capped = stmt.with_only_columns(Case.id).limit(cap + 1).subquery()
    return int(session.scalar(select(func.count()).select_from(capped)) or 0)


def list_cases(session: Session, *, actor: Actor, flt: CaseFilter) -> CaseList:
    """One page of the cases the actor may see, newest first, after the cursor `flt.after`,
    with a total bounded by `TOTAL_CAP`, audited as `case.list` (references only); the page's
    other names, where the reader may see them, are read and audited by `list_rows`."""
    if not 0 <= flt.offset <= MAX_OFFSET:
        raise Invalid("offset", _("Go further with the next page's cursor (after)."))
    stmt = filtered(session, actor=actor, flt=flt)
    position = keyset.decode(flt.after, tag=TAG, kinds=KINDS) if flt.after else None
    limit = max(1, min(flt.limit, MAX_LIMIT))
    page = keyset.seek(stmt, KEY, position).offset(flt.offset).limit(limit + 1)
    cases = list(session.scalars(page).unique().all())
    more_pages = len(cases) > limit
    cases = cases[:limit]
    next_cursor = (
        keyset.encode((cases[-1].opened_at, cases[-1].id), tag=TAG)
        if more_pages and cases
        else None
    )
    counted = bounded_count(session, stmt)
    total, more = min(counted, TOTAL_CAP), counted > TOTAL_CAP
    audit.record(
        session,
        actor=actor,
        action="case.list",
        object_type="case",
        details={"references": [c.reference for c in cases], "total": total, "more": more},
    )
    return CaseList(cases, total, more, next_cursor, position is None)


def overdue_counts(session: Session, case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Open tasks past their due date, per case (for lists the caller already filtered)."""
    if not case_ids:
        return {}
    stmt = (
        select(CaseTask.case_id, func.count())
        .where(
            CaseTask.case_id.in_(case_ids),
            CaseTask.done_at.is_(None),
            CaseTask.due_on < utcnow().date(),
        )
        .group_by(CaseTask.case_id)
    )
    return {case_id: int(n) for case_id, n in session.execute(stmt).all()}
