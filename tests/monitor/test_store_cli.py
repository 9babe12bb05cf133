"""`jusoor monitor ingest | events | actors --json`: the agreed shapes and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jusoor.cli.main import app
from jusoor.core.db import Database

from .store_support import seed_file, seeds_dir

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["monitor", *args])
    return result.exit_code, result.stdout, result.stderr


def test_ingest_events_and_actors_print_the_agreed_json(database: Database) -> None:
    code, out, err = run("ingest", str(seeds_dir()), "--json")
    assert code == 0, err
    stored = json.loads(out)
    assert len(stored) == 5
    assert all(list(r) == ["file", "id"] and r["id"] for r in stored)

    code, out, err = run("events", "--json")
    assert code == 0, err
    events = json.loads(out)
    assert len(events) == 4
    for e in events:
        assert list(e) == ["id", "documents", "event"]
        assert list(e["event"]) == ["type", "title", "start", "end", "city", "country"]
    [pair] = [e for e in events if len(e["documents"]) == 2]
    by_file = {Path(r["file"]).name[:3]: r["id"] for r in stored}
    assert set(pair["documents"]) == {by_file["000"], by_file["002"]}
    assert pair["event"]["start"] == "2023-07-10" and pair["event"]["country"] == "EG"

    code, out, err = run("actors", "--json")
    assert code == 0, err
    actors = json.loads(out)
    assert all(list(a) == ["id", "kind", "names", "documents"] for a in actors)
    assert {a["kind"] for a in actors} == {"organization", "person"}
    [naela] = [a for a in actors if "Naela Gabr" in a["names"]]
    assert "نائلة جبر" in naela["names"]
    assert set(naela["documents"]) == {by_file["000"], by_file["002"]}


def test_ingest_again_prints_the_same_ids(database: Database) -> None:
    first = json.loads(run("ingest", str(seed_file("002")), "--json")[1])
    code, out, _ = run("ingest", str(seed_file("002")), "--json")
    assert code == 0
    assert json.loads(out) == first


def test_a_failed_file_is_reported_and_the_rest_stored_with_exit_1(
    database: Database, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, out, _ = run("ingest", str(empty), str(seed_file("002")), "--json")
    assert code == 1
    bad, good = json.loads(out)
    assert bad["file"] == str(empty) and bad["id"] is None and bad["error"]
    assert good["id"] and "error" not in good
    code, out, _ = run("events", "--json")
    assert code == 0 and len(json.loads(out)) == 1  # the good report was committed


def test_human_output_and_regroup(database: Database) -> None:
    code, out, _ = run("ingest", str(seed_file("002")))
    assert code == 0 and "002_" in out
    code, out, _ = run("regroup", "--full", "--json")
    assert code == 0 and json.loads(out) == {"documents": 1, "events": 1}
    code, out, _ = run("events")
    assert code == 0 and "Sharm El-Sheikh" in out
