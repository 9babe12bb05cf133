"""Read-side queries for actors (organisations and persons) behind the monitor services.

No permission checks here: `service.py` checks them and calls these.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session

from jusoor.monitor.models import MonitorActor, MonitorDocument, MonitorEvent, MonitorMention
from jusoor.monitor.queries import summaries
from jusoor.monitor.schemas import ActorSummary, ActorView, MentionView


def _actor_counts() -> tuple[ColumnElement[int], ColumnElement[int]]:
    documents = (
        select(func.count(MonitorMention.id))
        .where(MonitorMention.actor_id == MonitorActor.id)
        .scalar_subquery()
    )
    events = (
        select(func.count(func.distinct(MonitorDocument.event_id)))
        .join(MonitorMention, MonitorMention.document_id == MonitorDocument.id)
        .where(MonitorMention.actor_id == MonitorActor.id)
        .scalar_subquery()
    )
    return documents, events


def actors(
    session: Session, *, kind: str | None, query: str | None, limit: int, offset: int
) -> tuple[list[ActorSummary], int]:
    clauses: list[ColumnElement[bool]] = []
    if kind:
        clauses.append(MonitorActor.kind == kind)
    if query and query.strip():
        needle = query.strip().lower()
        clauses.append(
            or_(
                func.lower(MonitorActor.name).contains(needle, autoescape=True),
                func.lower(MonitorActor.acronym).contains(needle, autoescape=True),
                exists().where(
                    MonitorMention.actor_id == MonitorActor.id,
                    func.lower(MonitorMention.name).contains(needle, autoescape=True),
                ),
            )
        )
    total = session.scalar(select(func.count()).select_from(MonitorActor).where(*clauses)) or 0
    documents, events = _actor_counts()
    rows = session.execute(
        select(MonitorActor, documents, events)
        .where(*clauses)
        .order_by(documents.desc(), MonitorActor.name, MonitorActor.id)
        .limit(limit)
        .offset(offset)
    ).all()
    names = _names(session, [a.id for a, _, _ in rows])
    return [_actor_summary(a, names[a.id], d, e) for a, d, e in rows], total


def _names(session: Session, actor_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    if actor_ids:
        for actor_id, name in session.execute(
            select(MonitorMention.actor_id, MonitorMention.name)
            .where(MonitorMention.actor_id.in_(actor_ids))
            .order_by(MonitorMention.document_id)
        ):
            found[actor_id].append(name)
    return found


def _actor_summary(a: MonitorActor, written: list[str], docs: int, events: int) -> ActorSummary:
    names = dict.fromkeys([a.name, *([a.acronym] if a.acronym else []), *written])
    return ActorSummary(
        id=a.id,
        kind=a.kind,
        key=a.key,
        name=a.name,
        acronym=a.acronym,
        country=a.country,
        names=tuple(names),
        document_count=docs,
        event_count=events,
    )


def actor_view(session: Session, actor_id: uuid.UUID) -> ActorView | None:
    documents, events = _actor_counts()
    row = session.execute(
        select(MonitorActor, documents, events).where(MonitorActor.id == actor_id)
    ).first()
    if row is None:
        return None
    actor, doc_count, event_count = row
    mentions = session.execute(
        select(MonitorMention, MonitorDocument.event_id)
        .join(MonitorDocument, MonitorDocument.id == MonitorMention.document_id)
        .where(MonitorMention.actor_id == actor_id)
        .order_by(MonitorDocument.event_start, MonitorDocument.id)
    ).all()
    event_ids = {e for _, e in mentions if e is not None}
    rows = session.scalars(
        select(MonitorEvent)
        .where(MonitorEvent.id.in_(event_ids))
        .order_by(MonitorEvent.start.is_(None), MonitorEvent.start.desc(), MonitorEvent.id)
    ).all()
    return ActorView(
        summary=_actor_summary(actor, [m.name for m, _ in mentions], doc_count, event_count),
        events=tuple(summaries(session, rows)),
        mentions=tuple(
            MentionView(m.document_id, e, m.name, m.role, m.sentence, m.start, m.end)
            for m, e in mentions
        ),
    )
