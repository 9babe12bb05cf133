"""What the JSON API declares in its OpenAPI document: the error envelope and the error statuses.

Every API route lists the errors it can answer with, all in the one shape that `web.errors` writes:
`{"error": {"code", "message", "field"}}`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

API_PREFIX = "/api/v1"


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable, machine-readable: invalid, not_found, forbidden, …")
    message: str = Field(description="A sentence for people, in the caller's language.")
    field: str | None = Field(default=None, description="The input field at fault, if any.")


class ErrorBody(BaseModel):
    error: ErrorDetail


_DESCRIPTIONS = {
    400: "The body is not valid JSON (`invalid_json`).",
    401: "No valid credentials: a bearer token or a signed-in session (`WWW-Authenticate: Bearer`).",
    403: "The caller's roles do not allow this, or a session request lacked its CSRF token.",
    404: "No such record, or none the caller may see.",
    409: "Conflicts with an existing record.",
    413: "The request body is larger than the node accepts.",
    422: "Input not valid; `field` names the field.",
    503: "The database is not reachable.",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, all with the shared error body."""
    return {
        status: {"model": ErrorBody, "description": _DESCRIPTIONS[status]} for status in statuses
    }


# Declared on every API route: anyone can be unauthenticated, and the database can be down.
COMMON_ERRORS = errors(401, 503)
# Routes that read a JSON body also answer malformed JSON, oversized bodies and bad fields.
BODY_ERRORS = errors(400, 413, 422)


def api_router(tag: str) -> APIRouter:
    """A router under `/api/v1` whose routes all declare the common errors."""
    return APIRouter(prefix=API_PREFIX, tags=[tag], responses=COMMON_ERRORS)
