"""One way for a page to act on a posted form: the service call in a savepoint, errors by field.

The request is the unit of work (`web.deps.db_session` commits it when the page returns). A form
whose service call fails must leave nothing of that call behind, yet the page still has work to
do in the same transaction: re-render the form (which may read and audit the record again) and
keep what the request wrote before the call. So the call runs inside a SAVEPOINT
(`Session.begin_nested()`, on SQLite as on PostgreSQL): a failure rolls back to it, and the
session stays usable. Pages never roll back the session themselves.

Errors a person can correct become messages next to the fields they name: a Pydantic
`ValidationError` gives every invalid field's message (`forms.field_errors`), a domain error its
one message (`forms.domain_errors`). Other domain errors (`Forbidden`, `NotFound`, ...) propagate
to the error pages as before, and the whole request is rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from jusoor.core import reading
from jusoor.core.errors import Conflict, DomainError, Invalid
from jusoor.web.forms import domain_errors, field_errors

T = TypeVar("T")
R = TypeVar("R")

# The domain errors that are about what was typed: shown on the form, not as an error page.
CORRECTABLE: tuple[type[DomainError], ...] = (Invalid, Conflict)

Errors = dict[str, str]


def attempt(
    db: Session,
    call: Callable[[], T],
    *,
    done: Callable[[T], R],
    failed: Callable[[Errors], R],
    labels: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
    catch: tuple[type[DomainError], ...] = CORRECTABLE,
) -> R:
    """Run `call` (parse and service call) in a savepoint; `done(result)` or `failed(errors)`.

    `labels` name the fields in Pydantic messages; `aliases` move a domain error's field to the
    form field that shows it (`"_form"` for the top of the form). Only the `catch` errors are
    shown on the form; any other error propagates, as does anything raised by `done`/`failed`.

    The savepoint is `core.reading.tentatively`'s: none on a SQLite page read that has not
    written (its failed call's audit events are dropped instead).
    """
    try:
        with reading.tentatively(db):
            result = call()
    except ValidationError as exc:
        return failed(field_errors(exc, labels or {}))
    except catch as exc:
        return failed(domain_errors(exc, aliases))
    return done(result)


def typed_values(form: FormData) -> dict[str, str]:
    """What the person typed, to put back in the re-rendered form (never the CSRF token)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


async def submit(
    request: Request,
    db: Session,
    *,
    run: Callable[[FormData], T],
    done: Callable[[T], Response],
    failed: Callable[[Errors, dict[str, str]], Response],
    labels: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
    catch: tuple[type[DomainError], ...] = CORRECTABLE,
) -> Response:
    """Read the posted form (CSRF was checked by the middleware) and `attempt` `run(form)`.

    `failed(errors, typed)` re-renders the form with every field's message and what was typed;
    `done(result)` answers a success, usually with a 303 redirect (`forms.redirect`).
    """
    form = await request.form()
    typed = typed_values(form)
    return attempt(
        db,
        lambda: run(form),
        done=done,
        failed=lambda errors: failed(errors, typed),
        labels=labels,
        aliases=aliases,
        catch=catch,
    )
