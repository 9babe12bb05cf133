"""The app served over real HTTP inside a test, as `jusoor serve` runs it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from jusoor.audit.appender import start_appender
from jusoor.core.db import Database


@contextmanager
def live_server(db: Database) -> Iterator[str]:
    """The app as `jusoor serve` runs it: one event loop, audit events chained by the appender.
    Yields its base URL; on leaving, the server stops and the appender chains what is left."""
    from jusoor.app import create_app

    appender = start_appender(db.url, 0.2)
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        appender.stop()  # one last pass: nothing is left pending
        assert not appender.is_alive()
