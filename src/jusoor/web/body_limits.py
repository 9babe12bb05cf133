"""How large a request body may be, per route. Every request is cut at `JUSOOR_MAX_BODY_BYTES`
(`web.middleware`, while the body streams in); a route that must take more (a scanned document)
is given an allowance here, by the domain that owns it (its `domain.py` `register()`: the web
layer names no higher domain). An allowance is exact: its method and its path, one `{name}` per
path segment, nothing under it.

A body over the allowance is refused at its first read, before any of it is read: the route may
catch `BodyTooLarge` and answer with its own form's error; otherwise the middleware answers 413,
naming the allowance's field on the API."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from starlette.exceptions import HTTPException


class BodyTooLarge(HTTPException):
    """Raised while the body streams in; an HTTPException so FastAPI's body parsing lets it through."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


@dataclass(frozen=True)
class Allowance:
    method: str
    path: str  # the route's path, e.g. "/api/v1/investigations/{file_id}/attachments"
    limit: Callable[[], int]  # bytes; read at each request (the settings it follows may change)
    field: str  # the field the body carries, named in the API's refusal
    message: Callable[[], str]  # the refusal, translated when it is given


_ALLOWANCES: dict[tuple[str, str], tuple[re.Pattern[str], Allowance]] = {}
_SEGMENT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def _pattern(path: str) -> re.Pattern[str]:
    parts = _SEGMENT.split(path)
    return re.compile("[^/]+".join(re.escape(part) for part in parts))


def allow(
    method: str,
    path: str,
    *,
    limit: Callable[[], int],
    field: str,
    message: Callable[[], str],
) -> None:
    """Let `method path` take bodies of up to `limit()` bytes (added once; again: replaced)."""
    key = (method.upper(), path)
    _ALLOWANCES[key] = (_pattern(path), Allowance(key[0], path, limit, field, message))


def allowances() -> list[Allowance]:
    return [allowance for _pattern, allowance in _ALLOWANCES.values()]


def allowance_for(method: str, path: str) -> Allowance | None:
    """The allowance of this request, if its route has one (every other keeps the node's cap)."""
    for (allowed_method, _path), (pattern, allowance) in _ALLOWANCES.items():
        if allowed_method == method.upper() and pattern.fullmatch(path):
            return allowance
    return None
