"""Rate limits: a flood from one client gets 429 with Retry-After; others are not affected; only a
credential this node issued counts as a signed-in principal (ASVS 11.1.4)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.security import issued, secrets
from jusoor.web.middleware import SESSION_COOKIE
from jusoor.web.ratelimit import WINDOW_SECONDS, RateLimiter
from tests.conftest import DEMO_PASSWORD
from tests.support import tokens
from tests.support.web import login


def test_limiter_allows_up_to_the_limit_then_says_how_long_to_wait() -> None:
    limiter = RateLimiter()
    assert all(limiter.hit("a", 3, now=100.0) is None for _ in range(3))
    wait = limiter.hit("a", 3, now=110.0)
    assert wait == pytest.approx(WINDOW_SECONDS - 10)
    assert limiter.hit("b", 3, now=110.0) is None  # another client is not affected
    assert limiter.hit("a", 3, now=100.0 + WINDOW_SECONDS) is None  # a new window


@pytest.fixture
def limited_client(demo_sqlite: Database, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from jusoor.app import create_app

    monkeypatch.setenv("JUSOOR_RATE_LIMIT_ANONYMOUS_PER_MINUTE", "5")
    monkeypatch.setenv("JUSOOR_RATE_LIMIT_PER_MINUTE", "8")
    get_settings.cache_clear()
    return TestClient(create_app(demo_sqlite))


def test_anonymous_flood_gets_429_json_on_the_api(limited_client: TestClient) -> None:
    statuses = [limited_client.get("/api/v1/me").status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    response = limited_client.get("/api/v1/me")
    assert response.json()["error"]["code"] == "too_many_requests"
    assert int(response.headers["retry-after"]) >= 1


def test_health_checks_are_never_rate_limited(limited_client: TestClient) -> None:
    assert {limited_client.get("/healthz").status_code for _ in range(10)} == {200}


def test_a_genuine_token_has_its_own_larger_budget(
    limited_client: TestClient, demo_sqlite: Database
) -> None:
    for _ in range(6):
        limited_client.get("/api/v1/me")  # the anonymous budget of this address is spent
    headers = tokens.bearer(demo_sqlite, "analyst.eg")
    statuses = [limited_client.get("/api/v1/me", headers=headers).status_code for _ in range(9)]
    assert statuses[:8] == [200] * 8 and statuses[8] == 429


def test_an_invented_bearer_token_counts_as_anonymous(limited_client: TestClient) -> None:
    statuses = [
        limited_client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer jsr_invented-{i}"}
        ).status_code
        for i in range(6)
    ]
    assert statuses == [401] * 5 + [429]


def test_a_forged_tag_counts_as_anonymous(limited_client: TestClient) -> None:
    """A credential shaped like the node's, tagged under another key, is not a principal."""
    real = issued.new_credential()
    value, _, tag = real.rpartition(".")
    # The tag's last character changed to another one (a fixed "A" was the tag itself 1 in 64).
    altered = tag[:-1] + ("B" if tag.endswith("A") else "A")
    forged = [f"{value}x.{tag}", f"{value}.{altered}", f"{value}.", f".{tag}"]
    for cookie in forged:
        assert not issued.issued_here(cookie)
    assert issued.issued_here(real)
    limited_client.cookies.set(SESSION_COOKIE, forged[0])
    statuses = [limited_client.get("/api/v1/me").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


@pytest.fixture
def real_limits_client(demo_sqlite: Database, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from jusoor.app import create_app

    monkeypatch.setenv("JUSOOR_RATE_LIMIT_ANONYMOUS_PER_MINUTE", "120")
    monkeypatch.setenv("JUSOOR_RATE_LIMIT_PER_MINUTE", "600")
    get_settings.cache_clear()
    return TestClient(create_app(demo_sqlite), base_url="http://127.0.0.1:8000")


def test_a_burst_with_invented_session_cookies_is_limited_as_anonymous(
    real_limits_client: TestClient,
) -> None:
    """200 requests, each with a fresh invented `jusoor_session` cookie: 429 after the anonymous
    limit of 120 a minute (before the fix, each cookie was a new "signed-in" principal)."""
    statuses = [
        real_limits_client.get(
            "/api/v1/me", headers={"Cookie": f"{SESSION_COOKIE}={secrets.new_token()}"}
        ).status_code
        for _ in range(200)
    ]
    assert statuses[:120] == [401] * 120
    assert statuses[120:] == [429] * 80


def test_a_signed_in_person_is_not_stopped_by_an_anonymous_flood_from_their_address(
    real_limits_client: TestClient, demo_sqlite: Database
) -> None:
    person = real_limits_client
    login(person, demo_sqlite, "screener.eg", DEMO_PASSWORD)
    flood = TestClient(person.app, base_url="http://127.0.0.1:8000")  # same address
    flooded = [
        flood.get("/api/v1/me", headers={"Cookie": f"{SESSION_COOKIE}=x{i}"}).status_code
        for i in range(130)
    ]
    assert flooded[-1] == 429
    assert {person.get("/api/v1/me").status_code for _ in range(50)} == {200}
    assert person.get("/").status_code == 200
