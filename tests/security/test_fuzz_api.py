"""Fuzzing the JSON API from its own OpenAPI document: no input may make it answer 5xx.

Schemathesis generates requests for every operation — the document's examples, boundary values
and wrong types for each parameter (its "coverage" phase), and random bodies and parameters that
fit the document or not — and sends them, authenticated, to the app over the demo directory.
Bounded for the suite (every operation's examples and coverage cases, then five random ones per
operation; no deadline; SQLite only: the engines' differences are covered by the other tests;
about a minute here). `pytest -m fuzz` runs it alone; `JUSOOR_FUZZ_EXAMPLES=50` makes it longer. OWASP ASVS 4.0.3 V5.1 (input validation)
and V7.4.1 (a generic message, never a stack trace, for every error).

Schemathesis' own pytest plugin (`from_fixture`) does not run under pytest 9 (it reads
`Function._nodeid`), so each operation's test is built with its Hypothesis test builder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI, HTTPException, Query
from hypothesis import HealthCheck
from schemathesis import Case
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)

from jusoor.app import create_app
from jusoor.core.db import Database
from tests.support import tokens

pytestmark = pytest.mark.fuzz

OPENAPI = "/api/v1/openapi.json"
SETTINGS = hypothesis.settings(
    max_examples=int(os.environ.get("JUSOOR_FUZZ_EXAMPLES", "5")),
    deadline=None,
    derandomize=True,  # the same requests every run; a failure prints one to replay
    database=None,
    suppress_health_check=list(HealthCheck),
)
# Who calls each part of the API: a demo user whose roles reach past the permission check, so
# the fuzzer exercises validation and services rather than only the 403. First match wins.
CALLERS = {
    "/api/v1/cases": "caseworker.ma",
    "/api/v1/entities": "investigator.ma",
    "/api/v1/graph": "investigator.ma",
    "/api/v1/exchange": "liaison.ma",
    "/api/v1/services": "provider.ma",
    "/api/v1/referrals/{referral_id}/deliveries": "provider.ma",
    "/api/v1/referrals": "caseworker.ma",
    "/api/v1/screenings": "screener.ma",
    "/api/v1/identifications": "investigator.ma",
    "/api/v1/me": "analyst.ma",
}
DEFAULT_CALLER = "admin"  # agencies, users, audit


def _no_server_error(headers: dict[str, str]) -> Callable[[Case], None]:
    def check(case: Case) -> None:  # one parameter: schemathesis reads the signature
        response = case.call(headers=headers)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} answered {response.status_code}: "
            f"{response.text[:200]} | replay: {case.as_curl_command()}"
        )

    return check


def server_errors(app: Any, headers_for: Callable[[str], dict[str, str]]) -> tuple[int, list[str]]:
    """(operations fuzzed, one line per operation that answered 5xx with the request to replay)."""
    schema = schemathesis.openapi.from_asgi(OPENAPI, app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        check = _no_server_error(headers_for(operation.full_path))
        config = HypothesisTestConfig(
            project=schema.config, modes=list(HypothesisTestMode), settings=SETTINGS
        )
        try:
            create_test(operation=operation, test_func=check, config=config)()
        except AssertionError as exc:
            failures.append(str(exc).split("\nassert ")[0])
    return operations, failures


def test_no_generated_request_makes_the_api_fail(demo_sqlite: Database) -> None:
    callers: dict[str, dict[str, str]] = {}

    def headers_for(path: str) -> dict[str, str]:
        user = next((u for p, u in CALLERS.items() if path.startswith(p)), DEFAULT_CALLER)
        if user not in callers:
            callers[user] = tokens.bearer(demo_sqlite, user)
        return callers[user]

    operations, failures = server_errors(create_app(demo_sqlite), headers_for)
    assert operations >= 50
    assert failures == []


def test_the_fuzzer_finds_a_planted_server_error() -> None:
    """The harness can fail: an endpoint that breaks on some inputs is reported."""
    planted = FastAPI(openapi_url=OPENAPI)

    @planted.get("/api/v1/planted")
    def fragile(n: int = Query(ge=0)) -> dict[str, int]:  # unbounded, like `offset` was
        if n > 1000:
            raise HTTPException(500)
        return {"n": n}

    operations, failures = server_errors(planted, lambda _path: {})
    assert operations == 1
    assert len(failures) == 1 and "/api/v1/planted answered 500" in failures[0]
