"""Errors become responses in one place: JSON `{"error": {code, message, field}}` on the API,
a page in the user's language elsewhere. Never a stack trace."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DataError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from jusoor.audit import service as audit
from jusoor.core.db import Database, is_busy
from jusoor.core.errors import DomainError, Forbidden, NotFound, Unauthorized
from jusoor.core.i18n import gettext as _
from jusoor.core.reading import StaleWrite
from jusoor.web.body_limits import BodyTooLarge, allowance_for
from jusoor.web.busy import busy_response
from jusoor.web.context import context_of
from jusoor.web.templating import render

log = logging.getLogger("jusoor.web")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def error_response(
    request: Request, status: int, code: str, message: str, field: str | None = None
) -> Response:
    if wants_json(request):
        headers = {"www-authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(
            {"error": {"code": code, "message": message, "field": field}},
            status_code=status,
            headers=headers,
        )
    if status == 401 and request.method in ("GET", "HEAD"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    return render(
        request,
        "error.html",
        {"status": status, "message": message, "field": field},
        status_code=status,
    )


def _status_message(status: int) -> tuple[str, str]:
    messages = {
        400: ("bad_request", _("The request could not be understood.")),
        401: ("unauthorized", _("Please sign in.")),
        403: ("forbidden", _("You are not allowed to do this.")),
        404: ("not_found", _("This page does not exist.")),
        405: ("method_not_allowed", _("This action is not available here.")),
        413: ("too_large", _("The request is too large.")),
        429: ("too_many_attempts", _("Too many requests. Wait a moment and try again.")),
    }
    return messages.get(status, ("error", _("Something went wrong.")))


def _field_of(error: dict[str, Any]) -> str | None:
    loc = [
        str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "form")
    ]
    return ".".join(loc) or None


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at this path (a path's GET and POST may sit in different
    routers, so the one route that refused the method does not know them all)."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        match, _scope = route.matches(request.scope)
        if match != Match.NONE and route.methods:
            methods |= set(route.methods)
    return sorted(methods)


def unexpected_error_response(request: Request) -> Response:
    """The answer to a bug: a generic message in the user's language, never the details."""
    return error_response(request, 500, "error", _("Something went wrong. Nothing was saved."))


def _audit_refusal(request: Request, exc: DomainError) -> None:
    """An access refusal (403, or a 404 that hides a record) is audited in its own transaction:
    the request's own transaction is rolled back, and with it anything it wrote (ASVS 7.2.2)."""
    actor = context_of(request).actor
    database = getattr(request.app.state, "database", None)
    if actor is None or not isinstance(database, Database):
        return
    try:
        with database.unit_of_work() as session:
            audit.record(
                session,
                actor=actor,
                action="access.refused",
                outcome="refused",
                details={"method": request.method, "path": request.url.path, "code": exc.code},
            )
    except SQLAlchemyError:  # the refusal is still answered; the log says the audit failed
        log.exception("could not audit a refused request")


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        if isinstance(exc, (Forbidden, NotFound)):
            await run_in_threadpool(_audit_refusal, request, exc)
        return error_response(request, exc.status, exc.code, exc.message, exc.field)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {}
        if first.get("type") == "json_invalid":
            return error_response(
                request, 400, "invalid_json", _("The request body is not valid JSON."), "body"
            )
        field = _field_of(first)
        if first.get("type") == "missing":
            message = _("The field %(field)s is required.", field=field or "?")
        else:
            message = _(
                "The field %(field)s is not valid: %(problem)s",
                field=field or "?",
                problem=first.get("msg", ""),
            )
        return error_response(request, 422, "invalid", message, field)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code, message = _status_message(exc.status_code)
        response = error_response(request, exc.status_code, code, message)
        if exc.status_code == 405:  # RFC 9110 §15.5.6: a 405 lists what the resource allows
            response.headers["allow"] = ", ".join(allowed_methods(request))
        return response

    @app.exception_handler(BodyTooLarge)
    async def _body_too_large(request: Request, exc: BodyTooLarge) -> Response:
        # Over a route's own allowance (a document's upload): in its words, naming its field.
        allowance = allowance_for(request.method, str(request.scope.get("path", "")))
        if allowance is None:
            return error_response(request, 413, "too_large", _("The request is too large."))
        return error_response(request, 413, "too_large", allowance.message(), allowance.field)

    @app.exception_handler(Unauthorized)
    async def _unauthorized(request: Request, exc: Unauthorized) -> Response:
        return error_response(request, 401, exc.code, exc.message)

    @app.exception_handler(StaleWrite)
    async def _stale_write(request: Request, exc: StaleWrite) -> Response:
        log.warning("database busy (request %s): %s", context_of(request).request_id, exc)
        return busy_response(request)

    @app.exception_handler(OperationalError)
    async def _db_down(request: Request, exc: OperationalError) -> Response:
        if is_busy(exc):  # another writer held the lock past the bound: not a database down
            log.warning("database busy (request %s): %s", context_of(request).request_id, exc.orig)
            return busy_response(request)
        log.error("database unavailable: %s", exc.orig)
        return error_response(
            request, 503, "unavailable", _("The database is not reachable. Try again in a moment.")
        )

    @app.exception_handler(PoolTimeout)
    async def _pool_exhausted(request: Request, exc: PoolTimeout) -> Response:
        # Every pooled connection stayed busy for the pool's timeout (under load, all of them
        # waiting on a lock): the node is busy, not broken, so 503 and "try again", never a 500.
        log.error("no database connection free: %s", exc)
        return error_response(
            request, 503, "unavailable", _("The database is not reachable. Try again in a moment.")
        )

    @app.exception_handler(DataError)
    async def _bad_data(request: Request, exc: DataError) -> Response:
        # PostgreSQL refuses U+0000 in text (SQLite stores it): that is bad input, not a bug,
        # found by fuzzing; any other DataError stays a logged 500 (ASVS 4.0.3 V5.1.4, V7.4.1).
        if "NUL" in str(exc.orig):
            return error_response(
                request, 422, "invalid", _("Text cannot contain the NUL character (U+0000).")
            )
        log.exception("database error")
        return unexpected_error_response(request)

    @app.exception_handler(DBAPIError)
    async def _db_error(request: Request, exc: DBAPIError) -> Response:
        if is_busy(exc):  # e.g. a deadlock or serialization failure reported as another class
            return busy_response(request)
        log.exception("database error")
        return error_response(request, 500, "error", _("Something went wrong. Nothing was saved."))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error")
        return unexpected_error_response(request)
