"""Demo cases spread over the past five years, as a node that has worked for years holds them.

The case services date everything `now`; a demo built in one go would show every case opened the
same day, every stage lasting seconds, and a time series of one point. Once a demo case has been
opened and moved through its stages (by the real services), `spread` dates its history: opened
some time ago, each stage lasting what it lasts in practice (OSCE/ODIHR NRM handbook: a reflection
period of 30 to 90 days, assistance of months), closed cases anywhere in the past five years with
recent years busier (as registrations grow), open cases as old as their stage makes plausible.

The timeline is append-only for the people who use it; the demo writes a history that happened
before it was loaded, so it dates the events once, right after writing them, before anyone reads
them (a table UPDATE: the ORM's append-only guard is for the services). Referrals, screenings and
investigations made later in the demo keep their own (recent) dates.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from jusoor.cases.models import Case, CaseEvent, CaseNote, CaseTask, Consent
from jusoor.cases.vocabulary import EventKind, Stage
from jusoor.core.db import utcnow

EVENTS = cast(Table, CaseEvent.__table__)
YEARS = 5
# Days a case takes to reach a stage from the one before it (low, high).
REACH: dict[str, tuple[int, int]] = {
    Stage.reasonable_grounds: (1, 10),
    Stage.recovery_reflection: (3, 20),
    Stage.assistance: (30, 90),  # after the reflection period; (5, 30) straight from grounds
    Stage.return_reintegration: (30, 240),
    Stage.residence_inclusion: (60, 365),
    Stage.proceedings: (30, 300),
    Stage.closed: (20, 300),
}
# Days an open case has already spent in its current stage (low, high).
DWELL: dict[str, tuple[int, int]] = {
    Stage.identification: (1, 30),
    Stage.reasonable_grounds: (2, 40),
    Stage.recovery_reflection: (5, 80),
    Stage.assistance: (10, 400),
    Stage.return_reintegration: (10, 300),
    Stage.residence_inclusion: (20, 500),
    Stage.proceedings: (30, 700),
}
DAY = dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)


def _delays(path: tuple[str, ...], rng: random.Random) -> list[float]:
    delays, before = [], Stage.identification.value
    for stage in path:
        low, high = REACH[stage]
        if stage == Stage.assistance and before == Stage.reasonable_grounds:
            low, high = 5, 30
        if stage == Stage.closed and before == Stage.identification:
            low, high = 1, 20  # not a victim after all, or the person left
        delays.append(rng.uniform(low, high))
        before = stage
    return delays


def _age(path: tuple[str, ...], delays: list[float], rng: random.Random) -> float:
    """Days since the opening: the stages' length, plus the time in the current stage or, for a
    closed case, since it closed (triangular: the recent years are busier)."""
    total = sum(delays)
    current = path[-1] if path else Stage.identification.value
    if current == Stage.closed:
        room = max(0.0, YEARS * 365 - total - 1)
        return total + 1 + rng.triangular(0, room, 0)
    low, high = DWELL[current]
    return total + rng.uniform(low, high)


def spread(session: Session, case_id: uuid.UUID, path: tuple[str, ...], rng: random.Random) -> None:
    """Date the history of a demo case just opened and moved along `path` (see the module)."""
    case = session.get(Case, case_id)
    assert case is not None
    now = utcnow()
    delays = _delays(path, rng)
    opened = (now - _age(path, delays, rng) * DAY).replace(microsecond=0)
    moves, at = [], opened
    for days in delays:
        at = at + days * DAY
        moves.append(at)
    before = case.opened_at
    case.opened_at = opened
    case.stage_entered_at = moves[-1] if moves else opened
    if case.closed_at is not None:
        case.closed_at = case.stage_entered_at
    early = _date_events(session, case, opened, moves, before)
    _dated_case_fields(case, path, moves, before)
    for consent in session.scalars(select(Consent).where(Consent.case_id == case_id)).unique():
        consent.given_at = early(consent.given_at)
        if consent.withdrawn_at is not None:
            consent.withdrawn_at = early(consent.withdrawn_at) + MINUTE
    for note in session.scalars(select(CaseNote).where(CaseNote.case_id == case_id)):
        note.created_at = early(note.created_at)
    for task in session.scalars(select(CaseTask).where(CaseTask.case_id == case_id)):
        task.created_at = early(task.created_at)


def _shifted(value: Any, days: int) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return (dt.date.fromisoformat(value) - dt.timedelta(days=days)).isoformat()
    except ValueError:
        return value


def _date_events(
    session: Session, case: Case, opened: dt.datetime, moves: list[dt.datetime], before: dt.datetime
) -> Callable[[dt.datetime], dt.datetime]:
    """Date the case's events: the opening and what came with it minutes apart, each stage move
    at its day (with what it set: the reflection period's end, the best-interests steps)."""
    rows = session.execute(
        select(CaseEvent.seq, CaseEvent.kind, CaseEvent.details, CaseEvent.at)
        .where(CaseEvent.case_id == case.id)
        .order_by(CaseEvent.seq)
    ).all()
    first_move = moves[0] if moves else None
    early_times: dict[dt.datetime, dt.datetime] = {}

    def early(old: dt.datetime) -> dt.datetime:
        # What happened at the opening keeps its order, a minute apart, before the first move.
        if old not in early_times:
            early_times[old] = opened + (len(early_times) + 1) * MINUTE
        found = early_times[old]
        return min(found, first_move - MINUTE) if first_move else found

    move_index = 0
    for seq, kind, details, at in rows:
        changed = dict(details or {})
        if kind == EventKind.opened:
            new_at = opened
        elif kind == EventKind.stage_moved and move_index < len(moves):
            new_at = moves[move_index]
            move_index += 1
            back = (before.date() - new_at.date()).days
            if "reflection_ends_on" in changed:
                changed["reflection_ends_on"] = _shifted(changed["reflection_ends_on"], back)
        elif kind == EventKind.best_interests_recorded and move_index < len(moves):
            new_at = moves[move_index] - (2 if changed.get("step") == "assessment" else 1) * MINUTE
            changed["on"] = new_at.date().isoformat()
        else:
            new_at = early(at)
        session.execute(
            update(EVENTS).where(EVENTS.c.seq == seq).values(at=new_at, details=changed)
        )
    for event in [o for o in session.identity_map.values() if isinstance(o, CaseEvent)]:
        if event.case_id == case.id:
            session.expire(event)
    return early


def _dated_case_fields(
    case: Case, path: tuple[str, ...], moves: list[dt.datetime], before: dt.datetime
) -> None:
    """The dates the moves set: the reflection period's end, the best-interests steps."""
    if case.reflection_ends_on is not None and Stage.recovery_reflection in path:
        entered = moves[path.index(Stage.recovery_reflection)]
        case.reflection_ends_on = case.reflection_ends_on - (before.date() - entered.date())
    if case.best_interests_determined_on is not None and Stage.return_reintegration in path:
        returned = moves[path.index(Stage.return_reintegration)].date()
        case.best_interests_assessed_on = returned
        case.best_interests_determined_on = returned
