"""The answer when the node is busy: another writer held what a request needed past the bound.

SQLite waits `settings.sqlite_busy_ms` for its writer's lock, PostgreSQL `pg_lock_timeout_ms` for
a row lock (and a request's statement `pg_statement_timeout_ms`); then the request is rolled back
whole and answered 503 with `Retry-After`, in the person's language: nothing was saved, nothing
hangs. A posted form comes back as a "Try again" button that posts what was typed once more
(the body is read before the route's first statement, `remember_form`), so nothing typed is lost.
"""

from __future__ import annotations

import math

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import FormData

from jusoor.core.config import get_settings
from jusoor.core.i18n import gettext as _
from jusoor.web.templating import render

_POSTED = "jusoor.posted"  # scope key: the posted form's text fields, in order
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def remember_form(request: Request, form: FormData) -> None:
    """Keep the posted form's text fields (files cannot be posted back) for a busy answer."""
    request.scope[_POSTED] = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]


def retry_after_seconds() -> int:
    settings = get_settings()
    return max(1, math.ceil(max(settings.sqlite_busy_ms, settings.pg_lock_timeout_ms) / 2000))


def busy_message(request: Request) -> str:
    if request.method in SAFE_METHODS:
        return _("The node is busy and could not open this page. Try again in a moment.")
    return _("The node is busy; your change was not saved. Try again in a moment.")


def busy_response(request: Request) -> Response:
    """503 with Retry-After: JSON `{"error": {"code": "busy", …}}` on the API, else a page."""
    headers = {"retry-after": str(retry_after_seconds())}
    message = busy_message(request)
    wants_json = request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )
    if wants_json:
        body = {"error": {"code": "busy", "message": message, "field": None}}
        return JSONResponse(body, status_code=503, headers=headers)
    posted = request.scope.get(_POSTED) if request.method == "POST" else None
    values = {
        "status": 503,
        "message": message,
        "field": None,
        "busy": True,
        "retry_action": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "retry_fields": posted,
    }
    response = render(request, "error.html", values, status_code=503)
    response.headers.update(headers)
    return response
