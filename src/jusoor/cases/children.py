"""Child victims: the guardian and the best-interests steps (UNHCR Guidelines on Determining the
Best Interests of the Child, 2008). `workflow` refuses a child's return before the determination."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from jusoor.agencies.service import agency_by_code
from jusoor.cases.access import case_for
from jusoor.cases.models import Case
from jusoor.cases.schemas import BestInterestsSet, GuardianSet
from jusoor.cases.timeline import record_and_audit
from jusoor.cases.vocabulary import EventKind
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor


def _child_case(session: Session, actor: Actor, case_id: uuid.UUID) -> Case:
    case = case_for(session, actor, case_id, "cases.update")
    if not case.is_child:
        raise Invalid("is_child", _("This is not a child's case."))
    return case


def set_guardian(
    session: Session, *, actor: Actor, case_id: uuid.UUID, guardian_in: GuardianSet
) -> Case:
    case = _child_case(session, actor, case_id)
    agency_id = None
    if guardian_in.agency_code:
        agency = agency_by_code(session, guardian_in.agency_code)
        if agency is None:
            raise Invalid("agency_code", _("No such agency."))
        agency_id = agency.id
    case.guardian_name = guardian_in.name.strip()
    case.guardian_relation = guardian_in.relation.strip()
    case.guardian_agency_id = agency_id
    details = {"relation": case.guardian_relation, "agency_id": str(agency_id or "") or None}
    _log(session, actor, case, EventKind.guardian_recorded, details)
    return case


def record_best_interests(
    session: Session, *, actor: Actor, case_id: uuid.UUID, step_in: BestInterestsSet
) -> Case:
    """Record the best-interests assessment or determination (a determination needs the
    assessment first), with its date and the user who records it."""
    case = _child_case(session, actor, case_id)
    if step_in.on > utcnow().date():
        raise Invalid("on", _("This date is in the future."))
    if step_in.step == "assessment":
        case.best_interests_assessed_on = step_in.on
        case.best_interests_assessed_by_id = actor.user_id
    else:
        assessed = case.best_interests_assessed_on
        if assessed is None:
            raise Invalid("step", _("Record the best-interests assessment first."))
        if step_in.on < assessed:
            raise Invalid("on", _("The determination cannot come before the assessment."))
        case.best_interests_determined_on = step_in.on
        case.best_interests_determined_by_id = actor.user_id
    details = {"step": step_in.step, "on": step_in.on.isoformat()}
    _log(session, actor, case, EventKind.best_interests_recorded, details)
    return case


def _log(
    session: Session, actor: Actor, case: Case, kind: EventKind, details: dict[str, Any]
) -> None:
    record_and_audit(
        session, actor=actor, case=case, kind=kind, details=details, action=f"case.{kind.value}"
    )
