"""Which records the network draws as one: those people judged the same, and phones, e-mails,
documents, vehicles or accounts recorded twice with the same number.

Resolved among what the actor may see only, so that a record of another agency never joins
two of ours (it would say that something links them), and under the rule of
`jusoor.entities.matching.clusters.apply_judgements` (a `different` judgement wins). The model's person
matches are not merged here: they stay suggestions in match review until someone confirms them
(and computing them for the whole node on every drawing would take a minute at a few thousand
records).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from jusoor.core.permissions import Actor
from jusoor.entities import service as entities
from jusoor.entities.matching.clusters import apply_judgements
from jusoor.entities.matching.judgements import active_judgements
from jusoor.entities.models import Entity, EntityKey

IDENTIFIER_KINDS = ("phone", "email", "document", "vehicle", "account")
PERSON = "Person"


def identifier_pairs(session: Session, *, actor: Actor) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Pairs of visible entities of one schema (not people) sharing an identifier key."""
    first, second = aliased(EntityKey), aliased(EntityKey)
    one, other = aliased(Entity), aliased(Entity)
    stmt = (
        select(first.entity_id, second.entity_id)
        .join(second, (first.digest == second.digest) & (first.kind == second.kind))
        .join(one, one.id == first.entity_id)
        .join(other, other.id == second.entity_id)
        .where(
            first.entity_id < second.entity_id,
            first.kind.in_(IDENTIFIER_KINDS),
            one.schema == other.schema,
            one.schema != PERSON,
            # Both ends by the one rule: a case's phone the actor may not read must not join
            # two of their records (it would say that something links them).
            entities.visible(actor, entity=one),
            entities.visible(actor, entity=other),
        )
        .distinct()
    )
    return [(a, b) for a, b in session.execute(stmt)]


def _visible(session: Session, actor: Actor, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    wanted = sorted(ids)
    found: set[uuid.UUID] = set()
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        found.update(
            session.scalars(select(Entity.id).where(Entity.id.in_(part), entities.visible(actor)))
        )
    return found


def visible_clusters(session: Session, *, actor: Actor) -> dict[uuid.UUID, str]:
    """Entity id → cluster id (the smallest member id) for every visible entity in a cluster
    of two or more."""
    judgements = active_judgements(session)
    ends = _visible(session, actor, {x for j in judgements for x in (j.entity_a_id, j.entity_b_id)})
    judged = {
        (j.entity_a_id, j.entity_b_id): j.decision.value
        for j in judgements
        if j.entity_a_id in ends and j.entity_b_id in ends
    }
    pairs = [(a, b, 1.0) for a, b in identifier_pairs(session, actor=actor)]
    found = apply_judgements(pairs, judged)
    sizes: dict[uuid.UUID, int] = {}
    for cluster in found.values():
        sizes[cluster] = sizes.get(cluster, 0) + 1
    return {entity: str(cluster) for entity, cluster in found.items() if sizes[cluster] > 1}
