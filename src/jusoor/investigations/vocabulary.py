"""The closed lists of the criminal file: how a file started, who a defendant was in the scheme,
what was seized, which instruments were issued. Stored as these values; shown through `labels`."""

from __future__ import annotations

import enum


class Origin(enum.StrEnum):
    """How the file started (the first question of a crime report)."""

    victim_complaint = "victim_complaint"
    screening = "screening"
    nrm_referral = "nrm_referral"
    inspection = "inspection"
    foreign_request = "foreign_request"
    proactive = "proactive"


class Stage(enum.StrEnum):
    """The file's life cycle (`stages.yaml`, one state machine for every workflow)."""

    report = "report"
    preliminary_investigation = "preliminary_investigation"
    prosecution_decision = "prosecution_decision"
    no_charge = "no_charge"
    trial = "trial"
    first_instance_judgment = "first_instance_judgment"
    appeal = "appeal"
    final = "final"
    closed = "closed"


class DefendantRole(enum.StrEnum):
    """The part a person played in the scheme (UNODC Model Legislation roles, in plain words)."""

    recruiter = "recruiter"
    transporter = "transporter"
    harbourer = "harbourer"
    exploiter = "exploiter"
    financier = "financier"
    document_forger = "document_forger"
    facilitator = "facilitator"


class Sex(enum.StrEnum):
    """As GLOTIP counts persons brought into formal contact, prosecuted and convicted."""

    male = "male"
    female = "female"
    unknown = "unknown"


class OffenceType(enum.StrEnum):
    trafficking = "trafficking"
    smuggling = "smuggling"
    related = "related"


class ChargeStatus(enum.StrEnum):
    charged = "charged"
    withdrawn = "withdrawn"


class Instance(enum.StrEnum):
    """Which court decided: first instance or on appeal."""

    first_instance = "first_instance"
    appeal = "appeal"


class Verdict(enum.StrEnum):
    convicted = "convicted"
    acquitted = "acquitted"


class HearingKind(enum.StrEnum):
    first_appearance = "first_appearance"
    evidence = "evidence"
    victim_testimony = "victim_testimony"
    pleadings = "pleadings"
    verdict = "verdict"
    appeal = "appeal"


class AssetKind(enum.StrEnum):
    cash = "cash"
    bank_account = "bank_account"
    real_estate = "real_estate"
    vehicle = "vehicle"
    phone = "phone"
    business = "business"
    other = "other"


class AssetStatus(enum.StrEnum):
    seized = "seized"
    frozen = "frozen"
    confiscated = "confiscated"
    released = "released"


class ExhibitKind(enum.StrEnum):
    document = "document"
    phone = "phone"
    computer = "computer"
    storage_media = "storage_media"
    cash = "cash"
    identity_document = "identity_document"
    other = "other"


class InstrumentKind(enum.StrEnum):
    search_warrant = "search_warrant"
    arrest_warrant = "arrest_warrant"
    court_order = "court_order"
    preservation_request = "preservation_request"
    production_order = "production_order"
    freezing_order = "freezing_order"
    travel_ban = "travel_ban"


class InstrumentStatus(enum.StrEnum):
    requested = "requested"
    issued = "issued"
    executed = "executed"
    refused = "refused"
    expired = "expired"


class ProtectionMeasure(enum.StrEnum):
    """Victim-witness protection (UNTOC art. 24, 25; Palermo Protocol art. 6)."""

    anonymity = "anonymity"
    video_link = "video_link"
    protection_order = "protection_order"
    shelter_while_testifying = "shelter_while_testifying"
    closed_hearing = "closed_hearing"
    accompaniment = "accompaniment"


class RequestKind(enum.StrEnum):
    """Requests to another country made from a file, sent through the exchange."""

    mla = "mla"
    information = "information"
    joint_investigation = "joint_investigation"


class LinkRelation(enum.StrEnum):
    related = "related"
    same_network = "same_network"
    joined = "joined"
    split_from = "split_from"
