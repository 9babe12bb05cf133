"""People's decisions on match suggestions: "same person" or "not the same", and their undoing.

    reachable(actor) -> WHERE clause on Entity      what the actor may judge
    judge(session, *, actor, entity_a, entity_b, decision, reason) -> Judgement
    undo(session, *, actor, judgement_id) -> Judgement
    active_judgements(session) -> list[Judgement]   every pair decided now (for `clusters`)
    recent_judgements(session, *, actor, limit) -> list[Judgement]

Who judges (`entities.judge` in permissions.yaml): investigators in their agency and
prosecutors in their country, on the entities they may read (`entities.read`); case workers on
their own agency's cases, to mark duplicate case files. An entity that came from a case is
judged only by someone who may read it as part of that case (`scope.visible`): reading the
agency's entities is not enough.

A judgement wins over the model for its pair in every later run (`clusters`); undoing it
("unmerge") stamps it undone, and the pair goes back to what the model says. Both are audited.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, scope_clause
from jusoor.entities.case_reads import audit_case_reads
from jusoor.entities.matching.evidence import compare, facts_of
from jusoor.entities.models import Decision, Entity, Judgement
from jusoor.entities.scope import visible

JUDGE = "entities.judge"
READ = "entities.read"
MAX_REASON = 2000


def reachable(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause on `Entity`: entities the actor may judge (see the module)."""
    judged = scope_clause(actor, JUDGE, agency_col=Entity.agency_id, country_col=Entity.country)
    return and_(judged, visible(actor, READ))


def pair(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """The pair in its stored order (smaller id first)."""
    return (a, b) if a < b else (b, a)


def _entity(session: Session, actor: Actor, entity_id: uuid.UUID, field: str) -> Entity:
    found = session.scalars(select(Entity).where(Entity.id == entity_id, reachable(actor)))
    entity = found.first()
    if entity is None:
        raise Invalid(field, _("No such entity."))
    return entity


def active_for(session: Session, a: uuid.UUID, b: uuid.UUID) -> Judgement | None:
    first, second = pair(a, b)
    stmt = select(Judgement).where(
        Judgement.entity_a_id == first,
        Judgement.entity_b_id == second,
        Judgement.undone_at.is_(None),
    )
    return session.scalars(stmt).first()


def judge(
    session: Session,
    *,
    actor: Actor,
    entity_a: uuid.UUID,
    entity_b: uuid.UUID,
    decision: str,
    reason: str,
) -> Judgement:
    """Record that two entities are the same (`same`) or not (`different`), and why."""
    actor.require(JUDGE)
    try:
        chosen = Decision(decision)
    except ValueError:
        raise Invalid("decision", _("Choose whether they are the same person or not.")) from None
    why = (reason or "").strip()
    if not why:
        raise Invalid("reason", _("Say why: the reason is kept with the decision."))
    if len(why) > MAX_REASON:
        raise Invalid(
            "reason", _("The reason is too long: at most %(n)s characters.", n=MAX_REASON)
        )
    first, second = pair(entity_a, entity_b)
    if first == second:
        raise Invalid("entity_b", _("Choose two different records."))
    left = _entity(session, actor, first, "entity_a")
    right = _entity(session, actor, second, "entity_b")
    if left.schema != right.schema:
        raise Invalid("entity_b", _("Only two records of the same kind can be the same."))
    if active_for(session, first, second) is not None:
        raise Conflict(_("This pair is already judged. Undo that decision first."))
    facts = facts_of(session, [first, second])
    probability = (
        compare(facts[first], facts[second]).probability if left.schema == "Person" else None
    )
    judgement = Judgement(
        entity_a_id=first,
        entity_b_id=second,
        decision=chosen,
        reason=why,
        probability=probability,
        judged_by_id=actor.user_id,
        judged_by=actor.username,
        judged_at=utcnow(),
    )
    session.add(judgement)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="entity.judge",
        object_type="entity_judgement",
        object_id=judgement.id,
        details={
            "decision": chosen.value,
            "entity_a": str(first),
            "entity_b": str(second),
            "probability": None if probability is None else round(probability, 4),
        },
    )
    return judgement


def undo(session: Session, *, actor: Actor, judgement_id: uuid.UUID) -> Judgement:
    """Undo a judgement ("unmerge" when it said `same`): the model decides the pair again."""
    actor.require(JUDGE)
    judgement = session.get(Judgement, judgement_id)
    ends = [judgement.entity_a_id, judgement.entity_b_id] if judgement else []
    seen = session.scalars(select(Entity.id).where(Entity.id.in_(ends), reachable(actor))).all()
    if judgement is None or len(seen) != 2:
        raise NotFound(_("No such decision."))
    if judgement.undone_at is not None:
        raise Conflict(_("This decision is already undone."))
    judgement.undone_at = utcnow()
    judgement.undone_by = actor.username
    audit.record(
        session,
        actor=actor,
        action="entity.judge_undo",
        object_type="entity_judgement",
        object_id=judgement.id,
        details={"decision": judgement.decision.value},
    )
    return judgement


def active_judgements(session: Session) -> list[Judgement]:
    """Every judgement in force, oldest first (a system read: callers scope what they show)."""
    stmt = select(Judgement).where(Judgement.undone_at.is_(None)).order_by(Judgement.judged_at)
    return list(session.scalars(stmt))


def recent_judgements(session: Session, *, actor: Actor, limit: int = 20) -> list[Judgement]:
    """The latest judgements (undone ones too) on pairs the actor may judge, newest first."""
    actor.require(JUDGE)
    ends = select(Entity.id).where(reachable(actor))
    stmt = (
        select(Judgement)
        .where(Judgement.entity_a_id.in_(ends), Judgement.entity_b_id.in_(ends))
        .order_by(Judgement.judged_at.desc(), Judgement.id.desc())
        .limit(limit)
    )
    found = list(session.scalars(stmt))
    audit.record(
        session,
        actor=actor,
        action="entity.judgement_list",
        object_type="entity_judgement",
        details={"judgements": [str(j.id) for j in found]},
    )
    shown = {x for j in found for x in (j.entity_a_id, j.entity_b_id)}
    records = list(session.scalars(select(Entity).where(Entity.id.in_(shown)))) if shown else []
    audit_case_reads(session, actor=actor, via="entity.judgement_list", entities=records)
    return found


def captions(session: Session, entity_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The captions of these entities, to name the two ends of judgements already shown."""
    rows = session.execute(select(Entity.id, Entity.caption).where(Entity.id.in_(entity_ids)))
    return {entity_id: caption for entity_id, caption in rows}
