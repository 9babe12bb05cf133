"""Grouping stored reports into events, incrementally, across languages.

A new report is compared only with the reports of events that could be the same happening: events
whose dates fall within `DATE_WINDOW` of its own (and, when both state one, in the same country),
or — for a report without dates — recent events of the same country and type. The comparison is
`grouping.same_event`, on what the reports resolve to language-free keys (dates, place codes,
organisation ids, Latin name keys, type). A report joins the event whose reports score, on average,
highest at or above the threshold and none of which names another city; else it starts an event
of its own. An event's fields are the union of its reports'.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from jusoor.core.db import utcnow
from jusoor.core.ids import uuid7
from jusoor.monitor.models import MonitorActor, MonitorDocument, MonitorEvent, MonitorMention
from jusoor.monitor.reading.events import Event
from jusoor.monitor.reading.extract import Extraction
from jusoor.monitor.reading.grouping import SAME_EVENT_THRESHOLD, same_event
from jusoor.monitor.reading.organizations import OrganizationMention, catalogue
from jusoor.monitor.reading.persons import Person
from jusoor.monitor.reading.places import Place
from jusoor.monitor.reading.themes import CRIMES, THEMES
from jusoor.monitor.schemas import RegroupResult

DATE_WINDOW = dt.timedelta(days=3)
MAX_CANDIDATES = 200  # events compared with one report, nearest first


def groupable(document: MonitorDocument) -> bool:
    """A report that states neither an event type nor a date reports no event to group."""
    return document.event_type is not None or document.event_start is not None


def place_documents(session: Session, document_ids: Sequence[uuid.UUID]) -> int:
    """Put each of these reports into an event; returns how many events were created or grown."""
    touched: set[uuid.UUID] = set()
    keys = _Keys(session)
    for document_id in document_ids:
        document = session.get(MonitorDocument, document_id)
        if document is None or document.event_id is not None or not groupable(document):
            continue
        event = _best_event(session, document, keys)
        if event is None:
            event = MonitorEvent(id=uuid7(), documents=[])
            session.add(event)
        document.event = event  # also appends it to event.documents
        refresh(event)
        touched.add(event.id)
    session.flush()
    return len(touched)


def regroup(session: Session, *, full: bool = False) -> RegroupResult:
    """Place reports not in an event yet; with `full`, dissolve every event and group afresh."""
    if full:
        session.execute(update(MonitorDocument).values(event_id=None))
        session.execute(delete(MonitorEvent))
        session.flush()
        session.expire_all()
    pending = session.scalars(
        select(MonitorDocument.id)
        .where(MonitorDocument.event_id.is_(None))
        .order_by(MonitorDocument.event_start, MonitorDocument.id)
    ).all()
    place_documents(session, pending)
    events = session.scalar(select(func.count()).select_from(MonitorEvent)) or 0
    return RegroupResult(documents=len(pending), events=events)


def _best_event(session: Session, document: MonitorDocument, keys: _Keys) -> MonitorEvent | None:
    mine = keys.extraction(document)
    best: tuple[float, MonitorEvent] | None = None
    for event in _candidates(session, document):
        others = [keys.extraction(d) for d in event.documents if d.id != document.id]
        if not others or any(_other_city(mine, other) for other in others):
            continue
        # Average over the event's reports, not the best one: a report joins an event its
        # reports agree it belongs to, so that events do not grow by chaining.
        score = sum(same_event(mine, other) for other in others) / len(others)
        if score >= SAME_EVENT_THRESHOLD and (best is None or score > best[0]):
            best = (score, event)
    return best[1] if best else None


def _other_city(a: Extraction, b: Extraction) -> bool:
    """Both reports name the city of the event, and not the same one: two events."""
    return (
        a.event.city is not None and b.event.city is not None and a.event.city.id != b.event.city.id
    )


def _candidates(session: Session, document: MonitorDocument) -> Sequence[MonitorEvent]:
    query = select(MonitorEvent)
    if document.event_start is not None:
        last = document.event_end or document.event_start
        query = query.where(
            MonitorEvent.start.is_not(None),
            MonitorEvent.start <= last + DATE_WINDOW,
            func.coalesce(MonitorEvent.end, MonitorEvent.start)
            >= document.event_start - DATE_WINDOW,
        )
        if document.country:
            query = query.where(
                or_(MonitorEvent.country == document.country, MonitorEvent.country.is_(None))
            )
    elif document.country and document.event_type:
        query = query.where(
            MonitorEvent.country == document.country, MonitorEvent.type == document.event_type
        )
    else:
        return ()
    return session.scalars(query.order_by(MonitorEvent.id.desc()).limit(MAX_CANDIDATES)).all()


def refresh(event: MonitorEvent) -> None:
    """Recompute an event's fields as the union of what its reports say."""
    docs = sorted(event.documents, key=lambda d: (d.ingested_at, d.id))
    event.type = _most_common(d.event_type for d in docs)
    event.title = next((d.event_title for d in docs if d.event_title), None)
    starts = [d.event_start for d in docs if d.event_start]
    ends = [d.event_end or d.event_start for d in docs if d.event_start]
    event.start = min(starts) if starts else None
    event.end = max(e for e in ends if e) if ends else None
    event.country = _most_common(d.country for d in docs)
    city_id = _most_common(d.city_id for d in docs if d.country == event.country)
    event.city_id = city_id
    event.city = next((d.city for d in docs if d.city_id == city_id), None) if city_id else None
    counts = [d.participants for d in docs if d.participants]
    event.participants = max(counts) if counts else None
    themes = {t for d in docs for t in d.themes.split()}
    event.themes = " ".join(t for t in THEMES if t in themes)
    crimes = {c for d in docs if d.crime for c in (CRIMES if d.crime == "both" else (d.crime,))}
    event.crime = "both" if len(crimes) == len(CRIMES) else next(iter(crimes), None)
    event.updated_at = utcnow()


def _most_common(values: Iterable[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


class _Keys:
    """A report's extraction rebuilt from the stored columns and mentions, as grouping needs it."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[uuid.UUID, Extraction] = {}

    def extraction(self, document: MonitorDocument) -> Extraction:
        found = self.cache.get(document.id)
        if found is None:
            found = self.cache[document.id] = self._build(document)
        return found

    def _build(self, d: MonitorDocument) -> Extraction:
        rows = self.session.execute(
            select(MonitorActor.kind, MonitorActor.key, MonitorActor.name)
            .join(MonitorMention, MonitorMention.actor_id == MonitorActor.id)
            .where(MonitorMention.document_id == d.id)
        ).all()
        orgs = catalogue()
        city = Place(d.city_id, "city", d.country or "", d.city or d.city_id) if d.city_id else None
        return Extraction(
            lang=d.lang,
            published=d.published,
            event=Event(d.event_type, d.event_title, d.event_start, d.event_end, city, d.country),
            organizations=tuple(
                OrganizationMention(orgs[key], name, 0, 0)
                for kind, key, name in rows
                if kind == "organization" and key in orgs
            ),
            persons=tuple(
                Person(name=name, latin=name, key=key)
                for kind, key, name in rows
                if kind == "person"
            ),
            countries=tuple(d.countries.split()),
            themes=tuple(d.themes.split()),
            crime=d.crime,
        )
