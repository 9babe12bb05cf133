"""Cases: open, read, list (`listing`) and edit a victim's case file, and move it through the NRM stages.

Plain functions `f(session, *, actor, …)` that check permissions and need-to-know, write the case
timeline and the audit trail, and never commit. Notes and tasks are in `entries`, consent in
`consent`, the child's guardian and best-interests steps in `children`; they are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency, User, UserRole
from jusoor.agencies.service import agency_by_code, get_user_by_username
from jusoor.audit import service as audit
from jusoor.cases import workflow
from jusoor.cases.access import ALL_FIELDS, can_read_case, case_for
from jusoor.cases.children import record_best_interests, set_guardian
from jusoor.cases.consent import consents_of, give_consent, require_consent, withdraw_consent
from jusoor.cases.entries import add_note, add_task, complete_task, notes_of, tasks_of
from jusoor.cases.extensions import case_saved
from jusoor.cases.listing import CaseFilter, CaseList, list_cases, overdue_counts
from jusoor.cases.models import Case, CaseEvent, CaseNote, CaseTask, Consent
from jusoor.cases.references import next_reference
from jusoor.cases.schemas import CaseCreate, CaseProfile, settle_childhood
from jusoor.cases.timeline import events_of, record_and_audit, record_event
from jusoor.cases.vocabulary import EventKind, Stage
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope, scope_clause

__all__ = [
    "CaseFilter",
    "CaseList",
    "CaseRecords",
    "Stage",
    "add_note",
    "add_task",
    "complete_task",
    "consents_of",
    "get_case",
    "give_consent",
    "list_cases",
    "move_stage",
    "open_case",
    "overdue_counts",
    "record_best_interests",
    "record_event",
    "records_of",
    "require_consent",
    "set_guardian",
    "update_profile",
    "withdraw_consent",
]

PROFILE_COLUMNS = tuple(f for f in CaseProfile.model_fields if f != "is_child")


def _apply_profile(case: Case, profile: CaseProfile, fields: set[str]) -> None:
    child = settle_childhood(profile, utcnow().date())  # checked before anything is changed
    for name in fields:
        if name == "date_of_birth":
            case.date_of_birth = (
                profile.date_of_birth.isoformat() if profile.date_of_birth else None
            )
        elif name != "is_child":
            setattr(case, name, getattr(profile, name))
    case.is_child = child


def profile_of(case: Case) -> CaseProfile:
    """The case's current profile as the validated shape (to merge an edit into)."""
    values = {name: getattr(case, name) for name in PROFILE_COLUMNS if name != "date_of_birth"}
    values["date_of_birth"] = case.date_of_birth
    return CaseProfile.model_validate({**values, "is_child": case.is_child})


def _resolve_owner(session: Session, actor: Actor, case_in: CaseCreate) -> tuple[Agency, User]:
    agency = (
        agency_by_code(session, case_in.agency_code)
        if case_in.agency_code
        else session.get(Agency, actor.agency_id)
        if actor.agency_id
        else None
    )
    if agency is None or not in_scope(
        actor, "cases.create", agency_id=agency.id, country=agency.country
    ):
        raise Invalid("agency_code", _("No such agency."))
    owner = (
        get_user_by_username(session, case_in.owner_username)
        if case_in.owner_username
        else session.get(User, actor.user_id)
        if actor.user_id
        else None
    )
    if owner is None or owner.agency_id != agency.id or "case_worker" not in owner.roles:
        raise Invalid("owner_username", _("Choose a case worker of the owning agency."))
    return agency, owner


def open_case(
    session: Session,
    *,
    actor: Actor,
    case_in: CaseCreate,
    screening_id: uuid.UUID | None = None,
) -> Case:
    """Open a case in the actor's agency (or `case_in.agency_code`), at the first NRM stage,
    with a new pseudonymous reference; `screening_id` links the screening it came from."""
    actor.require("cases.create")
    agency, owner = _resolve_owner(session, actor, case_in)
    now = utcnow()
    case = Case(
        reference=next_reference(session, country=agency.country, year=now.year),
        country=agency.country,
        agency_id=agency.id,
        owner_id=owner.id,
        screening_id=screening_id,
        stage=workflow.machine().initial,
        stage_entered_at=now,
        opened_at=now,
    )
    fields = set(CaseProfile.model_fields) & case_in.model_fields_set | {"gender"}
    _apply_profile(case, case_in, fields)
    session.add(case)
    session.flush()
    case_saved(session, actor=actor, case=case)  # e.g. the person, findable from other cases
    details = {"reference": case.reference, "screening_id": str(screening_id or "") or None}
    record_and_audit(
        session,
        actor=actor,
        case=case,
        kind=EventKind.opened,
        details=details,
        action="case.create",
    )
    return case


