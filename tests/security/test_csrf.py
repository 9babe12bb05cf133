"""CSRF (ASVS 4.2.2, 50.4): a state-changing request made with a browser session needs the session's
own token and must not come from another origin; programs with bearer tokens need neither."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support import tokens
from tests.support.web import csrf_from, login

TOKEN_BODY = {"name": "csrf test"}


def _token_of(client: TestClient) -> str:
    return csrf_from(client.get("/profile").text)


@pytest.fixture
def analyst(client: TestClient, demo_db: Database) -> TestClient:
    response = login(client, demo_db, "analyst.ly", DEMO_PASSWORD)
    assert response.status_code == 303
    return client


@pytest.fixture
def other_browser(client: TestClient, demo_db: Database) -> Iterator[TestClient]:
    with TestClient(client.app, base_url=str(client.base_url)) as other:
        login(other, demo_db, "auditor.ly", DEMO_PASSWORD)
        yield other


def _refused(response: object) -> None:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "csrf"


def test_a_session_post_with_its_token_succeeds(analyst: TestClient) -> None:
    response = analyst.post(
        "/api/v1/me/tokens", json=TOKEN_BODY, headers={"X-CSRF-Token": _token_of(analyst)}
    )
    assert response.status_code == 201


def test_a_session_post_without_a_token_is_refused(analyst: TestClient) -> None:
    _refused(analyst.post("/api/v1/me/tokens", json=TOKEN_BODY))
    assert analyst.get("/api/v1/me/tokens").json() == []


def test_a_token_from_another_session_is_refused(
    analyst: TestClient, other_browser: TestClient
) -> None:
    foreign = _token_of(other_browser)
    assert foreign != _token_of(analyst)
    _refused(analyst.post("/api/v1/me/tokens", json=TOKEN_BODY, headers={"X-CSRF-Token": foreign}))


def test_a_forged_token_is_refused(analyst: TestClient) -> None:
    genuine = _token_of(analyst)
    # The last character changed to another one (a fixed "0" was the same token 1 time in 16).
    altered = genuine[:-1] + ("1" if genuine.endswith("0") else "0")
    for forged in ("", "0" * 64, altered):
        response = analyst.post(
            "/api/v1/me/tokens", json=TOKEN_BODY, headers={"X-CSRF-Token": forged}
        )
        _refused(response)


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "http://127.0.0.1:8001", "http://127.0.0.1.evil.example:8000"],
)
def test_a_cross_origin_post_is_refused_even_with_the_token(
    analyst: TestClient, origin: str
) -> None:
    response = analyst.post(
        "/api/v1/me/tokens",
        json=TOKEN_BODY,
        headers={"X-CSRF-Token": _token_of(analyst), "Origin": origin},
    )
    _refused(response)


def test_a_same_origin_post_is_accepted(analyst: TestClient) -> None:
    response = analyst.post(
        "/api/v1/me/tokens",
        json=TOKEN_BODY,
        headers={"X-CSRF-Token": _token_of(analyst), "Origin": "http://127.0.0.1:8000"},
    )
    assert response.status_code == 201


def test_a_form_post_without_its_token_is_refused(analyst: TestClient) -> None:
    response = analyst.post(
        "/profile", data={"display_name": "Changed By Another Site"}, follow_redirects=False
    )
    assert response.status_code == 403
    me = analyst.get("/api/v1/me").json()
    assert me["display_name"] != "Changed By Another Site"


def test_sign_in_itself_needs_the_pre_session_token(client: TestClient) -> None:
    # Login CSRF: another site must not sign the victim in to the attacker's account.
    response = client.post(
        "/login",
        data={"username": "analyst.ly", "password": DEMO_PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "jusoor_session" not in response.headers.get("set-cookie", "")


def test_a_bearer_token_post_needs_no_csrf_token(client: TestClient, demo_db: Database) -> None:
    client.cookies.clear()
    response = client.post(
        "/api/v1/agencies",
        json={
            "code": "ly-csrf-test",
            "country": "LY",
            "kind": "ngo",
            "name_ar": "جمعية",
            "name_en": "Association",
            "name_fr": "Association",
        },
        headers={**tokens.bearer(demo_db, "admin"), "Origin": "https://automation.example"},
    )
    assert response.status_code == 201


def test_an_invalid_bearer_token_does_not_fall_back_to_the_session(analyst: TestClient) -> None:
    # Otherwise a bogus Authorization header would skip the CSRF check on a cookie session.
    response = analyst.post(
        "/api/v1/me/tokens", json=TOKEN_BODY, headers={"Authorization": "Bearer jsr_bogus"}
    )
    assert response.status_code == 401
    assert analyst.get("/api/v1/me/tokens").json() == []
