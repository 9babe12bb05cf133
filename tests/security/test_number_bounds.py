"""Integers past the database's range are refused where they are read, never a 500.

SQLite binds integers as signed 64-bit; 2**64 in `offset`, `page` or `before_seq` used to raise
OverflowError deep in a query (ASVS 4.0.3 V5.1.4). The route table is walked so that a new int
parameter without an upper bound fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

import annotated_types
import pytest
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from jusoor.app import create_app
from jusoor.core.bounds import MAX_INT64, whole_number
from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support import tokens
from tests.support.web import login

HUGE = str(2**64)


def _is_int(annotation: Any) -> bool:
    return annotation is int or int in get_args(annotation)


def int_parameters() -> Iterator[tuple[str, str, str, int | None]]:
    """(method, path, parameter, its upper bound) for every int query or path parameter."""
    for route in iter_route_contexts(create_app().routes):
        dependant = getattr(route, "dependant", None)
        if dependant is None:
            continue
        for param in get_flat_params(dependant):
            if not _is_int(param.field_info.annotation):
                continue
            highs = [m.le for m in param.field_info.metadata if isinstance(m, annotated_types.Le)]
            for method in sorted(route.methods or ()):
                yield method, str(route.path), param.alias, min(highs) if highs else None


def test_every_int_parameter_has_an_upper_bound_the_database_holds() -> None:
    found = list(int_parameters())
    assert any(p == "offset" for _m, _path, p, _h in found)  # the walk sees them
    unbounded = [(m, path, p) for m, path, p, high in found if high is None or high > MAX_INT64]
    assert unbounded == []


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/cases", "offset"),
        ("/api/v1/entities", "offset"),
        ("/api/v1/exchange/messages", "offset"),
        ("/api/v1/audit/events", "before_seq"),
        ("/api/v1/audit/events", "limit"),
        ("/api/v1/graph", "depth"),
    ],
)
def test_a_huge_integer_on_the_api_is_a_422_naming_the_field(
    client: TestClient, demo_db: Database, path: str, field: str
) -> None:
    response = client.get(path, params={field: HUGE}, headers=tokens.bearer(demo_db, "admin"))
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid", field)


def test_every_declared_int_parameter_refuses_a_huge_value(
    client: TestClient, demo_db: Database
) -> None:
    # Routes check rights before reading parameters: ask as the first of these users who may
    # use the route (the administrator reads no criminal file, a prosecutor does).
    users = [tokens.bearer(demo_db, u) for u in ("admin", "prosecutor.ma", "investigator.ma")]
    for method, path, name, _high in int_parameters():
        if method != "GET" or "{" in path:
            continue
        for headers in users:
            response = client.get(path, params={name: HUGE}, headers=headers)
            if response.status_code != 403:
                break
        assert response.status_code == 422, (path, name, response.status_code)


@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("caseworker.ma", "/cases?page=" + HUGE),
        ("caseworker.ma", "/cases?page=%C2%B2"),  # "²": isdigit() but not int()
        ("admin", "/audit?before_seq=" + HUGE),
        ("admin", "/admin/users?page=" + HUGE),
        ("analyst.ma", "/monitor?page=" + HUGE),
        ("analyst.ma", "/monitor/actors?page=%C2%B2"),
        ("investigator.ma", "/network?depth=" + HUGE),
        ("investigator.ma", "/entities?page=" + HUGE),
        ("liaison.ma", "/exchange?page=" + HUGE),
        ("prosecutor.ma", "/investigations?page=" + HUGE),
    ],
)
def test_pages_answer_a_huge_number_with_a_page_not_a_500(
    client: TestClient, demo_db: Database, user: str, url: str
) -> None:
    login(client, demo_db, user, DEMO_PASSWORD)
    response = client.get(url)
    assert response.status_code in (200, 403, 422), (url, response.status_code)
    assert "<html" in response.text


@given(st.integers(min_value=-(2**70), max_value=2**70))
def test_whole_number_returns_the_value_only_inside_its_bounds(value: int) -> None:
    parsed = whole_number(str(value), low=1, high=MAX_INT64)
    assert parsed == (value if 1 <= value <= MAX_INT64 else None)


@given(st.text(max_size=30))
def test_whole_number_never_raises_on_any_text(raw: str) -> None:
    parsed = whole_number(raw, low=0, high=10)
    assert parsed is None or 0 <= parsed <= 10
