"""The form of each request type: ordered fields with their labels, help and legal basis.

The pages draw forms from `FIELDS`; validation (`jusoor.exchange.request.validation`) names fields by these
labels. Kinds: `text` (one line), `textarea`, `choice` (one of `choices`), `date` (ISO), `bool`,
`list` (with `choices`: several of them; without: one item per line). System messages
(key rotation, directory update) have no form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jusoor.core.i18n import N_
from jusoor.exchange.request.labels import (
    ASSISTANCE_KIND_LABELS,
    DECISION_LABELS,
    HANDLING_LABELS,
    INFORMATION_EVALUATION_LABELS,
    LANGUAGE_LABELS,
    REFERRAL_STAGE_LABELS,
    REFUSAL_GROUND_LABELS,
    SOURCE_EVALUATION_LABELS,
    URGENCY_LABELS,
    choices,
)
from jusoor.exchange.vocabulary import MessageType
from jusoor.referrals.labels import SERVICE_KIND_LABELS

FieldKind = Literal["text", "textarea", "choice", "date", "bool", "list"]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a request form. Labels and help are N_ strings: show them through `_()`.

    `legal_basis` cites the instrument the field answers to ("UNTOC art. 18(15)(b)"); it is a
    citation, shown as it is. `required` is what the form marks; some requirements depend on other
    fields (the facts, unless service of documents), and validation has the last word.
    """

    name: str
    label: str
    kind: FieldKind
    required: bool = False
    choices: list[tuple[str, str]] | None = None  # (value, N_ label)
    help: str | None = None
    legal_basis: str | None = None


SIENA = "Europol SIENA"
EVALUATION = "Europol Regulation art. 29"


def _subject(required: bool) -> FieldSpec:
    help_ = None if required else N_("Leave empty to keep the subject of the thread.")
    return FieldSpec("subject", N_("Subject"), "text", required, help=help_)


def _opening(handling_required: bool) -> list[FieldSpec]:
    """Subject, urgency, deadline, handling and language: what every opening request carries."""
    return [
        _subject(True),
        FieldSpec("urgency", N_("Urgency"), "choice", True, choices(URGENCY_LABELS)),
        FieldSpec(
            "deadline",
            N_("Deadline"),
            "date",
            help=N_("Give the reasons for a deadline in the request itself."),
            legal_basis="UNTOC art. 18(24)",
        ),
        FieldSpec(
            "handling_code",
            N_("Handling code"),
            "choice",
            handling_required,
            choices(HANDLING_LABELS),
            legal_basis=SIENA,
        ),
        FieldSpec(
            "handling_conditions",
            N_("Handling conditions"),
            "textarea",
            help=N_("Required with handling code H3: the restrictions the receiver must respect."),
            legal_basis=SIENA,
        ),
        FieldSpec(
            "language",
            N_("Language of the request"),
            "choice",
            choices=choices(LANGUAGE_LABELS),
            legal_basis="UNTOC art. 18(14)",
        ),
    ]


def _joint() -> FieldSpec:
    return FieldSpec(
        "joint_investigation",
        N_("We propose a joint investigation"),
        "bool",
        help=N_("Both countries then record the investigation, each in its own file."),
        legal_basis="UNTOC art. 19",
    )


def _file_reference() -> FieldSpec:
    return FieldSpec(
        "file_reference",
        N_("Our investigation file reference"),
        "text",
        help=N_("The file this country opened or joined for the request, if any."),
        legal_basis="UNTOC art. 19",
    )


def _evaluation(required: bool) -> list[FieldSpec]:
    return [
        FieldSpec(
            "source_evaluation",
            N_("Reliability of the source"),
            "choice",
            required,
            choices(SOURCE_EVALUATION_LABELS),
            legal_basis=EVALUATION + "(1)",
        ),
        FieldSpec(
            "information_evaluation",
            N_("Accuracy of the information"),
            "choice",
            required,
            choices(INFORMATION_EVALUATION_LABELS),
            legal_basis=EVALUATION + "(2)",
        ),
    ]


