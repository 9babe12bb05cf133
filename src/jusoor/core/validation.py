"""Turn Pydantic validation errors into one clear, translated message naming the field.

Pages, the API and the CLI share this so that bad input reads the same everywhere.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from jusoor.core.i18n import gettext as _


def field_of(error: dict[str, Any]) -> str | None:
    """The dotted field path of one error, without the transport part (body, query, form)."""
    parts = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or None


def message_of(error: dict[str, Any]) -> str:
    """A sentence in the user's language saying what is wrong with one field."""
    field = field_of(error) or "?"
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("The field %(field)s is required.", field=field)
    if kind == "string_too_short":
        return _(
            "The field %(field)s must have at least %(n)s characters.",
            field=field,
            n=ctx.get("min_length", "?"),
        )
    if kind == "string_too_long":
        return _(
            "The field %(field)s must have at most %(n)s characters.",
            field=field,
            n=ctx.get("max_length", "?"),
        )
    if kind == "enum" or kind == "literal_error":
        return _(
            "The field %(field)s must be one of: %(choices)s.",
            field=field,
            choices=ctx.get("expected", "?"),
        )
    if kind == "too_short":
        return _("The field %(field)s needs at least one value.", field=field)
    # A validator's own explanation ("Value error, unknown role(s): x") is kept after the field.
    problem = str(error.get("msg", "")).removeprefix("Value error, ")
    return _("The field %(field)s is not valid: %(problem)s", field=field, problem=problem)


def problems(exc: ValidationError) -> list[tuple[str | None, str]]:
    """Every (field, message) pair of a validation error, in order."""
    return [(field_of(e), message_of(e)) for e in exc.errors()]  # type: ignore[arg-type]


def first_problem(exc: ValueError) -> str:
    """The first problem of a validation error as one line (other ValueErrors: their text)."""
    if isinstance(exc, ValidationError):
        found = problems(exc)
        if found:
            return found[0][1]
    return str(exc)
