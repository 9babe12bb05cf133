"""Errors become a page in the person's language: a message and a reference, never a stack trace."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from jusoor.core.db import Database
from jusoor.portal import status
from tests.conftest import DEMO_PASSWORD
from tests.support.web import login, translated


@pytest.fixture
def lenient(demo_sqlite: Database) -> Iterator[TestClient]:
    """A client that receives 500 answers instead of re-raising the server's exception."""
    from jusoor.app import create_app

    app = create_app(demo_sqlite)
    with TestClient(app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False) as client:
        yield client


def test_an_unknown_page_is_a_404_page(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "screener.eg", DEMO_PASSWORD)
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert translated("This page does not exist.", "ar") in html.unescape(response.text)
    assert 'dir="rtl"' in response.text


def test_a_malformed_or_unknown_id_is_a_404_page(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "admin", DEMO_PASSWORD)
    for path in ("/admin/users/not-a-uuid", "/admin/agencies/00000000-0000-0000-0000-000000000000"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Not found" in response.text


def test_an_unexpected_failure_shows_a_reference_and_no_stack_trace(
    lenient: TestClient, demo_sqlite: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(lenient, demo_sqlite, "admin", DEMO_PASSWORD)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internals: /srv/jusoor/db.py line 42")

    monkeypatch.setattr(status.audit, "trail_state", broken)  # what the home page calls
    response = lenient.get("/")
    assert response.status_code == 500
    assert "Something went wrong. Nothing was saved." in response.text
    assert re.search(r"Reference: [0-9a-f]{32}", response.text)  # to quote to the administrator
    for leak in ("Traceback", "RuntimeError", "secret internals", "db.py"):
        assert leak not in response.text


def test_an_unexpected_failure_still_carries_the_security_headers(
    lenient: TestClient, demo_sqlite: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(lenient, demo_sqlite, "admin", DEMO_PASSWORD)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(status.audit, "trail_state", broken)  # what the home page calls
    response = lenient.get("/")
    assert response.status_code == 500
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-request-id"]
