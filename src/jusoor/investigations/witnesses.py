"""Victims in a criminal file, by reference to their NRM case only, and their protection.

Need-to-know runs both ways (DESIGN.md; UNODC Model Law on TIP art. 24–26 on victim-witnesses):
- the file's readers see the case's reference and stage; the person's profile codes (gender,
  age band, child, citizenship, forms of exploitation) only while the case holds the person's
  consent for cooperation with criminal proceedings (`ConsentPurpose.criminal_proceedings`) —
  never names, contact, documents, health or notes. The read is audited as a read of the case;
- the case's holder (`cases.read` on it and `investigations.witness`) sees that the person is a
  victim-witness in file X at stage Y, not the file's contents, and the protection measures.
Protection measures are recorded from either side and land on both timelines.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.cases.access import case_for
from jusoor.cases.consent import active_consent
from jusoor.cases.models import Case
from jusoor.cases.timeline import record_event
from jusoor.cases.vocabulary import ConsentPurpose
from jusoor.cases.vocabulary import Stage as CaseStage
from jusoor.core.errors import Invalid
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor
from jusoor.core.typed_dates import TypedDate
from jusoor.investigations import service
from jusoor.investigations.labels import label
from jusoor.investigations.models import (
    FileEvent,
    InvestigationFile,
    VictimLink,
    WitnessProtection,
)
from jusoor.investigations.schemas import not_in_future
from jusoor.investigations.vocabulary import ProtectionMeasure, Stage

OBJECT = "investigation_victim"
# The case timeline's codes this module writes (registered in domain.py).
CASE_LINKED = "criminal_file_witness"
CASE_PROTECTION = "witness_protection"
# What the file's readers may see of the person, with the consent (`fields.yaml` names).
PROFILE_FIELDS = ("gender", "age_band", "is_child", "citizenship", "forms_of_exploitation")


class VictimLinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    case_reference: str = Field(min_length=1, max_length=32)


class ProtectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    measure: ProtectionMeasure
    ordered_on: TypedDate
    ends_on: TypedDate | None = None
    note: str = Field(default="", max_length=2000)

    _past = field_validator("ordered_on")(not_in_future)

    @model_validator(mode="after")
    def _ends_after(self) -> ProtectionCreate:
        if self.ends_on is not None and self.ends_on < self.ordered_on:
            raise ValueError(_("The end date is before the date the measure was ordered."))
        return self


def _no_such_case() -> Invalid:
    # One message whether the case does not exist, is of another country, or is already linked:
    # the answer must not tell an investigator that a victim's case exists out of their reach.
    return Invalid("case_reference", _("No case with this reference can be linked to this file."))


def link_victim(
    session: Session, *, actor: Actor, file_id: uuid.UUID, link_in: VictimLinkCreate
) -> VictimLink:
    """Link the NRM case `case_reference` to the file as a victim-witness (nothing copied)."""
    file = service.file_for_update(session, actor=actor, file_id=file_id)
    reference = link_in.case_reference.upper()
    case = session.scalars(select(Case).where(Case.reference == reference)).first()
    if case is None or case.country != file.country:
        raise _no_such_case()
    taken = session.scalar(
        select(VictimLink.id).where(VictimLink.file_id == file.id, VictimLink.case_id == case.id)
    )
    if taken is not None:
        raise _no_such_case()
    link = VictimLink(
        file_id=file.id,
        case_id=case.id,
        case_reference=case.reference,
        is_witness=True,
        linked_by=actor.user_id,
    )
    session.add(link)
    session.flush()
    service.add_event(
        session, file, actor=actor, kind="victim_linked", details={"case": case.reference}
    )
    record_event(session, actor=actor, case=case, kind=CASE_LINKED,
                 details={"file": file.reference})  # fmt: skip
    record(session, actor=actor, action="investigations.victim_link", object_type=OBJECT,
           object_id=link.id, details={"file": file.reference, "case": case.reference})  # fmt: skip
    return link


@dataclass(frozen=True)
class VictimView:
    """A victim as the file's readers see them: never a name, contact, document or health."""

    link: VictimLink
    case_stage: CaseStage
    consent: bool  # the person consented to cooperation with criminal proceedings
    gender: str | None = None
    age_band: str | None = None
    is_child: bool | None = None
    citizenship: tuple[str, ...] = ()
    forms_of_exploitation: tuple[str, ...] = ()
    measures: tuple[WitnessProtection, ...] = ()


def _measures(
    session: Session, link_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[WitnessProtection]]:
    found: dict[uuid.UUID, list[WitnessProtection]] = {i: [] for i in link_ids}
    if link_ids:
        rows = session.scalars(
            select(WitnessProtection)
            .where(WitnessProtection.victim_link_id.in_(link_ids))
            .order_by(WitnessProtection.ordered_on, WitnessProtection.recorded_at)
        )
        for row in rows:
            found[row.victim_link_id].append(row)
    return found


