"""Helpers for driving the web app like a person: sign in (with the second factor), post forms."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from jusoor.agencies.models import User
from jusoor.core.db import Database
from jusoor.core.security import totp

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def post_form(
    client: TestClient, url: str, data: dict[str, str], page: str | None = None
) -> Response:
    """Post a form the way the browser does: with the CSRF token of the page it came from."""
    html = client.get(page or url).text
    return client.post(url, data={**data, "csrf_token": csrf_from(html)}, follow_redirects=False)


def totp_secret(db: Database, username: str) -> str | None:
    with db.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return user.totp_secret


def second_factor_code(db: Database, username: str) -> str:
    """A code the second-factor page accepts now: not of a time step already used (codes are
    single-use, so a second sign-in in the same 30 s needs the next step's, or a wait)."""
    with db.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        secret, last = user.totp_secret, user.totp_last_step
    assert secret, f"{username} must pass a second factor but has none"
    return totp.next_unused_code(secret, last)


def login(client: TestClient, db: Database, username: str, password: str) -> Response:
    """Sign in through the login page (and the second-factor page when the user has one)."""
    response = post_form(client, "/login", {"username": username, "password": password})
    if response.status_code == 303 and response.headers["location"].startswith(
        "/login/second-factor"
    ):
        code = second_factor_code(db, username)
        response = post_form(client, "/login/second-factor", {"code": code})
    return response


def translated(message: str, locale: str, **params: object) -> str:
    """`message` as a page in `locale` shows it; fails when that language lacks a translation."""
    from jusoor.core.i18n import gettext, use_locale

    with use_locale(locale):
        text = gettext(message, **params)
    if locale != "en":
        assert text != (message % params if params else message), f"no {locale}: {message!r}"
    return text
