"""Who sees a record tied to a case has read that case: one `case.read` event per case shown.

The entity paths (lists, pages, search, graph, exports, review) show case records only to whom
may read the case (`scope.visible`); this puts each such showing in the case's own access
history, next to the case page's reads, with what was read: the kinds of records, their ids and
the case fields they hold (OWASP ASVS 4.0.3 V8.3.5: access to sensitive data is audited, without
logging the data itself; the history answers "who read this victim's file").
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases.models import Case
from jusoor.core.permissions import Actor
from jusoor.entities.models import Entity, Link
from jusoor.entities.scope import CASE_FIELDS, OWNERS_ONLY

MAX_IDS = 200  # record ids kept in one event; the counts are always whole


def audit_case_reads(
    session: Session,
    *,
    actor: Actor,
    via: str,
    entities: Iterable[Entity] = (),
    links: Iterable[Link] = (),
) -> list[uuid.UUID]:
    """Record a `case.read` for every case whose entities or links are shown; returns the
    ids of those cases. `via` names the path (entity.list, graph.export, …)."""
    shown: dict[uuid.UUID, list[Entity]] = defaultdict(list)
    linked: dict[uuid.UUID, int] = defaultdict(int)
    for entity in entities:
        if entity.case_id is not None:
            shown[entity.case_id].append(entity)
    for link in links:
        if link.case_id is not None:
            linked[link.case_id] += 1
    case_ids = sorted(set(shown) | set(linked))
    if not case_ids:
        return []
    references = dict(
        session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids))).all()
    )
    for case_id in case_ids:
        records = shown.get(case_id, [])
        kinds: dict[str, int] = defaultdict(int)
        for entity in records:
            kinds[entity.schema] += 1
        fields = sorted({f for e in records for f in CASE_FIELDS.get(e.schema, OWNERS_ONLY)})
        audit.record(
            session,
            actor=actor,
            action="case.read",
            object_type="case",
            object_id=case_id,
            details={
                "via": via,
                "reference": references.get(case_id),
                "fields": fields,
                "entities": dict(sorted(kinds.items())),
                "entity_ids": [str(e.id) for e in records[:MAX_IDS]],
                "links": linked.get(case_id, 0),
            },
        )
    return case_ids
