"""`jusoor users …` and `jusoor agencies …`: the directory, from the server's console."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.table import Table

from jusoor.agencies import service
from jusoor.agencies.models import User
from jusoor.agencies.schemas import UserCreate
from jusoor.auth import service as auth
from jusoor.cli.common import JSON_OPTION, fail, operator, unit_of_work
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
        service.set_active(
            session, actor=operator(), user_id=_user(session, username).id, active=False
        )
    typer.echo(_("User %(username)s is disabled.", username=username))


@users_app.command("enable")
def enable(username: str) -> None:
    """Enable a disabled account again."""
    with unit_of_work() as session:
        service.set_active(
            session, actor=operator(), user_id=_user(session, username).id, active=True
        )
    typer.echo(_("User %(username)s is enabled.", username=username))


@users_app.command("reset-password")
def reset_password(username: str, json_out: bool = JSON_OPTION) -> None:
    """Give the user a new random password (printed once); end their sessions and tokens."""
    with unit_of_work() as session:
        password = service.reset_password(
            session, actor=operator(), user_id=_user(session, username).id
        )
    if json_out:
        typer.echo(json.dumps({"username": username, "password": password}))
    else:
        typer.echo(
            _("New password for %(username)s: %(password)s", username=username, password=password)
        )


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
    json_out: bool = JSON_OPTION,
) -> None:
    """Print a new API bearer token for the user. It is shown once; only its digest is kept."""
    with unit_of_work() as session:
        user = _user(session, username)
        if not user.active:
            fail(_("User %(username)s is disabled.", username=username))
        value = auth.issue_token(session, actor=operator(), user=user, name=name, days=days or None)
    typer.echo(json.dumps({"username": username, "token": value}) if json_out else value)


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
