"""Deny by default. Every route needs a signed-in user unless it is marked `public` (login, health)
or `pending` (the second-factor pages, reachable after the password step). Every state-changing
request made with a browser session must carry a valid CSRF token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Depends, Request

from jusoor.core.errors import Forbidden, Unauthorized, Unavailable
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.security import csrf
from jusoor.web.body_limits import BodyTooLarge, allowance_for
from jusoor.web.busy import remember_form
from jusoor.web.context import context_of

F = TypeVar("F", bound=Callable[..., Any])
ACCESS_ATTR = "__jusoor_access__"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


def public(endpoint: F) -> F:
    """Reachable without signing in."""
    setattr(endpoint, ACCESS_ATTR, "public")
    return endpoint


def pending(endpoint: F) -> F:
    """Reachable between the password and the second factor."""
    setattr(endpoint, ACCESS_ATTR, "pending")
    return endpoint


def peer(endpoint: F) -> F:
    """Reachable by other nodes: no session, no CSRF. The request body is a signed envelope that
    the endpoint itself verifies before anything is read or stored."""
    setattr(endpoint, ACCESS_ATTR, "peer")
    return endpoint


def access_of(endpoint: Any) -> str:
    return str(getattr(endpoint, ACCESS_ATTR, "user"))


class CsrfFailure(Forbidden):
    code = "csrf"


async def enforce_access(request: Request) -> None:
    """The app-wide dependency: authentication by route marking, then CSRF on unsafe methods."""
    ctx = context_of(request)
    level = access_of(request.scope.get("endpoint"))
    if level == "peer":
        return
    if level != "public" and ctx.identity_unavailable:
        raise Unavailable(_("The database is not reachable. Try again in a moment."))
    if level == "user" and ctx.actor is None:
        raise Unauthorized(_("Please sign in."))
    if level == "pending" and ctx.actor is None and not ctx.mfa_pending:
        raise Unauthorized(_("Please sign in."))
    if request.method not in SAFE_METHODS and ctx.via != "token":
        await _check_csrf(request)
    if request.method not in SAFE_METHODS:
        await _read_ahead(request)


async def _read_ahead(request: Request) -> None:
    """Read the whole body before the route's first statement. A route that touched the database
    and then awaited its body would hold SQLite's writer lock across the await: another request
    waiting for that lock on the event loop's thread would then keep this one from finishing
    (the 30-second hang of issue 18). It also keeps a posted form for a busy answer."""
    try:
        if request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            remember_form(request, await request.form())
        else:
            await request.body()
    except BodyTooLarge:
        return  # the route answers it in its own words (web.body_limits)


async def _check_csrf(request: Request) -> None:
    ctx = context_of(request)
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host"):
        raise CsrfFailure(_("This form came from another site and was refused."))
    token = request.headers.get(CSRF_HEADER)
    if token is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        try:
            form = await request.form()
        except BodyTooLarge:
            if allowance_for(request.method, str(request.scope.get("path", ""))) is None:
                raise
            # Over a route's allowance (web.body_limits) every read of the body raises: nothing
            # can act on it, so the route may answer with its form's error without a token.
            return
        value = form.get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    if not csrf.valid(ctx.csrf_binding, token):
        raise CsrfFailure(
            _("Your form has expired or was not sent from Jusoor. Reload the page and try again.")
        )


ACTIONS_ATTR = "__jusoor_actions__"


def requires(*actions: str) -> Any:
    """A route dependency refusing (403) a caller whose roles allow none of `actions`.

    Declared on every API route that writes, it runs before the body is validated, so a caller
    without the right learns nothing from 422 messages about what the body should hold (ASVS
    4.0.3 V4.1.3, V4.2.1; the first problem answered is the missing right). The service still
    checks the exact action and the record's scope; this is the coarse check, done first."""
    assert actions, "name at least one action"

    def check(request: Request) -> None:
        actor = require_actor(request)
        if not any(actor.can(action) for action in actions):
            actor.require(actions[0])  # raises Forbidden with the usual message

    setattr(check, ACTIONS_ATTR, actions)
    return Depends(check)


def actions_required(call: Any) -> tuple[str, ...] | None:
    """The actions a `requires` dependency checks (None for other dependencies)."""
    found = getattr(call, ACTIONS_ATTR, None)
    return tuple(found) if found is not None else None


def require_actor(request: Request) -> Actor:
    """The signed-in actor (for routes; `enforce_access` has already refused anonymous calls)."""
    actor = context_of(request).actor
    if actor is None:
        raise Unauthorized(_("Please sign in."))
    return actor
