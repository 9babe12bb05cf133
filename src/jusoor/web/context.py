"""What every request carries once the middleware has looked at it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from starlette.requests import Request

from jusoor.core.permissions import Actor


@dataclass
class RequestContext:
    request_id: str
    client_addr: str | None
    locale: str
    digits: str = "latn"
    timezone: str = "UTC"
    actor: Actor | None = None
    user_id: uuid.UUID | None = None
    display_name: str | None = None
    session_token: str | None = None
    mfa_pending: bool = False  # password accepted, second factor still to pass
    via: str | None = None  # session | token
    # Credentials came but could not be checked (the database is down): answer 503, not 401.
    identity_unavailable: bool = False
    anon_binding: str | None = None
    set_cookies: list[tuple[str, str, int | None]] = field(default_factory=list)

    @property
    def csrf_binding(self) -> str | None:
        return self.session_token or self.anon_binding


def context_of(request: Request) -> RequestContext:
    ctx = getattr(request.state, "ctx", None)
    if not isinstance(ctx, RequestContext):
        raise RuntimeError("request context middleware is not installed")
    return ctx
