"""The demo node's synthetic news: the monitor's pages are full on first start, and only then."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from jusoor.core.db import Database
from jusoor.monitor.models import MonitorDocument, MonitorEvent
from jusoor.synth import monitor_news as demo
from tests.monitor.store_support import actor

ADMIN = actor("admin")
TODAY = date(2026, 3, 1)


def test_demo_news_fill_the_monitor_around_today_once(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        stored = demo.load_if_empty(session, actor=ADMIN, today=TODAY)
        again = demo.load_if_empty(session, actor=ADMIN, today=TODAY)
        events = session.scalars(select(MonitorEvent)).all()
        documents = session.scalar(select(func.count()).select_from(MonitorDocument))
    assert (stored, again, documents) == (demo.DEMO_REPORTS, 0, demo.DEMO_REPORTS)
    assert len(events) < stored  # some events are told in two or three languages
    first = TODAY - timedelta(days=demo.PAST_DAYS)
    last = TODAY + timedelta(days=demo.FUTURE_DAYS + 3)
    dated = [e for e in events if e.start is not None]
    assert len(dated) >= 0.9 * len(events)
    assert all(first <= e.start <= last for e in dated if e.start)
    assert {e.country for e in events} >= {"EG", "MA", "TN"}
