"""Typed domain errors. Pages, the API and the CLI each turn them into a response in one place."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base of errors a user can act on; `message` is already in the user's language."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(DomainError):
    """Bad input: `field`'s `message`, and `also` the other fields' problems found at once (a
    form shows them all together; the API and the CLI report the first)."""

    code = "invalid"
    status = 422

    def __init__(
        self, field: str | None, message: str, *, also: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.also: dict[str, str] = dict(also or {})


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class Conflict(DomainError):
    code = "conflict"
    status = 409


class TooManyAttempts(DomainError):
    code = "too_many_attempts"
    status = 429


class Unavailable(DomainError):
    """A dependency (the database) is down: retry later; nothing was changed."""

    code = "unavailable"
    status = 503
