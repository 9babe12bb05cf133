"""Notes (encrypted) and tasks with due dates on a case; each lands on the timeline and the audit."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.cases.access import case_for
from jusoor.cases.models import Case, CaseNote, CaseTask
from jusoor.cases.schemas import NoteCreate, TaskCreate
from jusoor.cases.timeline import record_and_audit
from jusoor.cases.vocabulary import EventKind
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor


def add_note(
    session: Session, *, actor: Actor, case_id: uuid.UUID, note_in: NoteCreate
) -> CaseNote:
    case = case_for(session, actor, case_id, "cases.update")
    note = CaseNote(
        case_id=case.id,
        author_id=actor.user_id,
        author_username=actor.username,
        body=note_in.body.strip(),
    )
    session.add(note)
    session.flush()
    details = {"note_id": str(note.id)}
    record_and_audit(
        session,
        actor=actor,
        case=case,
        kind=EventKind.note_added,
        details=details,
        action="case.note",
    )
    return note


def add_task(
    session: Session, *, actor: Actor, case_id: uuid.UUID, task_in: TaskCreate
) -> CaseTask:
    case = case_for(session, actor, case_id, "cases.update")
    task = CaseTask(
        case_id=case.id,
        title=task_in.title.strip(),
        due_on=task_in.due_on,
        created_by_username=actor.username,
    )
    session.add(task)
    session.flush()
    keep_next_due(session, case)
    details = {
        "task_id": str(task.id),
        "due_on": task.due_on.isoformat() if task.due_on else None,
    }
    record_and_audit(
        session,
        actor=actor,
        case=case,
        kind=EventKind.task_added,
        details=details,
        action="case.task",
    )
    return task


def complete_task(
    session: Session, *, actor: Actor, case_id: uuid.UUID, task_id: uuid.UUID
) -> CaseTask:
    case = case_for(session, actor, case_id, "cases.update")
    task = session.get(CaseTask, task_id)
    if task is None or task.case_id != case.id:
        raise NotFound(_("No such task."))
    if task.done_at is not None:
        raise Conflict(_("This task is already done."), field="task_id")
    task.done_at = utcnow()
    task.done_by_username = actor.username
    session.flush()
    keep_next_due(session, case)
    details = {"task_id": str(task.id)}
    record_and_audit(
        session,
        actor=actor,
        case=case,
        kind=EventKind.task_done,
        details=details,
        action="case.task_done",
    )
    return task


def keep_next_due(session: Session, case: Case) -> None:
    """Set `case.next_due_on` to the due date of its first open task, after a task changed."""
    case.next_due_on = session.scalar(
        select(func.min(CaseTask.due_on)).where(
            CaseTask.case_id == case.id, CaseTask.done_at.is_(None)
        )
    )


def notes_of(session: Session, case_id: uuid.UUID) -> list[CaseNote]:
    stmt = select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.created_at)
    return list(session.scalars(stmt).all())


def tasks_of(session: Session, case_id: uuid.UUID) -> list[CaseTask]:
    stmt = (
        select(CaseTask)
        .where(CaseTask.case_id == case_id)
        .order_by(CaseTask.done_at.is_not(None), CaseTask.due_on, CaseTask.created_at)
    )
    return list(session.scalars(stmt).all())
