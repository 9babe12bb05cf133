"""The investigator's and the prosecutor's workspace: where their day starts.

One call, `workspace`, gathers what a person must act on across the files they may read: their own
files by stage, the files waiting on them, the hearings of this week and next, the legal
instruments about to expire (or expired and not yet marked), and the latest activity on their
files. Every query goes through `access.visible`, so another agency's or country's files, hearings
and instruments never appear; the view is audited as one read.

The identification queue belongs to the screening domain: see `identification`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import User
from jusoor.audit.service import record
from jusoor.core.db import utcnow
from jusoor.core.permissions import Actor
from jusoor.investigations import access
from jusoor.investigations.identification import AwaitingIdentification, awaiting_identification
from jusoor.investigations.models import FileEvent, Hearing, Instrument, InvestigationFile
from jusoor.investigations.service import OBJECT
from jusoor.investigations.timeline import Line, worded
from jusoor.investigations.vocabulary import InstrumentStatus, Stage
from jusoor.investigations.workflow import machine

# A file still at report or preliminary investigation after this many days waits on its
# investigator: a working rule of thumb for the first steps of an inquiry, not a legal time limit.
STALE_AFTER_DAYS = 30
# Legal instruments shown from this many days before they expire.
DEADLINE_WINDOW_DAYS = 14
GROUP_LIMIT = 8  # files shown per stage; the list page shows the rest
LIST_LIMIT = 20
ACTIVITY_LIMIT = 15
# Still in force, so their expiry is a deadline (executed, refused, expired ones are not).
PENDING_INSTRUMENTS = (InstrumentStatus.requested, InstrumentStatus.issued)
INVESTIGATION_STAGES = (Stage.report, Stage.preliminary_investigation)


@dataclass(frozen=True)
class StageGroup:
    stage: Stage
    total: int
    files: Sequence[InvestigationFile]  # the oldest in the stage first, at most GROUP_LIMIT
    finished: bool  # a terminal stage: counted, not listed


@dataclass(frozen=True)
class Waiting:
    file: InvestigationFile
    days: int  # in the current stage


@dataclass(frozen=True)
class HearingItem:
    hearing: Hearing
    file: InvestigationFile
    mine: bool


@dataclass(frozen=True)
class DeadlineItem:
    instrument: Instrument
    file: InvestigationFile
    days_left: int  # negative: expired that many days ago and not yet marked
    mine: bool

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class Activity:
    file: InvestigationFile
    line: Line


@dataclass(frozen=True)
class Weeks:
    this_start: dt.date
    next_start: dt.date
    after: dt.date  # the day after next week


@dataclass(frozen=True)
class Workspace:
    side: str  # "investigator" or "prosecutor"
    today: dt.date
    weeks: Weeks
    mine: Sequence[StageGroup]
    mine_total: int
    waiting: Sequence[Waiting]
    waiting_total: int
    hearings_this_week: Sequence[HearingItem]
    hearings_next_week: Sequence[HearingItem]
    deadlines: Sequence[DeadlineItem]
    activity: Sequence[Activity]
    identification: AwaitingIdentification | None = field(default=None)


def weeks_of(today: dt.date, first_weekday: int) -> Weeks:
    """This week and next, starting on `first_weekday` (0 Monday … 6 Sunday, as CLDR says)."""
    start = today - dt.timedelta(days=(today.weekday() - first_weekday) % 7)
    return Weeks(start, start + dt.timedelta(days=7), start + dt.timedelta(days=14))


def _mine(actor: Actor) -> ColumnElement[bool]:
    me = actor.user_id
    return or_(
        InvestigationFile.lead_id == me,
        InvestigationFile.prosecutor_id == me,
        InvestigationFile.opened_by == me,
    )


def _is_mine(actor: Actor, file: InvestigationFile) -> bool:
    return actor.user_id is not None and actor.user_id in (
        file.lead_id,
        file.prosecutor_id,
        file.opened_by,
    )


def _days_since(moment: dt.datetime, now: dt.datetime) -> int:
    return max(0, (now - moment).days)


def _my_files(session: Session, actor: Actor) -> tuple[list[StageGroup], int]:
    where = (access.visible(actor), _mine(actor))
    counts = {
        Stage(stage): int(n)
        for stage, n in session.execute(
            select(InvestigationFile.stage, func.count(InvestigationFile.id))
            .where(*where)
            .group_by(InvestigationFile.stage)
        )
    }
    terminal = machine().terminal
    groups = []
    for stage in Stage:  # the stages' own order: the file's life from report to final
        if not counts.get(stage):
            continue
        finished = stage.value in terminal
        files: Sequence[InvestigationFile] = ()
        if not finished:
            files = session.scalars(
                select(InvestigationFile)
                .where(*where, InvestigationFile.stage == stage)
                .order_by(InvestigationFile.stage_entered_at, InvestigationFile.id)
                .limit(GROUP_LIMIT)
            ).all()
        groups.append(StageGroup(stage, counts[stage], files, finished))
    return groups, sum(counts.values())


def _waiting_on(session: Session, actor: Actor, now: dt.datetime) -> tuple[list[Waiting], int]:
    """Investigator: their files stuck in the first steps. Prosecutor: the files awaiting the
    prosecution's decision that are theirs or nobody's yet, oldest first."""
    if access.side(actor) == "prosecutor":
        condition = and_(
            InvestigationFile.stage == Stage.prosecution_decision,
            or_(
                InvestigationFile.prosecutor_id == actor.user_id,
                InvestigationFile.prosecutor_id.is_(None),
            ),
        )
    else:
        condition = and_(
            _mine(actor),
            InvestigationFile.stage.in_(INVESTIGATION_STAGES),
            InvestigationFile.stage_entered_at < now - dt.timedelta(days=STALE_AFTER_DAYS),
        )
    where = (access.visible(actor), condition)
    total = int(session.scalar(select(func.count(InvestigationFile.id)).where(*where)) or 0)
    files = session.scalars(
        select(InvestigationFile)
        .where(*where)
        .order_by(InvestigationFile.stage_entered_at, InvestigationFile.id)
        .limit(LIST_LIMIT)
    ).all()
    return [Waiting(f, _days_since(f.stage_entered_at, now)) for f in files], total


def _midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def _hearings(
    session: Session, actor: Actor, start: dt.datetime, end: dt.datetime
) -> list[HearingItem]:
    rows = session.execute(
        select(Hearing, InvestigationFile)
        .join(InvestigationFile, InvestigationFile.id == Hearing.file_id)
        .where(access.visible(actor), Hearing.scheduled_at >= start, Hearing.scheduled_at < end)
        .order_by(Hearing.scheduled_at, Hearing.id)
        .limit(100)
    ).all()
    return [HearingItem(h, f, _is_mine(actor, f)) for h, f in rows]


def _deadlines(session: Session, actor: Actor, today: dt.date) -> list[DeadlineItem]:
    rows = session.execute(
        select(Instrument, InvestigationFile)
        .join(InvestigationFile, InvestigationFile.id == Instrument.file_id)
        .where(
            access.visible(actor),
            Instrument.status.in_(PENDING_INSTRUMENTS),
            Instrument.expires_on.is_not(None),
            Instrument.expires_on <= today + dt.timedelta(days=DEADLINE_WINDOW_DAYS),
        )
        .order_by(Instrument.expires_on, Instrument.id)
        .limit(50)
    ).all()
    return [
        DeadlineItem(i, f, (i.expires_on - today).days if i.expires_on else 0, _is_mine(actor, f))
        for i, f in rows
    ]


def _activity(session: Session, actor: Actor) -> list[Activity]:
    rows = session.execute(
        select(FileEvent, InvestigationFile)
        .join(InvestigationFile, InvestigationFile.id == FileEvent.file_id)
        .where(access.visible(actor), _mine(actor))
        .order_by(FileEvent.at.desc(), FileEvent.id.desc())
        .limit(ACTIVITY_LIMIT)
    ).all()
    ids = {e.by_id for e, _f in rows if e.by_id}
    names: dict[uuid.UUID, str] = (
        {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(ids)))}
        if ids
        else {}
    )
    return [Activity(f, worded(e, names)) for e, f in rows]


def workspace(
    session: Session,
    *,
    actor: Actor,
    today: dt.date | None = None,
    timezone: str = "UTC",
    first_weekday: int = 0,
) -> Workspace:
    """What `actor` must act on today, across the files they may read (audited as one read).

    `today` and the weeks are the person's own (their time zone, their country's first day of the
    week), so "this week" means what it means on their wall calendar."""
    actor.require(access.READ)
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    now = utcnow()
    today = today or now.astimezone(zone).date()
    weeks = weeks_of(today, first_weekday)
    mine, mine_total = _my_files(session, actor)
    waiting, waiting_total = _waiting_on(session, actor, now)
    this_week = _hearings(
        session, actor, _midnight(weeks.this_start, zone), _midnight(weeks.next_start, zone)
    )
    next_week = _hearings(
        session, actor, _midnight(weeks.next_start, zone), _midnight(weeks.after, zone)
    )
    deadlines = _deadlines(session, actor, today)
    activity = _activity(session, actor)
    identification = awaiting_identification(session, actor=actor)
    shown = {
        f.reference
        for f in [
            *(f for g in mine for f in g.files),
            *(w.file for w in waiting),
            *(h.file for h in [*this_week, *next_week]),
            *(d.file for d in deadlines),
            *(a.file for a in activity),
        ]
    }
    record(
        session,
        actor=actor,
        action="investigations.workspace",
        object_type=OBJECT,
        details={
            "files": sorted(shown),
            "hearings": len(this_week) + len(next_week),
            "deadlines": len(deadlines),
        },
    )
    return Workspace(
        side=access.side(actor),
        today=today,
        weeks=weeks,
        mine=mine,
        mine_total=mine_total,
        waiting=waiting,
        waiting_total=waiting_total,
        hearings_this_week=this_week,
        hearings_next_week=next_week,
        deadlines=deadlines,
        activity=activity,
        identification=identification,
    )
