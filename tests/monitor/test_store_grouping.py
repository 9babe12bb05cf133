"""Grouping stored reports into events: one event per happening in any number of languages, and
no merging of different happenings that share a place or dates."""

from __future__ import annotations

from jusoor.core.db import Database
from jusoor.monitor import service
from jusoor.monitor.reading.text import Document
from jusoor.synth.news import generate

from .store_support import ANALYST

WORKSHOP = (
    "The National Commission held a workshop from 12 to 14 March 2024 in Rabat with IOM on the"
    " identification of victims of trafficking in persons."
)
ARREST = (
    "Police arrested five suspects in a trafficking in persons case in Rabat on 13 March 2024,"
    " the National Commission said."
)
ELSEWHERE = (
    "The National Commission held a workshop from 12 to 14 March 2024 in Tangier with IOM on the"
    " identification of victims of trafficking in persons."
)


def _docs(*texts: str) -> list[Document]:
    return [Document(f"report-{n}.txt", text) for n, text in enumerate(texts)]


def test_one_event_reported_in_three_languages_is_one_event(database: Database) -> None:
    articles = list(generate(200, seed=11))
    keys = [a.event.key for a in articles]
    key = next(k for k in keys if keys.count(k) == 3 and articles[keys.index(k)].event.type)
    reports = [a for a in articles if a.event.key == key]
    assert {a.lang for a in reports} == {"ar", "en", "fr"}
    with database.unit_of_work() as session:
        results = service.ingest(
            session,
            actor=ANALYST,
            documents=[Document(f"{a.lang}.txt", a.text, published=a.published) for a in reports],
        )
        events, total = service.list_events(session, actor=ANALYST)
    assert total == 1
    assert set(events[0].document_ids) == {r.document_id for r in results}
    assert set(events[0].langs) == {"ar", "en", "fr"}


def test_a_workshop_and_an_arrest_on_the_same_days_are_two_events(database: Database) -> None:
    with database.unit_of_work() as session:
        service.ingest(session, actor=ANALYST, documents=_docs(WORKSHOP, ARREST))
        events, total = service.list_events(session, actor=ANALYST)
    assert total == 2
    assert {e.type for e in events} == {"workshop", "arrest_or_raid"}


def test_the_same_workshop_in_two_cities_is_two_events(database: Database) -> None:
    with database.unit_of_work() as session:
        service.ingest(session, actor=ANALYST, documents=_docs(WORKSHOP, ELSEWHERE))
        _, total = service.list_events(session, actor=ANALYST)
    assert total == 2


def test_reports_ingested_in_separate_runs_meet_in_one_event(database: Database) -> None:
    retold = (
        "Rabat, 14 March 2024 - A workshop on identifying victims of trafficking in persons, held"
        " with IOM by the National Commission from 12 to 14 March 2024 in Rabat, ended today."
    )
    with database.unit_of_work() as session:
        service.ingest(session, actor=ANALYST, documents=_docs(WORKSHOP))
    with database.unit_of_work() as session:
        service.ingest(session, actor=ANALYST, documents=[Document("later.txt", retold)])
        events, total = service.list_events(session, actor=ANALYST, since=None)
    assert total == 1
    assert len(events[0].document_ids) == 2
