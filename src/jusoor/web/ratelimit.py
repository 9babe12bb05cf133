"""Request rate limits per client (ASVS 4.0.3 V11.1.4): a burst of requests gets 429, not service.

Counted per principal in fixed one-minute windows held in memory. Only a credential this node
issued counts as a principal — a bearer token or session cookie whose tag verifies
(core.security.issued), checked without touching the database — and gets the larger signed-in
budget, under its own key, so that a person signed in is not stopped by an anonymous flood from the
same office address. Anything else, an invented cookie or bearer included, is anonymous and counted
per client address. Password guessing has its own, stricter throttle (auth.throttle).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from jusoor.core.config import get_settings
from jusoor.core.i18n import gettext as _
from jusoor.core.i18n import negotiate, use_locale
from jusoor.core.security import issued

WINDOW_SECONDS = 60
MAX_TRACKED = 50_000  # bounds memory under a flood of distinct addresses
EXEMPT_PREFIXES = ("/static/", "/healthz", "/readyz")
# Peers' envelopes are counted apart, per address: a node delivering a backlog after an outage
# must not be throttled like a person guessing passwords, nor starve the node's own users.
PEER_INBOX_PATH = "/api/v1/exchange/inbox"


@dataclass
class _Window:
    start: float
    count: int


class RateLimiter:
    """Fixed-window counters; `hit` says whether one more request from `key` is allowed."""

    def __init__(self) -> None:
        self._windows: dict[str, _Window] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, now: float | None = None) -> float | None:
        """None when allowed; else the seconds to wait before the next request is allowed."""
        now = time.monotonic() if now is None else now
        with self._lock:
            window = self._windows.get(key)
            if window is None or now - window.start >= WINDOW_SECONDS:
                if len(self._windows) >= MAX_TRACKED:
                    self._prune(now)
                self._windows[key] = _Window(now, 1)
                return None
            if window.count >= limit:
                return WINDOW_SECONDS - (now - window.start)
            window.count += 1
            return None

    def _prune(self, now: float) -> None:
        stale = [k for k, w in self._windows.items() if now - w.start >= WINDOW_SECONDS]
        for key in stale:
            del self._windows[key]
        if len(self._windows) >= MAX_TRACKED:  # all fresh: forget the oldest half
            for key in sorted(self._windows, key=lambda k: self._windows[k].start)[
                : MAX_TRACKED // 2
            ]:
                del self._windows[key]


def principal(scope: Scope) -> tuple[str, bool]:
    """The key requests are counted under, and whether it names a principal this node issued."""
    headers = Headers(scope=scope)
    authorization = headers.get("authorization", "")
    secret = authorization[7:].strip() if authorization.lower().startswith("bearer ") else ""
    if not secret:
        from jusoor.web.middleware import SESSION_COOKIE

        secret = cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE, "")
    if secret and issued.issued_here(secret):
        return "p:" + hashlib.sha256(secret.encode()).hexdigest()[:32], True
    client = scope.get("client")
    return "a:" + (client[0] if client else "unknown"), False


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, limiter: RateLimiter | None = None) -> None:
        self.app = app
        self.limiter = limiter or RateLimiter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or path.startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        key, signed_in = principal(scope)
        limit = (
            settings.rate_limit_per_minute
            if signed_in
            else settings.rate_limit_anonymous_per_minute
        )
        if path == PEER_INBOX_PATH:
            key, limit = "peer:" + key, settings.exchange_inbox_per_minute
        wait = self.limiter.hit(key, limit)
        if wait is None:
            await self.app(scope, receive, send)
            return
        await _too_many(scope, send, max(1, int(wait) + 1))


async def _too_many(scope: Scope, send: Send, retry_after: int) -> None:
    headers = Headers(scope=scope)
    with use_locale(negotiate(accept_language=headers.get("accept-language"))):
        message = _("Too many requests. Wait a moment and try again.")
    if str(scope.get("path", "")).startswith("/api/"):
        body = json.dumps(
            {"error": {"code": "too_many_requests", "message": message, "field": None}}
        )
        ctype = "application/json"
    else:
        body, ctype = message, "text/plain; charset=utf-8"
    raw = body.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", ctype.encode()),
                (b"content-length", str(len(raw)).encode()),
                (b"retry-after", str(retry_after).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})
