"""Investigation and prosecution files: open, read, list, edit, and move through the stages.

Every read and write is audited; a file outside the caller's reach is "not found". The objects a
file holds (defendants, victims, charges, judgments, evidence, requests) have their own modules,
which load the file through `file_for_update` / `file_for_prosecution` and write their event with
`add_event`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency, User, UserRole
from jusoor.audit.service import record
from jusoor.core.db import utcnow
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor
from jusoor.investigations import access
from jusoor.investigations.labels import stage_label
from jusoor.investigations.models import FileEvent, InvestigationFile
from jusoor.investigations.schemas import FileCreate, FileMove, FileUpdate
from jusoor.investigations.vocabulary import Stage
from jusoor.investigations.workflow import machine

OBJECT = "investigation_file"


def format_reference(country: str, year: int, number: int) -> str:
    return f"INV-{country.upper()}-{year:04d}-{number:05d}"


def _next_number(session: Session, country: str, year: int) -> int:
    last = session.scalar(
        select(func.max(InvestigationFile.number)).where(
            InvestigationFile.country == country, InvestigationFile.year == year
        )
    )
    return int(last or 0) + 1


def add_event(
    session: Session,
    file: InvestigationFile,
    *,
    actor: Actor,
    kind: str,
    details: dict[str, object] | None = None,
    reason: str | None = None,
    from_stage: str | None = None,
    to_stage: str | None = None,
) -> FileEvent:
    """One line of the file's timeline (details: codes and references only, never names)."""
    event = FileEvent(
        file_id=file.id,
        kind=kind,
        from_stage=from_stage,
        to_stage=to_stage,
        details=dict(details or {}),
        reason=reason or None,
        by_id=actor.user_id,
        at=utcnow(),
    )
    session.add(event)
    file.updated_at = event.at
    return event


def _team_member(
    session: Session,
    username: str,
    *,
    role: str,
    field: str,
    agency_id: uuid.UUID | None,
    country: str,
) -> User:
    """An active user with `role`, of `agency_id` (or of `country` when None)."""
    stmt = (
        select(User)
        .join(User.agency)
        .where(
            User.username == username,
            User.active.is_(True),
            User.role_rows.any(UserRole.role == role),
        )
    )
    stmt = (
        stmt.where(User.agency_id == agency_id)
        if agency_id
        else stmt.where(Agency.country == country)
    )
    user = session.scalars(stmt).unique().first()
    if user is None:
        message = (
            _("Choose an investigator of the agency that holds the file.")
            if role == "investigator"
            else _("Choose a prosecutor of the file's country.")
        )
        raise Invalid(field, message)
    return user