@dataclass(frozen=True)
class CaseFile:
    """A case as one reader may see it: `fields` names what they may read (see `access`)."""

    case: Case
    fields: frozenset[str]

    @property
    def whole(self) -> bool:
        return self.fields == ALL_FIELDS


def get_case(session: Session, *, actor: Actor, case_id: uuid.UUID) -> CaseFile:
    """Read one case (audited as `case.read`); NotFound when the actor may not see it."""
    case = session.get(Case, case_id)
    fields = can_read_case(session, actor, case) if case is not None else frozenset()
    if case is None or not fields:
        raise NotFound(_("No such case."))
    audit.record(
        session,
        actor=actor,
        action="case.read",
        object_type="case",
        object_id=case.id,
        details={
            "reference": case.reference,
            "fields": "all" if fields == ALL_FIELDS else sorted(fields),
        },
    )
    return CaseFile(case=case, fields=fields)


@dataclass(frozen=True)
class CaseRecords:
    notes: Sequence[CaseNote]
    tasks: Sequence[CaseTask]
    consents: Sequence[Consent]
    timeline: Sequence[CaseEvent]


def records_of(session: Session, file: CaseFile) -> CaseRecords:
    """Notes, tasks, consents and timeline of a case already read with `get_case` (so checked
    and audited); a reader who was shared only some profile fields gets none of them."""
    if not file.whole:
        return CaseRecords(notes=(), tasks=(), consents=(), timeline=())
    case_id = file.case.id
    return CaseRecords(
        notes=notes_of(session, case_id),
        tasks=tasks_of(session, case_id),
        consents=consents_of(session, case_id),
        timeline=events_of(session, case_id),
    )


def get_case_by_reference(session: Session, *, actor: Actor, reference: str) -> CaseFile:
    found = session.scalars(select(Case.id).where(Case.reference == reference.strip().upper()))
    case_id = found.first()
    if case_id is None:
        raise NotFound(_("No such case."))
    return get_case(session, actor=actor, case_id=case_id)


def update_profile(
    session: Session, *, actor: Actor, case_id: uuid.UUID, profile_in: CaseProfile
) -> Case:
    """Change the profile fields set in `profile_in` (others are kept); the merged profile must
    still agree with itself (age, age band, date of birth, child)."""
    case = case_for(session, actor, case_id, "cases.update")
    changed = set(profile_in.model_fields_set)
    if not changed:
        return case
    update = {k: getattr(profile_in, k) for k in changed}
    update.setdefault("is_child", None)  # derived again from the age unless given
    merged = profile_of(case).model_copy(update=update)
    _apply_profile(case, merged, changed)
    case_saved(session, actor=actor, case=case)  # e.g. the person, findable from other cases
    details = {"fields": sorted(changed)}
    record_and_audit(
        session,
        actor=actor,
        case=case,
        kind=EventKind.profile_edited,
        details=details,
        action="case.update",
    )
    return case


def move_stage(
    session: Session,
    *,
    actor: Actor,
    case_id: uuid.UUID,
    stage: str,
    reason: str,
    early_end_reason: str = "",
    today: dt.date | None = None,
) -> CaseEvent:
    """Move the case to `stage` (a stage code) if the NRM machine allows it; see `workflow`
    (leaving the recovery and reflection period early needs `early_end_reason`)."""
    case = case_for(session, actor, case_id, "cases.move")
    target = workflow.parse_stage(stage)
    return workflow.transition(
        session,
        actor=actor,
        case=case,
        target=target,
        reason=reason,
        early_end_reason=early_end_reason,
        today=today,
    )


def owners_to_choose(session: Session, *, actor: Actor) -> Sequence[User]:
    """Whom a new case's opener names as its owner: nobody for a case worker (who opens it for
    their own agency), the case workers of `case_workers_for` for a screener. Only for those who
    may open cases."""
    actor.require("cases.create")
    return [] if actor.can("cases.read") else case_workers_for(session, actor=actor)


def owner_fields(session: Session, owner_username: str) -> dict[str, str]:
    """The fields of a `CaseCreate` that open it for the case worker `owner_username`, in that
    worker's agency (`-`, which `open_case` refuses, when there is no such user)."""
    owner = get_user_by_username(session, owner_username)
    return {"owner_username": owner_username, "agency_code": owner.agency.code if owner else "-"}


def case_workers_for(session: Session, *, actor: Actor) -> Sequence[User]:
    """Active case workers of the agencies `actor` may open cases for (new-case and screening
    forms name one of them as the case's owner)."""
    clause = scope_clause(
        actor, "cases.create", agency_col=User.agency_id, country_col=Agency.country
    )
    stmt = (
        select(User)
        .join(User.agency)
        .where(clause, User.active.is_(True), User.role_rows.any(UserRole.role == "case_worker"))
        .order_by(User.username)
    )
    return session.scalars(stmt).unique().all()
