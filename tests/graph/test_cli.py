"""`jusoor graph export|metrics|path` from the server's console, on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import igraph as ig  # type: ignore[import-untyped]
from lxml import etree  # type: ignore[import-untyped]
from sqlalchemy import select
from typer.testing import CliRunner

from jusoor.audit.models import AuditEvent
from jusoor.cli.main import app
from jusoor.core.db import Database
from jusoor.graph.export import GEXF_NS
from tests.graph.support import two_countries

runner = CliRunner()


def test_export_writes_files_that_read_back(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.unit_of_work() as session:
        data = two_countries(session)
    graphml = tmp_path / "all.graphml"
    done = runner.invoke(app, ["graph", "export", "--format", "graphml", "--out", str(graphml)])
    assert done.exit_code == 0, done.output
    g = ig.Graph.Read_GraphML(str(graphml))
    assert (g.vcount(), g.ecount()) == (8, 7)  # the operator sees the whole node
    gexf = tmp_path / "ego.gexf"
    args = ["--entity", str(data.amine), "--depth", "1", "--out", str(gexf)]
    done = runner.invoke(app, ["graph", "export", "--format", "gexf", *args])
    assert done.exit_code == 0, done.output
    root = etree.parse(str(gexf)).getroot()
    assert len(root.findall(f".//{{{GEXF_NS}}}node")) == 3  # Amine, his phone, Tarek
    ftm = tmp_path / "all.ftm.json"
    done = runner.invoke(app, ["graph", "export", "--format", "ftm", "--out", str(ftm)])
    assert done.exit_code == 0, done.output
    schemata = {json.loads(line)["schema"] for line in ftm.read_text("utf-8").splitlines()}
    assert {"Person", "Passport", "Payment", "Associate"} <= schemata
    refused = runner.invoke(app, ["graph", "export", "--format", "pdf", "--out", str(ftm)])
    assert refused.exit_code == 1 and "graphml, gexf, ftm" in refused.output
    with demo_db.unit_of_work() as session:
        stmt = select(AuditEvent).where(AuditEvent.action == "graph.export")
        assert len(session.scalars(stmt).all()) == 3


def test_metrics_names_the_central_entities_and_the_communities(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        data = two_countries(session)
    done = runner.invoke(app, ["graph", "metrics", "--json", "--top", "2"])
    assert done.exit_code == 0, done.output
    body = json.loads(done.output)
    assert (body["nodes"], body["edges"]) == (8, 7)
    assert sum(c["size"] for c in body["communities"]) == 8
    assert body["central"][0]["caption"] == "Brahim El Fassi"
    path = runner.invoke(app, ["graph", "path", str(data.tarek), str(data.driss), "--json"])
    assert path.exit_code == 0, path.output
    steps = [s["caption"] for s in json.loads(path.output)["paths"][0]]
    assert steps[0] == "Tarek Ben Salah" and steps[-1] == "Driss Tazi"
    bad = runner.invoke(app, ["graph", "metrics", "--entity", "nonsense"])
    assert bad.exit_code == 1 and "--entity" in bad.output
