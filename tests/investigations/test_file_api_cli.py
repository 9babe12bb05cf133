"""The files through the API and the console: same permission matrix, same scope, same audit."""

from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jusoor.cli.main import app as cli
from jusoor.core.db import Database
from tests.support.tokens import bearer


def test_api_opens_lists_moves_and_keeps_other_countries_out(
    client: TestClient, demo_db: Database
) -> None:
    police = bearer(demo_db, "investigator.ma")
    body = {
        "title": "Construction site, Tangier",
        "origin": "proactive",
        "reported_on": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
    }
    created = client.post("/api/v1/investigations", json=body, headers=police)
    assert created.status_code == 201, created.text
    file_id = created.json()["id"]
    assert created.json()["reference"].startswith("INV-MA-")
    listed = client.get("/api/v1/investigations", headers=police).json()
    assert listed["total"] == 1
    moved = client.post(
        f"/api/v1/investigations/{file_id}/stage",
        json={"stage": "preliminary_investigation"},
        headers=police,
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "preliminary_investigation"
    skipped = client.post(
        f"/api/v1/investigations/{file_id}/stage", json={"stage": "final"}, headers=police
    )
    assert skipped.status_code == 422
    assert client.get(f"/api/v1/investigations/{file_id}/events", headers=police).json()
    for outsider in ("investigator.eg", "prosecutor.tn"):
        headers = bearer(demo_db, outsider)
        assert client.get(f"/api/v1/investigations/{file_id}", headers=headers).status_code == 404
        assert client.get("/api/v1/investigations", headers=headers).json()["total"] == 0
    worker = bearer(demo_db, "caseworker.ma")
    assert client.get("/api/v1/investigations", headers=worker).status_code == 403
    assert client.post("/api/v1/investigations", json=body, headers=worker).status_code == 403


def test_cli_acts_as_a_named_user(demo_db: Database) -> None:
    runner = CliRunner()
    opened = runner.invoke(
        cli,
        ["investigations", "open", "--as", "investigator.ma", "--title", "Port of Casablanca",
         "--origin", "foreign_request", "--json"],
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    reference = json.loads(opened.output)["reference"]
    shown = runner.invoke(
        cli, ["investigations", "show", reference, "--as", "prosecutor.ma", "--json"]
    )
    assert shown.exit_code == 0 and json.loads(shown.output)["title"] == "Port of Casablanca"
    refused = runner.invoke(cli, ["investigations", "show", reference, "--as", "prosecutor.eg"])
    assert refused.exit_code == 1 and "No such investigation file" in refused.output
    worker = runner.invoke(cli, ["investigations", "list", "--as", "caseworker.ma"])
    assert worker.exit_code == 1
    offences = runner.invoke(cli, ["investigations", "offences", "EG", "--json"])
    assert any(o["type"] == "smuggling" for o in json.loads(offences.output))
