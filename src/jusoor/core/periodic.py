"""Background work that `jusoor serve` runs every few seconds, once per node.

The audit appender, the audit checkpoint and the exchange delivery each run in a thread of the
serving process with their own `Database` (their own connection pool), a pass every `interval`
seconds, and a stop event. A pass that fails is logged and the next one retries: one bad pass
never ends the work.
"""

from __future__ import annotations

import logging
import threading

from jusoor.core.db import Database

log = logging.getLogger("jusoor")


class PeriodicThread(threading.Thread):
    """Calls `tick(db)` every `interval` seconds until `stop()`.

    `immediate`: a first pass at start rather than after one interval. `last_pass`: one more
    pass after the stop is asked for (work that must not be left half done, e.g. events still
    to chain). Subclasses name themselves and implement `tick`; `setup`/`teardown` hold what
    lives as long as the thread (a connection pool to a peer, say)."""

    immediate = False
    last_pass = False
    what = "background pass"  # named in the log when a pass fails

    def __init__(self, name: str, database_url: str, interval: float) -> None:
        super().__init__(name=name, daemon=True)
        self.database_url = database_url
        self.interval = interval
        self.stopping = threading.Event()

    def tick(self, db: Database) -> None:
        raise NotImplementedError

    def setup(self) -> None:
        """Before the first pass, in the thread."""

    def teardown(self) -> None:
        """After the last pass, in the thread."""

    def _pass(self, db: Database) -> None:
        try:
            self.tick(db)
        except Exception:  # keep the thread alive; the next pass retries
            log.exception("%s failed", self.what)

    def run(self) -> None:
        db = Database(self.database_url)
        try:
            self.setup()
            if self.immediate:
                self._pass(db)
            while not self.stopping.wait(self.interval):
                self._pass(db)
            if self.last_pass:
                self._pass(db)
        finally:
            try:
                self.teardown()
            finally:
                db.dispose()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask for the stop and wait (at most `timeout` seconds) for the thread to end."""
        self.stopping.set()
        self.join(timeout)
