"""Only the host names this node is configured for are answered, and redirects stay on this node
(ASVS 4.0.3 V5.1.5: redirects only to allowed destinations)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jusoor.app import create_app
from jusoor.core.config import Settings, get_settings
from jusoor.core.db import Database
from jusoor.web.middleware import own_location
from tests.support import tokens


def test_a_foreign_host_header_is_refused(client: TestClient, demo_db: Database) -> None:
    response = client.get("/cases/", headers={"host": "evil.example"}, follow_redirects=False)
    assert response.status_code == 400
    assert "evil.example" not in response.headers.get("location", "")
    api = client.get(
        "/api/v1/me", headers={"host": "evil.example", **tokens.bearer(demo_db, "admin")}
    )
    assert api.status_code == 400


def test_the_trailing_slash_redirect_is_relative(client: TestClient) -> None:
    response = client.get("/cases/?stage=x", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/cases?stage=x"


def test_a_redirect_to_this_node_becomes_a_path_that_cannot_name_a_host() -> None:
    assert own_location("http://node:8000/cases?x=1", "node:8000") == "/cases?x=1"
    assert own_location("http://node:8000//evil.example/x", "node:8000") == "/evil.example/x"
    assert own_location("https://peer.example/in", "node:8000") == "https://peer.example/in"
    assert own_location("/login?next=%2F", "node:8000") == "/login?next=%2F"


def test_defaults_are_loopback_the_bound_host_and_the_public_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JUSOOR_ALLOWED_HOSTS", raising=False)
    monkeypatch.setenv("JUSOOR_HOST", "10.1.2.3")
    monkeypatch.setenv("JUSOOR_PUBLIC_URL", "https://jusoor.example.org/")
    assert Settings().effective_allowed_hosts == [
        "localhost",
        "127.0.0.1",
        "10.1.2.3",
        "jusoor.example.org",
    ]
    monkeypatch.setenv("JUSOOR_HOST", "0.0.0.0")  # a wildcard bind adds no name
    monkeypatch.delenv("JUSOOR_PUBLIC_URL")
    assert Settings().effective_allowed_hosts == ["localhost", "127.0.0.1"]
    monkeypatch.setenv("JUSOOR_ALLOWED_HOSTS", " a.example , *.b.example ")
    assert Settings().effective_allowed_hosts == ["a.example", "*.b.example"]


def test_by_default_the_test_clients_name_is_not_answered(
    demo_sqlite: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JUSOOR_ALLOWED_HOSTS")
    get_settings.cache_clear()
    with TestClient(create_app(demo_sqlite)) as testserver:  # Host: testserver
        assert testserver.get("/healthz").status_code == 400
    with TestClient(create_app(demo_sqlite), base_url="http://localhost:8000") as local:
        assert local.get("/healthz").status_code == 200
