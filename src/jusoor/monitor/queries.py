"""Read-side queries behind the monitor services: events, actors and reports as views.

No permission checks here: `service.py` checks them and calls these.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from jusoor.monitor.models import (
    MonitorActor,
    MonitorDocument,
    MonitorEvent,
    MonitorFact,
    MonitorMention,
)
from jusoor.monitor.reading.themes import CRIMES
from jusoor.monitor.schemas import (
    ActorRef,
    DocumentView,
    EventSummary,
    EventView,
    FactView,
)


@dataclass(frozen=True, slots=True)
class EventFilters:
    country: str | None = None
    theme: str | None = None
    organization: str | None = None  # gazetteer id
    person: uuid.UUID | None = None  # actor id
    lang: str | None = None
    event_type: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class FilterChoices:
    countries: tuple[str, ...]
    themes: tuple[str, ...]
    langs: tuple[str, ...]
    event_types: tuple[str, ...]
    organizations: tuple[tuple[str, str, str | None], ...]  # (gazetteer id, name, acronym)


def _has_document(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(MonitorDocument.event_id == MonitorEvent.id, *conditions)


def _has_actor(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(
        MonitorDocument.event_id == MonitorEvent.id,
        MonitorMention.document_id == MonitorDocument.id,
        MonitorActor.id == MonitorMention.actor_id,
        *conditions,
    )


def _where(f: EventFilters) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if f.country:
        clauses.append(MonitorEvent.country == f.country)
    if f.theme:
        theme = MonitorEvent.themes.contains(f.theme, autoescape=True)
        if f.theme in CRIMES:
            theme = or_(MonitorEvent.crime == f.theme, MonitorEvent.crime == "both")
        clauses.append(theme)
    if f.organization:
        clauses.append(
            _has_actor(MonitorActor.kind == "organization", MonitorActor.key == f.organization)
        )
    if f.person:
        clauses.append(_has_actor(MonitorActor.id == f.person))
    if f.lang:
        clauses.append(_has_document(MonitorDocument.lang == f.lang))
    if f.event_type:
        clauses.append(MonitorEvent.type == f.event_type)
    if f.since:
        clauses.append(func.coalesce(MonitorEvent.end, MonitorEvent.start) >= f.since)
    if f.until:
        clauses.append(MonitorEvent.start <= f.until)
    return clauses


def events(
    session: Session, *, filters: EventFilters, limit: int, offset: int
) -> tuple[list[EventSummary], int]:
    clauses = _where(filters)
    total = session.scalar(select(func.count()).select_from(MonitorEvent).where(*clauses)) or 0
    rows = session.scalars(
        select(MonitorEvent)
        .where(*clauses)
        .order_by(MonitorEvent.start.is_(None), MonitorEvent.start.desc(), MonitorEvent.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return summaries(session, rows), total


def summaries(session: Session, rows: Sequence[MonitorEvent]) -> list[EventSummary]:
    """Event summaries, with their documents' ids and languages read in one query."""
    docs: dict[uuid.UUID, list[tuple[uuid.UUID, str | None]]] = defaultdict(list)
    if rows:
        for event_id, doc_id, lang in session.execute(
            select(MonitorDocument.event_id, MonitorDocument.id, MonitorDocument.lang)
            .where(MonitorDocument.event_id.in_([e.id for e in rows]))
            .order_by(MonitorDocument.id)
        ):
            if event_id is not None:
                docs[event_id].append((doc_id, lang))
    return [_summary(e, docs[e.id]) for e in rows]


def _summary(e: MonitorEvent, docs: list[tuple[uuid.UUID, str | None]]) -> EventSummary:
    return EventSummary(
        id=e.id,
        type=e.type,
        title=e.title,
        start=e.start,
        end=e.end,
        city=e.city,
        city_id=e.city_id,
        country=e.country,
        participants=e.participants,
        themes=tuple(e.themes.split()),
        crime=e.crime,
        langs=tuple(dict.fromkeys(lang for _, lang in docs if lang)),
        document_ids=tuple(d for d, _ in docs),
    )


def document_view(d: MonitorDocument) -> DocumentView:
    return DocumentView(
        id=d.id,
        source=d.source,
        url=d.url,
        title=d.title or d.event_title,
        lang=d.lang,
        published=d.published,
        event_id=d.event_id,
        ingested_at=d.ingested_at,
    )


def event_view(session: Session, event_id: uuid.UUID) -> EventView | None:
    event = session.get(MonitorEvent, event_id)
    if event is None:
        return None
    docs = list(event.documents)
    doc_ids = [d.id for d in docs]
    facts = session.scalars(
        select(MonitorFact)
        .where(MonitorFact.document_id.in_(doc_ids))
        .order_by(MonitorFact.document_id, MonitorFact.start)
    ).all()
    mentions = session.execute(
        select(MonitorMention, MonitorActor)
        .join(MonitorActor, MonitorActor.id == MonitorMention.actor_id)
        .where(MonitorMention.document_id.in_(doc_ids))
        .order_by(MonitorMention.document_id, MonitorMention.start)
    ).all()
    actors: dict[uuid.UUID, ActorRef] = {}
    for mention, actor in mentions:
        known = actors.get(actor.id)
        if known is None or (known.role is None and mention.role):
            actors[actor.id] = ActorRef(
                actor.id, actor.kind, actor.key, actor.name, actor.acronym, mention.role
            )
    countries = [f.value for f in facts if f.kind == "country"]
    if event.country:
        countries.insert(0, event.country)
    return EventView(
        summary=_summary(event, [(d.id, d.lang) for d in docs]),
        documents=tuple(document_view(d) for d in docs),
        organizations=tuple(a for a in actors.values() if a.kind == "organization"),
        persons=tuple(a for a in actors.values() if a.kind == "person"),
        countries=tuple(dict.fromkeys(countries)),
        places=tuple(dict.fromkeys(f.value for f in facts if f.kind == "place")),
        facts=tuple(
            FactView(f.document_id, f.kind, f.value, f.sentence, f.start, f.end) for f in facts
        ),
    )


def document(session: Session, document_id: uuid.UUID) -> tuple[DocumentView, str] | None:
    d = session.get(MonitorDocument, document_id)
    return (document_view(d), d.text) if d is not None else None


def filter_choices(session: Session) -> FilterChoices:
    def distinct(column: InstrumentedAttribute[str | None]) -> tuple[str, ...]:
        values = session.scalars(select(column).where(column.is_not(None)).distinct()).all()
        return tuple(sorted(v for v in values if v))

    themes = {
        t for row in session.scalars(select(MonitorEvent.themes).distinct()) for t in row.split()
    }
    crimes = set(session.scalars(select(MonitorEvent.crime).distinct()))
    orgs = session.execute(
        select(MonitorActor.key, MonitorActor.name, MonitorActor.acronym)
        .where(MonitorActor.kind == "organization")
        .order_by(MonitorActor.name)
    ).all()
    return FilterChoices(
        countries=distinct(MonitorEvent.country),
        themes=tuple(sorted(themes) + [c for c in CRIMES if c in crimes or "both" in crimes]),
        langs=distinct(MonitorDocument.lang),
        event_types=distinct(MonitorEvent.type),
        organizations=tuple((k, n, a) for k, n, a in orgs),
    )
