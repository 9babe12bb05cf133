"""Resolved clusters of the node: which entities are one person (or one phone, one document…),
from the person model's pairs and people's judgements, under the one clustering rule of Jusoor
(`resolution.linkage.clustering.cluster`, which `jusoor resolve persons` uses too): a `same`
judgement joins, a `different` one is never merged across, not even through third records, and
the model's pairs join strongest first at the model's threshold.

    cluster_of(session) -> {entity_id: cluster_id}     every entity on the node
    apply_judgements(pairs, judgements, records=()) -> {record: cluster}
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.entities.matching.evidence import PERSON, compare, current_model, facts_of
from jusoor.entities.matching.judgements import active_judgements
from jusoor.entities.matching.pairs import candidate_pairs
from jusoor.entities.models import Entity, EntityKey
from jusoor.entities.resolution.linkage.clustering import K, cluster
from jusoor.entities.resolution.linkage.defaults import DEFAULT_THRESHOLD


def apply_judgements(
    pairs: Iterable[tuple[K, K, float]],
    judgements: Mapping[tuple[K, K], str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    records: Iterable[K] = (),
) -> dict[K, K]:
    """Each record's cluster id (the smallest id in its cluster): `clustering.cluster` of the
    scored `pairs` (record_a, record_b, probability) under `judgements` ("same" or "different",
    the pair in either order); `records` adds records that appear in no pair."""
    return cluster(records, list(pairs), threshold, judgements=judgements)


def _identifier_pairs(session: Session) -> list[tuple[uuid.UUID, uuid.UUID, float]]:
    """Phones, e-mails, documents… of the same schema sharing a strong key: one thing."""
    first, second = EntityKey.__table__.alias("a"), EntityKey.__table__.alias("b")
    ea, eb = Entity.__table__.alias("ea"), Entity.__table__.alias("eb")
    stmt = (
        select(first.c.entity_id, second.c.entity_id)
        .join(second, (first.c.digest == second.c.digest) & (first.c.kind == second.c.kind))
        .join(ea, ea.c.id == first.c.entity_id)
        .join(eb, eb.c.id == second.c.entity_id)
        .where(
            first.c.entity_id < second.c.entity_id,
            ea.c.schema == eb.c.schema,
            ea.c.schema != PERSON,
            first.c.kind.in_(("phone", "email", "document", "vehicle", "account")),
        )
        .distinct()
    )
    return [(a, b, 1.0) for a, b in session.execute(stmt).all()]


def cluster_of(session: Session) -> dict[uuid.UUID, uuid.UUID]:
    """Every entity's resolved cluster: {entity id: cluster id}, the cluster id being the
    smallest entity id in it (an entity alone is its own cluster).

    People are joined by the person model (`evidence.compare`, at the model's threshold) and by
    judgements; other entities (phones, documents…) by a shared identifier, and by judgements.
    Not scoped and not audited: callers show only what their user may see."""
    model = current_model()
    pairs = _identifier_pairs(session)
    candidates = candidate_pairs(session, limit=1_000_000)
    facts = facts_of(session, [x for pair in candidates for x in pair])
    pairs += [(a, b, compare(facts[a], facts[b], model).probability) for a, b in candidates]
    judged = {(j.entity_a_id, j.entity_b_id): j.decision.value for j in active_judgements(session)}
    records = list(session.scalars(select(Entity.id)))
    return cluster(records, pairs, model.threshold, judgements=judged)
