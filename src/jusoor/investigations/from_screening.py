"""Opening a criminal file from a completed screening, in one step.

The screening's result page offers the action (`screening.result_actions`, registered in
`jusoor.investigations.domain.register`) to whoever may open files. The new-file form comes
prefilled (origin "screening", a title naming the screening's short reference and nothing of the
person); the file keeps the screening's short reference (S-…) in its "opened" event only, never a
link to the person's answers. When a case was opened from the screening, the form offers to link
it as a victim-witness; `witnesses.link_victim` decides, as for any link, and a refusal leaves no
file behind (the page runs the whole call in one savepoint)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.cases.models import Case
from jusoor.core.errors import NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor
from jusoor.investigations import access, service, witnesses
from jusoor.investigations.models import FileEvent, InvestigationFile
from jusoor.investigations.schemas import FileCreate
from jusoor.screening import service as screenings
from jusoor.screening.models import Screening, ScreeningStatus
from jusoor.screening.result_actions import ResultAction

NEW_FILE = "/investigations/new"


@dataclass(frozen=True)
class FromScreening:
    """What the new-file form says about the screening it was opened from."""

    screening_id: uuid.UUID
    reference: str  # S-…
    case_reference: str | None  # the case opened from the screening, if any
    title: str  # a suggestion, without personal data


def result_action(session: Session, *, actor: Actor, screening: Screening) -> ResultAction | None:
    """The result page's "Open an investigation file", for whoever may open files."""
    if not actor.can(Action.investigations_open):
        return None
    if screening.status is not ScreeningStatus.completed:
        return None
    opened = opened_from(session, actor=actor, screening=screening)
    return ResultAction(
        title=_("Investigation"),
        hint=_(
            "Open an investigation or prosecution file from this screening. The file keeps only "
            "the screening's reference, never the person's answers."
        ),
        label=_("Open an investigation file"),
        href=f"{NEW_FILE}?screening={screening.id}",
        related=tuple((f.reference, f"/investigations/{f.id}") for f in opened),
        related_title=_("Files already opened from this screening:"),
    )


def opened_from(session: Session, *, actor: Actor, screening: Screening) -> list[InvestigationFile]:
    """The files opened from `screening` that `actor` may read, so that nobody opens a second one
    unknowingly. The screening's reference lives only in the "opened" event's details (JSON,
    read here rather than queried, alike on both engines), among the files of its country
    opened after it was completed."""
    if screening.completed_at is None:
        return []
    rows = session.execute(
        select(InvestigationFile, FileEvent.details)
        .join(FileEvent, FileEvent.file_id == InvestigationFile.id)
        .where(
            FileEvent.kind == "opened",
            InvestigationFile.country == screening.country,
            InvestigationFile.created_at >= screening.completed_at,
            access.visible(actor),
        )
        .order_by(InvestigationFile.created_at)
    ).all()
    return [
        file for file, details in rows if (details or {}).get("screening") == screening.reference
    ]


def _screening(session: Session, actor: Actor, screening_id: str) -> Screening:
    try:
        wanted = uuid.UUID(screening_id)
    except ValueError:
        raise NotFound(_("No such screening.")) from None
    screening = screenings.get(session, actor=actor, screening_id=wanted)
    if screening.status is not ScreeningStatus.completed:
        raise NotFound(_("No such screening."))
    return screening


def _case_of(session: Session, screening: Screening) -> Case | None:
    return session.get(Case, screening.case_id) if screening.case_id else None


def prefill(session: Session, *, actor: Actor, screening_id: str) -> FromScreening:
    """The screening the form is opened from, as the form names it (the read is audited)."""
    actor.require(Action.investigations_open)
    screening = _screening(session, actor, screening_id)
    case = _case_of(session, screening)
    return FromScreening(
        screening_id=screening.id,
        reference=screening.reference,
        case_reference=case.reference if case is not None else None,
        title=_("Report from screening %(reference)s", reference=screening.reference),
    )


def open_from_screening(
    session: Session,
    *,
    actor: Actor,
    screening_id: str,
    file_in: FileCreate,
    link_case: bool,
) -> InvestigationFile:
    """Open a file that records the screening's short reference; with `link_case`, link the case
    opened from the screening as a victim-witness (refused like any link the actor may not make)."""
    actor.require(Action.investigations_open)
    screening = _screening(session, actor, screening_id)
    file = service.open_file(
        session, actor=actor, file_in=file_in, details={"screening": screening.reference}
    )
    case = _case_of(session, screening) if link_case else None
    if case is not None:
        link_in = witnesses.VictimLinkCreate(case_reference=case.reference)
        witnesses.link_victim(session, actor=actor, file_id=file.id, link_in=link_in)
    return file


def opened_detail(event: FileEvent) -> str:
    """The "opened" line's detail: the screening the file came from, if any."""
    reference = event.details.get("screening")
    return _("From screening %(reference)s", reference=reference) if reference else ""