def victims_of(session: Session, *, actor: Actor, file: InvestigationFile) -> list[VictimView]:
    """The victims of a file the caller has loaded (and whose read was audited), with what the
    person's consent lets its readers see; each case shown is audited as a case read."""
    links = list(
        session.scalars(
            select(VictimLink).where(VictimLink.file_id == file.id).order_by(VictimLink.linked_at)
        )
    )
    measures = _measures(session, [lk.id for lk in links])
    views: list[VictimView] = []
    for link in links:
        case = session.get(Case, link.case_id)
        if case is None:  # a foreign key: cannot happen; shown as nothing rather than guessed
            continue
        consent = active_consent(session, case, ConsentPurpose.criminal_proceedings) is not None
        shown = ["reference", "stage", *(PROFILE_FIELDS if consent else ())]
        record(session, actor=actor, action="case.read", object_type="case", object_id=case.id,
               details={"reference": case.reference, "fields": shown,
                        "via": f"investigations:{file.reference}"})  # fmt: skip
        view = VictimView(link, case.stage, consent, measures=tuple(measures[link.id]))
        if consent:
            view = VictimView(
                link,
                case.stage,
                consent,
                gender=case.gender.value,
                age_band=case.age_band,
                is_child=case.is_child,
                citizenship=tuple(case.citizenship or ()),
                forms_of_exploitation=tuple(case.forms_of_exploitation or ()),
                measures=view.measures,
            )
        views.append(view)
    return views


def _store_measure(
    session: Session,
    *,
    actor: Actor,
    file: InvestigationFile,
    link: VictimLink,
    case: Case,
    measure_in: ProtectionCreate,
    side: str,
) -> WitnessProtection:
    row = WitnessProtection(
        victim_link_id=link.id,
        measure=measure_in.measure,
        ordered_on=measure_in.ordered_on,
        ends_on=measure_in.ends_on,
        note=measure_in.note,
        recorded_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    details: dict[str, object] = {
        "measure": row.measure.value,
        "case": link.case_reference,
        "side": side,
    }
    service.add_event(session, file, actor=actor, kind="protection", details=details)
    record_event(session, actor=actor, case=case, kind=CASE_PROTECTION,
                 details={"measure": row.measure.value, "file": file.reference})  # fmt: skip
    record(session, actor=actor, action="investigations.protection", object_type=OBJECT,
           object_id=link.id, details={**details, "file": file.reference})  # fmt: skip
    return row


def _link_of(session: Session, link_id: uuid.UUID, *, file_id: uuid.UUID | None = None,
             case_id: uuid.UUID | None = None) -> VictimLink:  # fmt: skip
    link = session.get(VictimLink, link_id)
    if (
        link is None
        or (file_id and link.file_id != file_id)
        or (case_id and link.case_id != case_id)
    ):
        raise Invalid("victim_link_id", _("No such victim in this file."))
    return link


def add_protection(
    session: Session,
    *,
    actor: Actor,
    file_id: uuid.UUID,
    link_id: uuid.UUID,
    measure_in: ProtectionCreate,
) -> WitnessProtection:
    """Record a protection measure from the file's side (investigations.update on the file)."""
    file = service.file_for_update(session, actor=actor, file_id=file_id)
    link = _link_of(session, link_id, file_id=file.id)
    case = session.get(Case, link.case_id)
    if case is None:
        raise Invalid("victim_link_id", _("No such victim in this file."))
    return _store_measure(session, actor=actor, file=file, link=link, case=case,
                          measure_in=measure_in, side="file")  # fmt: skip


def add_protection_from_case(
    session: Session,
    *,
    actor: Actor,
    case_id: uuid.UUID,
    link_id: uuid.UUID,
    measure_in: ProtectionCreate,
) -> WitnessProtection:
    """Record a protection measure from the case's side: the case's holder, with
    investigations.witness, for a file the case is linked to (whatever the file's stage)."""
    actor.require(Action.investigations_witness)
    case = case_for(session, actor, case_id, "cases.read")
    link = _link_of(session, link_id, case_id=case.id)
    file = session.get(InvestigationFile, link.file_id)
    if file is None:
        raise Invalid("victim_link_id", _("No such victim in this file."))
    return _store_measure(session, actor=actor, file=file, link=link, case=case,
                          measure_in=measure_in, side="case")  # fmt: skip


@dataclass(frozen=True)
class WitnessInFile:
    """What a case's holder sees of a file the person is a witness in: its reference, stage."""

    link: VictimLink
    file_reference: str
    file_stage: Stage
    measures: tuple[WitnessProtection, ...]


def witness_files(session: Session, *, actor: Actor, case: Case) -> list[WitnessInFile]:
    """The files the person of `case` is a witness in, for a holder of the case with
    investigations.witness (else nothing); each file named is audited."""
    if not actor.can(Action.investigations_witness):
        return []
    case_for(session, actor, case.id, "cases.read")  # the holder, not a grant's reader
    links = list(
        session.scalars(
            select(VictimLink).where(VictimLink.case_id == case.id).order_by(VictimLink.linked_at)
        )
    )
    measures = _measures(session, [lk.id for lk in links])
    shown: list[WitnessInFile] = []
    for link in links:
        file = session.get(InvestigationFile, link.file_id)
        if file is None:
            continue
        record(session, actor=actor, action="investigations.witness_read",
               object_type=service.OBJECT, object_id=file.id,
               details={"case": case.reference, "fields": ["reference", "stage"]})  # fmt: skip
        shown.append(WitnessInFile(link, file.reference, file.stage, tuple(measures[link.id])))
    return shown


def _victim_detail(event: FileEvent) -> str:
    return _("Case %(reference)s", reference=str((event.details or {}).get("case", "")))


def _protection_detail(event: FileEvent) -> str:
    details = event.details or {}
    return _(
        "%(measure)s, case %(reference)s",
        measure=label(ProtectionMeasure, str(details.get("measure", ""))),
        reference=str(details.get("case", "")),
    )


# The file timeline's words for the events written here (registered from people_pages).
EVENT_KINDS = {
    "victim_linked": N_("Victim's case linked"),
    "protection": N_("Protection measure recorded"),
}
EVENT_DETAILS: dict[str, Callable[[FileEvent], str]] = {
    "victim_linked": _victim_detail,
    "protection": _protection_detail,
}
