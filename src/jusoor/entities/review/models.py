"""Judgements: a person's decision that two entities are, or are not, the same.

A judgement is never edited or deleted: undoing it stamps `undone_at`, and the pair goes back
to what the model says. At most one judgement of a pair is active (not undone) at a time
(`jusoor.entities.judgements` checks it). The pair is stored in a fixed order (`entity_a_id` <
`entity_b_id`), so (A, B) and (B, A) are one pair.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Enum, Float, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from jusoor.core.crypto import EncryptedText
from jusoor.core.db import Base, UTCDateTime, utcnow
from jusoor.core.ids import uuid7


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
