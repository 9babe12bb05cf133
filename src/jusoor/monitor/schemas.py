"""What the monitor services return: read-side views of stored reports, events and actors.

Plain frozen dataclasses, built by `jusoor.monitor.service` from the database and handed to pages,
the API and the CLI as they are. Dates are `datetime.date`; countries ISO 3166-1 alpha-2; languages
ISO 639-1. What no report states is None or empty, never guessed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

# Kinds of fact whose source sentence is kept (`FactView.kind`).
FACT_KINDS = (
    "event_type",
    "start",
    "end",
    "place",
    "organization",
    "person",
    "country",
    "theme",
    "participants",
)


@dataclass(frozen=True, slots=True)
class FactView:
    """One thing a report states, with the sentence (and character offsets) it came from."""

    document_id: uuid.UUID
    kind: str  # one of FACT_KINDS
    value: str  # "conference", "2023-07-11", "rabat", "unodc", a person's Latin key, "MA", …
    sentence: str  # the sentence of the report's text that states it
    start: int  # offsets of the fact in the document's text (text[start:end])
    end: int


@dataclass(frozen=True, slots=True)
class DocumentView:
    """A stored report (stored once per content hash)."""

    id: uuid.UUID
    source: str  # the file path, "path#3" for a feed item, or the URL fetched
    url: str | None
    title: str | None
    lang: str | None
    published: dt.date | None
    event_id: uuid.UUID | None
    ingested_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as it appears in an event: an organisation or a person, with its role there."""

    id: uuid.UUID
    kind: str  # "organization" | "person"
    key: str  # gazetteer id for organisations, Latin name key for persons
    name: str  # display name: the organisation's English name, the person's Latin rendering
    acronym: str | None = None
    role: str | None = None  # the person's title or role as written in one of the reports


@dataclass(frozen=True, slots=True)
class EventSummary:
    """One event in a list: the union of what its reports say."""

    id: uuid.UUID
    type: str | None
    title: str | None
    start: dt.date | None
    end: dt.date | None
    city: str | None  # English display name
    city_id: str | None  # gazetteer id (places.yaml), for the map
    country: str | None
    participants: int | None
    themes: tuple[str, ...]  # prevention, protection, prosecution, partnership
    crime: str | None  # trafficking_in_persons, migrant_smuggling, both
    langs: tuple[str, ...]  # the languages of its reports
    document_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True, slots=True)
class EventView:
    """One event with its reports, actors, places and, for each fact, the sentence it came from."""

    summary: EventSummary
    documents: tuple[DocumentView, ...]
    organizations: tuple[ActorRef, ...]
    persons: tuple[ActorRef, ...]
    countries: tuple[str, ...]
    places: tuple[str, ...]  # place ids mentioned (cities from places.yaml, or country codes)
    facts: tuple[FactView, ...]


@dataclass(frozen=True, slots=True)
class MentionView:
    """Where a report names an actor."""

    document_id: uuid.UUID
    event_id: uuid.UUID | None
    name: str  # as written in the report
    role: str | None
    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ActorSummary:
    id: uuid.UUID
    kind: str  # "organization" | "person"
    key: str
    name: str
    acronym: str | None
    country: str | None  # for national bodies
    names: tuple[str, ...]  # every name it is written under, in any script
    document_count: int
    event_count: int


@dataclass(frozen=True, slots=True)
class ActorView:
    """An organisation or a person and every event it took part in."""

    summary: ActorSummary
    events: tuple[EventSummary, ...]
    mentions: tuple[MentionView, ...]


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What became of one input report: stored (new or already there), or an error."""

    source: str
    document_id: uuid.UUID | None = None
    created: bool = False  # False when the same content was already stored, or on error
    lang: str | None = None
    error: str | None = None  # a one-line, translated reason; the document was not stored


@dataclass(frozen=True, slots=True)
class RegroupResult:
    documents: int  # documents (re)placed into events
    events: int  # events that exist afterwards
