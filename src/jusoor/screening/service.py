"""Screenings: start, answer step by step (saved each time), resume, complete, read the result.

Plain functions over a session; they check permissions and scope, audit every read and write, and
never commit. A screening outside the caller's scope does not exist for them (NotFound).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency, AgencyKind
from jusoor.audit.service import record
from jusoor.cases.access import owns_case
from jusoor.cases.models import Case
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict, Forbidden, Invalid, NotFound
from jusoor.core.i18n import current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope
from jusoor.screening import case_events
from jusoor.screening.assessment import Answer, Assessment, assess
from jusoor.screening.catalogue import Profile
from jusoor.screening.models import Identification, Screening, ScreeningStatus
from jusoor.screening.questionnaire import (
    Step,
    indicator_answers,
    parse_answer,
    questionnaire,
)
from jusoor.screening.schemas import ScreeningStart, profile_for

CONDUCT = "screening.conduct"
READ = "screening.read"


def start(session: Session, *, actor: Actor, screening_in: ScreeningStart) -> Screening:
    """A new draft screening for the caller's agency, with the profile its age band implies."""
    actor.require(CONDUCT)
    if actor.user_id is None or actor.agency_id is None or actor.country is None:
        raise Forbidden(_("Only a signed-in user of an agency can screen a person."))
    screening = Screening(
        profile=profile_for(screening_in.age_band, screening_in.exploitation).value,
        age_band=screening_in.age_band.value,
        label=screening_in.label or None,
        gender=screening_in.gender.value if screening_in.gender else None,
        citizenship_codes=" ".join(screening_in.citizenship) or None,
        language_codes=" ".join(screening_in.languages) or None,
        answers_json="{}",
        screener_id=actor.user_id,
        agency_id=actor.agency_id,
        country=actor.country,
    )
    session.add(screening)
    session.flush()
    _audit(session, actor, "screening.create", screening)
    return screening


def get(session: Session, *, actor: Actor, screening_id: uuid.UUID) -> Screening:
    """One screening the caller may see (audited as a read). The holder of the case opened from
    it reads it through that case, even when another agency screened: the event says so."""
    screening = _load(session, actor, screening_id, write=False)
    case = None if may_see(actor, screening) else case_held(session, actor, screening)
    details = {"through_case": case.reference} if case is not None else None
    _audit(session, actor, "screening.read", screening, details)
    return screening


def list_drafts(session: Session, *, actor: Actor) -> Sequence[Screening]:
    """The caller's own unfinished screenings, the latest first (audited)."""
    actor.require(CONDUCT)
    rows = session.scalars(
        select(Screening)
        .where(Screening.screener_id == actor.user_id)
        .where(Screening.status == ScreeningStatus.draft)
        .order_by(Screening.updated_at.desc())
    ).all()
    record(session, actor=actor, action="screening.list", details={"drafts": len(rows)})
    return rows


def steps_of(screening: Screening) -> tuple[Step, ...]:
    return questionnaire().for_profile(Profile(screening.profile))


def save_answers(
    session: Session,
    *,
    actor: Actor,
    screening_id: uuid.UUID,
    answers: Mapping[str, str],
    step_id: str | None = None,
) -> Screening:
    """Merge `answers` (question id -> yes/no/unknown) into a draft and save it.

    With `step_id`, every question of that step must be answered, and the next step becomes the
    current one. Any bad id or value raises `Invalid` naming it, and nothing is saved."""
    screening = _load(session, actor, screening_id, write=True)
    steps = steps_of(screening)
    questions = questionnaire().questions(Profile(screening.profile))
    parsed: dict[str, Answer] = {}
    for question_id, value in answers.items():
        if question_id not in questions:
            raise Invalid(
                f"answers.{question_id}",
                _("There is no question %(question)s in this screening.", question=question_id),
            )
        parsed[question_id] = parse_answer(question_id, value)
    merged = {**screening.answers, **parsed}
    if step_id is not None:
        index = next((n for n, s in enumerate(steps) if s.id == step_id), None)
        if index is None:
            raise Invalid("step", _("There is no step %(step)s in this screening.", step=step_id))
        if missing := [q for q in steps[index].questions if q.id not in merged]:
            # Every unanswered question at once (not one per round trip), each by its text.
            said = {
                f"answers.{q.id}": _(
                    "Answer the question “%(question)s”, or choose “I don't know”.",
                    question=q.text.get(current_locale()),
                )
                for q in missing
            }
            first, *others = said
            raise Invalid(first, said[first], also={k: said[k] for k in others})
        screening.step = max(screening.step, index + 1)
    screening.answers = merged
    screening.updated_at = utcnow()
    details = {"answered": len(parsed), "step": step_id or ""}
    _audit(session, actor, "screening.update", screening, details)
    return screening


