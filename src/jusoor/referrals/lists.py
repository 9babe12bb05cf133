"""The referral lists a national node pages through: the inbox's sections, one section or state
at a time, the overdue list, and the API's listing (issue 18, item 3).

Every list is a keyset page (`jusoor.core.keyset`): newest first by `(created_at, id)`, or, for
what is overdue, the longest overdue first by `(deadline, id)`. No list counts the national
table: a page knows whether there is a next one by reading one row more. Scope is the same
`_visible` rule as every other read of a referral, added to every query (never filtered after).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, literal, select, union_all
from sqlalchemy.orm import Session, defaultload, joinedload, lazyload, selectinload

from jusoor.cases.models import Case
from jusoor.core import keyset
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, Scope
from jusoor.referrals import workflow
from jusoor.referrals.labels import status_label
from jusoor.referrals.models import Service, Transition

Box = Literal["incoming", "outgoing", "all"]
Due = Literal["any", "overdue", "on_time"]
PAGE_SIZE = 50
SECTION_ROWS = 10  # rows of each inbox section before its "Show all" link
MAX_PAGE_SIZE = 500

NEWEST: tuple[Any, ...] = (Transition.created_at, Transition.id)
LATEST_DUE: tuple[Any, ...] = (Transition.deadline, Transition.id)


@dataclass(frozen=True)
class ReferralFilter:
    """Which referrals a list holds. `overdue=True` keeps the open ones past their deadline;
    `due` says the same for a section ("on_time": open and not yet late)."""

    box: str = "all"  # incoming | outgoing | all
    status: str | None = None
    overdue: bool = False
    case_id: uuid.UUID | None = None
    states: tuple[str, ...] = ()
    due: Due = "any"


@dataclass(frozen=True)
class Section:
    """One part of the inbox, the way people work through it."""

    key: str
    title: str  # msgid
    box: Box
    states: tuple[str, ...]
    due: Due = "any"

    def filter(self) -> ReferralFilter:
        return ReferralFilter(box=self.box, states=self.states, due=self.due)


SECTIONS: tuple[Section, ...] = (
    Section("overdue-in", N_("Overdue: waiting for your answer"), "incoming", ("requested",),
            "overdue"),
    Section("new", N_("New referrals"), "incoming", ("requested",), "on_time"),
    Section("ongoing-in", N_("In progress"), "incoming", ("accepted", "in_progress")),
    Section("overdue-out", N_("Overdue: no answer yet"), "outgoing", ("requested",), "overdue"),
    Section("waiting", N_("Sent, waiting for an answer"), "outgoing", ("requested",), "on_time"),
    Section("ongoing-out", N_("Accepted or in progress"), "outgoing", ("accepted", "in_progress")),
    Section("closed", N_("Answered and closed"), "all", ("declined", "completed", "revoked")),
)  # fmt: skip


def section(key: str) -> Section:
    """The inbox section named `key`, or an error naming the `section` parameter."""
    for found in SECTIONS:
        if found.key == key:
            return found
    raise Invalid("section", _("There is no such part of the referral inbox."))


def checked_status(status: str | None) -> str | None:
    """`status` when it is a state of the referral machine; an error naming `status` otherwise."""
    if not status:
        return None
    if status not in workflow.machine().states:
        choices = ", ".join(status_label(s) for s in workflow.machine().states)
        raise Invalid("status", _("Choose one of these states: %(choices)s.", choices=choices))
    return status


def checked_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise Invalid(
            "limit", _("Ask for between 1 and %(most)s rows at a time.", most=MAX_PAGE_SIZE)
        )
    return limit


def _filtered(stmt: Select[Any], actor: Actor, flt: ReferralFilter) -> Select[Any]:
    if flt.box == "incoming" and actor.agency_id is not None:
        stmt = stmt.where(Transition.to_agency_id == actor.agency_id)
    elif flt.box == "outgoing" and actor.agency_id is not None:
        stmt = stmt.where(Transition.from_agency_id == actor.agency_id)
    status = checked_status(flt.status)
    if status:
        stmt = stmt.where(Transition.status == status)
    if flt.states:
        stmt = stmt.where(Transition.status.in_(flt.states))
    now = utcnow()
    if flt.overdue or flt.due == "overdue":
        stmt = stmt.where(Transition.status.in_(workflow.machine().open), Transition.deadline < now)
    elif flt.due == "on_time":
        stmt = stmt.where(Transition.deadline >= now)
    if flt.case_id is not None:
        stmt = stmt.where(Transition.case_id == flt.case_id)
    return stmt


def _loaded(stmt: Select[Any], *, full: bool) -> Select[Any]:
    """What a list row needs, in a fixed number of statements whatever the number of rows:
    the case's reference only (not its encrypted fields, owner or agency), the service, both
    agencies; the moves and deliveries only for the API's full rows (one statement each).

    The case is read by a second statement (`IN` the page's ids) rather than joined: joined to
    the national cases table, PostgreSQL hashes all of it before the sort and limit
    (bench/work_queries.py); alone, the page is one range of a `0018` index."""
    options: list[Any] = [
        selectinload(Transition.case).load_only(Case.id, Case.reference),
        defaultload(Transition.case).lazyload("*"),
        joinedload(Transition.service).lazyload(Service.language_rows),
    ]
    if full:
        options += [selectinload(Transition.moves), selectinload(Transition.deliveries)]
    else:
        options += [lazyload(Transition.moves), lazyload(Transition.deliveries)]
    return stmt.options(*options)


def order_of(flt: ReferralFilter) -> tuple[str, tuple[ColumnElement[Any], ...], bool]:
    """The list's cursor tag, sort key and direction: the longest overdue first for overdue
    lists, the newest first for the others."""
    if flt.overdue or flt.due == "overdue":
        return "referrals-due", LATEST_DUE, False
    return "referrals", NEWEST, True


def _sides_first(
    stmt: Select[Any],
    actor: Actor,
    columns: tuple[Any, ...],
    position: tuple[Any, ...] | None,
    descending: bool,
    limit: int,
) -> Select[Any]:
    """`stmt` narrowed to the ids of its first `limit` rows received and first `limit` rows sent
    by the actor's agency, each side one range of its own index: "sent or received" as one
    condition makes PostgreSQL read and sort every referral of the agency for each page."""
    agency = actor.agency_id
    sides = []
    for side in (Transition.to_agency_id == agency, Transition.from_agency_id == agency):
        first = keyset.seek(stmt.with_only_columns(Transition.id).where(side), columns, position,
                            descending=descending).limit(limit).subquery()  # fmt: skip
        sides.append(select(first.c.id))
    return stmt.where(Transition.id.in_(union_all(*sides)))


def page(
    session: Session,
    visible: ColumnElement[bool],
    *,
    actor: Actor,
    flt: ReferralFilter,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    full: bool = False,
) -> keyset.KeysetPage[Transition]:
    """One keyset page of the referrals in `visible` (the caller's scope) matching `flt`; the
    caller checks the permission and audits."""
    limit = checked_limit(limit)
    stmt = _filtered(select(Transition).where(visible), actor, flt)
    tag, columns, descending = order_of(flt)
    both = flt.box == "all" and actor.scope("referrals.read") is Scope.agency and actor.agency_id
    if both:
        kinds = [c.type.python_type for c in columns]
        position = keyset.decode(after, tag=tag, kinds=kinds) if after else None
        stmt = _sides_first(stmt, actor, columns, position, descending, limit + 1)
    return keyset.fetch(
        session,
        _loaded(stmt, full=full),
        columns,
        tag=tag,
        after=after or None,
        limit=limit,
        descending=descending,
    )


def first_pages(
    session: Session,
    visible: ColumnElement[bool],
    *,
    actor: Actor,
    sections: Sequence[Section],
    limit: int,
) -> list[keyset.KeysetPage[Transition]]:
    """The first `limit` rows of each of `sections`, in three statements whatever their number:
    the ids of every section's first rows as one `UNION ALL` (each part one bounded range, as
    `page` reads it), then those referrals and their cases. The inbox asked each section
    apart, fourteen statements for seventy rows: at 1,000,000 cases the round trips, not the
    reads, made it the slowest list (docs/SCALE.md)."""
    parts = []
    for number, part in enumerate(sections):
        flt = part.filter()
        stmt = _filtered(select(Transition.id).where(visible), actor, flt)
        _tag, columns, descending = order_of(flt)
        if flt.box == "all" and actor.scope("referrals.read") is Scope.agency and actor.agency_id:
            stmt = _sides_first(stmt, actor, columns, None, descending, limit + 1)
        first = keyset.seek(stmt, columns, None, descending=descending).limit(limit + 1)
        picked = first.subquery()
        parts.append(select(literal(number).label("part"), picked.c.id))
    chosen = session.execute(union_all(*parts)).all() if parts else []
    ids = {row.id for row in chosen}
    loaded = session.scalars(_loaded(select(Transition).where(Transition.id.in_(ids)), full=False))
    by_id = {t.id: t for t in loaded.unique()} if ids else {}
    pages = []
    for number, part in enumerate(sections):
        tag, columns, descending = order_of(part.filter())
        names = [str(c.key) for c in columns]

        def key(row: Transition, names: list[str] = names) -> tuple[Any, ...]:
            return tuple(getattr(row, name) for name in names)

        rows = sorted(
            (by_id[row.id] for row in chosen if row.part == number and row.id in by_id),
            key=key,
            reverse=descending,
        )
        more = len(rows) > limit
        rows = rows[:limit]
        cursor = keyset.encode(key(rows[-1]), tag=tag) if more and rows else None
        pages.append(keyset.KeysetPage(rows=rows, next_cursor=cursor, first=True))
    return pages


def rows_of(pages: Sequence[keyset.KeysetPage[Transition]]) -> int:
    return sum(len(p.rows) for p in pages)
