"""The choices of request forms, and the names shown to people for every code of exchange (the codes
themselves are in `jusoor.exchange.vocabulary`).

Values are the codes that travel between nodes; labels are English message ids, translated at
display time with `_()`. The choice lists cite the instrument they come from: UNTOC art. 18(3)
(kinds of assistance) and 18(21) (grounds of refusal); SIENA for handling codes and the 4×4
evaluation (Europol Regulation art. 29). `ELEMENTS` says what is wrong when an element the
instrument requires is missing.
"""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.exchange.vocabulary import (
    AssistanceKind,
    ContactKind,
    HandlingCode,
    InformationEvaluation,
    MessageStatus,
    MessageType,
    ReferralDecision,
    ReferralStage,
    RefusalGround,
    RequestLanguage,
    SourceEvaluation,
    Urgency,
)

# What each UNTOC art. 18(15) element's absence is called; also used for a missing field.
ELEMENTS: dict[MessageType, dict[str, str]] = {
    MessageType.mla_request: {
        "requesting_authority": N_(
            "The request must name the requesting authority (UNTOC art. 18(15)(a))."
        ),
        "proceeding_nature": N_(
            "The request must state the subject matter and nature of the investigation, prosecution or proceeding (UNTOC art. 18(15)(b))."
        ),
        "conducting_authority": N_(
            "The request must give the name and functions of the authority conducting the investigation, prosecution or proceeding (UNTOC art. 18(15)(b))."
        ),
        "facts_summary": N_(
            "The request must summarise the relevant facts, unless it is only for service of judicial documents (UNTOC art. 18(15)(c))."
        ),
        "assistance_kind": N_(
            "The request must say which kind of assistance it seeks (UNTOC art. 18(3))."
        ),
        "assistance_sought": N_(
            "The request must describe the assistance sought and any particular procedure to follow (UNTOC art. 18(15)(d))."
        ),
        "persons_concerned": N_(
            "The request must give the identity, location and nationality of the persons concerned where possible, or say why no one can be named (UNTOC art. 18(15)(e))."
        ),
        "purpose": N_(
            "The request must state the purpose for which the evidence, information or action is sought (UNTOC art. 18(15)(f))."
        ),
    },
    MessageType.transnational_referral: {
        "consent_id": N_(
            "A transnational referral needs the person's consent to cross-border transfer."
        ),
        "services_requested": N_("Choose at least one service the person needs."),
    },
}


TYPE_LABELS: dict[str, str] = {
    MessageType.mla_request: N_("Mutual legal assistance request"),
    MessageType.information_request: N_("Information request"),
    MessageType.spontaneous_information: N_("Spontaneous information"),
    MessageType.transnational_referral: N_("Transnational referral"),
    MessageType.reply: N_("Reply"),
    MessageType.acknowledgement: N_("Acknowledgement"),
    MessageType.refusal: N_("Refusal"),
    MessageType.withdrawal: N_("Withdrawal"),
    MessageType.progress_report: N_("Progress report"),
    MessageType.key_rotation: N_("Key rotation"),
    MessageType.directory_update: N_("Directory update"),
}

STATUS_LABELS: dict[str, str] = {
    MessageStatus.draft: N_("Draft"),
    MessageStatus.sent: N_("Sent, awaiting receipt"),
    MessageStatus.delivered: N_("Delivered"),
    MessageStatus.acknowledged: N_("Acknowledged"),
    MessageStatus.in_progress: N_("In progress"),
    MessageStatus.answered: N_("Answered"),
    MessageStatus.refused: N_("Refused"),
    MessageStatus.withdrawn: N_("Withdrawn"),
    MessageStatus.expired: N_("Expired"),
}

# A thread whose latest message is ours and not yet received by the other node: its status
# already counts the message, so the pages say what was written instead (never "Answered"
# before the answer reached the requester).
UNSENT_LABELS: dict[str, str] = {
    MessageType.reply: N_("Reply written, not delivered yet"),
    MessageType.acknowledgement: N_("Acknowledgement written, not delivered yet"),
    MessageType.progress_report: N_("Progress report written, not delivered yet"),
    MessageType.refusal: N_("Refusal written, not delivered yet"),
    MessageType.withdrawal: N_("Withdrawal written, not delivered yet"),
}

# SIENA handling codes: what the receiver may do with what it is given.
HANDLING_LABELS: dict[str, str] = {
    HandlingCode.H0: N_("H0 — Use only to prevent and combat crime."),
    HandlingCode.H1: N_("H1 — Do not use in judicial proceedings without the sender's permission."),
    HandlingCode.H2: N_("H2 — Do not pass on to anyone without the sender's permission."),
    HandlingCode.H3: N_("H3 — Other restrictions apply, as the sender states them."),
}

# 4×4 evaluation: reliability of the source (Europol Regulation art. 29(1)).
SOURCE_EVALUATION_LABELS: dict[str, str] = {
    SourceEvaluation.A: N_("A — Reliable: there is no doubt about the source."),
    SourceEvaluation.B: N_("B — Usually reliable: the source has proved reliable in most cases."),
    SourceEvaluation.C: N_("C — Not reliable: the source has proved unreliable in most cases."),
    SourceEvaluation.X: N_("X — The reliability of the source cannot be assessed."),
}

# 4×4 evaluation: accuracy of the information (Europol Regulation art. 29(2)).
INFORMATION_EVALUATION_LABELS: dict[str, str] = {
    InformationEvaluation.known: N_("1 — Known to be true without any doubt."),
    InformationEvaluation.known_to_source: N_(
        "2 — Known personally to the source, not to the officer passing it on."
    ),
    InformationEvaluation.corroborated: N_(
        "3 — Not known personally to the source, but corroborated by other information."
    ),
    InformationEvaluation.uncorroborated: N_(
        "4 — Not known personally to the source, and not corroborated."
    ),
}

