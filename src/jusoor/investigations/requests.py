"""Requests abroad made from a file: the file's team prepares a mutual legal assistance request, an
information request or a proposal of joint investigation; it becomes an exchange *draft* that
the central authority's liaison officer checks and sends (UNTOC art. 18(13): only exchange.send
sends to another country). The file keeps a `FileRequest` pointing at the exchange thread, and
its panel shows where the request stands, its deadline and when each answer came, read from the
exchange; message bodies stay with the readers of the exchange.

Names leave the country only when the preparer ticks them: persons concerned are the defendants
chosen on the form, none by default (data minimisation).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.audit.service import record
from jusoor.core.errors import Invalid
from jusoor.core.i18n import current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.typed_dates import TypedDate
from jusoor.entities.models import Entity
from jusoor.exchange import drafts
from jusoor.exchange.models import Peer
from jusoor.exchange.request.validation import problems
from jusoor.exchange.vocabulary import AssistanceKind, MessageType, RequestLanguage, Urgency
from jusoor.investigations import service
from jusoor.investigations.models import Charge, Defendant, FileRequest, InvestigationFile
from jusoor.investigations.offences import offence
from jusoor.investigations.vocabulary import RequestKind
from jusoor.web.labels import country_name

OBJECT = service.OBJECT

# The exchange message each kind of request is sent as. A joint investigation is first proposed
# police to police (UNTOC art. 27, 19); the agreement itself then follows the countries' channels.
MESSAGE_OF: dict[RequestKind, MessageType] = {
    RequestKind.mla: MessageType.mla_request,
    RequestKind.information: MessageType.information_request,
    RequestKind.joint_investigation: MessageType.information_request,
}

# Where the exchange's problem with a field is shown on the file's form.
FORM_FIELD = {
    "subject": "subject",
    "deadline": "deadline",
    "urgency": "urgency",
    "assistance_kind": "assistance_kind",
    "assistance_sought": "assistance_sought",
    "question": "assistance_sought",
    "facts_summary": "facts_summary",
    "purpose": "purpose",
    "persons_concerned": "named_defendants",
}


class RequestDraftIn(BaseModel):
    """What the file's team writes; the rest of the request is filled from the file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: RequestKind
    peer: str = Field(min_length=2, max_length=16)
    subject: str = Field(default="", max_length=200)
    urgency: Urgency = Urgency.normal
    deadline: TypedDate | None = None
    assistance_kind: AssistanceKind | None = None  # MLA only (UNTOC art. 18(3))
    # MLA: the assistance sought (18(15)(d)); information and joint: the question.
    assistance_sought: str = Field(default="", max_length=20_000)
    facts_summary: str = Field(default="", max_length=20_000)  # default: the file's summary
    purpose: str = Field(default="", max_length=20_000)
    # The defendants whose names go abroad as persons concerned: none unless ticked.
    named_defendants: list[uuid.UUID] = Field(default_factory=list, max_length=100)


def _offences_text(session: Session, file: InvestigationFile) -> str:
    ids = sorted(set(session.scalars(select(Charge.offence).where(Charge.file_id == file.id))))
    found = [offence(file.country, i) for i in ids]
    return "; ".join(f"{o.label} ({o.citation})" for o in found if o is not None)


def _persons(session: Session, file: InvestigationFile, chosen: Sequence[uuid.UUID]) -> str:
    """`name; ; nationality` lines of the ticked defendants of this file (others refused)."""
    if not chosen:
        return ""
    rows = session.execute(
        select(Defendant, Entity.caption)
        .join(Entity, Entity.id == Defendant.entity_id)
        .where(Defendant.file_id == file.id, Defendant.id.in_(chosen))
        .order_by(Defendant.created_at)
    ).all()
    if len(rows) != len(set(chosen)):
        raise Invalid("named_defendants", _("Tick only defendants of this file."))
    return "\n".join(f"{_one_line(caption)}; ; {d.citizenship or ''}" for d, caption in rows)


def _one_line(name: str) -> str:
    """A name as one field of a `name; location; nationality` line (either semicolon splits)."""
    return " ".join(name.replace(";", " ").replace("\u061b", " ").split())


