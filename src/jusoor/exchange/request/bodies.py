"""The body of each kind of message, as a Pydantic model that refuses what the instruments require.

Mutual legal assistance follows UNTOC art. 18(15) element by element; spontaneous information
art. 18(4)–(5); intelligence carries SIENA handling codes and the 4×4 evaluation. Problems that
concern one field are raised as `PydanticCustomError("jusoor", ..., {"field", "message"})` with an
already translated message; `jusoor.exchange.request.validation` turns them into `Invalid`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from jusoor.core.i18n import gettext as _
from jusoor.core.typed_dates import TypedDate
from jusoor.entities.resolution.normalise.countries import country_code
from jusoor.exchange.request.labels import ELEMENTS
from jusoor.exchange.vocabulary import (
    AssistanceKind,
    HandlingCode,
    InformationEvaluation,
    MessageType,
    ReferralDecision,
    ReferralStage,
    RefusalGround,
    RequestLanguage,
    SourceEvaluation,
    Urgency,
)
from jusoor.referrals.models import ServiceKind


def refused(field: str | None, message: str) -> PydanticCustomError:
    """A problem with a translated message, attached to `field` (None: where it was found)."""
    return PydanticCustomError("jusoor", "{message}", {"field": field, "message": message})


def _plain(value: str) -> str:
    """Refuse control characters (other than tab and line breaks) and lone surrogates."""
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r":
            raise PydanticCustomError("jusoor_chars", "characters that are not allowed")
    return value


def _none_if_blank(value: Any) -> Any:
    """An empty form field is an absent optional value."""
    return None if isinstance(value, str) and not value.strip() else value


Plain = AfterValidator(_plain)
Blank = BeforeValidator(_none_if_blank)
Subject = Annotated[str, Field(min_length=1, max_length=200), Plain]
Line = Annotated[str, Field(min_length=1, max_length=500), Plain]
OptionalLine = Annotated[str, Field(max_length=500), Plain]
Text = Annotated[str, Field(min_length=1, max_length=20_000), Plain]
# Optional text whose absence may be refused by a validator: validate the default too.
OptionalText = Annotated[str, Field(max_length=20_000, validate_default=True), Plain]
SharedText = Annotated[StrictStr, Field(max_length=20_000), Plain]
# A yes/no a form may leave empty (an unticked box): empty is no.
Flag = Annotated[bool, BeforeValidator(lambda v: False if v is None or v == "" else v)]
# The reference of the requested side's own file on a request (an investigation file it opened
# or joined), so that both nodes record a joint investigation (UNTOC art. 19).
FileReference = Annotated[str, Field(max_length=64), Plain]
# A shared case field: text, a list of codes, a yes/no (is_child), a number, or nothing.
SharedValue = SharedText | list[SharedText] | StrictBool | StrictInt | None


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _handling_conditions(value: str, info: ValidationInfo) -> str:
    if info.data.get("handling_code") == HandlingCode.H3 and not value:
        raise refused(
            "handling_conditions",
            _("With handling code H3, write the restrictions the receiver must respect."),
        )
    return value


class Opening(Body):
    """What every request that opens a thread carries."""

    subject: Subject
    urgency: Urgency = Urgency.normal
    deadline: Annotated[TypedDate | None, Blank] = None  # UNTOC art. 18(24)
    handling_code: Annotated[HandlingCode | None, Blank] = None  # SIENA
    handling_conditions: OptionalText = ""
    language: Annotated[RequestLanguage | None, Blank] = None  # UNTOC art. 18(14)

    _conditions = field_validator("handling_conditions")(_handling_conditions)

    @field_validator("deadline")
    @classmethod
    def _not_past(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        today = (info.context or {}).get("today") or dt.date.today()
        if value is not None and value < today:
            raise refused("deadline", _("The deadline cannot be in the past."))
        return value


class Person(Body):
    """A person concerned by a request (UNTOC art. 18(15)(e)): who, where, of which nationality."""

    name: Annotated[str, Field(max_length=200), Plain]
    location: Annotated[str, Field(max_length=200), Plain] = ""
    # ISO 3166-1 alpha-2; anything longer is refused with the code check's message.
    nationality: Annotated[str, Field(max_length=60), Plain] = ""

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value:
            raise refused("persons_concerned", _("Each person concerned needs a name."))
        return value

    @field_validator("nationality")
    @classmethod
    def _country(cls, value: str) -> str:
        """The country as its code, from a name or nationality in Arabic, English or French
        (المغرب, Maroc, Moroccan) or the code itself."""
        if not value:
            return ""
        code = country_code(value)
        if code is None:
            raise refused(
                "persons_concerned",
                _("%(value)s is not a country we know: write its name, e.g. Morocco.", value=value),
            )
        return code


def _persons_from_lines(value: Any) -> Any:
    """A textarea of `name; location; nationality` lines, as a list of persons."""
    if not isinstance(value, str):
        return value
    # Arabic keyboards type the Arabic semicolon (؛, U+061B) where Latin ones type ";".
    rows = [
        line.replace("\u061b", ";").split(";", 2) for line in value.splitlines() if line.strip()
    ]
    keys = ("name", "location", "nationality")
    return [dict(zip(keys, (part.strip() for part in row), strict=False)) for row in rows]


class MlaRequest(Opening):
    """A mutual legal assistance request with the contents UNTOC art. 18(15) requires."""

    requesting_authority: Line  # (a)
    proceeding_nature: Text  # (b) subject matter and nature of the proceeding
    conducting_authority: Text  # (b) name and functions of the authority conducting it
    assistance_kind: AssistanceKind  # art. 18(3)
    facts_summary: OptionalText = ""  # (c), except for service of judicial documents
    assistance_sought: Text  # (d)
    procedure: OptionalText = ""  # (d), followed where domestic law allows (18(17))
    persons_concerned: Annotated[
        list[Person], BeforeValidator(_persons_from_lines), Field(max_length=100)
    ] = []  # (e), where possible
    persons_concerned_note: OptionalText = ""  # (e): why no one can be named
    purpose: Text  # (f)
    # A joint investigation is proposed (UNTOC art. 19); absent in envelopes of older nodes.
    joint_investigation: Flag = False

    @field_validator("facts_summary")
    @classmethod
    def _facts(cls, value: str, info: ValidationInfo) -> str:
        if not value and info.data.get("assistance_kind") != AssistanceKind.service_of_documents:
            element = ELEMENTS[MessageType.mla_request]["facts_summary"]  # an N_ string
            raise refused("facts_summary", _(element))
        return value

    @field_validator("persons_concerned_note")
    @classmethod
    def _someone_or_why(cls, value: str, info: ValidationInfo) -> str:
        # Only when the list itself was valid (else its own problem is shown) and empty.
        if info.data.get("persons_concerned") == [] and not value:
            message = ELEMENTS[MessageType.mla_request]["persons_concerned"]
            raise refused("persons_concerned", _(message))
        return value


class InformationRequest(Opening):
    handling_code: Annotated[HandlingCode, Blank] = HandlingCode.H0
    question: Text  # police-to-police inquiry (UNTOC art. 27(1)(b))
    # Informal police cooperation has no mandatory contents (unlike MLA, art. 18(15)); the
    # purpose is asked for on the form, but a one-line question sent by a script is accepted.
    purpose: OptionalText = ""
    case_reference: OptionalLine = ""
    joint_investigation: Flag = False  # as on an MLA request (UNTOC art. 19)


class SpontaneousInformation(Opening):
    """Information sent without a request (UNTOC art. 18(4)), with its conditions (18(5))."""

    handling_code: Annotated[HandlingCode, Blank] = HandlingCode.H0
    information: Text
    conditions_of_use: OptionalText = ""
    source_evaluation: SourceEvaluation  # Europol Regulation art. 29(1)
    information_evaluation: InformationEvaluation  # art. 29(2)


class TransnationalReferral(Opening):
    """A victim referred to another country's NRM, with consent to cross-border transfer."""

    case_reference: Line
    shared: Annotated[
        dict[Annotated[str, Field(max_length=60)], SharedValue], Field(max_length=60)
    ] = {}
    services_requested: Annotated[list[ServiceKind], Field(min_length=1, max_length=20)]
    destination: OptionalLine = ""
    summary: Text
    consent_id: uuid.UUID  # the service checks it is the case's cross-border-transfer consent

    @field_validator("services_requested")
    @classmethod
    def _once_each(cls, value: list[ServiceKind]) -> list[ServiceKind]:
        return list(dict.fromkeys(value))


