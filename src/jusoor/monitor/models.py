"""Stored press reports, the facts read from them, the events they report and the actors named.

A report is stored once, by the SHA-256 of its text. Its extraction is kept in two forms: the
summary columns on `MonitorDocument` (what `jusoor monitor extract` prints, enough to group), and
one `MonitorFact` per stated fact with the sentence and offsets it came from. Events group reports
of one happening in any language; actors are organisations (by gazetteer id) and persons (by the
Latin key of their name), each named by `MonitorMention` rows per report. It is public news: no
field is encrypted.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jusoor.core.db import Base, UTCDateTime, utcnow
from jusoor.core.ids import uuid7


class MonitorEvent(Base):
    """One happening, reported by one or more documents; its columns are the union of theirs."""

    __tablename__ = "monitor_events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    type: Mapped[str | None] = mapped_column(String(40), index=True)
    title: Mapped[str | None] = mapped_column(String(400))
    start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    end: Mapped[dt.date | None] = mapped_column(Date)
    city_id: Mapped[str | None] = mapped_column(String(80))
    city: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    participants: Mapped[int | None] = mapped_column(Integer)
    themes: Mapped[str] = mapped_column(String(200), default="")  # space-separated
    crime: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    documents: Mapped[list[MonitorDocument]] = relationship(
        back_populates="event", order_by="MonitorDocument.id"
    )


class MonitorDocument(Base):
    """A report as read (text, HTML main text or a feed item) and the summary of its extraction."""

    __tablename__ = "monitor_documents"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of `text`
    source: Mapped[str] = mapped_column(String(1000))
    url: Mapped[str | None] = mapped_column(String(2000))
    kind: Mapped[str] = mapped_column(String(8))  # text | html | feed
    published: Mapped[dt.date | None] = mapped_column(Date)
    lang: Mapped[str | None] = mapped_column(String(8), index=True)
    title: Mapped[str | None] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The extraction, as `jusoor monitor extract` prints it
    event_type: Mapped[str | None] = mapped_column(String(40))
    event_title: Mapped[str | None] = mapped_column(String(400))
    event_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    event_end: Mapped[dt.date | None] = mapped_column(Date)
    city_id: Mapped[str | None] = mapped_column(String(80))
    city: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    participants: Mapped[int | None] = mapped_column(Integer)
    countries: Mapped[str] = mapped_column(String(200), default="")  # space-separated
    themes: Mapped[str] = mapped_column(String(200), default="")  # space-separated
    crime: Mapped[str | None] = mapped_column(String(40))
    event_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("monitor_events.id", ondelete="SET NULL"), index=True
    )

    event: Mapped[MonitorEvent | None] = relationship(back_populates="documents")
    facts: Mapped[list[MonitorFact]] = relationship(
        cascade="all, delete-orphan", order_by="MonitorFact.start"
    )
    mentions: Mapped[list[MonitorMention]] = relationship(
        back_populates="document", cascade="all, delete-orphan"
    )


class MonitorFact(Base):
    """One fact a report states, and where: the sentence and the offsets in the report's text."""

    __tablename__ = "monitor_facts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("monitor_documents.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # schemas.FACT_KINDS
    value: Mapped[str] = mapped_column(String(200))
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class MonitorActor(Base):
    """An organisation (keyed by gazetteer id) or a person (keyed by the Latin key of the name)."""

    __tablename__ = "monitor_actors"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(12), index=True)  # organization | person
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(400))  # English name, or the Latin rendering
    acronym: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    mentions: Mapped[list[MonitorMention]] = relationship(back_populates="actor")


class MonitorMention(Base):
    """A report names an actor: as written, with the role given there and the sentence."""

    __tablename__ = "monitor_mentions"
    __table_args__ = (UniqueConstraint("actor_id", "document_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    actor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("monitor_actors.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("monitor_documents.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(400))
    role: Mapped[str | None] = mapped_column(String(400))
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    actor: Mapped[MonitorActor] = relationship(back_populates="mentions")
    document: Mapped[MonitorDocument] = relationship(back_populates="mentions")
