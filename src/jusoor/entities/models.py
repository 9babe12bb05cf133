"""Investigation entities (people, organisations, phones, documents…), the typed links between
them, and the blind index that lets encrypted entities be matched.

The schema and link vocabularies are data (`schemata.yaml`, loaded by `vocabulary`). Names,
numbers and every property value are sensitive, so the caption and the properties are encrypted
at rest; matching goes through `EntityKey` rows, which hold keyed digests of normalised values
(`matchkeys`), never the values.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid

from sqlalchemy import Enum, Float, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from jusoor.core.crypto import EncryptedText
from jusoor.core.db import Base, UTCDateTime, utcnow
from jusoor.core.ids import uuid7

Properties = dict[str, list[str]]


class SourceKind(enum.StrEnum):
    """Where a record came from: a case file, a report (police, NGO, press), or an import batch."""

    case = "case"
    report = "report"
    import_ = "import"


_SOURCE = Enum(
    SourceKind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
)


class Entity(Base):
    """A person, organisation, phone, e-mail, address, document, vehicle or bank account."""

    __tablename__ = "entities"
    # Which of the people found by a key are in cases a reader may open, from the index alone
    # (migration 0024).
    __table_args__ = (Index("ix_entities_id_schema_case", "id", "schema", "case_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    schema: Mapped[str] = mapped_column(String(32), index=True)
    caption: Mapped[str] = mapped_column(EncryptedText("entities.caption"))
    properties_text: Mapped[str] = mapped_column("properties", EncryptedText("entities.properties"))
    source_kind: Mapped[SourceKind] = mapped_column(_SOURCE)
    source_ref: Mapped[str | None] = mapped_column(String(100), index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)  # the owning agency's
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def properties(self) -> Properties:
        """Every property as a list of values (FtM style); a fresh dict on each call."""
        loaded: Properties = json.loads(self.properties_text or "{}")
        return loaded

    @properties.setter
    def properties(self, value: Properties) -> None:
        self.properties_text = json.dumps(value, ensure_ascii=False, sort_keys=True)


class EntityKey(Base):
    """One blind-index entry: HMAC-SHA256 of a normalised value of an entity (`matchkeys`).

    Equal digests mean equal normalised values; the digest says nothing of the value without the
    node's key. `kind` is kept in clear so that weak keys (a name part) and strong ones (a phone)
    can be told apart when counting what two entities share.
    """

    __tablename__ = "entity_keys"

    entity_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)

    # Who holds a digest, from the index alone (migration 0024).
    __table_args__ = (Index("ix_entity_keys_digest_kind_entity", "digest", "kind", "entity_id"),)


class Link(Base):
    """A typed, directed link between two entities: Person uses_phone Phone, A paid B, …"""

    __tablename__ = "entity_links"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    type: Mapped[str] = mapped_column(String(32), index=True)
    source_entity_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    target_entity_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[str | None] = mapped_column(String(10))  # ISO, possibly partial: "2024-03"
    end_date: Mapped[str | None] = mapped_column(String(10))
    properties_text: Mapped[str] = mapped_column(
        "properties", EncryptedText("entity_links.properties")
    )
    source_kind: Mapped[SourceKind] = mapped_column(_SOURCE)
    source_ref: Mapped[str | None] = mapped_column(String(100), index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def properties(self) -> Properties:
        loaded: Properties = json.loads(self.properties_text or "{}")
        return loaded

    @properties.setter
    def properties(self, value: Properties) -> None:
        self.properties_text = json.dumps(value, ensure_ascii=False, sort_keys=True)


# Judgements: a person's decision that two entities are, or are not, the same. A judgement is
# never edited or deleted: undoing it stamps `undone_at`, and the pair goes back to what the model
# says. At most one judgement of a pair is active (not undone) at a time (`jusoor.entities.matching.judgements`
# checks it). The pair is stored in a fixed order (`entity_a_id` < `entity_b_id`), so (A, B) and
# (B, A) are one pair.


class Decision(enum.StrEnum):
    same = "same"
    different = "different"


class Judgement(Base):
    __tablename__ = "entity_judgements"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    entity_a_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    entity_b_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[Decision] = mapped_column(Enum(Decision, native_enum=False, length=16))
    reason: Mapped[str] = mapped_column(EncryptedText("entity_judgements.reason"))
    # The model's match probability when the pair was judged (None: no model score).
    probability: Mapped[float | None] = mapped_column(Float)
    judged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    judged_by: Mapped[str] = mapped_column(String(64))
    judged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    undone_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_entity_judgements_pair", "entity_a_id", "entity_b_id"),)

    @property
    def active(self) -> bool:
        return self.undone_at is None
