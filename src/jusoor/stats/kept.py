"""The dashboards' tables, kept a short while per scope and counted again in the background.

At a million cases a dashboard view counts ~15 grouped queries over the viewer's cases (a second
or more on PostgreSQL), and the figures of a national picture do not need to be fresher than a
few minutes (issue 18). What is kept is the table after disclosure control (never an exact count),
under a key made of everything the count depends on: the database, the viewer's `stats.read`
scope and its subject (`scope_key`: the country, the agency or the user, `scope_clause`'s
inputs, which every subject applies), the query, the protection and the language of its notes.
Two viewers share a table only when their scope is the same, so a figure never reaches a viewer
of another scope. The permission is checked by the caller on every view, hit or miss.

- younger than FRESH_SECONDS (`JUSOOR_STATS_FRESH_SECONDS`, five minutes): shown as kept;
- older, but younger than STALE_SECONDS: shown as kept while one background thread counts it
  again (in a reading transaction of its own, in the viewer's language), so that no viewer waits
  for a count after the first;
- missing or older: counted in the request; viewers of the same scope who ask meanwhile wait for
  that one count instead of each running it (at the start of a working day, every coordinator of
  a country opens the dashboard within the same minute).

Beneath each published table its exact counts are kept too, without the language
(`per_language=False`): a table is counted once for the viewers of all three languages, and only
disclosure control and the notes are made again per language. Exact tables never leave the
process: they are only ever read to publish a protected one for the same scope. `stats.warming`
counts the national, country and agency dashboards when the node starts, before anyone asks.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jusoor.core.config import get_settings
from jusoor.core.i18n import current_locale, use_locale
from jusoor.core.reading import READING

T = TypeVar("T")
log = logging.getLogger("jusoor.stats")

FRESH_SECONDS: float | None = None  # None: `JUSOOR_STATS_FRESH_SECONDS` (five minutes)
STALE_SECONDS = 3600.0
ENTRIES = 20_000  # per database (~80 per scope viewed or warmed); the oldest half goes when full
WAIT_SECONDS = 120.0  # longest wait for another request's count of the same table

_tables: WeakKeyDictionary[object, dict[Hashable, tuple[float, object]]] = WeakKeyDictionary()
_counting: dict[Hashable, threading.Event] = {}  # tables being counted now (request or thread)
_lock = threading.Lock()
REFRESHER = "jusoor-dashboard-refresh"
_due: deque[tuple[Engine, Hashable, Callable[[Session], Any]]] = deque()  # tables to count again
_wake = threading.Event()
_refresher: threading.Thread | None = None


def kept(
    session: Session,
    scope: Hashable,
    key: Hashable,
    compute: Callable[[Session], T],
    *,
    per_language: bool = True,
) -> T:
    """`compute(session)`, or the table kept for the same database, scope, language and key.

    `per_language=False` for what does not depend on the viewer's language (the exact counts
    beneath the published tables): one count then serves the viewers of every language."""
    bind = session.get_bind()
    full_key = (scope, current_locale() if per_language else None, key)
    fresh = get_settings().stats_fresh_seconds if FRESH_SECONDS is None else FRESH_SECONDS
    while True:
        now = time.monotonic()
        with _lock:
            tables = _tables.setdefault(bind, {})
            found = tables.get(full_key)
            age = now - found[0] if found is not None else None
            counting = _counting.get((bind, full_key))
            if age is not None and age < STALE_SECONDS:
                if age >= fresh and counting is None and isinstance(bind, Engine):
                    _start_refresh(bind, full_key, compute)
                return found[1]  # type: ignore[index, return-value]
            if counting is None:  # this request counts it; others asking meanwhile wait
                counting = _counting[(bind, full_key)] = threading.Event()
                break
        counting.wait(WAIT_SECONDS)  # another request is counting it: then read what it kept
        with _lock:
            if _counting.get((bind, full_key)) is counting:  # it never finished: count here
                del _counting[(bind, full_key)]
    try:
        value = compute(session)
        _keep(bind, full_key, value)
        return value
    finally:
        _done(bind, full_key)


def _keep(bind: object, full_key: Hashable, value: object) -> None:
    with _lock:
        tables = _tables.setdefault(bind, {})
        if len(tables) >= ENTRIES:
            for old in sorted(tables, key=lambda k: tables[k][0])[: ENTRIES // 2]:
                del tables[old]
        tables[full_key] = (time.monotonic(), value)


def _done(bind: object, full_key: Hashable) -> None:
    with _lock:
        event = _counting.pop((bind, full_key), None)
    if event is not None:
        event.set()


def _start_refresh(engine: Engine, full_key: Hashable, compute: Callable[[Session], Any]) -> None:
    """Queue a kept table to be counted again by the one refreshing thread (called with `_lock`
    held). One at a time: when the warmed tables of fifty scopes fell due within the same minute,
    a thread each kept both cores and PostgreSQL busy and every page waited behind them."""
    global _refresher
    _counting[(engine, full_key)] = threading.Event()
    _due.append((engine, full_key, compute))
    if _refresher is None or not _refresher.is_alive():
        _refresher = threading.Thread(target=_refresh_all, name=REFRESHER, daemon=True)
        _refresher.start()
    _wake.set()


def _refresh_all() -> None:
    while True:
        _wake.wait(60.0)
        with _lock:
            if not _due:
                _wake.clear()
                continue
            engine, full_key, compute = _due.popleft()
        _refresh(engine, full_key, compute)


def _refresh(engine: Engine, full_key: Hashable, compute: Callable[[Session], Any]) -> None:
    locale = full_key[1] if isinstance(full_key, tuple) else None
    try:
        # A reading transaction: on SQLite it takes no writer's lock (core.reading).
        with (
            Session(engine.execution_options(**{READING: True})) as session,
            use_locale(str(locale)) if locale else contextlib.nullcontext(),
        ):
            value = compute(session)
            session.rollback()
        _keep(engine, full_key, value)
    except Exception:  # the kept table stays; the next view past its time tries again
        log.exception("a dashboard table could not be counted again")
    finally:
        _done(engine, full_key)


def forget(session: Session) -> None:
    """Drop every kept table of this database (tests, and after a bulk load)."""
    with _lock:
        _tables.pop(session.get_bind(), None)
