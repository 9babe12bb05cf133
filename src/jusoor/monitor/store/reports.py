"""Storing one report: once by content hash, with its extraction, facts and actor mentions.

Each report goes in its own savepoint, so a report that fails leaves nothing half-written and the
rest of the batch is kept. Organisations become actors by gazetteer id, persons by the Latin key of
their name — so نائلة جبر and Naela Gabr are one actor — created on first mention.
"""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jusoor.core.i18n import gettext as _
from jusoor.core.ids import uuid7
from jusoor.monitor.models import MonitorActor, MonitorDocument, MonitorFact, MonitorMention
from jusoor.monitor.reading.extract import Extraction, extract
from jusoor.monitor.reading.language import SUPPORTED, detect_language
from jusoor.monitor.reading.provenance import sentence_of, sentence_starts
from jusoor.monitor.reading.text import Document
from jusoor.monitor.schemas import IngestResult
from jusoor.monitor.store.ingest import SourceError

MAX_VALUE_CHARS = 200
MAX_NAME_CHARS = 400


def content_hash(text: str) -> str:
    """The identity of a report: the SHA-256 of its text, surrounding blanks dropped."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def existing_document(session: Session, digest: str) -> uuid.UUID | None:
    return session.scalars(
        select(MonitorDocument.id).where(MonitorDocument.content_hash == digest)
    ).first()


def store(session: Session, item: Document | SourceError) -> IngestResult:
    """Store one report (or report why it cannot be); an already stored text is not stored again."""
    if isinstance(item, SourceError):
        return IngestResult(item.source, error=item.message)
    text = item.text.strip()
    if not text:
        return IngestResult(item.source, error=_("The report has no text."))
    digest = content_hash(text)
    found = existing_document(session, digest)
    if found is not None:
        return IngestResult(item.source, document_id=found)
    lang = detect_language(text)
    if lang is not None and lang not in SUPPORTED:
        return IngestResult(
            item.source,
            lang=lang,
            error=_(
                "The report is in a language that is not read (%(lang)s); "
                "only Arabic, English and French reports are stored.",
                lang=lang,
            ),
        )
    extraction = extract(text, published=item.published, lang=lang)
    try:
        with session.begin_nested():
            document = _document(item, text, digest, extraction)
            session.add(document)
            _mentions(session, document, extraction)
            session.flush()
    except IntegrityError:
        # Stored meanwhile by another run: the same text is the same report.
        found = existing_document(session, digest)
        if found is None:
            raise
        return IngestResult(item.source, document_id=found)
    return IngestResult(item.source, document_id=document.id, created=True, lang=lang)


def _document(item: Document, text: str, digest: str, x: Extraction) -> MonitorDocument:
    event = x.event
    starts = sentence_starts(text)
    return MonitorDocument(
        id=uuid7(),
        content_hash=digest,
        source=item.source[:1000],
        url=item.url[:2000] if item.url else None,
        kind=item.kind,
        published=item.published or x.published,
        lang=x.lang,
        title=item.title[:1000] if item.title else None,
        text=text,
        event_type=event.type,
        event_title=event.title[:400] if event.title else None,
        event_start=event.start,
        event_end=event.end,
        city_id=event.city.id if event.city else None,
        city=event.city.name if event.city else None,
        country=event.country,
        participants=event.participants,
        countries=" ".join(x.countries),
        themes=" ".join(x.themes),
        crime=x.crime,
        facts=[
            MonitorFact(
                kind=e.kind,
                value=e.value[:MAX_VALUE_CHARS],
                sentence=sentence_of(text, e.start, e.end, starts=starts),
                start=e.start,
                end=e.end,
            )
            for e in x.evidence
        ],
    )


def _mentions(session: Session, document: MonitorDocument, x: Extraction) -> None:
    text = document.text
    starts = sentence_starts(text)
    wanted: dict[tuple[str, str], MonitorActor] = {}
    for o in x.organizations:
        org = o.organization
        wanted[("organization", org.id)] = MonitorActor(
            id=uuid7(),
            kind="organization",
            key=org.id,
            name=org.name[:MAX_NAME_CHARS],
            acronym=org.acronym,
            country=org.country,
        )
    for p in x.persons:
        if p.key:
            wanted[("person", p.key[:200])] = MonitorActor(
                id=uuid7(), kind="person", key=p.key[:200], name=p.latin[:MAX_NAME_CHARS]
            )
    actors = _actors(session, wanted)
    for o in x.organizations:
        session.add(
            MonitorMention(
                actor_id=actors[("organization", o.organization.id)],
                document_id=document.id,
                name=o.text[:MAX_NAME_CHARS],
                role=None,
                sentence=sentence_of(text, o.start, o.end, starts=starts),
                start=o.start,
                end=o.end,
            )
        )
    for p in x.persons:
        if not p.key:
            continue
        role = p.role or (", ".join(p.titles) or None)
        session.add(
            MonitorMention(
                actor_id=actors[("person", p.key[:200])],
                document_id=document.id,
                name=p.name[:MAX_NAME_CHARS],
                role=role[:MAX_NAME_CHARS] if role else None,
                sentence=sentence_of(text, *p.span, starts=starts),
                start=p.span[0],
                end=p.span[1],
            )
        )


def _actors(
    session: Session, wanted: dict[tuple[str, str], MonitorActor]
) -> dict[tuple[str, str], uuid.UUID]:
    """The id of each actor wanted: the stored one, or the new one added (in one query)."""
    if not wanted:
        return {}
    stored = {
        (kind, key): actor_id
        for actor_id, kind, key in session.execute(
            select(MonitorActor.id, MonitorActor.kind, MonitorActor.key).where(
                MonitorActor.key.in_({key for _, key in wanted})
            )
        )
    }
    ids: dict[tuple[str, str], uuid.UUID] = {}
    for ident, actor in wanted.items():
        if ident in stored:
            ids[ident] = stored[ident]
        else:
            session.add(actor)
            ids[ident] = actor.id
    session.flush()  # actors before the mentions that name them
    return ids
