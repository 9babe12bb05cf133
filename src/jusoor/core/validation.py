"""Turn Pydantic validation errors into clear, translated sentences naming the field.

Pages, the API and the CLI share this so that bad input reads the same everywhere. Every kind of
Pydantic error a form can meet is worded here, in one table: never Pydantic's own English
("Input should be a valid date or datetime, invalid character in year"), and never an internal
name — a problem with the form as a whole (a model validator's) is said without a field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from babel import dates as babel_dates
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from jusoor.core import typed_dates
from jusoor.core.errors import Invalid
from jusoor.core.i18n import N_, babel_locale
from jusoor.core.i18n import gettext as _

Ctx = Mapping[str, Any]

# Pydantic error type -> sentence, with `%(field)s` for the label and the error's context keys.
# Types sharing a sentence are listed together; `PREFIXES` catch the families (int_*, date_*).
SENTENCES: dict[str, str] = {
    "missing": N_("The field %(field)s is required."),
    "string_too_short": N_("The field %(field)s must have at least %(n)s characters."),
    "string_too_long": N_("The field %(field)s must have at most %(n)s characters."),
    "too_short": N_("The field %(field)s needs at least one value."),
    "too_long": N_("The field %(field)s has too many values (at most %(n)s)."),
    # API clients read the codes; pages say "Choose one of the options" (`web.forms`).
    "enum": N_("The field %(field)s must be one of: %(choices)s."),
    "literal_error": N_("The field %(field)s must be one of: %(choices)s."),
    "string_pattern_mismatch": N_("The field %(field)s has characters that are not allowed."),
    "jusoor_chars": N_("The field %(field)s has characters that are not allowed."),
    "greater_than": N_("The field %(field)s must be more than %(gt)s."),
    "greater_than_equal": N_("The field %(field)s must be at least %(ge)s."),
    "less_than": N_("The field %(field)s must be less than %(lt)s."),
    "less_than_equal": N_("The field %(field)s must be at most %(le)s."),
    "date_unreadable": N_("%(field)s: write a date like %(example)s."),
    "date_iso_only": N_(
        "The field %(field)s must be a date written year-month-day, for example 2026-12-31."
    ),
    "extra_forbidden": N_("%(field)s is not a field of this form."),
    "url_parsing": N_("The field %(field)s must be a web address, such as https://example.org."),
}
PREFIXES: tuple[tuple[str, str], ...] = (
    ("date", N_("%(field)s: write a date like %(example)s.")),
    ("datetime", N_("%(field)s: write a date like %(example)s.")),
    ("time", N_("%(field)s: write a time like 14:30.")),
    ("int", N_("The field %(field)s must be a whole number, such as 12.")),
    ("float", N_("The field %(field)s must be a number, such as 12.5.")),
    ("decimal", N_("The field %(field)s must be a number, such as 12.5.")),
    ("bool", N_("The field %(field)s must be yes or no.")),
    ("uuid", N_("The field %(field)s must be an identifier (UUID).")),
    ("url", N_("The field %(field)s must be a web address, such as https://example.org.")),
)
WRONG_KIND = N_("The field %(field)s has a value of the wrong kind.")


TRANSPORT = ("body", "query", "path", "form")


def field_of(error: Mapping[str, Any]) -> str | None:
    """The dotted field path of one error, without the transport part FastAPI puts first
    (body, query, form); a field itself named `body` (a note's text) stays named."""
    parts = [str(p) for p in error.get("loc", ())]
    if len(parts) > 1 and parts[0] in TRANSPORT:
        parts = parts[1:]
    return ".".join(parts) or None


def impossible_date(day: int, month: int, year: int) -> str:
    """ "31 February 2023" (in the reader's language) for a day that does not exist."""
    if not 1 <= month <= 12:
        return _("month %(month)s of %(year)s", month=month, year=year)
    months = babel_dates.get_month_names("wide", "format", locale=babel_locale())
    return _("%(day)s %(month)s %(year)s", day=day, month=months[month], year=year)


def _date_example() -> str:
    return typed_dates.example()


def _sentence(kind: str) -> str | None:
    if kind in SENTENCES:
        return SENTENCES[kind]
    for prefix, sentence in PREFIXES:
        if kind.startswith(prefix + "_"):
            return sentence
    return WRONG_KIND if kind.endswith("_type") else None


_CONTEXT: dict[str, Callable[[Ctx], dict[str, object]]] = {
    "date": lambda ctx: {"example": _date_example()},
    "datetime": lambda ctx: {"example": _date_example()},
}


def _problem(error: Mapping[str, Any]) -> str:
    """The validator's own explanation ("Value error, unknown role(s): x"), already translated."""
    ctx = error.get("ctx") or {}
    if error.get("type") == "jusoor" and ctx.get("message"):
        return str(ctx["message"])
    return (
        str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    )


def message_of(error: Mapping[str, Any]) -> str:
    """A sentence in the user's language saying what is wrong with one field.

    The field is named by the last part of the error's location (pages pass the label there);
    an error of the whole form (no location) is the validator's sentence alone.
    """
    field = field_of(error)
    kind = str(error.get("type", ""))
    ctx: Ctx = error.get("ctx") or {}
    if kind == "date_impossible":
        date = impossible_date(int(ctx["day"]), int(ctx["month"]), int(ctx["year"]))
        if field is None:
            return _("There is no %(date)s.", date=date)
        return _("%(field)s: there is no %(date)s.", field=field, date=date)
    sentence = _sentence(kind)
    if sentence is None or field is None:
        problem = _problem(error)
        if field is None:
            return problem or _("This form has a problem: check the values and send it again.")
        return _("The field %(field)s is not valid: %(problem)s", field=field, problem=problem)
    family = kind.split("_")[0]
    values: dict[str, object] = {"n": ctx.get("min_length", ctx.get("max_length", "?"))}
    values.update({k: ctx[k] for k in ("gt", "ge", "lt", "le") if k in ctx})
    values["choices"] = ctx.get("expected", "?")
    values.update(_CONTEXT[family](ctx) if family in _CONTEXT else {})
    try:
        return _(sentence, field=field, **values)
    except (KeyError, ValueError):  # a context key the sentence needs is absent
        return _("The field %(field)s is not valid.", field=field)


def problems(exc: ValidationError) -> list[tuple[str | None, str]]:
    """Every (field, message) pair of a validation error, in order."""
    return [(field_of(e), message_of(e)) for e in exc.errors()]


def first_problem(exc: ValueError) -> str:
    """The first problem of a validation error as one line (other ValueErrors: their text)."""
    if isinstance(exc, ValidationError):
        found = problems(exc)
        if found:
            return found[0][1]
    return str(exc)


def date_of(raw: str, *, field: str, label: str) -> dt.date | None:
    """A date typed in a form read by hand (filters, a referral's deadline): None when empty,
    else `typed_dates.parse`'s date, or `Invalid(field, ...)` naming the field by its label."""
    text = raw.strip()
    if not text:
        return None
    try:
        return typed_dates.parse(text)
    except PydanticCustomError as exc:
        error = {"type": exc.type, "ctx": exc.context or {}, "loc": (label,)}
        raise Invalid(field, message_of(error)) from None
