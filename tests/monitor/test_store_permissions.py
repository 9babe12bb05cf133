"""Who may read and store news monitoring data: deny by default."""

from __future__ import annotations

import uuid

import pytest

from jusoor.core.db import Database
from jusoor.core.errors import Forbidden
from jusoor.monitor import service
from jusoor.monitor.store.ingest import read_sources

from .store_support import ANALYST, SCREENER, actor, seed_file


def test_a_screener_can_neither_ingest_nor_read(database: Database) -> None:
    with database.unit_of_work() as session:
        with pytest.raises(Forbidden):
            service.ingest(session, actor=SCREENER, documents=read_sources([seed_file("002")]))
        with pytest.raises(Forbidden):
            service.list_events(session, actor=SCREENER)
        with pytest.raises(Forbidden):
            service.get_event(session, actor=SCREENER, event_id=uuid.uuid4())
        with pytest.raises(Forbidden):
            service.list_actors(session, actor=SCREENER)
        with pytest.raises(Forbidden):
            service.get_actor(session, actor=SCREENER, actor_id=uuid.uuid4())
        with pytest.raises(Forbidden):
            service.regroup(session, actor=SCREENER)


def test_an_analyst_ingests_and_an_investigator_reads_but_cannot_ingest(
    database: Database,
) -> None:
    investigator = actor("investigator", country="TN")
    with database.unit_of_work() as session:
        [result] = service.ingest(
            session, actor=ANALYST, documents=read_sources([seed_file("002")])
        )
        assert result.created
        events, total = service.list_events(session, actor=investigator)
        assert total == 1  # public news: every country's events, not only Tunisia's
        assert events[0].country == "EG"
        with pytest.raises(Forbidden):
            service.ingest(session, actor=investigator, documents=[])
