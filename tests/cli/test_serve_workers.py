"""`jusoor serve --workers N` (issue 18): worker processes from the app factory on PostgreSQL, the
background threads once per node, one process on SQLite; each process's PostgreSQL pool sized from
the settings."""

from __future__ import annotations

import os
from typing import Any

import pytest
from typer.testing import CliRunner

import jusoor.app
from jusoor.cli.main import app
from jusoor.core.config import get_settings
from jusoor.core.db import Database, make_engine

runner = CliRunner()


def _serve(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, list[Any]]:
    import uvicorn

    from jusoor.audit.checkpoints import CheckpointThread
    from jusoor.exchange.transport.delivery import DeliveryThread

    calls: list[Any] = []
    monkeypatch.setenv("JUSOOR_EXCHANGE_DELIVER_SECONDS", "5")
    monkeypatch.setenv("JUSOOR_AUDIT_CHECKPOINT_SECONDS", "60")
    get_settings.cache_clear()
    monkeypatch.setattr(DeliveryThread, "start", lambda self: calls.append("delivery"))
    monkeypatch.setattr(CheckpointThread, "start", lambda self: calls.append("checkpoint"))
    monkeypatch.setattr(jusoor.app, "warm_up", lambda: calls.append("warm"))
    monkeypatch.setattr(
        uvicorn,
        "run",
        lambda target, **kw: calls.append((target, kw, os.environ.get(jusoor.app.WARM_ENV))),
    )
    result = runner.invoke(app, ["serve", *args])
    return result.exit_code, result.stderr, calls


def test_serve_runs_worker_processes_from_the_factory_and_its_threads_once(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, err, calls = _serve(monkeypatch, "--workers", "2")
    if database.url.startswith("sqlite"):
        # One writer for the whole file: worker processes would only queue on its lock.
        assert code == 1 and "PostgreSQL" in err
        assert calls == []
        return
    assert code == 0, err
    assert calls[:2] == ["delivery", "checkpoint"]  # in this process, once for the node
    target, options, warm = calls[2]
    assert target == "jusoor.app:create_app"
    assert options["factory"] is True and options["workers"] == 2
    assert warm == "1"  # each worker's app warms itself (create_app), not this supervisor
    assert jusoor.app.WARM_ENV not in os.environ  # and the flag leaves with the server


def test_serve_runs_one_process_by_default(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, err, calls = _serve(monkeypatch)
    assert code == 0, err
    target, options, warm = calls[-1]
    assert not isinstance(target, str) and options["workers"] == 1
    assert "warm" in calls and warm is None  # warmed here, before serving


def test_serve_can_leave_the_warm_up_to_the_first_viewers(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUSOOR_SERVE_WARM_UP", "false")
    code, err, calls = _serve(monkeypatch)
    assert code == 0, err
    assert "warm" not in calls


def test_warming_up_loads_what_first_viewers_waited_for() -> None:
    """The node's lazily read tables, read before the first request (`Domain.warm`)."""
    from jusoor.domains import register_all
    from jusoor.entities.resolution.default_model import default_model
    from jusoor.monitor.views import map as event_map
    from jusoor.monitor.views import titles
    from jusoor.screening.catalogue import ilo_catalogue
    from jusoor.screening.questionnaire import questionnaire
    from jusoor.screening.rules import ilo_rules
    from jusoor.web import templating

    register_all()
    kept = (
        event_map._city_names,
        titles._topic_patterns,
        default_model,
        ilo_catalogue,
        ilo_rules,
        questionnaire,
    )
    for cached in kept:
        cached.cache_clear()
    templating.environment.cache_clear()
    jusoor.app.warm_up()
    for cached in kept:
        assert cached.cache_info().currsize == 1, cached
    compiled = templating.environment().cache
    assert compiled is not None and len(compiled) >= 100  # every page template


def test_the_postgresql_pool_is_sized_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUSOOR_DB_POOL_SIZE", "7")
    monkeypatch.setenv("JUSOOR_DB_POOL_OVERFLOW", "3")
    get_settings.cache_clear()
    engine = make_engine("postgresql+psycopg://jusoor@127.0.0.1:1/none")  # never connects
    try:
        assert engine.pool.size() == 7  # type: ignore[attr-defined]
        assert engine.pool._max_overflow == 3  # type: ignore[attr-defined]
    finally:
        engine.dispose()
        get_settings.cache_clear()
