"""The signed-in person's own account: settings, password, second factor and API tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.agencies import service as agencies
from jusoor.agencies.models import User
from jusoor.agencies.schemas import ProfileUpdate
from jusoor.auth import credentials
from jusoor.auth import service as auth
from jusoor.auth.schemas import TokenCreate
from jusoor.core.errors import Invalid, Unauthorized
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.security import totp
from jusoor.web.access import requires
from jusoor.web.actions import attempt
from jusoor.web.confirm import asks_first, confirmation_page
from jusoor.web.deps import Ctx, CurrentActor, DbSession, writes
from jusoor.web.forms import domain_errors, parse_id, redirect
from jusoor.web.labels import timezone_choices, timezone_name
from jusoor.web.middleware import SESSION_COOKIE
from jusoor.web.questions import question
from jusoor.web.templating import render

REVOKE_TOKEN_QUESTION = question(
    "auth:revoke_token", N_("Revoke this token? Programs using it will stop working.")
)

router = APIRouter(include_in_schema=False)

PROFILE = "/profile"
ENROL = "/profile/second-factor"
DONE = {
    "saved": N_("Your settings are saved."),
    "second_factor": N_("Your second factor is on. You will need a code from it at each sign-in."),
    "revoked": N_("The token is revoked. Programs using it can no longer connect."),
}


def _labels() -> dict[str, str]:
    return {
        "display_name": _("Display name"),
        "locale": _("Language"),
        "digits": _("Digits"),
        "timezone": _("Time zone"),
        "name": _("What the token is for"),
        "days": _("Days until it expires"),
    }


def _page(
    request: Request, db: DbSession, actor: Actor, *, status_code: int = 200, **values: Any
) -> HTMLResponse:
    user = agencies.get_own_user(db, actor=actor)
    may_tokens = actor.can("tokens.manage_own")
    form = values.pop("form", None) or user
    current = form.get("timezone") if isinstance(form, dict) else user.timezone
    zones = timezone_choices()
    if current and current not in dict(zones):  # a zone set elsewhere stays choosable
        zones.insert(0, (current, timezone_name(current)))
    context = {
        "user": user,
        "form": form,
        "labels": _labels(),
        "timezones": zones,
        "may_tokens": may_tokens,
        "tokens": auth.list_tokens(db, user_id=user.id) if may_tokens else [],
        **values,
    }
    return render(request, "auth/profile.html", context, status_code=status_code)


@router.get(PROFILE, response_class=HTMLResponse)
def profile(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    done: str = "",
    sessions: str = "",
    tokens: str = "",
) -> Response:
    notice = _(DONE[done]) if done in DONE else None
    if done == "password":
        notice = _password_notice(sessions, tokens)
    return _page(request, db, actor, notice=notice)


@router.post(PROFILE, response_class=HTMLResponse)
def save_settings(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    display_name: Annotated[str, Form()] = "",
    locale: Annotated[str, Form()] = "",
    digits: Annotated[str, Form()] = "",
    timezone: Annotated[str, Form()] = "",
) -> Response:
    form = {"display_name": display_name, "locale": locale, "digits": digits, "timezone": timezone}
    typed = {k: v.strip() for k, v in form.items() if v.strip()}
    return attempt(
        db,
        lambda: agencies.update_profile(db, actor=actor, profile_in=ProfileUpdate(**typed)),
        done=lambda _saved: redirect(f"{PROFILE}?done=saved"),
        failed=lambda errors: _page(request, db, actor, form=form, errors=errors, status_code=422),
        labels=_labels(),
        catch=(),  # only what was typed is shown on the form
    )


@router.post(f"{PROFILE}/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    db: DbSession,
    ctx: Ctx,
    actor: CurrentActor,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    new_password_again: Annotated[str, Form()] = "",
) -> Response:
    """Change one's own password; every other session ends and every API token is revoked in the
    same transaction, and this session gets a new id (ASVS V3.3.3, V3.2.1)."""
    if new_password != new_password_again:
        errors = {"new_password_again": _("The two new passwords are not the same.")}
        return _page(request, db, actor, password_errors=errors, status_code=422)
    found = auth.resolve_session(db, ctx.session_token) if ctx.session_token else None
    web = found[0] if found else None
    # Not `web.actions.attempt`: the failure is recorded (audit event, sign-in throttle) before
    # Invalid is raised, and that record must be committed with the request, not rolled back.
    try:
        ended = credentials.change_own_password(
            db, actor=actor, current=current_password, new=new_password, keep=web
        )
    except Invalid as exc:
        errors = domain_errors(exc, {"password": "new_password"})
        return _page(request, db, actor, password_errors=errors, status_code=422)
    if web is not None:  # a new id: the page that follows binds its forms to it
        ctx.set_cookies.append((SESSION_COOKIE, auth.rotate_session(db, web), None))
    return redirect(f"{PROFILE}?done=password&sessions={ended.sessions}&tokens={ended.tokens}")


def _password_notice(sessions: str, tokens: str) -> str:
    """What the person is told after changing their password (counts from the redirect)."""

    def count(value: str) -> int:
        return int(value) if value.isdigit() and len(value) < 7 else 0

    return _(
        "Your password is changed. Other sessions ended: %(sessions)s. API tokens revoked: "
        "%(tokens)s. Issue new tokens for any program that used them.",
        sessions=count(sessions),
        tokens=count(tokens),
    )


@router.get(ENROL, response_class=HTMLResponse)
@writes  # keeps the secret being enrolled (core.reading: not a reading unit of work)
def enrol_form(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    user = agencies.get_own_user(db, actor=actor)
    if user.mfa_enabled:
        return redirect(PROFILE)
    return render(request, "auth/enrol.html", {**enrolment(db, user), "action": ENROL})


@router.post(ENROL, response_class=HTMLResponse)
def enrol_submit(
    request: Request,
    db: DbSession,
    ctx: Ctx,
    actor: CurrentActor,
    code: Annotated[str, Form()] = "",
) -> Response:
    user = agencies.get_own_user(db, actor=actor)
    found = auth.resolve_session(db, ctx.session_token) if ctx.session_token else None
    if found is None:
        raise Unauthorized(_("Please sign in."))
    if user.mfa_enabled:
        return redirect(PROFILE)
    # Not `web.actions.attempt`: the failure is recorded (audit event, sign-in throttle) before
    # Invalid is raised, and that record must be committed with the request, not rolled back.
    try:
        auth.confirm_enrolment(db, user=user, web=found[0], code=code, actor=actor)
    except Invalid as exc:
        values = {**enrolment(db, user), "action": ENROL, "errors": domain_errors(exc)}
        return render(request, "auth/enrol.html", values, status_code=422)
    return redirect(f"{PROFILE}?done=second_factor")


def enrolment(db: DbSession, user: User) -> dict[str, object]:
    """The QR code and the secret of a second factor being enrolled (the same until confirmed)."""
    secret = auth.begin_enrolment(db, user=user)
    return {
        "qr": totp.qr_svg(totp.provisioning_uri(secret, user.username)),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }


@router.post(
    f"{PROFILE}/tokens", response_class=HTMLResponse, dependencies=[requires("tokens.manage_own")]
)
def create_token(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    name: Annotated[str, Form()] = "",
    days: Annotated[str, Form()] = "",
) -> Response:
    form = {"name": name, "days": days}

    def run() -> tuple[str, str]:
        token_in = TokenCreate(name=name.strip(), days=days.strip() or None)
        user = agencies.get_own_user(db, actor=actor)
        token = auth.issue_token(db, actor=actor, user=user, name=token_in.name, days=token_in.days)
        return token, token_in.name

    return attempt(
        db,
        run,
        done=lambda issued: _page(
            request, db, actor, new_token=issued[0], new_token_name=issued[1]
        ),
        failed=lambda errors: _page(
            request, db, actor, token_form=form, token_errors=errors, status_code=422
        ),
        labels=_labels(),
        catch=(),  # only what was typed is shown on the form
    )


@router.post(
    f"{PROFILE}/tokens/{{token_id}}/revoke",
    response_class=HTMLResponse,
    dependencies=[requires("tokens.manage_own")],
)
def revoke_token(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    token_id: str,
    ask: Annotated[str, Form()] = "",
) -> Response:
    token = parse_id(token_id, _("No such token."))
    if asks_first(ask):
        return confirmation_page(
            request,
            question_key=REVOKE_TOKEN_QUESTION,
            fields={},
            back=PROFILE,
        )
    auth.revoke_token(db, actor=actor, token_id=token)
    return redirect(f"{PROFILE}?done=revoked")
