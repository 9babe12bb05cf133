"""Services offered by agencies, referrals of cases to them, and the services delivered.

After Primero, referral, transfer and assignment are one `Transition` record told apart by `kind`:
only referrals exist today, the others reuse the table and its history when they come.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jusoor.agencies.models import Agency
from jusoor.cases.models import Case
from jusoor.core.crypto import EncryptedText
from jusoor.core.db import Base, UTCDateTime, utcnow
from jusoor.core.ids import uuid7


class ServiceKind(enum.StrEnum):
    shelter = "shelter"
    medical = "medical"
    psychosocial = "psychosocial"
    legal_aid = "legal_aid"
    interpretation = "interpretation"
    education = "education"
    vocational_training = "vocational_training"
    financial_support = "financial_support"
    family_tracing = "family_tracing"
    child_protection = "child_protection"
    return_reintegration = "return_reintegration"


class Service(Base):
    """A service an agency offers, where, in which languages, with how much room left."""

    __tablename__ = "services"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    kind: Mapped[ServiceKind] = mapped_column(Enum(ServiceKind, native_enum=False, length=40))
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)  # governorates or cities served
    capacity_total: Mapped[int | None] = mapped_column(Integer)
    capacity_free: Mapped[int | None] = mapped_column(Integer)
    capacity_updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    email: Mapped[str | None] = mapped_column(String(254))
    hours: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency] = relationship(lazy="joined")
    language_rows: Mapped[list[ServiceLanguage]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ServiceLanguage.language"
    )

    @property
    def languages(self) -> list[str]:
        return [row.language for row in self.language_rows]


class ServiceLanguage(Base):
    """A language (BCP 47) the service works in: a row each, so that the directory can filter."""

    __tablename__ = "service_languages"

    service_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(16), primary_key=True, index=True)


class TransitionKind(enum.StrEnum):
    referral = "referral"


class Transition(Base):
    """A case handed to another agency: today a referral to one of its services.

    `shared_fields` is the list of case fields the referring case worker chose to share; the
    receiving agency sees those and nothing else (OSCE/ODIHR NRM handbook; Bulgaria NRM SOP 1.4).
    """

    __tablename__ = "transitions"
    # The lists' keyset pages within a scope (migration 0018_work_list_indexes).
    __table_args__ = (
        Index("ix_transitions_to_created", "to_agency_id", "created_at", "id"),
        Index("ix_transitions_from_created", "from_agency_id", "created_at", "id"),
        Index("ix_transitions_to_status_deadline", "to_agency_id", "status", "deadline", "id"),
        Index("ix_transitions_from_status_deadline", "from_agency_id", "status", "deadline", "id"),
        Index("ix_transitions_country_created", "country", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    kind: Mapped[TransitionKind] = mapped_column(
        Enum(TransitionKind, native_enum=False, length=20), default=TransitionKind.referral
    )
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("services.id"), index=True)
    from_agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    to_agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)  # the referring agency's
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    shared_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(EncryptedText("transitions.note"))
    deadline: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    responded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(lazy="joined")
    service: Mapped[Service] = relationship(lazy="joined")
    from_agency: Mapped[Agency] = relationship(foreign_keys=[from_agency_id], lazy="joined")
    to_agency: Mapped[Agency] = relationship(foreign_keys=[to_agency_id], lazy="joined")
    moves: Mapped[list[TransitionMove]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="TransitionMove.at"
    )
    deliveries: Mapped[list[ServiceDelivery]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ServiceDelivery.delivered_on"
    )

    @property
    def case_reference(self) -> str:
        return self.case.reference

    @property
    def service_kind(self) -> ServiceKind:
        return self.service.kind


class TransitionMove(Base):
    """One change of state: who moved the referral from what to what, when, and why."""

    __tablename__ = "transition_moves"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    transition_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("transitions.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    by_username: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(EncryptedText("transition_moves.reason"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ServiceDelivery(Base):
    """A service the receiving agency gave under a referral: what, when, by whom, with notes."""

    __tablename__ = "service_deliveries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    transition_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("transitions.id", ondelete="CASCADE"), index=True
    )
    what: Mapped[str] = mapped_column(String(300))
    delivered_on: Mapped[dt.date] = mapped_column(Date)
    delivered_by: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(EncryptedText("service_deliveries.notes"))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
