"""Request types of cross-border exchange: validate a message body, name its problems, show its form.

The service, the pages and the CLI call this module. `validate_body` returns the cleaned body
as JSON values (dates as ISO strings, codes as their values, text stripped) or raises
`Invalid(field, message)` for the first problem; `problems` gives every field's problem at once.
The models are in `bodies`, the forms in `fields`, the names of codes in
`labels`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from jusoor.core.errors import Invalid
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.validation import message_of
from jusoor.exchange.request.bodies import MODELS
from jusoor.exchange.request.fields import FIELDS, FieldSpec
from jusoor.exchange.request.labels import (
    CONTACT_KIND_LABELS,
    ELEMENTS,
    HANDLING_LABELS,
    INFORMATION_EVALUATION_LABELS,
    SOURCE_EVALUATION_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    URGENCY_LABELS,
)
from jusoor.exchange.vocabulary import SYSTEM_TYPES, MessageType

__all__ = [
    "CONTACT_KIND_LABELS",
    "FIELDS",
    "FORM",
    "HANDLING_LABELS",
    "INFORMATION_EVALUATION_LABELS",
    "SOURCE_EVALUATION_LABELS",
    "STATUS_LABELS",
    "TYPE_LABELS",
    "URGENCY_LABELS",
    "FieldSpec",
    "field_labels",
    "problems",
    "subject_of",
    "text_field",
    "validate_body",
]

# The key of a problem that concerns the whole body rather than one field (as jusoor.web.forms).
FORM = "_form"

# Fields the service fills (from the case), never typed in a form; named here for messages.
SERVICE_FILLED_LABELS: dict[str, str] = {
    "shared": N_("Shared case fields"),
    "consent_id": N_("Consent to cross-border transfer"),
}

TEXT_FIELDS: dict[MessageType, str] = {
    MessageType.mla_request: "facts_summary",
    MessageType.information_request: "question",
    MessageType.spontaneous_information: "information",
    MessageType.transnational_referral: "summary",
    MessageType.reply: "text",
    MessageType.acknowledgement: "note",
    MessageType.refusal: "grounds",
    MessageType.withdrawal: "reason",
    MessageType.progress_report: "note",
}


def field_labels(message_type: MessageType) -> dict[str, str]:
    """Field name → N_ label of a type's form, including the fields the service fills."""
    found = {spec.name: spec.label for spec in FIELDS.get(message_type, [])}
    return {**found, **SERVICE_FILLED_LABELS} if found else found


def text_field(message_type: MessageType | str) -> str:
    """The main free-text field of a type, where a plain-text body (a CLI --body-file) goes."""
    try:
        return TEXT_FIELDS[_message_type(message_type)]
    except KeyError:
        raise Invalid(
            "type",
            _("Messages of type %(type)s cannot be written by hand.", type=str(message_type)),
        ) from None


def _message_type(value: MessageType | str) -> MessageType:
    try:
        return MessageType(value)
    except ValueError:
        raise Invalid("type", _("%(type)s is not a kind of message.", type=str(value))) from None


def _is_missing(error: Mapping[str, Any]) -> bool:
    kind = error.get("type")
    if kind == "missing":
        return True
    if kind == "string_too_short":
        return (error.get("ctx") or {}).get("min_length") == 1
    value = error.get("input")
    blank = value is None or value == [] or (isinstance(value, str) and not value.strip())
    return kind in ("too_short", "string_type", "enum") and blank


def _problem(message_type: MessageType, error: Mapping[str, Any]) -> tuple[str, str]:
    """The form field an error belongs to, and what to tell the person about it."""
    loc = tuple(error.get("loc", ()))
    field = str(loc[0]) if loc else FORM
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "jusoor":
        return str(ctx.get("field") or field), str(ctx["message"])
    if field == FORM:  # a problem of the whole body: said without a field name
        return field, message_of({**error, "loc": ()})
    if kind == "extra_forbidden":
        return field, _("%(field)s is not a field of this kind of message.", field=field)
    label = _(field_labels(message_type).get(field, field))
    elements = ELEMENTS.get(message_type, {})
    if len(loc) == 1 and field in elements and _is_missing(error):
        return field, _(elements[field])
    if field == "persons_concerned" and loc[-1] == "name":
        return field, _("Each person concerned needs a name.")
    if kind in ("enum", "literal_error"):
        return field, _("Choose one of the options for %(field)s.", field=label)
    if kind == "jusoor_chars":
        return field, _("The field %(field)s has characters that are not allowed.", field=label)
    if kind.startswith("uuid"):
        return field, _("The field %(field)s must be an identifier (UUID).", field=label)
    if kind.startswith("bool"):
        return field, _("The field %(field)s must be yes or no.", field=label)
    if kind.endswith("_type") and not _is_missing(error):
        return field, _("The field %(field)s has a value of the wrong kind.", field=label)
    return field, message_of({**error, "loc": (label,)})


def _check(
    message_type: MessageType, data: Mapping[str, Any], today: dt.date | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The cleaned body and no problems, or no body and every field's first problem."""
    if not isinstance(data, Mapping):
        return {}, {FORM: _("The body of a message must be a set of named fields.")}
    if message_type in SYSTEM_TYPES:  # built and checked by the node itself
        return dict(data), {}
    model = MODELS[message_type]
    try:
        body = model.model_validate(dict(data), context={"today": today or dt.date.today()})
    except ValidationError as exc:
        found: dict[str, str] = {}
        for error in exc.errors():
            field, message = _problem(message_type, error)
            found.setdefault(field, message)
        return {}, found
    return body.model_dump(mode="json"), {}


def validate_body(
    message_type: MessageType | str, data: Mapping[str, Any], *, today: dt.date | None = None
) -> dict[str, Any]:
    """The cleaned, JSON-ready body of a message of `message_type`, or `Invalid` for its first problem.

    Unknown fields are refused. A deadline before `today` (default: the local date) is refused:
    the receiving node, which must not refuse a request whose deadline passed in transit, passes
    `today=dt.date.min`. System messages (key rotation, directory update) are passed through
    as a plain dict: the node checks them itself.
    """
    body, found = _check(_message_type(message_type), data, today)
    if found:
        field, message = next(iter(found.items()))
        raise Invalid(None if field == FORM else field, message)
    return body


def problems(
    message_type: MessageType | str, data: Mapping[str, Any], *, today: dt.date | None = None
) -> dict[str, str]:
    """Each field's first problem (`"_form"` for the body as a whole); empty when `data` is valid.

    Problems that depend on other fields (facts unless service of documents, a person or why not,
    H3 conditions, both evaluation codes) are found as soon as the fields they depend on are valid.
    """
    return _check(_message_type(message_type), data, today)[1]


def subject_of(message_type: MessageType | str, body: Mapping[str, Any]) -> str:
    """The subject a (cleaned) body gives; empty for thread messages that keep the thread's."""
    _message_type(message_type)
    subject = body.get("subject")
    return subject.strip() if isinstance(subject, str) else ""
