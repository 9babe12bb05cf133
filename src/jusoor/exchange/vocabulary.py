"""The words of cross-border exchange, from the instruments they come from.

Request types follow UNTOC art. 18 (mutual legal assistance, 18(15) contents; spontaneous
information, 18(4)–(5)) and transnational referral practice between national referral mechanisms
(OSCE/ODIHR TRM guidelines). Handling codes and the 4×4 evaluation are Europol SIENA's (Council
doc 6261/18; Europol Regulation art. 29).
"""

from __future__ import annotations

import enum


class MessageType(enum.StrEnum):
    # Requests that open a thread.
    mla_request = "mla_request"
    information_request = "information_request"
    spontaneous_information = "spontaneous_information"
    transnational_referral = "transnational_referral"
    # Messages within a thread (they carry `reply_to`).
    reply = "reply"
    acknowledgement = "acknowledgement"
    refusal = "refusal"
    withdrawal = "withdrawal"
    progress_report = "progress_report"
    # Node-to-node housekeeping, never typed by a person.
    key_rotation = "key_rotation"
    directory_update = "directory_update"


OPENING_TYPES = frozenset(
    {
        MessageType.mla_request,
        MessageType.information_request,
        MessageType.spontaneous_information,
        MessageType.transnational_referral,
    }
)
THREAD_TYPES = frozenset(
    {
        MessageType.reply,
        MessageType.acknowledgement,
        MessageType.refusal,
        MessageType.withdrawal,
        MessageType.progress_report,
    }
)
SYSTEM_TYPES = frozenset({MessageType.key_rotation, MessageType.directory_update})


class Direction(enum.StrEnum):
    outgoing = "outgoing"
    incoming = "incoming"


class MessageStatus(enum.StrEnum):
    """Where a message (or the thread it opens) stands, as both sides see it."""

    draft = "draft"
    sent = "sent"  # in the outbox, no valid receipt yet
    delivered = "delivered"  # the peer's signed receipt is in
    acknowledged = "acknowledged"
    in_progress = "in_progress"
    answered = "answered"
    refused = "refused"
    withdrawn = "withdrawn"
    expired = "expired"


# A thread ends here: no more replies are applied to it.
FINAL_STATUSES = frozenset({MessageStatus.refused, MessageStatus.withdrawn, MessageStatus.expired})


class HandlingCode(enum.StrEnum):
    """SIENA handling codes: conditions the provider sets on the use of what it sends."""

    H0 = "H0"  # only for preventing and combating crime
    H1 = "H1"  # not to be disclosed in judicial proceedings without the provider's permission
    H2 = "H2"  # not to be disseminated without the provider's permission
    H3 = "H3"  # other restrictions, stated in free text


class SourceEvaluation(enum.StrEnum):
    """4×4 source reliability (Europol Regulation art. 29(1))."""

    A = "A"
    B = "B"
    C = "C"
    X = "X"


class InformationEvaluation(enum.StrEnum):
    """4×4 information accuracy (Europol Regulation art. 29(2))."""

    known = "1"
    known_to_source = "2"
    corroborated = "3"
    uncorroborated = "4"


class Urgency(enum.StrEnum):
    normal = "normal"
    urgent = "urgent"


class ContactKind(enum.StrEnum):
    """Competent authorities and contact points (UNODC CNA directory kinds)."""

    central_authority_mla = "central_authority_mla"  # UNTOC art. 18(13)
    nrm_focal_point = "nrm_focal_point"
    police_liaison = "police_liaison"
    prosecution = "prosecution"


class AssistanceKind(enum.StrEnum):
    """The kinds of mutual legal assistance of UNTOC art. 18(3)."""

    evidence_statements = "evidence_statements"  # (a)
    service_of_documents = "service_of_documents"  # (b)
    search_seizure = "search_seizure"  # (c), with freezing
    examination_of_objects = "examination_of_objects"  # (d), objects and sites
    information_expert_evaluations = "information_expert_evaluations"  # (e)
    documents_records = "documents_records"  # (f)
    identify_trace_proceeds = "identify_trace_proceeds"  # (g)
    witness_appearance = "witness_appearance"  # (h), voluntary appearance
    other = "other"  # (i), not contrary to the requested State's law


class RefusalGround(enum.StrEnum):
    """Why a request is refused: UNTOC art. 18(21) for MLA, and the informal channels' reasons."""

    not_in_conformity = "not_in_conformity"  # 18(21)(a)
    sovereignty_security_public_order = "sovereignty_security_public_order"  # 18(21)(b)
    domestic_law_prohibits = "domestic_law_prohibits"  # 18(21)(c)
    contrary_to_legal_system = "contrary_to_legal_system"  # 18(21)(d)
    insufficient_information = "insufficient_information"
    not_competent = "not_competent"
    declined_referral = "declined_referral"
    other = "other"


class ReferralStage(enum.StrEnum):
    """Where a victim referred across a border stands, as the receiving NRM reports it."""

    received = "received"
    in_assistance = "in_assistance"
    returned = "returned"
    reintegrated = "reintegrated"
    closed = "closed"


class ReferralDecision(enum.StrEnum):
    # A declined referral is a refusal (ground `declined_referral`), so only acceptance is here.
    accepted = "accepted"


class RequestLanguage(enum.StrEnum):
    """The language a request is written in (UNTOC art. 18(14): one acceptable to the requested State)."""

    ar = "ar"
    en = "en"
    fr = "fr"
