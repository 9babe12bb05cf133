"""Bad input in a batch: each bad report gets its own clear error (or an "unknown" field), the rest
of the batch is stored, nothing is lost or stored twice."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from jusoor.core.db import Database
from jusoor.monitor import service
from jusoor.monitor.models import MonitorDocument
from jusoor.monitor.schemas import IngestResult
from jusoor.monitor.store.ingest import read_sources

from .store_support import ANALYST

GOOD = (
    "Rabat, 14 March 2024 - The National Commission to Combat Trafficking in Persons held a"
    " training workshop from 12 to 14 March 2024 in Rabat with IOM for labour inspectors on the"
    " early identification of victims of trafficking in persons."
)
GERMAN = (
    "Berlin, 14. März 2024 - Die Bundesregierung hat heute in Berlin eine Konferenz über den"
    " Schutz von Opfern des Menschenhandels eröffnet, an der Vertreter vieler Länder teilnehmen."
)
IMPOSSIBLE = (
    "The Tunisian National Authority against Trafficking in Persons held a workshop in Tunis on"
    " 30 February 2024 on the protection of victims of trafficking in persons."
)
BROKEN_HTML = (
    "<html><head><title>Workshop in Rabat</title><body><div><p>" + GOOD + "<p><b>unclosed <i>"
)
BROKEN_FEED = "<?xml version='1.0'?><rss version='2.0'><channel><<< not a feed >>>"


def _batch(tmp_path: Path) -> list[Path]:
    files = {
        "a_empty.txt": b"",
        "b_binary.txt": b"\x00\x01\x02\xff" * 64,
        "c_german.txt": GERMAN.encode(),
        "d_broken.html": BROKEN_HTML.encode(),
        "e_broken.rss": BROKEN_FEED.encode(),
        "f_impossible.txt": IMPOSSIBLE.encode(),
        "g_good.txt": GOOD.encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return [tmp_path / name for name in files]


def _ingest(database: Database, sources: list[str | Path]) -> dict[str, IngestResult]:
    with database.unit_of_work() as session:
        results = service.ingest(session, actor=ANALYST, documents=read_sources(sources))
    return {Path(r.source).name: r for r in results}


def test_each_bad_report_gets_its_own_error_and_the_rest_is_stored(
    database: Database, tmp_path: Path
) -> None:
    _batch(tmp_path)
    results = _ingest(database, [tmp_path])  # the folder, read recursively
    for name in ("a_empty.txt", "b_binary.txt", "c_german.txt", "e_broken.rss"):
        assert results[name].error, name
        assert results[name].document_id is None
    assert "empty" in (results["a_empty.txt"].error or "")
    assert "binary" in (results["b_binary.txt"].error or "")
    assert "(de)" in (results["c_german.txt"].error or "")
    assert "feed" in (results["e_broken.rss"].error or "")
    for name in ("d_broken.html", "f_impossible.txt", "g_good.txt"):
        assert results[name].created and results[name].error is None, name
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(MonitorDocument)) == 3


def test_a_date_that_does_not_exist_is_left_unknown(database: Database, tmp_path: Path) -> None:
    _batch(tmp_path)
    results = _ingest(database, [tmp_path / "f_impossible.txt"])
    with database.unit_of_work() as session:
        document = session.get(MonitorDocument, results["f_impossible.txt"].document_id)
        assert document is not None
        assert (document.event_type, document.city_id) == ("workshop", "tunis")
        assert document.event_start is None and document.event_end is None


def test_broken_html_keeps_its_text(database: Database, tmp_path: Path) -> None:
    _batch(tmp_path)
    results = _ingest(database, [tmp_path / "d_broken.html"])
    with database.unit_of_work() as session:
        document = session.get(MonitorDocument, results["d_broken.html"].document_id)
        assert document is not None
        assert document.kind == "html"
        assert "labour inspectors" in document.text
        assert document.city_id == "rabat"


def test_a_batch_naming_one_report_twice_stores_it_once(database: Database, tmp_path: Path) -> None:
    good = _batch(tmp_path)[-1]
    copy = tmp_path / "copy_of_good.txt"
    copy.write_bytes(good.read_bytes())
    with database.unit_of_work() as session:
        results = service.ingest(session, actor=ANALYST, documents=read_sources([good, copy]))
    assert [r.created for r in results] == [True, False]
    assert results[0].document_id == results[1].document_id


def test_a_missing_file_and_an_unreachable_url_are_per_report_errors(
    database: Database, tmp_path: Path
) -> None:
    good = _batch(tmp_path)[-1]
    results = _ingest(
        database, [str(tmp_path / "missing.txt"), "http://127.0.0.1:9/report.html", good]
    )
    assert results["missing.txt"].error
    assert results["report.html"].error
    assert results["g_good.txt"].created
