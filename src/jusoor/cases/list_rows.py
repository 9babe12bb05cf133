"""The columns of the case list beyond the case row itself (issue 19, item 3): the person's other
names where the reader may see them, the case worker, the next open task and the overdue count.

`case_rows` takes a page that `listing.list_cases` has already chosen, scoped and audited, and
adds its columns in a fixed number of statements whatever the page's length (no per-row query:
`tests/cases/test_list_statements.py`): the first open task of every case through one window
query, the overdue counts through one grouped count, and, only when the page holds cases the
reader does not own, which of them share the `aliases` field (need-to-know, `cases.access`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases.access import cases_sharing_clause, owns_case
from jusoor.cases.listing import overdue_counts
from jusoor.cases.models import Case, CaseTask
from jusoor.core.permissions import Actor

ALIAS_FIELD = frozenset({"aliases"})


@dataclass(frozen=True)
class CaseRow:
    case: Case
    alias: str | None  # None: none recorded, or not shared with this reader
    owner_name: str
    next_task: CaseTask | None  # the open task due first (dated before undated), if any
    overdue: int  # open tasks past their due date


def next_tasks(session: Session, case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, CaseTask]:
    """Each case's first open task: the earliest due date, then undated ones, oldest first."""
    if not case_ids:
        return {}
    order = (CaseTask.due_on.is_(None), CaseTask.due_on, CaseTask.created_at, CaseTask.id)
    ranked = (
        select(
            CaseTask.id,
            func.row_number().over(partition_by=CaseTask.case_id, order_by=order).label("rank"),
        )
        .where(CaseTask.case_id.in_(case_ids), CaseTask.done_at.is_(None))
        .subquery()
    )
    first = select(CaseTask).join(ranked, ranked.c.id == CaseTask.id).where(ranked.c.rank == 1)
    return {task.case_id: task for task in session.scalars(first)}


def _alias_readable(session: Session, actor: Actor, cases: Sequence[Case]) -> set[uuid.UUID]:
    """The cases of the page whose `aliases` field the actor may read."""
    owned = {c.id for c in cases if owns_case(actor, c)}
    others = [c.id for c in cases if c.id not in owned]
    if others:
        shared = select(Case.id).where(
            Case.id.in_(others), cases_sharing_clause(actor, ALIAS_FIELD)
        )
        owned.update(session.scalars(shared))
    return owned


def case_rows(session: Session, *, actor: Actor, cases: Sequence[Case]) -> list[CaseRow]:
    """The list's columns for `cases`; the other names shown are audited as one `case.read` of
    that field, naming the cases."""
    ids = [c.id for c in cases]
    tasks = next_tasks(session, ids)
    late = overdue_counts(session, ids)
    readable = _alias_readable(session, actor, cases)
    rows = [
        CaseRow(
            case=c,
            alias=c.aliases if c.id in readable and c.aliases else None,
            owner_name=c.owner.display_name,
            next_task=tasks.get(c.id),
            overdue=late.get(c.id, 0),
        )
        for c in cases
    ]
    shown = [r.case.reference for r in rows if r.alias]
    if shown:
        audit.record(
            session,
            actor=actor,
            action="case.read",
            object_type="case",
            details={"references": shown, "fields": sorted(ALIAS_FIELD)},
        )
    return rows


def overdue_on(task: CaseTask | None, today: dt.date) -> bool:
    """True when the task is open and its due date has passed."""
    return task is not None and task.due_on is not None and task.due_on < today
