"""Rate limits: a flood from one client gets 429 with Retry-After; others are not affected."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.web.ratelimit import WINDOW_SECONDS, RateLimiter


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


def test_a_token_has_its_own_larger_budget(limited_client: TestClient) -> None:
    for _ in range(6):
        limited_client.get("/api/v1/me")  # the anonymous budget of this address is spent
    headers = {"Authorization": "Bearer jsr_not-a-real-token"}
    statuses = [limited_client.get("/api/v1/me", headers=headers).status_code for _ in range(9)]
    assert statuses[:8] == [401] * 8 and statuses[8] == 429