def complete(session: Session, *, actor: Actor, screening_id: uuid.UUID) -> Screening:
    """Close the questionnaire and keep its outcome; unanswered questions count as not present."""
    screening = _load(session, actor, screening_id, write=True)
    result = assessment_of(screening)
    screening.status = ScreeningStatus.completed
    screening.outcome = result.outcome.value
    screening.step = len(steps_of(screening))
    screening.completed_at = screening.updated_at = utcnow()
    details = {"outcome": result.outcome.value}
    _audit(session, actor, "screening.complete", screening, details)
    return screening


def assessment_of(screening: Screening) -> Assessment:
    """The engine's assessment of the screening's answers (pure: no audit, no permission)."""
    profile = Profile(screening.profile)
    return assess(profile, indicator_answers(profile, screening.answers))


def link_case(
    session: Session, *, actor: Actor, screening_id: uuid.UUID, case_id: uuid.UUID
) -> Screening:
    """Record the case opened from this screening. Decisions already taken on the screening
    are linked to the case too, and the latest goes on its timeline."""
    screening = _load(session, actor, screening_id, write=False)
    if screening.case_id is not None and screening.case_id != case_id:
        raise Conflict(_("A case is already open for this screening."))
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(_("No such case."))
    screening.case_id = case_id
    decisions = session.scalars(
        select(Identification)
        .where(Identification.screening_id == screening.id)
        .order_by(Identification.decided_at)
    ).all()
    for decision in decisions:
        decision.case_id = case_id
    if decisions:
        case_events.record_decision(session, actor=actor, case=case, identification=decisions[-1])
    details = {"case_id": str(case_id)}
    _audit(session, actor, "screening.link_case", screening, details)
    return screening


def focal_point(session: Session, *, country: str | None) -> Agency | None:
    """The national coordinating committee of `country` in the agencies directory, if any."""
    if not country:
        return None
    return session.scalars(
        select(Agency)
        .where(Agency.country == country)
        .where(Agency.kind == AgencyKind.coordinating_committee)
        .where(Agency.active.is_(True))
        .order_by(Agency.code)
        .limit(1)
    ).first()


def may_see(actor: Actor, screening: Screening) -> bool:
    """Whether the actor's own scope reaches the screening (not through a case)."""
    return _in(actor, READ, screening) or _in(actor, CONDUCT, screening)


def case_held(session: Session, actor: Actor, screening: Screening) -> Case | None:
    """The case opened from `screening`, when the actor holds it: a case worker of the owning
    agency (`cases.read` through their own scope). A reader of the case through a referral or
    any other grant does not hold it, and gets None."""
    if screening.case_id is None or not actor.can("cases.read"):
        return None
    case = session.get(Case, screening.case_id)
    return case if case is not None and owns_case(actor, case) else None


def may_read(session: Session, actor: Actor, screening: Screening) -> bool:
    """May see it through their own scope, or hold the case opened from it."""
    return may_see(actor, screening) or case_held(session, actor, screening) is not None


def _in(actor: Actor, action: str, screening: Screening) -> bool:
    return in_scope(
        actor,
        action,
        agency_id=screening.agency_id,
        country=screening.country,
        owner_id=screening.screener_id,
    )


def _load(session: Session, actor: Actor, screening_id: uuid.UUID, *, write: bool) -> Screening:
    if not (actor.can(READ) or actor.can(CONDUCT)):
        actor.require(READ)
    screening = session.get(Screening, screening_id)
    visible = screening is not None and (
        _in(actor, CONDUCT, screening) if write else may_read(session, actor, screening)
    )
    if screening is None or not visible:
        raise NotFound(_("No such screening."))
    if write and screening.status is not ScreeningStatus.draft:
        raise Conflict(_("This screening is completed; its answers can no longer change."))
    return screening


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    screening: Screening,
    details: dict[str, Any] | None = None,
) -> None:
    record(
        session,
        actor=actor,
        action=action,
        object_type="screening",
        object_id=str(screening.id),
        details=details,
    )