URGENCY_LABELS: dict[str, str] = {
    Urgency.normal: N_("Normal"),
    Urgency.urgent: N_("Urgent"),
}

CONTACT_KIND_LABELS: dict[str, str] = {
    ContactKind.central_authority_mla: N_("Central authority for mutual legal assistance"),
    ContactKind.nrm_focal_point: N_("National referral mechanism focal point"),
    ContactKind.police_liaison: N_("Police liaison officer"),
    ContactKind.prosecution: N_("Prosecution service"),
}

ASSISTANCE_KIND_LABELS: dict[str, str] = {
    AssistanceKind.evidence_statements: N_("Taking evidence or statements from persons"),
    AssistanceKind.service_of_documents: N_("Service of judicial documents"),
    AssistanceKind.search_seizure: N_("Searches, seizures and freezing"),
    AssistanceKind.examination_of_objects: N_("Examining objects and sites"),
    AssistanceKind.information_expert_evaluations: N_(
        "Information, evidentiary items and expert evaluations"
    ),
    AssistanceKind.documents_records: N_(
        "Originals or certified copies of documents and records (bank, business, government)"
    ),
    AssistanceKind.identify_trace_proceeds: N_(
        "Identifying or tracing proceeds of crime, property or instrumentalities"
    ),
    AssistanceKind.witness_appearance: N_(
        "The voluntary appearance of persons in the requesting State"
    ),
    AssistanceKind.other: N_("Other assistance not contrary to the requested State's law"),
}

REFUSAL_GROUND_LABELS: dict[str, str] = {
    RefusalGround.not_in_conformity: N_("The request does not conform to UNTOC article 18"),
    RefusalGround.sovereignty_security_public_order: N_(
        "Execution would prejudice sovereignty, security, public order or other essential interests"
    ),
    RefusalGround.domestic_law_prohibits: N_(
        "Domestic law prohibits the action requested for a similar offence"
    ),
    RefusalGround.contrary_to_legal_system: N_(
        "Granting it would be contrary to our legal system of mutual legal assistance"
    ),
    RefusalGround.insufficient_information: N_("The request does not give enough information"),
    RefusalGround.not_competent: N_("We are not the competent authority"),
    RefusalGround.declined_referral: N_("We decline the referral"),
    RefusalGround.other: N_("Other grounds"),
}

REFERRAL_STAGE_LABELS: dict[str, str] = {
    ReferralStage.received: N_("The person has been received"),
    ReferralStage.in_assistance: N_("The person is receiving assistance"),
    ReferralStage.returned: N_("The person has returned"),
    ReferralStage.reintegrated: N_("The person has been reintegrated"),
    ReferralStage.closed: N_("The referral is closed"),
}

DECISION_LABELS: dict[str, str] = {
    ReferralDecision.accepted: N_("We accept the referral"),
}

LANGUAGE_LABELS: dict[str, str] = {
    RequestLanguage.ar: N_("Arabic"),
    RequestLanguage.en: N_("English"),
    RequestLanguage.fr: N_("French"),
}


def choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    """(value, untranslated label) pairs of a label table, in its order, for a form's choice."""
    return [(str(value), label) for value, label in labels.items()]


# What the rule a request field answers to asks, in plain words, for the person filling it in;
# the citation itself stays beside it, small, for the legal reader (`fields.FieldSpec.legal_basis`).
LAW_IN_WORDS: dict[str, str] = {
    "UNTOC art. 18(24)": N_(
        "The other country is asked to meet deadlines it is given reasons for."
    ),
    "Europol SIENA": N_(
        "Tells the other country how it may use what you send, and who may see it."
    ),
    "UNTOC art. 18(14)": N_("Write in a language the other country has said it accepts."),
    "UNTOC art. 18(15)(a)": N_("Name the authority that makes the request."),
    "UNTOC art. 18(15)(b)": N_("Say which investigation, prosecution or trial the request serves."),
    "UNTOC art. 18(3)": N_("The kinds of help countries give each other under the Convention."),
    "UNTOC art. 18(15)(c)": N_(
        "Summarise the facts, so the other country understands the request."
    ),
    "UNTOC art. 18(15)(d)": N_(
        "Describe the help you ask for and any procedure you want followed."
    ),
    "UNTOC art. 18(15)(d), 18(17)": N_(
        "A procedure you want followed, where the other country's law allows it."
    ),
    "UNTOC art. 18(15)(e)": N_(
        "Who the request is about: where they are and their nationality, where known."
    ),
    "UNTOC art. 18(15)(f), 18(19)": N_(
        "Why you need the help; what is obtained is used only for this purpose."
    ),
    "UNTOC art. 19": N_("Both countries may investigate together, each keeping its own file."),
    "UNTOC art. 27(1)(b)": N_(
        "Police forces may ask each other about persons, property and crimes."
    ),
    "UNTOC art. 18(4)": N_(
        "Information a country may send without being asked, when it may help the other."
    ),
    "UNTOC art. 18(5)": N_("The receiving country must respect the sender's conditions of use."),
    "Europol Regulation art. 29(1)": N_("How far the source of the information can be trusted."),
    "Europol Regulation art. 29(2)": N_("How sure the information itself is."),
    "UNTOC art. 18(21)": N_("A request may be refused only on the grounds the Convention lists."),
    "UNTOC art. 18(23)": N_("Give the reasons for a refusal: the Convention requires them."),
}


def law_in_words(citation: str | None) -> str:
    """The rule `citation` names, said plainly in the reader's language ("" if unknown)."""
    return _(LAW_IN_WORDS[citation]) if citation in LAW_IN_WORDS else ""
