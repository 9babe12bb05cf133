"""Browser sessions (ASVS 3): hardened cookies, a new id at every privilege change, time-outs
enforced on the server, and no way back in with an ended session's cookie."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select, update

from jusoor.agencies import service as agencies
from jusoor.auth import credentials
from jusoor.auth import service as auth_service
from jusoor.auth.models import WebSession
from jusoor.core.config import get_settings
from jusoor.core.db import Database, utcnow
from jusoor.core.permissions import system_actor
from jusoor.core.security import totp
from jusoor.web.middleware import ANON_COOKIE, SESSION_COOKIE
from tests.conftest import DEMO_PASSWORD
from tests.support.sqlite_lock import writer_free
from tests.support.web import login, post_form, totp_secret


def _set_cookies(response: Response) -> dict[str, str]:
    """Each Set-Cookie header by cookie name."""
    return {header.split("=", 1)[0]: header for header in response.headers.get_list("set-cookie")}


def _attributes(header: str) -> set[str]:
    return {part.strip().split("=", 1)[0].lower() for part in header.split(";")[1:]}


def _password_step(client: TestClient, username: str) -> Response:
    return post_form(client, "/login", {"username": username, "password": DEMO_PASSWORD})


def _use_session(client: TestClient, value: str) -> None:
    """Put a session cookie in the browser, replacing the one it holds."""
    client.cookies.delete(SESSION_COOKIE)
    client.cookies.set(SESSION_COOKIE, value, domain="127.0.0.1")


def _signed_in(client: TestClient) -> bool:
    return client.get("/api/v1/me").status_code == 200


def test_the_session_cookie_is_hardened(client: TestClient) -> None:
    response = _password_step(client, "screener.jo")
    assert response.status_code == 303
    header = _set_cookies(response)[SESSION_COOKIE]
    assert {"httponly", "path", "samesite"} <= _attributes(header)
    assert "Path=/" in header and "SameSite=Lax" in header
    assert "secure" not in _attributes(header)  # plain HTTP on loopback in tests
    assert "domain" not in _attributes(header)  # host-only
    value = header.split(";", 1)[0].split("=", 1)[1]
    assert len(value) >= 40  # at least 32 random bytes, URL-safe


def test_cookies_are_secure_when_configured(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUSOOR_COOKIE_SECURE", "1")
    get_settings.cache_clear()
    client.cookies.clear()
    page = client.get("/login")
    assert "secure" in _attributes(_set_cookies(page)[ANON_COOKIE])
    assert page.headers["strict-transport-security"].startswith("max-age=")
    # The Secure pre-session cookie is not sent back over plain HTTP; carry it by hand.
    anon = _set_cookies(page)[ANON_COOKIE].split(";", 1)[0].split("=", 1)[1]
    client.cookies.set(ANON_COOKIE, anon, domain="127.0.0.1")
    response = _password_step(client, "screener.jo")
    header = _set_cookies(response)[SESSION_COOKIE]
    assert {"secure", "httponly", "samesite"} <= _attributes(header)


def test_the_session_id_changes_at_login(client: TestClient, demo_db: Database) -> None:
    # A session id planted before sign-in (fixation) is not adopted.
    _use_session(client, "planted-by-an-attacker-" + "x" * 30)
    login(client, demo_db, "screener.jo", DEMO_PASSWORD)
    first = client.cookies.get(SESSION_COOKIE)
    assert first and not first.startswith("planted")
    assert _signed_in(client)
    # Signing in again in the same browser gives a new id and ends the old session.
    login(client, demo_db, "screener.jo", DEMO_PASSWORD)
    second = client.cookies.get(SESSION_COOKIE)
    assert second and second != first
    assert _signed_in(client)
    _use_session(client, first)
    assert not _signed_in(client)


def test_the_session_id_changes_after_the_second_factor(
    client: TestClient, demo_db: Database
) -> None:
    response = _password_step(client, "admin")
    assert response.headers["location"].startswith("/login/second-factor")
    half = client.cookies.get(SESSION_COOKIE)
    assert half and not _signed_in(client)  # the password alone is not enough
    secret = totp_secret(demo_db, "admin")
    assert secret
    post_form(client, "/login/second-factor", {"code": totp.current_code(secret)})
    full = client.cookies.get(SESSION_COOKIE)
    assert full and full != half and _signed_in(client)
    _use_session(client, half)
    assert not _signed_in(client)


def _age_sessions(db: Database, **columns: dt.datetime) -> None:
    with db.unit_of_work() as session:
        session.execute(update(WebSession).values(**columns))


def _sessions(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(WebSession)) or 0)


def test_an_idle_session_times_out(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "caseworker.jo", DEMO_PASSWORD)
    idle = get_settings().session_idle_minutes
    _age_sessions(demo_db, last_seen_at=utcnow() - dt.timedelta(minutes=idle - 2))
    assert _signed_in(client)  # still within the idle time; and the request renews it
    _age_sessions(demo_db, last_seen_at=utcnow() - dt.timedelta(minutes=idle + 1))
    assert not _signed_in(client)
    assert _sessions(demo_db) == 0  # the expired session is gone, not just ignored
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_activity_keeps_a_session_alive(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "caseworker.jo", DEMO_PASSWORD)
    idle = get_settings().session_idle_minutes
    _age_sessions(demo_db, last_seen_at=utcnow() - dt.timedelta(minutes=idle - 1))
    assert _signed_in(client)
    with demo_db.unit_of_work() as session:
        seen = session.scalars(select(WebSession.last_seen_at)).one()
    assert utcnow() - seen < dt.timedelta(minutes=1)


def test_renewing_a_session_does_not_hold_the_sqlite_writers_lock(
    client: TestClient, demo_db: Database
) -> None:
    """The last-seen stamp of a page's reading unit is written just before its commit: a dirty
    session row would take the writer's lock at the page's first query and keep it while the page
    reads and renders, and people saving meanwhile would be told "busy" (seen in CI)."""
    if demo_db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL readers and writers do not share one lock")
    login(client, demo_db, "caseworker.jo", DEMO_PASSWORD)
    _age_sessions(demo_db, last_seen_at=utcnow() - dt.timedelta(minutes=5))
    token = client.cookies[SESSION_COOKIE]
    with demo_db.reading() as session:
        assert auth_service.resolve_session(session, token) is not None
        session.scalars(select(WebSession.id)).all()  # the page goes on reading
        assert writer_free(demo_db)
    with demo_db.unit_of_work() as session:
        seen = session.scalars(select(WebSession.last_seen_at)).one()
    assert utcnow() - seen < dt.timedelta(minutes=1)  # stamped at the commit


def test_a_session_ends_at_its_absolute_lifetime(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "caseworker.jo", DEMO_PASSWORD)
    _age_sessions(demo_db, expires_at=utcnow() - dt.timedelta(seconds=1))
    assert not _signed_in(client)


def test_after_logout_the_old_cookie_is_useless(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "caseworker.jo", DEMO_PASSWORD)
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie
    response = post_form(client, "/logout", {}, page="/profile")
    assert response.status_code == 303
    assert "Max-Age=0" in _set_cookies(response)[SESSION_COOKIE]
    _use_session(client, cookie)
    assert not _signed_in(client)


@pytest.mark.parametrize("change", ["reset_password", "disable"])
def test_an_account_change_ends_its_sessions(
    client: TestClient, demo_db: Database, change: str
) -> None:
    login(client, demo_db, "provider.jo", DEMO_PASSWORD)
    assert _signed_in(client)
    with demo_db.unit_of_work() as session:
        user = agencies.get_user_by_username(session, "provider.jo")
        assert user is not None
        if change == "reset_password":
            credentials.reset_password(session, actor=system_actor(), user_id=user.id)
        else:
            credentials.set_active(session, actor=system_actor(), user_id=user.id, active=False)
    assert not _signed_in(client)


def test_session_ids_are_stored_only_as_digests(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "provider.jo", DEMO_PASSWORD)
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie
    with demo_db.unit_of_work() as session:
        stored = session.scalars(select(WebSession)).all()
    assert stored and all(cookie not in (s.token_digest or "") for s in stored)
