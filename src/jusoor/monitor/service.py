"""News monitoring services: store reports, group them into events, read events and actors back.

Plain functions `f(session, *, actor, …)` that check the permission, write the audit trail and never
commit (the request or CLI command is the unit of work). Reading needs `monitor.read`, storing
`monitor.ingest`. It is public news: reads are not audited one by one; each ingest run is audited
once, with its counts.

    results = ingest(session, actor=actor, documents=read_sources([Path("seeds/")]))
    events, total = list_events(session, actor=actor, country="MA", limit=20, offset=0)
    view = get_event(session, actor=actor, event_id=events[0].id)   # facts with their sentences
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.errors import NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.monitor import actor_queries, queries
from jusoor.monitor.reading.text import Document
from jusoor.monitor.schemas import (
    ActorSummary,
    ActorView,
    DocumentView,
    EventSummary,
    EventView,
    IngestResult,
    RegroupResult,
)
from jusoor.monitor.store import event_groups, reports
from jusoor.monitor.store.ingest import SourceError

READ = "monitor.read"
INGEST = "monitor.ingest"
MAX_PAGE = 500


def list_events(
    session: Session,
    *,
    actor: Actor,
    country: str | None = None,
    theme: str | None = None,
    organization: str | None = None,
    person: uuid.UUID | None = None,
    lang: str | None = None,
    event_type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[EventSummary], int]:
    """Events, newest first (undated last), and how many match in all.

    `country` is ISO alpha-2; `theme` a theme (prevention, protection, prosecution, partnership) or
    a crime (trafficking_in_persons, migrant_smuggling); `organization` a gazetteer id ("unodc");
    `person` an actor id; `lang` a report language (an event matches when one of its reports is in
    it); `since`/`until` keep events that overlap the period.
    """
    actor.require(READ)
    return queries.events(
        session,
        filters=queries.EventFilters(
            country=country.upper() if country else None,
            theme=theme,
            organization=organization,
            person=person,
            lang=lang,
            event_type=event_type,
            since=since,
            until=until,
        ),
        limit=max(0, min(limit, MAX_PAGE)),
        offset=max(0, offset),
    )


def get_event(session: Session, *, actor: Actor, event_id: uuid.UUID) -> EventView:
    """One event with its reports, organisations, persons, places and each fact's sentence."""
    actor.require(READ)
    view = queries.event_view(session, event_id)
    if view is None:
        raise NotFound(_("No such event."))
    return view


def list_actors(
    session: Session,
    *,
    actor: Actor,
    kind: str | None = None,
    query: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ActorSummary], int]:
    """Organisations and persons, most reported first; `kind` is "organization" or "person",
    `query` matches any name they are written under (any script) or an acronym."""
    actor.require(READ)
    return actor_queries.actors(
        session,
        kind=kind,
        query=query,
        limit=max(0, min(limit, MAX_PAGE)),
        offset=max(0, offset),
    )


def get_actor(session: Session, *, actor: Actor, actor_id: uuid.UUID) -> ActorView:
    """An organisation or person, every event it took part in and where each report names it."""
    actor.require(READ)
    view = actor_queries.actor_view(session, actor_id)
    if view is None:
        raise NotFound(_("No such organisation or person."))
    return view


def get_document(
    session: Session, *, actor: Actor, document_id: uuid.UUID
) -> tuple[DocumentView, str]:
    """A stored report and its full text (to show a fact's sentence in its context)."""
    actor.require(READ)
    found = queries.document(session, document_id)
    if found is None:
        raise NotFound(_("No such report."))
    return found


def filter_choices(session: Session, *, actor: Actor) -> queries.FilterChoices:
    """The countries, themes, languages, event types and organisations present, for filters."""
    actor.require(READ)
    return queries.filter_choices(session)


def ingest(
    session: Session,
    *,
    actor: Actor,
    documents: Iterable[Document | SourceError],
    progress: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    """Store each report once (by content hash), extract it, then group the new ones into events.

    Each report is stored in its own savepoint: an unreadable, empty or foreign-language report
    gets an `IngestResult.error` and the rest of the batch goes on. Storing the same text again
    creates nothing and returns the stored id. The run is audited once, with its counts.
    """
    actor.require(INGEST)
    results: list[IngestResult] = []
    new_ids: list[uuid.UUID] = []
    for item in documents:
        result = reports.store(session, item)
        results.append(result)
        if result.created and result.document_id is not None:
            new_ids.append(result.document_id)
        if progress is not None:
            progress(result)
    grouped = event_groups.place_documents(session, new_ids)
    audit.record(
        session,
        actor=actor,
        action="monitor.ingest",
        object_type="monitor_run",
        details={
            "documents": len(results),
            "created": len(new_ids),
            "existing": sum(1 for r in results if r.document_id and not r.created),
            "failed": sum(1 for r in results if r.error),
            "events_touched": grouped,
        },
    )
    return results


def regroup(session: Session, *, actor: Actor, full: bool = False) -> RegroupResult:
    """Place reports not yet in an event; with `full`, rebuild every event from the reports."""
    actor.require(INGEST)
    result = event_groups.regroup(session, full=full)
    audit.record(
        session,
        actor=actor,
        action="monitor.regroup",
        object_type="monitor_run",
        details={"full": full, "documents": result.documents, "events": result.events},
    )
    return result
