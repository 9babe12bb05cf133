"""Investigation and prosecution files (after UNODC goCASE): the file, the people on it, the charges
and judgments, hearings, seized assets, exhibits and their chain of custody, legal instruments,
attachments, linked files, requests sent abroad and the file's timeline.

Need-to-know: a file belongs to the agency that opened it (`agency_id`, `country`). Victims appear
only as links to NRM cases (`case_id`), never copied: what an investigator may see of the person is
decided by the cases domain through that link (`jusoor.investigations.witnesses`). Defendants are
entity records (`entity_id`), so they take part in networks and entity resolution; their names live
encrypted in the entity, not here. Free text that may name or describe a person is encrypted.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    Enum,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jusoor.core.crypto import EncryptedText
from jusoor.core.db import Base, UTCDateTime, utcnow
from jusoor.core.ids import uuid7
from jusoor.investigations.vocabulary import (
    AssetKind,
    AssetStatus,
    ChargeStatus,
    DefendantRole,
    ExhibitKind,
    HearingKind,
    Instance,
    InstrumentKind,
    InstrumentStatus,
    LinkRelation,
    Origin,
    ProtectionMeasure,
    RequestKind,
    Sex,
    Stage,
    Verdict,
)


def _enum(kind: type[enum.StrEnum], length: int = 32) -> Enum:
    return Enum(kind, native_enum=False, length=length)


class InvestigationFile(Base):
    """One criminal file, from the first report to the final judgment."""

    __tablename__ = "investigation_files"
    __table_args__ = (UniqueConstraint("country", "year", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    reference: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. "INV-MA-2026-00042"
    country: Mapped[str] = mapped_column(String(2), index=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)  # per country and year
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), index=True)
    origin: Mapped[Origin] = mapped_column(_enum(Origin))
    title: Mapped[str] = mapped_column(EncryptedText("investigation_files.title"))
    summary: Mapped[str] = mapped_column(EncryptedText("investigation_files.summary"), default="")
    stage: Mapped[Stage] = mapped_column(_enum(Stage), index=True)
    stage_entered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    reported_on: Mapped[dt.date] = mapped_column(Date)  # when the facts were first reported
    lead_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    prosecutor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    court: Mapped[str | None] = mapped_column(String(200))
    court_case_number: Mapped[str | None] = mapped_column(String(64))
    # The reason the prosecution decided not to charge, or closed the file (encrypted: it may
    # describe the people involved).
    closing_reason: Mapped[str | None] = mapped_column(
        EncryptedText("investigation_files.closing_reason")
    )
    opened_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    defendants: Mapped[list[Defendant]] = relationship(
        back_populates="file", order_by="Defendant.created_at", cascade="all, delete-orphan"
    )


class FileEvent(Base):
    """The file's timeline: stage moves and every addition, in order (the reason encrypted)."""

    __tablename__ = "investigation_events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))  # "stage", "defendant", "charge", ...
    from_stage: Mapped[str | None] = mapped_column(String(32))
    to_stage: Mapped[str | None] = mapped_column(String(32))
    # Non-personal facts to word the event (codes, references, counts): never names.
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(EncryptedText("investigation_events.reason"))
    by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Defendant(Base):
    """A suspect or accused person: an entity record (name, documents, phones) and a role."""

    __tablename__ = "investigation_defendants"
    __table_args__ = (UniqueConstraint("file_id", "entity_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("entities.id"), index=True)
    role: Mapped[DefendantRole] = mapped_column(_enum(DefendantRole))
    sex: Mapped[Sex] = mapped_column(_enum(Sex, 16), default=Sex.unknown)
    # Age when brought into formal contact (GLOTIP counts adults and children apart).
    age: Mapped[int | None] = mapped_column(Integer)
    citizenship: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    # When the person was first brought into formal contact with the police (arrest, summons).
    formal_contact_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    file: Mapped[InvestigationFile] = relationship(back_populates="defendants")


class VictimLink(Base):
    """A victim in the file, by reference to an NRM case only: nothing of the person is copied."""

    __tablename__ = "investigation_victims"
    __table_args__ = (UniqueConstraint("file_id", "case_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    case_reference: Mapped[str] = mapped_column(String(32))
    is_witness: Mapped[bool] = mapped_column(default=True)
    linked_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class WitnessProtection(Base):
    """A protection measure for a victim-witness, recorded by either side of the link."""

    __tablename__ = "investigation_protection"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    victim_link_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_victims.id", ondelete="CASCADE"), index=True
    )
    measure: Mapped[ProtectionMeasure] = mapped_column(_enum(ProtectionMeasure))
    ordered_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(EncryptedText("investigation_protection.note"), default="")
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Charge(Base):
    """An offence charged against one defendant, from the country's law file (`offences.yaml`)."""

    __tablename__ = "investigation_charges"
    __table_args__ = (UniqueConstraint("defendant_id", "offence"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    defendant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_defendants.id", ondelete="CASCADE"), index=True
    )
    offence: Mapped[str] = mapped_column(String(64))  # an offence id of offences.yaml
    # Copied from the law file when charged, so that figures survive a change of the file.
    offence_type: Mapped[str] = mapped_column(String(16))
    form: Mapped[str | None] = mapped_column(String(40))  # form of exploitation, trafficking only
    status: Mapped[ChargeStatus] = mapped_column(_enum(ChargeStatus, 16))
    charged_on: Mapped[dt.date] = mapped_column(Date)
    charged_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class Judgment(Base):
    """A court's decision on one charge of one defendant, at first instance or on appeal."""

    __tablename__ = "investigation_judgments"
    __table_args__ = (UniqueConstraint("charge_id", "instance"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    defendant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_defendants.id", ondelete="CASCADE"), index=True
    )
    charge_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_charges.id", ondelete="CASCADE"), index=True
    )
    instance: Mapped[Instance] = mapped_column(_enum(Instance, 16))
    court: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[dt.date] = mapped_column(Date, index=True)
    verdict: Mapped[Verdict] = mapped_column(_enum(Verdict, 16))
    prison_months: Mapped[int | None] = mapped_column(Integer)
    fine_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    fine_currency: Mapped[str | None] = mapped_column(String(3))  # ISO 4217
    confiscation: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Hearing(Base):
    __tablename__ = "investigation_hearings"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[HearingKind] = mapped_column(_enum(HearingKind))
    court: Mapped[str] = mapped_column(String(200))
    scheduled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    outcome: Mapped[str] = mapped_column(
        EncryptedText("investigation_hearings.outcome"), default=""
    )
    held: Mapped[bool | None] = mapped_column()  # None: not yet; False: adjourned
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class Asset(Base):
    """An asset seized, frozen or confiscated (value as estimated, in its currency)."""

    __tablename__ = "investigation_assets"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    defendant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("investigation_defendants.id", ondelete="SET NULL")
    )
    kind: Mapped[AssetKind] = mapped_column(_enum(AssetKind))
    description: Mapped[str] = mapped_column(EncryptedText("investigation_assets.description"))
    estimated_value: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[str | None] = mapped_column(String(3))  # ISO 4217
    status: Mapped[AssetStatus] = mapped_column(_enum(AssetStatus, 16))
    seized_on: Mapped[dt.date] = mapped_column(Date)
    status_on: Mapped[dt.date] = mapped_column(Date)  # when the current status was reached
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class Exhibit(Base):
    """A piece of evidence; who held it, from when to when and why is its chain of custody."""

    __tablename__ = "investigation_exhibits"
    __table_args__ = (UniqueConstraint("file_id", "label"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(32))  # "EX-001", unique in the file
    kind: Mapped[ExhibitKind] = mapped_column(_enum(ExhibitKind))
    description: Mapped[str] = mapped_column(EncryptedText("investigation_exhibits.description"))
    seized_on: Mapped[dt.date] = mapped_column(Date)
    seized_where: Mapped[str] = mapped_column(
        EncryptedText("investigation_exhibits.seized_where"), default=""
    )
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Custody(Base):
    """One link of an exhibit's chain of custody; the open link (`until` empty) is the holder."""

    __tablename__ = "investigation_custody"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    exhibit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_exhibits.id", ondelete="CASCADE"), index=True
    )
    holder: Mapped[str] = mapped_column(String(200))  # a person and unit, as signed for
    since: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    purpose: Mapped[str] = mapped_column(EncryptedText("investigation_custody.purpose"))
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Instrument(Base):
    """A legal instrument: warrant, court order, preservation request… and where it stands."""

    __tablename__ = "investigation_instruments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[InstrumentKind] = mapped_column(_enum(InstrumentKind))
    authority: Mapped[str] = mapped_column(String(200))  # the issuing court or prosecutor
    reference: Mapped[str | None] = mapped_column(String(64))
    requested_on: Mapped[dt.date] = mapped_column(Date)
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[InstrumentStatus] = mapped_column(_enum(InstrumentStatus, 16))
    note: Mapped[str] = mapped_column(EncryptedText("investigation_instruments.note"), default="")
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class Attachment(Base):
    """A document attached to the file, encrypted at rest (base64 inside the ciphertext)."""

    __tablename__ = "investigation_attachments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(EncryptedText("investigation_attachments.filename"))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(EncryptedText("investigation_attachments.content"))
    uploaded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class FileLink(Base):
    """Two files linked (same network, joined, split): stored once, read from both ends."""

    __tablename__ = "investigation_links"
    __table_args__ = (UniqueConstraint("file_id", "other_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    other_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    relation: Mapped[LinkRelation] = mapped_column(_enum(LinkRelation, 16))
    linked_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class FileRequest(Base):
    """A request sent abroad from the file (an exchange thread), or received and joined to it."""

    __tablename__ = "investigation_requests"
    __table_args__ = (UniqueConstraint("file_id", "thread_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigation_files.id", ondelete="CASCADE"), index=True
    )
    thread_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)  # exchange_messages.thread_id
    kind: Mapped[RequestKind] = mapped_column(_enum(RequestKind, 24))
    peer: Mapped[str] = mapped_column(String(16))  # the other node
    outgoing: Mapped[bool] = mapped_column(default=True)
    linked_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
