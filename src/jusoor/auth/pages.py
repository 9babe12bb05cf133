"""Signing in and out in the browser: password, then the second factor (enrolled on first use).

The session cookie is set through the request context, which the middleware writes onto the
response; a new session id is issued at login and again once the second factor is passed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jusoor.agencies.models import User
from jusoor.agencies.service import actor_for
from jusoor.auth import profile_pages, throttle, unlock_pages
from jusoor.auth import service as auth
from jusoor.auth.models import WebSession
from jusoor.auth.profile_pages import enrolment
from jusoor.core.config import get_settings
from jusoor.core.errors import Invalid, Unauthorized
from jusoor.core.i18n import gettext as _
from jusoor.web.access import pending, public
from jusoor.web.context import RequestContext
from jusoor.web.deps import Ctx, DbSession, DbSigningIn, writes
from jusoor.web.forms import domain_errors, redirect, safe_next, with_next
from jusoor.web.middleware import LANG_COOKIE, LANG_COOKIE_SECONDS, SESSION_COOKIE
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(profile_pages.router)
router.include_router(unlock_pages.router)

SECOND_FACTOR = "/login/second-factor"
ENROL = "/login/enrol"


@router.get("/login", response_class=HTMLResponse)
@public
def login_form(
    request: Request, ctx: Ctx, next: str = "/", signed_out: str | None = None
) -> Response:
    target = safe_next(next)
    if ctx.actor is not None:
        return redirect(target)
    if ctx.mfa_pending:  # the password is done: the next step is the second factor
        return redirect(with_next(SECOND_FACTOR, target))
    notice = _("You have signed out.") if signed_out else None
    return render(request, "auth/login.html", {"next": target, "notice": notice, "username": ""})


@router.post("/login", response_class=HTMLResponse)
@public
def login_submit(
    request: Request,
    db: DbSigningIn,
    ctx: Ctx,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    target = safe_next(next)
    result = auth.login(
        db,
        username=username,
        password=password,
        client_addr=ctx.client_addr,
        request_id=ctx.request_id,
    )
    if result.user is None:
        # The failure is recorded (it counts toward the lock-out), so the page returns normally.
        status = 429 if result.locked_minutes else 401
        values = {"next": target, "username": username.strip()[:64], "error": result.error}
        return render(request, "auth/login.html", values, status_code=status)
    if ctx.session_token:  # a half-finished sign-in in this browser: replace it
        auth.end_session(db, token=ctx.session_token, actor=None)
    token, web = auth.start_session(
        db,
        user=result.user,
        client_addr=ctx.client_addr,
        user_agent=request.headers.get("user-agent"),
    )
    ctx.set_cookies.append((SESSION_COOKIE, token, None))
    if web.mfa_passed:
        return redirect(target)
    step = SECOND_FACTOR if result.user.totp_secret else ENROL
    return redirect(with_next(step, target))


def _half_signed_in(db: DbSession, ctx: RequestContext) -> tuple[WebSession, User]:
    """The session that passed the password step, and its user."""
    found = auth.resolve_session(db, ctx.session_token) if ctx.session_token else None
    if found is None:
        raise Unauthorized(_("Please sign in."))
    return found


def _passed(ctx: RequestContext, db: DbSession, web: WebSession, target: str) -> RedirectResponse:
    """The second factor is passed: a new session id for the now fully signed-in session."""
    ctx.set_cookies.append((SESSION_COOKIE, auth.rotate_session(db, web), None))
    return redirect(target)


@router.get(SECOND_FACTOR, response_class=HTMLResponse)
@pending
def second_factor_form(request: Request, db: DbSession, ctx: Ctx, next: str = "/") -> Response:
    web, user = _half_signed_in(db, ctx)
    target = safe_next(next)
    if web.mfa_passed:
        return redirect(target)
    if user.totp_secret is None:
        return redirect(with_next(ENROL, target))
    return render(request, "auth/second_factor.html", {"next": target})


@router.post(SECOND_FACTOR, response_class=HTMLResponse)
@pending
def second_factor_submit(
    request: Request,
    db: DbSigningIn,
    ctx: Ctx,
    code: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    web, user = _half_signed_in(db, ctx)
    target = safe_next(next)
    if web.mfa_passed:
        return redirect(target)
    limit = throttle.check(
        db, username=user.username, client_addr=ctx.client_addr, settings=get_settings()
    )
    if limit.refused:
        error = auth.throttled_message(limit.minutes())
        return render(
            request,
            "auth/second_factor.html",
            {"next": target, "errors": {"code": error}},
            status_code=429,
        )
    actor = actor_for(user, via="session", client_addr=ctx.client_addr, request_id=ctx.request_id)
    if not auth.check_second_factor(db, user=user, web=web, code=code, actor=actor):
        error = _("This code is not valid. Check the time on your phone and try again.")
        return render(
            request,
            "auth/second_factor.html",
            {"next": target, "errors": {"code": error}},
            status_code=401,
        )
    return _passed(ctx, db, web, target)


@router.get(ENROL, response_class=HTMLResponse)
@pending
@writes  # keeps the secret being enrolled (core.reading: not a reading unit of work)
def enrol_form(request: Request, db: DbSession, ctx: Ctx, next: str = "/") -> Response:
    web, user = _half_signed_in(db, ctx)
    target = safe_next(next)
    if web.mfa_passed:
        return redirect(target)
    if user.totp_secret is not None:
        return redirect(with_next(SECOND_FACTOR, target))
    values = {**enrolment(db, user), "next": target, "action": ENROL}
    return render(request, "auth/enrol.html", values)


@router.post(ENROL, response_class=HTMLResponse)
@pending
def enrol_submit(
    request: Request,
    db: DbSession,
    ctx: Ctx,
    code: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    web, user = _half_signed_in(db, ctx)
    target = safe_next(next)
    if web.mfa_passed:
        return redirect(target)
    if user.totp_secret is not None:  # enrolled meanwhile (another tab): ask for a code instead
        return redirect(with_next(SECOND_FACTOR, target))
    actor = actor_for(user, via="session", client_addr=ctx.client_addr, request_id=ctx.request_id)
    # Not `web.actions.attempt`: the failure is recorded (audit event, sign-in throttle) before
    # Invalid is raised, and that record must be committed with the request, not rolled back.
    try:
        auth.confirm_enrolment(db, user=user, web=web, code=code, actor=actor)
    except Invalid as exc:
        values = {
            **enrolment(db, user),
            "next": target,
            "action": ENROL,
            "errors": domain_errors(exc),
        }
        return render(request, "auth/enrol.html", values, status_code=422)
    return _passed(ctx, db, web, target)


@router.post("/logout")
@pending
def logout(db: DbSession, ctx: Ctx) -> RedirectResponse:
    """End the session; the login page that follows stays in the language the person was using."""
    if ctx.session_token:
        auth.end_session(db, token=ctx.session_token, actor=ctx.actor)
    ctx.set_cookies.append((SESSION_COOKIE, "", 0))
    ctx.set_cookies.append((LANG_COOKIE, ctx.locale, LANG_COOKIE_SECONDS))
    return redirect("/login?signed_out=1")
