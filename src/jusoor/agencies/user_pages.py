"""Administration of user accounts: find, create, change roles, disable, reset credentials.

Initial and reset passwords are shown once, in the answer to the form that made them, and never
stored in clear: the administrator hands them over out of band.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.agencies import service as agencies
from jusoor.agencies.models import User
from jusoor.agencies.schemas import UserCreate
from jusoor.auth import credentials
from jusoor.core.bounds import MAX_PAGE, whole_number
from jusoor.core.errors import DomainError
from jusoor.core.i18n import LOCALE_NAMES, LOCALES, N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import ROLES, Actor
from jusoor.web.access import requires
from jusoor.web.actions import attempt
from jusoor.web.confirm import asks_first, confirmation_page
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import path_id, redirect
from jusoor.web.labels import role_choices
from jusoor.web.questions import question
from jusoor.web.templating import render

DISABLE_USER_QUESTION = question(
    "agencies:disable_user",
    N_("Disable this account? Its owner will no longer be able to sign in."),
)

router = APIRouter(include_in_schema=False)

USERS = "/admin/users"
UserId = Annotated[uuid.UUID, path_id("user_id", N_("No such user."))]
MANAGE = "users.manage"
PAGE_SIZE = 25
DONE = {
    "roles": N_("The roles are saved."),
    "disabled": N_("The account is disabled. Its sessions and API tokens were ended."),
    "enabled": N_("The account is enabled again."),
    "second_factor": N_("The second factor is removed. The user will set up a new one at sign-in."),
    # Set by auth.unlock_pages, which owns the sign-in throttle.
    "unlocked": N_("The failed sign-in attempts are forgotten: the user can sign in again now."),
}


def _labels() -> dict[str, str]:
    return {
        "username": _("Username"),
        "display_name": _("Display name"),
        "agency_code": _("Agency"),
        "roles": _("Roles"),
        "locale": _("Language"),
    }


def _agency_choices(db: DbSession, actor: Actor) -> list[tuple[str, str]]:
    locale = current_locale()
    return [(a.code, a.name(locale)) for a in agencies.list_agencies(db, actor=actor)]


def _page_number(value: str) -> int:
    return whole_number(value, low=1, high=MAX_PAGE) or 1


@router.get(USERS, response_class=HTMLResponse)
def list_users(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    q: str = "",
    agency: str = "",
    country: str = "",
    role: str = "",
    page: str = "1",
) -> Response:
    number = _page_number(page)
    flt = agencies.UserFilter(
        query=q[:100] or None,
        agency_code=agency or None,
        country=country[:2] or None,
        role=role if role in ROLES else None,
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    users, total = agencies.search_users(db, actor=actor, flt=flt)
    in_scope = agencies.list_agencies(db, actor=actor)
    locale = current_locale()
    values = {
        "users": users,
        "total": total,
        "page": number,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "filters": {"q": q, "agency": agency, "country": country, "role": role},
        "agency_choices": [(a.code, a.name(locale)) for a in in_scope],
        "country_choices": sorted({a.country for a in in_scope}),
        "role_choices": role_choices(),
        "may_manage": actor.can("users.manage"),
    }
    partial = request.headers.get("hx-target") == "user-results"
    template = "agencies/_user_results.html" if partial else "agencies/users.html"
    return render(request, template, values)


def _new_form(
    request: Request, db: DbSession, actor: Actor, form: dict[str, Any], errors: dict[str, str]
) -> HTMLResponse:
    values = {
        "form": form,
        "errors": errors,
        "labels": _labels(),
        "agency_choices": _agency_choices(db, actor),
        "role_choices": role_choices(),
        "locale_choices": [(code, LOCALE_NAMES[code]) for code in LOCALES],
    }
    return render(request, "agencies/user_new.html", values, status_code=422 if errors else 200)


@router.get(f"{USERS}/new", response_class=HTMLResponse, dependencies=[requires("users.manage")])
def new_user_form(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    form = {"username": "", "display_name": "", "agency_code": "", "roles": [], "locale": "ar"}
    return _new_form(request, db, actor, form, {})


@router.post(f"{USERS}/new", response_class=HTMLResponse, dependencies=[requires("users.manage")])
def create_user(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    agency_code: Annotated[str, Form()] = "",
    roles: Annotated[list[str] | None, Form()] = None,
    locale: Annotated[str, Form()] = "ar",
) -> Response:
    form: dict[str, Any] = {
        "username": username,
        "display_name": display_name,
        "agency_code": agency_code,
        "roles": roles or [],
        "locale": locale,
    }

    def created(made: tuple[User, str]) -> Response:
        values = {"user": made[0], "password": made[1]}
        return render(request, "agencies/user_created.html", values, status_code=201)

    return attempt(
        db,
        lambda: agencies.create_user(db, actor=actor, user_in=UserCreate(**form)),
        done=created,
        failed=lambda errors: _new_form(request, db, actor, form, errors),
        labels=_labels(),
        catch=(DomainError,),
    )


def _user_page(
    request: Request,
    db: DbSession,
    actor: Actor,
    user: User,
    *,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    context = {
        "user": user,
        "role_choices": role_choices(),
        "may_manage": actor.can("users.manage"),
        "is_self": user.id == actor.user_id,
        **values,
    }
    return render(request, "agencies/user.html", context, status_code=status_code)


@router.get(f"{USERS}/{{user_id}}", response_class=HTMLResponse)
def show_user(
    request: Request, db: DbSession, actor: CurrentActor, user_id: UserId, done: str = ""
) -> Response:
    user = agencies.get_user(db, actor=actor, user_id=user_id)
    return _user_page(request, db, actor, user, notice=_(DONE[done]) if done in DONE else None)


@router.post(f"{USERS}/{{user_id}}/roles", response_class=HTMLResponse)
def save_roles(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    user_id: UserId,
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    user = agencies.get_user(db, actor=actor, user_id=user_id, action=MANAGE)
    chosen = roles or []
    if not chosen or not set(chosen) <= set(ROLES):
        errors = {"roles": _("Choose at least one role from the list.")}
        return _user_page(request, db, actor, user, errors=errors, status_code=422)
    return attempt(
        db,
        lambda: agencies.set_roles(db, actor=actor, user_id=user.id, roles=chosen),
        done=lambda _set: redirect(f"{USERS}/{user.id}?done=roles"),
        failed=lambda errors: _user_page(request, db, actor, user, errors=errors, status_code=422),
        catch=(DomainError,),
    )


@router.post(f"{USERS}/{{user_id}}/active", response_class=HTMLResponse)
def set_active(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    user_id: UserId,
    active: Annotated[str, Form()] = "",
    ask: Annotated[str, Form()] = "",
) -> Response:
    user = agencies.get_user(db, actor=actor, user_id=user_id, action=MANAGE)
    enable = active == "1"
    if not enable and asks_first(ask):
        return confirmation_page(
            request,
            question_key=DISABLE_USER_QUESTION,
            fields={"active": active},
            back=f"{USERS}/{user.id}",
        )

    def failed(errors: dict[str, str]) -> Response:
        top = {"_form": next(iter(errors.values()))}  # at the top, whatever field it names
        return _user_page(request, db, actor, user, errors=top, status_code=422)

    return attempt(
        db,
        lambda: credentials.set_active(db, actor=actor, user_id=user.id, active=enable),
        done=lambda _set: redirect(f"{USERS}/{user.id}?done={'enabled' if enable else 'disabled'}"),
        failed=failed,
        catch=(DomainError,),
    )


@router.post(f"{USERS}/{{user_id}}/password", response_class=HTMLResponse)
def reset_password(
    request: Request, db: DbSession, actor: CurrentActor, user_id: UserId
) -> Response:
    user = agencies.get_user(db, actor=actor, user_id=user_id, action=MANAGE)
    done = credentials.reset_password(db, actor=actor, user_id=user.id)
    return _user_page(
        request, db, actor, user, new_password=done.password, reset_notice=done.notice()
    )


@router.post(f"{USERS}/{{user_id}}/second-factor", response_class=HTMLResponse)
def reset_second_factor(db: DbSession, actor: CurrentActor, user_id: UserId) -> Response:
    user = agencies.get_user(db, actor=actor, user_id=user_id, action=MANAGE)
    agencies.reset_mfa(db, actor=actor, user_id=user.id)
    return redirect(f"{USERS}/{user.id}?done=second_factor")