class Thread(Body):
    """A message within a thread; an empty subject keeps the thread's."""

    subject: Annotated[str, Field(max_length=200), Plain] = ""


class Reply(Thread):
    text: Text
    file_reference: FileReference = ""
    handling_code: Annotated[HandlingCode | None, Blank] = None
    handling_conditions: OptionalText = ""
    source_evaluation: Annotated[SourceEvaluation | None, Blank] = None
    information_evaluation: Annotated[
        InformationEvaluation | None, Blank, Field(validate_default=True)
    ] = None

    _conditions = field_validator("handling_conditions")(_handling_conditions)

    @field_validator("information_evaluation")
    @classmethod
    def _both_or_none(
        cls, value: InformationEvaluation | None, info: ValidationInfo
    ) -> InformationEvaluation | None:
        if "source_evaluation" not in info.data:  # invalid: its own problem is shown
            return value
        source = info.data["source_evaluation"]
        if (source is None) != (value is None):
            missing = "source_evaluation" if source is None else "information_evaluation"
            raise refused(
                missing, _("Give both evaluation codes, source and information, or neither.")
            )
        return value


class Acknowledgement(Thread):
    note: OptionalText = ""
    file_reference: FileReference = ""
    decision: Annotated[ReferralDecision | None, Blank] = None  # on a transnational referral
    conditions_accepted: Annotated[bool | None, Blank] = None  # UNTOC art. 18(5)


class Refusal(Thread):
    ground_kind: RefusalGround  # UNTOC art. 18(21)
    grounds: Text  # reasons are given for any refusal (UNTOC art. 18(23))


class Withdrawal(Thread):
    reason: Text


class ProgressReport(Thread):
    note: Text
    referral_stage: Annotated[ReferralStage | None, Blank] = None


MODELS: dict[MessageType, type[Body]] = {
    MessageType.mla_request: MlaRequest,
    MessageType.information_request: InformationRequest,
    MessageType.spontaneous_information: SpontaneousInformation,
    MessageType.transnational_referral: TransnationalReferral,
    MessageType.reply: Reply,
    MessageType.acknowledgement: Acknowledgement,
    MessageType.refusal: Refusal,
    MessageType.withdrawal: Withdrawal,
    MessageType.progress_report: ProgressReport,
}
