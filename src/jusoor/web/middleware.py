"""One pure-ASGI middleware that prepares every request: id, size limit, identity, language,
security headers. Identity is resolved here (in a worker thread) so the locale context variable is
set before any route runs."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import anyio
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jusoor.agencies.service import actor_for
from jusoor.auth import service as auth
from jusoor.core.config import get_settings
from jusoor.core.db import Database, is_busy
from jusoor.core.i18n import gettext as _
from jusoor.core.i18n import negotiate, use_locale
from jusoor.core.security.secrets import new_token
from jusoor.web.body_limits import Allowance, BodyTooLarge, allowance_for
from jusoor.web.context import RequestContext

log = logging.getLogger("jusoor.web")

SESSION_COOKIE = "jusoor_session"
ANON_COOKIE = "jusoor_pre"
LANG_COOKIE = "jusoor_lang"
LANG_COOKIE_SECONDS = 365 * 24 * 3600  # the language chosen is remembered for a year

# A strict policy: everything from this origin, no inline script, no framing (ASVS 14.4).
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, database: Database) -> None:
        self.app = app
        self.database = database

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        headers = Headers(scope=scope)
        # The node's cap, or the route's own allowance (web.body_limits): a scan's upload.
        allowance = allowance_for(str(scope.get("method", "")), str(scope.get("path", "")))
        limit = allowance.limit() if allowance else settings.max_body_bytes
        length = headers.get("content-length")
        if length and not length.isdigit():
            await _too_large(scope, send)
            return
        declared_over = bool(length) and int(length or 0) > limit
        if declared_over and allowance is None:
            await _too_large(scope, send)
            return
        cookies = cookie_parser(headers.get("cookie", ""))
        client = scope.get("client")
        request_id = headers.get("x-request-id", "")[:64] or uuid.uuid4().hex
        ctx = RequestContext(
            request_id=request_id,
            client_addr=client[0] if client else None,
            locale=negotiate(
                cookies.get(LANG_COOKIE), accept_language=headers.get("accept-language")
            ),
        )
        try:
            await anyio.to_thread.run_sync(self._identify, ctx, headers, cookies)
        except Exception:  # the database is down: pages still answer, with a clear 503 later
            log.exception("could not resolve identity (request %s)", request_id)
            ctx.identity_unavailable = True
        if ctx.session_token is None:
            ctx.anon_binding = cookies.get(ANON_COOKIE)
            if not ctx.anon_binding or len(ctx.anon_binding) < 32:
                ctx.anon_binding = new_token()
                ctx.set_cookies.append((ANON_COOKIE, ctx.anon_binding, None))
        scope.setdefault("state", {})["ctx"] = ctx

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            # Over the limit, declared or found while streaming: every read refuses, none reads
            # again (the route may read twice: the CSRF check, then its own form's answer).
            if declared_over or received > limit:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                out = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    out.setdefault(key, value)
                out["x-request-id"] = request_id
                if "location" in out:
                    out["location"] = own_location(out["location"], headers.get("host"))
                if str(scope.get("path", "")).startswith("/api/"):
                    out.setdefault("cache-control", "no-store")  # tokens, passwords, records
                if settings.secure_cookies:
                    out.setdefault("strict-transport-security", "max-age=31536000")
                for name, value, max_age in ctx.set_cookies:
                    out.append("set-cookie", cookie_header(name, value, max_age))
            await send(message)

        with use_locale(ctx.locale, ctx.digits):
            try:
                await self.app(scope, limited_receive, send_with_headers)
            except BodyTooLarge:
                if started:
                    raise
                await _too_large(scope, send, allowance)
            except Exception:
                # An unexpected error: answer here, with the security headers, rather than from
                # Starlette's outermost handler (which has none); re-raise so the server logs it.
                if not started:
                    from jusoor.web.errors import unexpected_error_response

                    response = unexpected_error_response(Request(scope))
                    await response(scope, receive, send_with_headers)
                raise

    def _identify(self, ctx: RequestContext, headers: Headers, cookies: dict[str, str]) -> None:
        authorization = headers.get("authorization", "")
        bearer = authorization[7:].strip() if authorization.lower().startswith("bearer ") else None
        session_token = cookies.get(SESSION_COOKIE)
        if not bearer and not session_token:
            return
        # Read without the writer's lock; the only writes, last-seen stamps and the removal of an
        # expired session, are blind (the last writer may win) and made at the commit, so a busy
        # node skips them for this request rather than refusing it (core.reading).
        try:
            with self.database.reading(blind_writes=True) as session, session.no_autoflush:
                self._resolve(session, ctx, headers, cookies, bearer)
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            log.warning(
                "identity stamps not saved: the database is busy (request %s)", ctx.request_id
            )

    def _resolve(
        self,
        session: Session,
        ctx: RequestContext,
        headers: Headers,
        cookies: dict[str, str],
        bearer: str | None,
    ) -> None:
        session_token = cookies.get(SESSION_COOKIE)
        if bearer:
            user = auth.resolve_token(session, bearer)
            via = "token"
        else:
            assert session_token is not None
            found = auth.resolve_session(session, session_token)
            user = found[1] if found else None
            via = "session"
            if found:
                ctx.session_token = session_token
                ctx.mfa_pending = not found[0].mfa_passed
        if user is None:
            return
        ctx.user_id, ctx.via, ctx.display_name = user.id, via, user.display_name
        ctx.locale = negotiate(
            user.locale,
            cookies.get(LANG_COOKIE),
            accept_language=headers.get("accept-language"),
        )
        ctx.digits, ctx.timezone = user.digits, user.timezone
        if not ctx.mfa_pending:
            ctx.actor = actor_for(
                user, via=via, client_addr=ctx.client_addr, request_id=ctx.request_id
            )


def own_location(location: str, host: str | None) -> str:
    """A redirect to this node, made relative. Starlette's trailing-slash redirect is absolute,
    built from the Host header; relative, it cannot send anyone to a name the client chose
    (ASVS 4.0.3 V5.1.5). "//x" as a path would read as another host, so it is folded to "/x"."""
    parts = urlsplit(location)
    if parts.scheme in ("http", "https") and host and parts.netloc == host:
        path = "/" + parts.path.lstrip("/")
        return urlunsplit(("", "", path, parts.query, parts.fragment))
    return location


def cookie_header(name: str, value: str, max_age: int | None) -> str:
    """A hardened cookie: HttpOnly, SameSite=Lax, Secure off loopback, host-only, path /."""
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if get_settings().secure_cookies:
        parts.append("Secure")
    return "; ".join(parts)


async def _too_large(scope: Scope, send: Send, allowance: Allowance | None = None) -> None:
    """Refuse an oversized body before reading it, as JSON on the API and text elsewhere; over a
    route's allowance, in its words and naming its field."""
    with use_locale(negotiate(accept_language=Headers(scope=scope).get("accept-language"))):
        message = allowance.message() if allowance else _("The request is too large.")
    if str(scope.get("path", "")).startswith("/api/"):
        field = allowance.field if allowance else None
        body = json.dumps(
            {"error": {"code": "too_large", "message": message, "field": field}}
        ).encode()
        ctype = b"application/json"
    else:
        body, ctype = message.encode(), b"text/plain; charset=utf-8"
    headers: list[Any] = [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
