"""Synthetic news for the demo node, so the monitor's pages are full on first start.

Reports come from the project's generator (`jusoor.synth.news`: real organisations, synthetic
persons, MENA cities, ar/en/fr, some events told in two or three languages), dated around today,
and go through the same ingestion as real reports: extraction, storage, grouping, audit.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.core.permissions import Actor
from jusoor.monitor import service
from jusoor.monitor.models import MonitorDocument
from jusoor.monitor.reading.text import Document
from jusoor.synth.news import generate

DEMO_REPORTS = 80  # about 55 events over eight months: a full calendar, in a few seconds
PAST_DAYS = 180  # events from six months ago …
FUTURE_DAYS = 60  # … to two months ahead (announced conferences and trainings)


def load_if_empty(
    session: Session, *, actor: Actor, seed: int = 2026, today: dt.date | None = None
) -> int:
    """Ingest the demo's synthetic reports on a node that has none; returns how many were stored."""
    if session.scalar(select(MonitorDocument.id).limit(1)) is not None:
        return 0
    first_day = (today or dt.date.today()) - dt.timedelta(days=PAST_DAYS)
    articles = generate(DEMO_REPORTS, seed=seed, first_day=first_day, days=PAST_DAYS + FUTURE_DAYS)
    documents = (
        Document(f"demo/synthetic-{n:03d}.txt", a.text, published=a.published)
        for n, a in enumerate(articles)
    )
    results = service.ingest(session, actor=actor, documents=documents)
    return sum(1 for r in results if r.created)
