"""`jusoor users …` and `jusoor agencies …`: the directory, from the server's console."""

from __future__ import annotations

import json
import sys
from typing import NoReturn

import typer
from rich.console import Console
from rich.table import Table

from jusoor.agencies import service
from jusoor.agencies.models import User
from jusoor.agencies.schemas import UserCreate
from jusoor.audit import service as audit
from jusoor.auth import credentials
from jusoor.auth import service as auth
from jusoor.core.console import JSON_OPTION, fail, operator, unit_of_work
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.validation import first_problem

users_app = typer.Typer(help="User accounts: add, list, disable, reset passwords, issue tokens.")
agencies_app = typer.Typer(help="The agencies that work on this node.")


def _user(session: object, username: str) -> User:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    user = service.get_user_by_username(session, username)
    if user is None:
        fail(_("No user is called %(username)s.", username=username))
    return user


@users_app.command("add")
def add(
    username: str = typer.Argument(..., help="Login name: lower-case letters, digits, . _ -"),
    display_name: str = typer.Option(..., "--name", help="The person's name as shown to others."),
    agency: str = typer.Option(
        ..., "--agency", help="Code of the user's agency (jusoor agencies list)."
    ),
    roles: list[str] = typer.Option(..., "--role", help="A role; repeat for several."),
    locale: str = typer.Option("ar", "--locale", help="ar, en or fr."),
    password_stdin: bool = typer.Option(
        False,
        "--password-stdin",
        help="Read the password from standard input (else one is generated).",
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Create a user. Prints the initial password when it was generated."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        user_in = UserCreate(
            username=username,
            display_name=display_name,
            agency_code=agency,
            roles=roles,
            locale=locale,
            password=password,
        )
    except ValueError as exc:
        fail(first_problem(exc))
    with unit_of_work() as session:
        user, initial = service.create_user(session, actor=operator(), user_in=user_in)
        name = user.username
    shown = None if password_stdin else initial
    if json_out:
        typer.echo(json.dumps({"username": name, "password": shown}))
        return
    typer.echo(_("User %(username)s created.", username=name))
    if shown:
        typer.echo(_("Initial password (hand it over in person): %(password)s", password=shown))


@users_app.command("list")
def list_users(
    query: str = typer.Option("", "--query", "-q", help="Part of a username or name."),
    json_out: bool = JSON_OPTION,
) -> None:
    """List users with their agency, roles and state."""
    with unit_of_work() as session:
        rows = [
            {
                "username": u.username,
                "display_name": u.display_name,
                "agency": u.agency.code,
                "country": u.agency.country,
                "roles": sorted(u.roles),
                "active": u.active,
                "mfa": u.mfa_enabled,
            }
            for u in service.list_users(session, actor=operator(), query=query or None)
        ]
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table()
    for title in (_("Username"), _("Name"), _("Agency"), _("Roles"), _("Active")):
        table.add_column(title)
    for r in rows:
        table.add_row(
            str(r["username"]),
            str(r["display_name"]),
            str(r["agency"]),
            ", ".join(r["roles"]),  # type: ignore[arg-type]
            _("yes") if r["active"] else _("no"),
        )
    Console().print(table)


@users_app.command("disable")
def disable(username: str) -> None:
    """Disable an account: it can no longer sign in; its sessions and tokens end now."""
    with unit_of_work() as session:
        credentials.set_active(
            session, actor=operator(), user_id=_user(session, username).id, active=False
        )
    typer.echo(_("User %(username)s is disabled.", username=username))


@users_app.command("enable")
def enable(username: str) -> None:
    """Enable a disabled account again."""
    with unit_of_work() as session:
        credentials.set_active(
            session, actor=operator(), user_id=_user(session, username).id, active=True
        )
    typer.echo(_("User %(username)s is enabled.", username=username))


@users_app.command("reset-password")
def reset_password(username: str, json_out: bool = JSON_OPTION) -> None:
    """Give the user a new random password (printed once); end their sessions and tokens."""
    with unit_of_work() as session:
        done = credentials.reset_password(
            session, actor=operator(), user_id=_user(session, username).id
        )
    if json_out:
        typer.echo(
            json.dumps(
                {
                    "username": username,
                    "password": done.password,
                    "sessions_ended": done.sessions_ended,
                    "tokens_revoked": done.tokens_revoked,
                }
            )
        )
    else:
        typer.echo(
            _(
                "New password for %(username)s: %(password)s",
                username=username,
                password=done.password,
            )
        )
        typer.echo(done.notice())


@users_app.command("reset-mfa")
def reset_mfa(username: str) -> None:
    """Remove a lost second factor; the user enrols a new one at the next sign-in."""
    with unit_of_work() as session:
        service.reset_mfa(session, actor=operator(), user_id=_user(session, username).id)
    typer.echo(_("The second factor of %(username)s was removed.", username=username))


@users_app.command("token")
def token(
    username: str,
    name: str = typer.Option("cli", "--name", help="What the token is for."),
    days: int = typer.Option(
        0, "--days", help="Days until it expires (default JUSOOR_TOKEN_DEFAULT_DAYS)."
    ),
    code: str = typer.Option(
        "",
        "--code",
        help="A current code from the user's second factor (needed for the roles in "
        "JUSOOR_MFA_REQUIRED_ROLES).",
    ),
    without_second_factor: bool = typer.Option(
        False,
        "--without-second-factor",
        help="Issue without the user's code, as a recorded exception (needs --reason).",
    ),
    exception_reason: str = typer.Option(
        "", "--reason", help="Why the exception is made: kept on the token and audited."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Print a new API bearer token for the user. It is shown once; only its digest is kept.

    A user whose roles need a second factor gets a token only with a current --code from it, or
    with --without-second-factor --reason TEXT, an exception written to the audit trail.
    """
    if without_second_factor and code:
        fail(_("Give either --code or --without-second-factor, not both."))
    if without_second_factor and not exception_reason.strip():
        fail(_("--without-second-factor needs --reason: say why the exception is made."))
    if exception_reason.strip() and not without_second_factor:
        fail(_("--reason goes with --without-second-factor."))
    refused_code: str | None = None  # why the second factor was refused, if it was
    with unit_of_work() as session:
        user = _user(session, username)
        if not user.active:
            fail(_("User %(username)s is disabled.", username=username))
        try:
            value = auth.issue_token(
                session,
                actor=operator(),
                user=user,
                name=name,
                days=days or None,
                code=code or None,
                exception_reason=exception_reason if without_second_factor else None,
            )
        except Invalid as exc:
            if exc.field != "code":
                raise
            refused_code = "bad_code" if code else "second_factor_required"
    if refused_code is not None:
        _refused_token(username, refused_code)
    typer.echo(json.dumps({"username": username, "token": value}) if json_out else value)


def _refused_token(username: str, refusal: str) -> NoReturn:
    """Audit a token refused for want of the second factor (its own transaction), and say how to
    proceed."""
    with unit_of_work() as session:
        user = _user(session, username)
        audit.record(
            session,
            actor=operator(),
            action="token.issue",
            outcome="failure",
            object_type="user",
            object_id=user.id,
            details={"reason": refusal},
        )
    if refusal == "bad_code":
        fail(_("This code is not valid for this user's second factor."))
    fail(
        _(
            "%(username)s must use a second factor: give --code with a current code from it, "
            "or --without-second-factor --reason TEXT to record an exception.",
            username=username,
        )
    )


@users_app.command("unlock")
def unlock(username: str, json_out: bool = JSON_OPTION) -> None:
    """Lift the sign-in slowdown on a user: forget their failed attempts (audited)."""
    with unit_of_work() as session:
        user = _user(session, username)
        forgotten = credentials.unlock(session, actor=operator(), user=user)
    if json_out:
        typer.echo(json.dumps({"username": username, "failures_forgotten": forgotten}))
        return
    typer.echo(
        _(
            "User %(username)s can sign in again: %(count)s failed attempts forgotten.",
            username=username,
            count=forgotten,
        )
    )


@agencies_app.command("list")
def list_agencies(json_out: bool = JSON_OPTION) -> None:
    """List agencies with their country and kind."""
    with unit_of_work() as session:
        rows = [
            {
                "code": a.code,
                "country": a.country,
                "kind": a.kind.value,
                "name_en": a.name_en,
                "name_ar": a.name_ar,
                "name_fr": a.name_fr,
                "active": a.active,
            }
            for a in service.list_agencies(session, actor=operator())
        ]
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table()
    for title in (_("Code"), _("Country"), _("Kind"), _("Name")):
        table.add_column(title)
    for r in rows:
        table.add_row(str(r["code"]), str(r["country"]), str(r["kind"]), str(r["name_en"]))
    Console().print(table)
