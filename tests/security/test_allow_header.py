"""A 405 says which methods the path does allow (RFC 9110 §15.5.6), on pages and on the API,
even when a path's methods are spread over several routers."""

from __future__ import annotations

import re
from collections import defaultdict

from fastapi.testclient import TestClient

from jusoor.app import create_app
from tests.security.test_route_walk import fill, routes

PROBES = ("DELETE", "PATCH", "PUT", "POST", "GET")


def methods_by_path() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for method, path, _endpoint in routes(create_app()):
        if method != "*":
            found[path].add(method)
    return found


def test_every_405_lists_the_methods_of_its_path(client: TestClient) -> None:
    checked = 0
    for path, methods in methods_by_path().items():
        if re.search(r"{[^}]*:path}", path):
            continue
        method = next(m for m in PROBES if m not in methods)
        response = client.request(method, fill(path), follow_redirects=False)
        if response.status_code != 405:  # a later route may take the concrete path
            continue
        checked += 1
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        assert methods <= allowed, (method, path, response.headers["allow"])
        assert method not in allowed
    assert checked > 50


def test_the_api_and_a_page_both_say_allow(client: TestClient) -> None:
    api = client.delete("/api/v1/cases")
    assert api.status_code == 405
    assert api.headers["allow"] == "GET, POST"
    assert api.json()["error"]["code"] == "method_not_allowed"
    page = client.put("/login")
    assert page.status_code == 405
    assert page.headers["allow"] == "GET, POST"
