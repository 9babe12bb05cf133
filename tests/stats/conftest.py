"""A node with the full synthetic demo (cases, screenings, referrals, exchange, investigations),
built once per session per engine and copied for each test that counts it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from jusoor.core import migrate
from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from tests.conftest import (
    AUDIT_KEY,
    DATA_KEY,
    DEMO_PASSWORD,
    ENGINES,
    SECRET_KEY,
    _new_pg_database,
    _reset_caches,
    _use,
    demo_url,
)
from tests.support.postgres import PostgresServer

DEMO_CASES = 60


def _build(url: str) -> None:
    from jusoor.synth import demo

    db = Database(url)
    try:
        migrate.upgrade(db.engine)
        with db.unit_of_work() as session:
            demo.load(session, actor=system_actor("test"), password=DEMO_PASSWORD, cases=DEMO_CASES)
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def stats_templates(
    tmp_path_factory: pytest.TempPathFactory, pg_server: PostgresServer | None
) -> dict[str, str]:
    saved = {k: v for k, v in os.environ.items() if k.startswith("JUSOOR_")}
    os.environ.update({"JUSOOR_DATA_KEY": DATA_KEY, "JUSOOR_SECRET_KEY": SECRET_KEY,
                       "JUSOOR_AUDIT_KEY": AUDIT_KEY, "JUSOOR_DEMO_PASSWORD": DEMO_PASSWORD})  # fmt: skip
    _reset_caches()
    try:
        sqlite_file = tmp_path_factory.mktemp("stats") / "stats.db"
        _build(f"sqlite:///{sqlite_file}")
        templates = {"sqlite": str(sqlite_file)}
        if pg_server is not None:
            name = _new_pg_database(pg_server)
            _build(pg_server.url(name))
            templates["postgres"] = name
        return templates
    finally:
        for key in [k for k in os.environ if k.startswith("JUSOOR_")]:
            del os.environ[key]
        os.environ.update(saved)
        _reset_caches()


@pytest.fixture(params=ENGINES)
def stats_db(
    request: pytest.FixtureRequest,
    stats_templates: dict[str, str],
    node_env: Path,
    pg_server: PostgresServer | None,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Database]:
    """The full demo node (both engines)."""
    url = demo_url(request.param, stats_templates, node_env, pg_server)
    _use(url, monkeypatch)
    db = Database(url)
    yield db
    db.dispose()
