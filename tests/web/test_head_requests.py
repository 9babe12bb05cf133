"""HEAD is answered as the GET of the same address, without a body; checks still apply."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support.live import live_server
from tests.support.web import login


def test_head_of_a_page_answers_as_its_get_without_a_body(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    for path in ("/", "/login", "/healthz"):
        got = client_sqlite.get(path, follow_redirects=False)
        head = client_sqlite.head(path, follow_redirects=False)
        assert head.status_code == got.status_code != 405, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == got.headers.get("content-type"), path


def test_head_keeps_the_access_rules_of_the_get(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    anonymous = client_sqlite.head("/cases", follow_redirects=False)
    assert anonymous.status_code == 303  # to the sign-in page, as the GET
    assert anonymous.headers["location"].startswith("/login")
    login(client_sqlite, demo_sqlite, "screener.ma", DEMO_PASSWORD)
    assert client_sqlite.head("/admin/users").status_code == 403


def test_head_of_an_address_with_no_get_is_still_refused(client_sqlite: TestClient) -> None:
    assert client_sqlite.head("/logout").status_code == 405


def test_head_over_real_http_ends_cleanly(demo_sqlite: Database) -> None:
    with live_server(demo_sqlite) as base, httpx.Client(base_url=base) as http:
        head = http.head("/login")
        assert head.status_code == 200 and head.content == b""
        assert int(head.headers["content-length"]) > 0
        # The connection is still good for the next request: no stray body was sent.
        assert http.get("/healthz").status_code == 200