def _values(
    session: Session, file: InvestigationFile, request_in: RequestDraftIn
) -> dict[str, Any]:
    """The exchange form of the request, pre-filled from the file (as the compose page shows it)."""
    locale = current_locale()
    agency = session.get(Agency, file.agency_id)
    agency_name = agency.name(locale) if agency else file.country
    subject = request_in.subject or _(
        "Investigation file %(reference)s: request for assistance", reference=file.reference
    )
    common: dict[str, Any] = {
        "subject": subject,
        "urgency": request_in.urgency.value,
        "deadline": request_in.deadline.isoformat() if request_in.deadline else "",
        "language": locale if locale in RequestLanguage.__members__ else "",
        "purpose": request_in.purpose,
        "joint_investigation": request_in.kind is RequestKind.joint_investigation,
    }
    if MESSAGE_OF[request_in.kind] is MessageType.information_request:
        return {
            **common,
            "handling_code": "H0",
            "question": request_in.assistance_sought,
            "case_reference": file.reference,
        }
    charged = _offences_text(session, file)
    nature = (
        _(
            "Criminal investigation, file %(reference)s, of these offences: %(offences)s.",
            reference=file.reference,
            offences=charged,
        )
        if charged
        else _(
            "Criminal investigation of trafficking in persons and related offences, file "
            "%(reference)s.",
            reference=file.reference,
        )
    )
    persons = _persons(session, file, request_in.named_defendants)
    return {
        **common,
        "requesting_authority": f"{agency_name}, {country_name(file.country)}",
        "proceeding_nature": nature,
        "conducting_authority": agency_name,
        "assistance_kind": request_in.assistance_kind.value if request_in.assistance_kind else "",
        "facts_summary": request_in.facts_summary or file.summary,
        "assistance_sought": request_in.assistance_sought,
        "persons_concerned": persons,
        "persons_concerned_note": ""
        if persons
        else _("The persons concerned are not named at this stage of the investigation."),
    }


def _check(kind: MessageType, values: dict[str, Any]) -> None:
    """The request must be complete now, so that the liaison officer can send it as it is."""
    body = {k: v for k, v in values.items() if v not in ("", None, False)}
    found = problems(kind, body)
    if found:
        field, message = next(iter(found.items()))
        raise Invalid(FORM_FIELD.get(field, "_form"), message)


def prepare(
    session: Session, *, actor: Actor, file_id: uuid.UUID, request_in: RequestDraftIn
) -> FileRequest:
    """An exchange draft for the liaison officers, prepared from the file by its team."""
    file = service.file_for_update(session, actor=actor, file_id=file_id)
    peer = session.get(Peer, request_in.peer.strip().upper())
    if peer is None or not peer.active:
        raise Invalid("peer", _("Choose a country this node exchanges with."))
    kind = MESSAGE_OF[request_in.kind]
    values = _values(session, file, request_in)
    _check(kind, values)
    draft = drafts.prepare_draft(session, actor=actor, kind=kind, to=peer.node_id, values=values)
    link = FileRequest(
        file_id=file.id,
        thread_id=draft.thread_id,
        kind=request_in.kind,
        peer=peer.node_id,
        outgoing=True,
        linked_by=actor.user_id,
    )
    session.add(link)
    session.flush()
    details: dict[str, object] = {
        "request": request_in.kind.value,
        "peer": peer.node_id,
        "named": len(request_in.named_defendants),
    }
    service.add_event(session, file, actor=actor, kind="request_prepared", details=details)
    record(
        session,
        actor=actor,
        action="investigations.request.prepare",
        object_type=OBJECT,
        object_id=file.id,
        details={**details, "draft": str(draft.id)},
    )
    return link


def defendants(session: Session, file: InvestigationFile) -> list[tuple[Defendant, str]]:
    """The file's defendants and their names, for the team choosing whom to name abroad (the
    caller has loaded the file and may change it)."""
    rows = session.execute(
        select(Defendant, Entity.caption)
        .join(Entity, Entity.id == Defendant.entity_id)
        .where(Defendant.file_id == file.id)
        .order_by(Defendant.created_at)
    ).all()
    return [(d, str(caption)) for d, caption in rows]


def requests_of(session: Session, file: InvestigationFile) -> Sequence[FileRequest]:
    """The requests of a file the caller has loaded (and whose read was audited), newest first."""
    return session.scalars(
        select(FileRequest)
        .where(FileRequest.file_id == file.id)
        .order_by(FileRequest.linked_at.desc(), FileRequest.id.desc())
    ).all()
