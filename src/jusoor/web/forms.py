"""What every HTML page shares: safe redirects, record ids from paths, and form errors by field."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from jusoor.core.errors import DomainError, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.validation import field_of, message_of

# Where a form-level error (not tied to one field) is shown.
FORM = "_form"


def safe_next(value: str | None, default: str = "/") -> str:
    """`value` when it is a path on this site, else `default`: never an open redirect.

    Refuses absolute and scheme-relative URLs (`//evil.example`), backslashes (which browsers read
    as slashes) and control characters (which browsers strip before parsing).
    """
    if not value or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def with_next(path: str, next_path: str) -> str:
    """`path` with a `next` query parameter, omitted when it would just lead home."""
    return path if next_path == "/" else f"{path}?next={quote(next_path, safe='/')}"


def redirect(url: str) -> RedirectResponse:
    """After a successful POST: 303 so that reloading the next page does not resubmit the form."""
    return RedirectResponse(url, status_code=303)


def parse_id(value: str, message: str) -> uuid.UUID:
    """A record id from a path; a malformed id is simply a record that does not exist."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(message) from None


def path_id(name: str, missing: str) -> Any:
    """The path parameter `name` as a record id, for `Annotated[uuid.UUID, path_id(...)]`.

    A malformed id is a record that does not exist (`missing`, marked with `N_`, translated when
    the request comes). The page then hands the id to the service's getter, which answers
    NotFound for a record out of the reader's scope: pages keep no loader of their own.
    """

    def parse(request: Request) -> uuid.UUID:
        return parse_id(request.path_params[name], _(missing))

    return Depends(parse)


def field_errors(exc: ValidationError, labels: Mapping[str, str]) -> dict[str, str]:
    """Each invalid field's first problem, in the user's language, naming the field by its label.

    A problem of the form as a whole (a model validator's) is keyed `FORM` and said without a
    field name: people never read `_form` or a code's internal name.
    """
    found: dict[str, str] = {}
    for error in exc.errors():
        field = field_of(dict(error))
        name = field.split(".")[0] if field else FORM
        if name in found:
            continue
        label = labels.get(name, name)
        kind = error.get("type")
        if name == FORM:
            found[name] = message_of({**error, "loc": ()})
        elif kind in ("enum", "literal_error"):  # the codes would mean nothing to people
            found[name] = _("Choose one of the options for %(field)s.", field=label)
        elif kind == "string_pattern_mismatch":  # nor would the regular expression
            found[name] = _("The field %(field)s has characters that are not allowed.", field=label)
        else:
            found[name] = message_of({**error, "loc": (label,)})
    return found


def domain_errors(exc: DomainError, aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """A service's error, placed next to the field it names (or at the top of the form); an
    `Invalid` naming several fields (`also`) places each of them."""
    found: dict[str, str] = {}
    more = exc.also if isinstance(exc, Invalid) else {}
    for field, message in ((exc.field, exc.message), *more.items()):
        place = (aliases or {}).get(field or FORM, field or FORM)
        found.setdefault(place, message)
    return found
