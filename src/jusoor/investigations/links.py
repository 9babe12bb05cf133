"""Files linked to one another (the same network, a file joined to another, a file split off):
stored once, shown from both ends, each end worded from its own side.

A person links only files they may both read; any other file, of another agency out of their
reach or of another country, is "not found", so that the link form cannot be used to learn which
references exist. A reader sees only the linked files they may read themselves.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.investigations import access, service
from jusoor.investigations.labels import choices, label, stage_label
from jusoor.investigations.models import FileEvent, FileLink, InvestigationFile
from jusoor.investigations.vocabulary import LinkRelation, Stage
from jusoor.investigations.workflow import machine

# How a directed relation reads from the other file (the undirected ones read the same).
_FROM_OTHER_END = {
    LinkRelation.joined: N_("This file was joined to it"),
    LinkRelation.split_from: N_("This file was split from it"),
}


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    other_reference: str = Field(min_length=3, max_length=40)
    relation: LinkRelation


def relation_label(relation: LinkRelation, *, from_other_end: bool) -> str:
    text = _FROM_OTHER_END.get(relation) if from_other_end else None
    return _(text) if text else label(LinkRelation, relation)


def _other(session: Session, actor: Actor, reference: str) -> InvestigationFile:
    found = session.scalars(
        select(InvestigationFile).where(
            InvestigationFile.reference == reference.strip().upper(), access.visible(actor)
        )
    ).first()
    if found is None:
        raise NotFound(_("No such investigation file."), field="other_reference")
    return found


def link_files(session: Session, *, actor: Actor, file_id: uuid.UUID, link_in: LinkIn) -> FileLink:
    """Link the file to another the caller may read; the same pair only once, either way round."""
    file = service.file_for_update(session, actor=actor, file_id=file_id)
    other = _other(session, actor, link_in.other_reference)
    if other.id == file.id:
        raise Invalid("other_reference", _("A file cannot be linked to itself."))
    pair = or_(
        and_(FileLink.file_id == file.id, FileLink.other_id == other.id),
        and_(FileLink.file_id == other.id, FileLink.other_id == file.id),
    )
    if session.scalar(select(FileLink.id).where(pair)) is not None:
        raise Invalid(
            "other_reference",
            _("This file is already linked to %(reference)s.", reference=other.reference),
        )
    link = FileLink(
        file_id=file.id, other_id=other.id, relation=link_in.relation, linked_by=actor.user_id
    )
    session.add(link)
    session.flush()
    # The timeline is read by everyone who reads the file, some of whom may not read the other
    # one: it names the relation only; the panel names the other file to those who may read it.
    for here, there, end in ((file, other, "this"), (other, file, "other")):
        details: dict[str, object] = {"relation": link.relation.value, "end": end}
        service.add_event(session, here, actor=actor, kind="link", details=details)
        record(
            session,
            actor=actor,
            action="investigations.link",
            object_type=service.OBJECT,
            object_id=here.id,
            details={"link": str(link.id), "other": str(there.id)},
        )
    return link


@dataclass(frozen=True)
class LinkedFile:
    id: uuid.UUID
    reference: str
    stage: Stage
    relation: str  # worded from the reader's end


def linked_files(session: Session, *, actor: Actor, file: InvestigationFile) -> list[LinkedFile]:
    """The files linked to a loaded (and audited) file, from either end, that `actor` may read."""
    rows = session.scalars(
        select(FileLink)
        .where(or_(FileLink.file_id == file.id, FileLink.other_id == file.id))
        .order_by(FileLink.linked_at, FileLink.id)
    ).all()
    found: list[LinkedFile] = []
    for row in rows:
        from_other_end = row.other_id == file.id
        other = session.get(InvestigationFile, row.file_id if from_other_end else row.other_id)
        if other is None or not access.may_read(actor, other):
            continue  # need-to-know: a file out of reach is not even named
        words = relation_label(row.relation, from_other_end=from_other_end)
        found.append(LinkedFile(other.id, other.reference, other.stage, words))
    return found


def panel(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    """The linked files section of the file page."""
    found = linked_files(session, actor=actor, file=file)
    return {
        "visible": True,
        "title": _("Linked files"),
        "count": len(found),
        "links": found,
        "relations": choices(LinkRelation),
        "stage_label": stage_label,
        "may_update": access.may_update(actor, file) and file.stage.value not in machine().terminal,
    }


def _word(event: FileEvent) -> str:
    details = event.details or {}
    relation = str(details.get("relation", LinkRelation.related.value))
    if relation not in LinkRelation.__members__:
        return ""
    return relation_label(LinkRelation(relation), from_other_end=details.get("end") == "other")


TIMELINE_KINDS = {"link": N_("Linked to another file")}
TIMELINE_DETAILS = {"link": _word}