def open_file(
    session: Session,
    *,
    actor: Actor,
    file_in: FileCreate,
    details: Mapping[str, str] | None = None,
) -> InvestigationFile:
    """Open a file for the caller's agency, at the first stage. `details` (codes and references
    only, e.g. the screening it came from) go into the timeline's "opened" event."""
    actor.require(Action.investigations_open)
    if actor.user_id is None or actor.agency_id is None or actor.country is None:
        raise Forbidden(_("Only a signed-in user of an agency can open a file."))
    lead_id: uuid.UUID | None = actor.user_id if actor.can(Action.investigations_update) else None
    if file_in.lead_username:
        lead_id = _team_member(
            session,
            file_in.lead_username,
            role="investigator",
            field="lead_username",
            agency_id=actor.agency_id,
            country=actor.country,
        ).id
    now = utcnow()
    year = file_in.reported_on.year if file_in.reported_on else now.year
    for _attempt in range(5):  # two files opened at once take the same number: take the next one
        number = _next_number(session, actor.country, year)
        file = InvestigationFile(
            reference=format_reference(actor.country, year, number),
            country=actor.country,
            year=year,
            number=number,
            agency_id=actor.agency_id,
            origin=file_in.origin,
            title=file_in.title,
            summary=file_in.summary,
            stage=Stage(machine().initial),
            stage_entered_at=now,
            reported_on=file_in.reported_on,
            lead_id=lead_id,
            prosecutor_id=actor.user_id if actor.can(Action.investigations_prosecute) else None,
            court=file_in.court or None,
            opened_by=actor.user_id,
            created_at=now,
            updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(file)
                session.flush()
            break
        except IntegrityError:
            continue
    else:
        raise Invalid("reference", _("Could not number the file; try again."))
    add_event(
        session,
        file,
        actor=actor,
        kind="opened",
        details={**(details or {}), "origin": file.origin.value},
        to_stage=file.stage.value,
    )
    record(
        session,
        actor=actor,
        action="investigations.create",
        object_type=OBJECT,
        object_id=file.id,
        details={"reference": file.reference, "origin": file.origin.value},
    )
    return file


def _load(session: Session, file_id: uuid.UUID) -> InvestigationFile | None:
    return session.get(InvestigationFile, file_id)


def get_file(session: Session, *, actor: Actor, file_id: uuid.UUID) -> InvestigationFile:
    """A file the caller may read (the read is audited)."""
    actor.require(access.READ)
    file = _load(session, file_id)
    if file is None or not access.may_read(actor, file):
        raise NotFound(_("No such investigation file."))
    record(
        session, actor=actor, action="investigations.read", object_type=OBJECT, object_id=file.id
    )
    return file


def by_reference(session: Session, *, actor: Actor, reference: str) -> InvestigationFile:
    """A file the caller may read, by its reference (INV-MA-2026-00001); audited."""
    actor.require(access.READ)
    file_id = session.scalar(
        select(InvestigationFile.id).where(InvestigationFile.reference == reference.strip().upper())
    )
    if file_id is None:
        raise NotFound(_("No such investigation file."))
    return get_file(session, actor=actor, file_id=file_id)


def file_for_update(session: Session, *, actor: Actor, file_id: uuid.UUID) -> InvestigationFile:
    """A file the caller may change (its write is audited by the caller), not yet final."""
    actor.require(access.UPDATE)
    file = _load(session, file_id)
    if file is None or not access.may_read(actor, file):
        raise NotFound(_("No such investigation file."))
    if not access.may_update(actor, file):
        raise Forbidden(_("You are not allowed to do this."))
    if file.stage.value in machine().terminal:
        raise Invalid(
            "stage",
            _("The file is %(stage)s: it can no longer be changed.", stage=stage_label(file.stage)),
        )
    return file


def file_for_prosecution(
    session: Session, *, actor: Actor, file_id: uuid.UUID
) -> InvestigationFile:
    """A file the caller may charge and judge in (the public prosecution of its country)."""
    actor.require(access.PROSECUTE)
    file = file_for_update(session, actor=actor, file_id=file_id)
    if not access.may_prosecute(actor, file):
        raise Forbidden(_("You are not allowed to do this."))
    return file


@dataclass(frozen=True)
class FilePage:
    files: Sequence[InvestigationFile]
    total: int


def list_files(
    session: Session,
    *,
    actor: Actor,
    stage: Stage | None = None,
    mine: bool = False,
    reference: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> FilePage:
    """The files the caller may read, newest activity first (the listing is audited)."""
    actor.require(access.READ)
    where = [access.visible(actor)]
    if stage is not None:
        where.append(InvestigationFile.stage == stage)
    if mine and actor.user_id is not None:
        where.append(
            or_(
                InvestigationFile.lead_id == actor.user_id,
                InvestigationFile.prosecutor_id == actor.user_id,
                InvestigationFile.opened_by == actor.user_id,
            )
        )
    if reference:
        where.append(InvestigationFile.reference.contains(reference.strip().upper()))
    total = int(session.scalar(select(func.count(InvestigationFile.id)).where(*where)) or 0)
    files = session.scalars(
        select(InvestigationFile)
        .where(*where)
        .order_by(InvestigationFile.updated_at.desc(), InvestigationFile.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    record(
        session,
        actor=actor,
        action="investigations.list",
        object_type=OBJECT,
        details={"count": len(files), "stage": stage.value if stage else None},
    )
    return FilePage(files=files, total=total)


def update_file(
    session: Session, *, actor: Actor, file_id: uuid.UUID, file_in: FileUpdate
) -> InvestigationFile:
    file = file_for_update(session, actor=actor, file_id=file_id)
    changed = file_in.model_dump(exclude_unset=True)
    prosecutor = changed.pop("prosecutor_username", None)
    if prosecutor:
        file.prosecutor_id = _team_member(
            session,
            prosecutor,
            role="prosecutor",
            field="prosecutor_username",
            agency_id=None,
            country=file.country,
        ).id
    for name, value in changed.items():
        if name == "title" and not value:
            raise Invalid("title", _("Give the file a title."))
        setattr(file, name, value if value != "" else None if name != "summary" else "")
    fields = sorted([*changed, *(["prosecutor"] if prosecutor else [])])
    add_event(session, file, actor=actor, kind="edited", details={"fields": fields})
    record(
        session,
        actor=actor,
        action="investigations.update",
        object_type=OBJECT,
        object_id=file.id,
        details={"fields": fields},
    )
    return file


def allowed_moves(actor: Actor, file: InvestigationFile) -> list[Stage]:
    """The stages the caller may offer to move `file` to (guards explain themselves on submit)."""
    if not access.may_update(actor, file):
        return []
    moves = machine().allowed(file.stage.value, access.side(actor))
    return [Stage(t.target) for t in moves if t.target]


def move(session: Session, *, actor: Actor, file_id: uuid.UUID, move_in: FileMove) -> FileEvent:
    """Move the file to the next stage: the machine checks side, order, reason and guards."""
    file = file_for_update(session, actor=actor, file_id=file_id)
    current = file.stage.value
    transition = machine().take(
        current,
        move_in.stage.value,
        side=access.side(actor),
        reason=move_in.reason,
        context=file,
    )
    target = Stage(transition.target or current)
    now = utcnow()
    if target in (Stage.no_charge, Stage.closed):
        file.closing_reason = move_in.reason
    file.stage = target
    file.stage_entered_at = now
    event = add_event(
        session,
        file,
        actor=actor,
        kind="stage",
        from_stage=current,
        to_stage=target.value,
        reason=move_in.reason,
    )
    record(
        session,
        actor=actor,
        action="investigations.move",
        object_type=OBJECT,
        object_id=file.id,
        details={"from": current, "to": target.value},
    )
    return event


def events(session: Session, file: InvestigationFile) -> Sequence[FileEvent]:
    """The timeline of a file the caller has loaded (and whose read was audited), oldest first."""
    return session.scalars(
        select(FileEvent).where(FileEvent.file_id == file.id).order_by(FileEvent.at, FileEvent.id)
    ).all()


@dataclass(frozen=True)
class StageSpan:
    stage: Stage
    entered: dt.datetime
    left: dt.datetime | None

    @property
    def days(self) -> int:
        return ((self.left or utcnow()) - self.entered).days


def stage_spans(session: Session, file: InvestigationFile) -> list[StageSpan]:
    """How long the file stayed in each stage it went through (the last one still open)."""
    moves = [e for e in events(session, file) if e.to_stage]
    spans: list[StageSpan] = []
    for i, event in enumerate(moves):
        left = moves[i + 1].at if i + 1 < len(moves) else None
        spans.append(StageSpan(Stage(str(event.to_stage)), event.at, left))
    return spans


@dataclass(frozen=True)
class Team:
    agency: str  # the opening agency's name
    lead: str | None
    prosecutor: str | None


def team(session: Session, file: InvestigationFile, locale: str) -> Team:
    """Who holds the file, by name, for a page that already loaded (and audited) it."""
    agency = session.get(Agency, file.agency_id)
    ids = [i for i in (file.lead_id, file.prosecutor_id) if i]
    names = (
        {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(ids)))}
        if ids
        else {}
    )
    return Team(
        agency=agency.name(locale) if agency else "—",
        lead=names.get(file.lead_id) if file.lead_id else None,
        prosecutor=names.get(file.prosecutor_id) if file.prosecutor_id else None,
    )
