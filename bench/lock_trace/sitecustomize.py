"""Who holds SQLite's writer's lock, and for how long: a diagnostic for "busy" answers.

Put this directory first on PYTHONPATH of a node (or of `bench/load_test.py`, whose node inherits
it) and every transaction that held the writer's lock longer than JUSOOR_LOCK_TRACE_SECONDS
(0.4 by default) is appended to JUSOOR_LOCK_TRACE_FILE (/tmp/jusoor-lock-trace.log): the thread,
how long, the stack where the lock was taken and, for a page read that started writing, the
session's changed objects and the statement that started it. Holds counted from an ordinary
`BEGIN IMMEDIATE` include the wait for the lock. Used to find the causes of CI's busy answers
(docs/SCALE.md, "Four busy answers in CI"):

    PYTHONPATH=bench/lock_trace python bench/load_test.py --users 10 --tour --think 0.05-0.1

A loaded machine can be imitated with a few `sh -c 'while :; do :; done' &` beside it.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import traceback
from typing import Any

_THRESHOLD = float(os.environ.get("JUSOOR_LOCK_TRACE_SECONDS", "0.4"))
_PATH = os.environ.get("JUSOOR_LOCK_TRACE_FILE", "/tmp/jusoor-lock-trace.log")


def _install() -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from jusoor.core import reading

    out = open(_PATH, "a", encoding="utf-8")  # noqa: SIM115 (open for the process's life)
    last = threading.local()

    @event.listens_for(Engine, "before_cursor_execute", insert=True)
    def _statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        last.statement = statement[:300]

    @event.listens_for(Engine, "begin")
    def _begin(conn: Any) -> None:
        if conn.get_execution_options().get(reading.READING):
            return  # a page read: traced when it starts writing
        conn.info["trace_at"] = time.monotonic()
        conn.info["trace_why"] = "".join(traceback.format_stack(limit=40)[:-2])

    started = reading.start_writing

    def start_writing(conn: Any, state: Any, **kwargs: Any) -> None:
        started(conn, state, **kwargs)
        session = state.session
        changed = (
            []
            if session is None
            else [type(o).__name__ for o in (*session.new, *session.dirty, *session.deleted)]
        )
        conn.info["trace_at"] = time.monotonic()
        conn.info["trace_why"] = (
            f"page read started writing; changed {changed}; "
            f"statement {getattr(last, 'statement', '')!r}\n"
            + "".join(traceback.format_stack(limit=40)[:-1])
        )

    reading.start_writing = start_writing

    def _end(conn: Any) -> None:
        at = conn.info.pop("trace_at", None)
        why = conn.info.pop("trace_why", "")
        if at is not None and time.monotonic() - at > _THRESHOLD:
            held = time.monotonic() - at
            out.write(f"=== held {held:.2f} s, thread {threading.current_thread().name}\n{why}\n")
            out.flush()

    event.listen(Engine, "commit", _end)
    event.listen(Engine, "rollback", _end)


with contextlib.suppress(ImportError):  # not a Jusoor process (pip, Locust): nothing to trace
    _install()