FIELDS: dict[MessageType, list[FieldSpec]] = {
    MessageType.mla_request: [
        *_opening(False),
        FieldSpec(
            "requesting_authority",
            N_("Requesting authority"),
            "text",
            True,
            legal_basis="UNTOC art. 18(15)(a)",
        ),
        FieldSpec(
            "proceeding_nature",
            N_("Subject matter and nature of the investigation, prosecution or proceeding"),
            "textarea",
            True,
            legal_basis="UNTOC art. 18(15)(b)",
        ),
        FieldSpec(
            "conducting_authority",
            N_("Name and functions of the authority conducting it"),
            "textarea",
            True,
            legal_basis="UNTOC art. 18(15)(b)",
        ),
        FieldSpec(
            "assistance_kind",
            N_("Kind of assistance"),
            "choice",
            True,
            choices(ASSISTANCE_KIND_LABELS),
            legal_basis="UNTOC art. 18(3)",
        ),
        FieldSpec(
            "facts_summary",
            N_("Summary of the relevant facts"),
            "textarea",
            True,
            help=N_("Not needed when the request is only for service of judicial documents."),
            legal_basis="UNTOC art. 18(15)(c)",
        ),
        FieldSpec(
            "assistance_sought",
            N_("Assistance sought"),
            "textarea",
            True,
            legal_basis="UNTOC art. 18(15)(d)",
        ),
        FieldSpec(
            "procedure",
            N_("Particular procedure to follow"),
            "textarea",
            help=N_("Followed where the requested State's law allows it."),
            legal_basis="UNTOC art. 18(15)(d), 18(17)",
        ),
        FieldSpec(
            "persons_concerned",
            N_("Persons concerned"),
            "list",
            help=N_(
                "One person per line: name; location; nationality (the country, e.g. Morocco)."
            ),
            legal_basis="UNTOC art. 18(15)(e)",
        ),
        FieldSpec(
            "persons_concerned_note",
            N_("Why no person concerned can be named"),
            "textarea",
            help=N_("Needed only when the list of persons concerned is empty."),
            legal_basis="UNTOC art. 18(15)(e)",
        ),
        FieldSpec(
            "purpose",
            N_("Purpose of the evidence, information or action sought"),
            "textarea",
            True,
            help=N_("What is obtained may not be used for other proceedings without consent."),
            legal_basis="UNTOC art. 18(15)(f), 18(19)",
        ),
        _joint(),
    ],
    MessageType.information_request: [
        *_opening(True),
        FieldSpec("question", N_("Question"), "textarea", True, legal_basis="UNTOC art. 27(1)(b)"),
        FieldSpec("purpose", N_("Purpose of the request"), "textarea", False),
        FieldSpec("case_reference", N_("Our case reference"), "text"),
        _joint(),
    ],
    MessageType.spontaneous_information: [
        *_opening(True),
        FieldSpec(
            "information", N_("Information"), "textarea", True, legal_basis="UNTOC art. 18(4)"
        ),
        FieldSpec(
            "conditions_of_use",
            N_("Conditions of use"),
            "textarea",
            help=N_("Confidentiality or restrictions the receiver must comply with."),
            legal_basis="UNTOC art. 18(5)",
        ),
        *_evaluation(True),
    ],
    MessageType.transnational_referral: [
        *_opening(False),
        FieldSpec("case_reference", N_("Our case reference"), "text", True),
        FieldSpec(
            "services_requested",
            N_("Services requested"),
            "list",
            True,
            choices(SERVICE_KIND_LABELS),
        ),
        FieldSpec(
            "destination",
            N_("Place of return or of stay"),
            "text",
            help=N_("The city or area where the person will return or stay."),
        ),
        FieldSpec("summary", N_("Reason for the referral"), "textarea", True),
    ],
    MessageType.reply: [
        _subject(False),
        FieldSpec("text", N_("Reply"), "textarea", True),
        _file_reference(),
        FieldSpec(
            "handling_code",
            N_("Handling code"),
            "choice",
            False,
            choices(HANDLING_LABELS),
            legal_basis=SIENA,
        ),
        FieldSpec("handling_conditions", N_("Handling conditions"), "textarea", legal_basis=SIENA),
        *_evaluation(False),
    ],
    MessageType.acknowledgement: [
        _subject(False),
        FieldSpec("note", N_("Note"), "textarea"),
        _file_reference(),
        FieldSpec(
            "decision",
            N_("Decision on the referral"),
            "choice",
            choices=choices(DECISION_LABELS),
            help=N_("To decline a referral, send a refusal instead."),
        ),
        FieldSpec(
            "conditions_accepted",
            N_("We accept the conditions of use"),
            "bool",
            legal_basis="UNTOC art. 18(5)",
        ),
    ],
    MessageType.refusal: [
        _subject(False),
        FieldSpec(
            "ground_kind",
            N_("Ground of refusal"),
            "choice",
            True,
            choices(REFUSAL_GROUND_LABELS),
            legal_basis="UNTOC art. 18(21)",
        ),
        FieldSpec("grounds", N_("Reasons"), "textarea", True, legal_basis="UNTOC art. 18(23)"),
    ],
    MessageType.withdrawal: [
        _subject(False),
        FieldSpec("reason", N_("Reason for withdrawing"), "textarea", True),
    ],
    MessageType.progress_report: [
        _subject(False),
        FieldSpec("note", N_("Progress"), "textarea", True),
        FieldSpec(
            "referral_stage",
            N_("Stage of the referral"),
            "choice",
            choices=choices(REFERRAL_STAGE_LABELS),
        ),
    ],
}
