"""The load test's table is Locust's final one (bench/load/final_stats.py, bench/load_test.py).

Locust rewrites its `--csv` files once a second and not when it quits, so the requests of a run's
last second were missing from the table: the tour of `test_load_driver` ends the run right after
its last pages, and about one run in five lost the case worker's last pages that way. Here a
Locust user asks two pages and ends the run at once, well within Locust's first second: the table
must still have both, the failed one counted, and a step that raised must be reported."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench import load_test

ROOT = Path(__file__).resolve().parents[2]

ONE_STEP = """
import gevent
import final_stats  # noqa: F401
from locust import HttpUser, constant, task


class Once(HttpUser):
    wait_time = constant(0)
    walked = False

    @task
    def once(self) -> None:
        if Once.walked:  # until the quit below takes the user away
            return
        Once.walked = True
        self.client.get("/", name="GET /")
        self.client.get("/missing", name="GET /missing")
        gevent.spawn(self.environment.runner.quit)  # the run ends now, as a finished tour ends it
        raise RuntimeError("a step that broke")
"""


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # http.server calls it by this name
        status = 200 if self.path == "/" else 404
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_requests_of_the_runs_last_moment_and_broken_steps_are_in_the_table(
    tmp_path: Path, site: str
) -> None:
    locustfile = tmp_path / "one_step.py"
    locustfile.write_text(ONE_STEP, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "bench" / "load"))
    env.pop("JUSOOR_LOAD_FINAL", None)

    rows, failures = load_test.run_locust(
        locustfile, env, users=1, spawn_rate=1, seconds=60, host=site, workdir=tmp_path
    )

    by_name = {r["name"]: r for r in rows}
    assert by_name["GET /"]["requests"] == 1
    assert by_name["GET /"]["errors"] == 0
    assert by_name["GET /missing"]["requests"] == 1
    assert by_name["GET /missing"]["errors"] == 1
    assert by_name["all pages"]["requests"] == 2
    assert any("GET /missing" in f for f in failures), failures
    assert any("a step that broke" in f for f in failures), failures
