"""Feeds and HTML pages through ingestion: one report per feed item, the declared dates kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jusoor.core.db import Database
from jusoor.monitor import service
from jusoor.monitor.models import MonitorDocument
from jusoor.monitor.store.ingest import read_sources

from .store_support import ANALYST

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>News</title>
<item><title>Workshop in Tunis on victim identification</title>
<link>https://example.org/a</link><pubDate>Tue, 12 Mar 2024 10:00:00 GMT</pubDate>
<description>The National Authority against Trafficking in Persons held a workshop in Tunis
today with IOM on the identification of victims of trafficking in persons.</description></item>
<item><title>Training in Amman</title><link>https://example.org/b</link>
<pubDate>Fri, 30 Feb 2024 10:00:00 GMT</pubDate>
<description>A training course for labour inspectors on trafficking in persons was held in Amman
with the ILO, bringing together 30 participants.</description></item>
</channel></rss>"""


def test_each_feed_item_is_one_report_with_its_declared_date(
    database: Database, tmp_path: Path
) -> None:
    feed = tmp_path / "news.rss"
    feed.write_text(FEED, encoding="utf-8")
    with database.unit_of_work() as session:
        results = service.ingest(session, actor=ANALYST, documents=read_sources([feed]))
        assert [r.source for r in results] == [f"{feed}#1", f"{feed}#2"]
        assert all(r.created for r in results)
        first = session.get(MonitorDocument, results[0].document_id)
        second = session.get(MonitorDocument, results[1].document_id)
        assert first is not None and second is not None
        assert first.url == "https://example.org/a"
        assert first.published == dt.date(2024, 3, 12)
        # "today" is resolved from the item's date, and only from it
        assert first.event_start == dt.date(2024, 3, 12)
        assert second.published is None  # 30 February does not exist: unknown, not guessed
        assert second.event_start is None
        assert second.city_id == "amman"
