"""Ingesting the seed reports into a database (SQLite and PostgreSQL): stored once, grouped across
languages, actors merged across scripts, every fact with the sentence it came from."""

from __future__ import annotations

from sqlalchemy import func, select

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.entities.resolution import spelling_key
from jusoor.monitor import service
from jusoor.monitor.models import MonitorActor, MonitorDocument, MonitorEvent, MonitorMention
from jusoor.monitor.store.ingest import read_sources

from .store_support import ANALYST, seed_file, seeds_dir


def _ingest_seeds(database: Database) -> dict[str, str]:
    """Ingest the five seeds; the stored document id of each, by file-name prefix."""
    with database.unit_of_work() as session:
        results = service.ingest(session, actor=ANALYST, documents=read_sources([seeds_dir()]))
    assert all(r.error is None and r.created for r in results), results
    return {r.source.rsplit("/", 1)[-1][:3]: str(r.document_id) for r in results}


def _counts(database: Database) -> tuple[int, ...]:
    with database.unit_of_work() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (MonitorDocument, MonitorEvent, MonitorActor, MonitorMention)
        )


def test_the_same_event_in_arabic_and_english_becomes_one_event(database: Database) -> None:
    ids = _ingest_seeds(database)
    with database.unit_of_work() as session:
        events, total = service.list_events(session, actor=ANALYST, limit=50, offset=0)
    assert total == len(events) == 4  # five reports, two of them of one conference
    [pair] = [e for e in events if len(e.document_ids) == 2]
    assert {str(d) for d in pair.document_ids} == {ids["000"], ids["002"]}
    assert set(pair.langs) == {"ar", "en"}
    assert (pair.type, pair.city_id, pair.country) == ("conference", "sharm_el_sheikh", "EG")
    assert (pair.start.isoformat(), pair.end.isoformat()) == ("2023-07-10", "2023-07-13")  # type: ignore[union-attr]


def test_the_grouped_event_holds_the_union_and_links_back(database: Database) -> None:
    _ingest_seeds(database)
    with database.unit_of_work() as session:
        events, _ = service.list_events(session, actor=ANALYST, organization="eg_nccpim_tip")
        [pair] = [e for e in events if len(e.document_ids) == 2]
        view = service.get_event(session, actor=ANALYST, event_id=pair.id)
    assert {d.id for d in view.documents} == set(pair.document_ids)
    orgs = {o.key for o in view.organizations}
    assert {"unodc", "eg_nccpim_tip", "las", "eu"} <= orgs  # las only in Arabic, eu only in English
    persons = {p.key: p for p in view.persons}
    assert spelling_key("Naela Gabr") in persons
    assert view.countries[0] == "EG"


def test_every_fact_carries_the_sentence_it_came_from(database: Database) -> None:
    ids = _ingest_seeds(database)
    with database.unit_of_work() as session:
        events, _ = service.list_events(session, actor=ANALYST, lang="en", country="EG")
        view = service.get_event(session, actor=ANALYST, event_id=events[0].id)
        _, text = service.get_document(session, actor=ANALYST, document_id=view.documents[0].id)
    english = [f for f in view.facts if str(f.document_id) == ids["002"]]
    kinds = {f.kind for f in english}
    assert {"event_type", "start", "end", "place", "organization", "person", "country"} <= kinds
    start = next(f for f in english if f.kind == "start")
    assert start.value == "2023-07-10"
    assert "10 to 13 July 2023" in start.sentence
    for fact in view.facts:
        assert fact.sentence.strip()
        assert fact.start < fact.end
    arabic = next(f for f in view.facts if str(f.document_id) == ids["000"] and f.kind == "place")
    assert "شرم الشيخ" in arabic.sentence
    assert text  # the full text to show the sentence in


def test_one_person_in_two_scripts_is_one_actor(database: Database) -> None:
    ids = _ingest_seeds(database)
    with database.unit_of_work() as session:
        found, total = service.list_actors(session, actor=ANALYST, kind="person", query="Naela")
        assert total == 1
        view = service.get_actor(session, actor=ANALYST, actor_id=found[0].id)
        by_arabic, _ = service.list_actors(session, actor=ANALYST, query="نائلة جبر")
    assert {"نائلة جبر", "Naela Gabr"} <= set(view.summary.names)
    assert {str(m.document_id) for m in view.mentions} == {ids["000"], ids["002"]}
    assert len(view.events) == 1
    assert [a.id for a in by_arabic] == [found[0].id]
    assert all(m.sentence for m in view.mentions)


def test_an_organisation_is_one_actor_across_reports(database: Database) -> None:
    _ingest_seeds(database)
    with database.unit_of_work() as session:
        orgs, _ = service.list_actors(session, actor=ANALYST, kind="organization", limit=100)
    unodc = [o for o in orgs if o.key == "unodc"]
    assert len(unodc) == 1
    assert unodc[0].acronym == "UNODC"
    assert unodc[0].document_count >= 3  # seeds 000, 002 and 003 name it
    assert unodc[0].event_count == unodc[0].document_count - 1  # 000 and 002 are one event


def test_reingesting_creates_nothing_and_returns_the_stored_ids(database: Database) -> None:
    ids = _ingest_seeds(database)
    before = _counts(database)
    with database.unit_of_work() as session:
        again = service.ingest(session, actor=ANALYST, documents=read_sources([seeds_dir()]))
    assert not any(r.created or r.error for r in again)
    assert {r.source.rsplit("/", 1)[-1][:3]: str(r.document_id) for r in again} == ids
    assert _counts(database) == before


def test_the_same_text_under_another_name_is_the_same_report(database: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "copy.txt"
    copy.write_text("\n\n" + seed_file("002").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with database.unit_of_work() as session:
        first = service.ingest(session, actor=ANALYST, documents=read_sources([seed_file("002")]))
        second = service.ingest(session, actor=ANALYST, documents=read_sources([copy]))
    assert first[0].created and not second[0].created
    assert first[0].document_id == second[0].document_id


def test_each_run_is_audited_once_with_its_counts(database: Database) -> None:
    _ingest_seeds(database)
    with database.unit_of_work() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "monitor.ingest")
        ).all()
    assert len(rows) == 1
    assert '"created":5' in rows[0].details.replace(" ", "")


def test_a_full_regroup_rebuilds_the_same_events(database: Database) -> None:
    _ingest_seeds(database)
    with database.unit_of_work() as session:
        before, _ = service.list_events(session, actor=ANALYST)
        result = service.regroup(session, actor=ANALYST, full=True)
        after, _ = service.list_events(session, actor=ANALYST)
    assert result.events == 4
    assert sorted(sorted(e.document_ids) for e in before) == sorted(
        sorted(e.document_ids) for e in after
    )


def test_a_search_for_a_wildcard_matches_only_itself(database: Database) -> None:
    _ingest_seeds(database)
    with database.unit_of_work() as session:
        assert service.list_actors(session, actor=ANALYST, query="%")[1] == 0
        assert service.list_actors(session, actor=ANALYST, query="unodc")[1] == 1
        assert service.list_events(session, actor=ANALYST, theme="%")[1] == 0
        assert service.list_events(session, actor=ANALYST, theme="migrant_smuggling")[1] >= 1
