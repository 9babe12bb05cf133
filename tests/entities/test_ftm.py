"""FollowTheMoney export and import: the mapping, and a round trip through an emptied database
that gives back the same entities and links, ids aside. Uses the synthetic networks."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from typer.testing import CliRunner

from jusoor.agencies.models import Agency
from jusoor.audit.models import AuditEvent
from jusoor.cli.main import app
from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from jusoor.entities import service
from jusoor.entities.io import ftm, ftm_import
from jusoor.entities.models import Entity, EntityKey, Link
from jusoor.entities.schemas import EntityCreate, LinkCreate
from jusoor.synth.networks import load_network

OPERATOR = system_actor("test")
runner = CliRunner()
REFERENCES = frozenset(
    {"holder", "person", "relative", "associate", "member", "organization", "owner", "asset",
     "employer", "employee", "payer", "beneficiary", "payerAccount", "beneficiaryAccount",
     "subject", "object"}
)  # fmt: skip


def _export(db: Database) -> list[dict[str, Any]]:
    out = io.StringIO()
    with db.unit_of_work() as session:
        ftm.export_ftm(session, actor=OPERATOR, out=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def canonical(items: list[dict[str, Any]]) -> Counter[str]:
    """The export with every id replaced by what it points to: equal for equal content."""
    by_id = {item["id"]: item for item in items}

    def plain(item: dict[str, Any]) -> str:
        props = {k: sorted(v) for k, v in item["properties"].items() if k not in REFERENCES}
        return json.dumps([item["schema"], props], ensure_ascii=False, sort_keys=True)

    def full(item: dict[str, Any]) -> str:
        props = {
            k: sorted(plain(by_id[v]) for v in vs) if k in REFERENCES else sorted(vs)
            for k, vs in item["properties"].items()
        }
        return json.dumps([item["schema"], props], ensure_ascii=False, sort_keys=True)

    return Counter(full(item) for item in items)


def test_the_synthetic_network_exports_as_ftm(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        counts = load_network(session, actor=OPERATOR, seed=7)
    assert counts["Person"] > 20
    items = _export(demo_db)
    schemata = Counter(item["schema"] for item in items)
    assert {"Person", "Organization", "Passport", "Vehicle", "BankAccount"} <= set(schemata)
    assert {"Associate", "Employment", "Family", "Ownership", "Payment", "UnknownLink"} <= set(
        schemata
    )
    assert "Phone" not in schemata  # phones are values of the people who use them
    with_phone = [i for i in items if i["schema"] == "Person" and i["properties"].get("phone")]
    assert with_phone and all(
        p.startswith("+") for i in with_phone for p in i["properties"]["phone"]
    )
    passports = [i for i in items if i["schema"] == "Passport"]
    assert all(i["properties"]["holder"] for i in passports)
    roles = {i["properties"]["role"][0] for i in items if i["schema"] == "UnknownLink"}
    assert {"recruited", "exploited", "travelled_with"} <= roles
    with demo_db.unit_of_work() as session:
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == "entity.export")).one()


def test_export_import_export_gives_the_same_entities_and_links(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        load_network(session, actor=OPERATOR, seed=11, rings=2)
        # A phone that is linked to nobody by uses_phone, and a link with dates and notes.
        agency = session.scalars(select(Agency).where(Agency.country == "MA")).first()
        assert agency is not None
        phone = service.create_entity(
            session,
            actor=OPERATOR,
            entity_in=EntityCreate(
                schema="Phone", properties={"number": ["+212611223344"]}, agency_id=agency.id
            ),
        )
        boss = service.create_entity(
            session,
            actor=OPERATOR,
            entity_in=EntityCreate(
                schema="Person", properties={"name": ["Said Boss"]}, agency_id=agency.id
            ),
        )
        service.create_link(
            session,
            actor=OPERATOR,
            link_in=LinkCreate(
                type="unknown",
                source_entity_id=boss.id,
                target_entity_id=phone.id,
                start_date="2024-02-11",
                end_date="2024",
                properties={"role": ["called"], "notes": ["Seen in the call records."]},
            ),
        )
    first = _export(demo_db)
    with demo_db.unit_of_work() as session:
        for model in (Link, EntityKey, Entity):
            session.execute(delete(model))
    with demo_db.unit_of_work() as session:
        summary = ftm_import.import_ftm(
            session, actor=OPERATOR, lines=[json.dumps(i) for i in first], agency_id=agency.id
        )
    assert summary.problems == {}
    second = _export(demo_db)
    assert len(second) == len(first)
    assert canonical(second) == canonical(first)


def test_foreign_ftm_is_read_and_unknown_schemata_are_counted(demo_sqlite: Database) -> None:
    lines = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Ali Hassan"], "phone": ["+201001234567"]}},
        {"id": "p2", "schema": "Person", "properties": {"name": ["Omar Said"], "phone": ["+201001234567", "call me"]}},
        {"id": "c1", "schema": "Company", "properties": {"name": ["Nile Travel"]}},
        {"id": "e1", "schema": "Employment", "properties": {"employer": ["c1"], "employee": ["p1"]}},
        {"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"]}},
        {"id": "x1", "schema": "Family", "properties": {"person": ["p1"], "relative": ["zz"]}},
    ]  # fmt: skip
    with demo_sqlite.unit_of_work() as session:
        agency = session.scalars(select(Agency).where(Agency.country == "EG")).first()
        assert agency is not None
        summary = ftm_import.import_ftm(
            session,
            actor=OPERATOR,
            lines=[json.dumps(x) for x in lines] + ["{not json", '{"schema": "Person"}'],
            agency_id=agency.id,
        )
    assert summary.entities == {"Person": 2, "Organization": 1, "Phone": 1}  # one shared phone
    assert summary.links == {"uses_phone": 2, "employs": 1}
    assert summary.problems == {
        "skipped: Sanction": 1,
        "Family: missing_entity": 1,
        "line: invalid_json": 1,
        "line: not_an_entity": 1,
        "Person.number: unparseable_phone": 1,
    }


def test_the_export_and_import_commands(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.unit_of_work() as session:
        load_network(session, actor=OPERATOR, seed=3, rings=1)
        code = session.scalars(select(Agency.code).where(Agency.country == "MA")).first()
    out = tmp_path / "network.ftm.json"
    exported = runner.invoke(app, ["entities", "export", "--format", "ftm", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert out.read_text(encoding="utf-8").count("\n") > 20
    assert out.stat().st_mode & 0o077 == 0  # names and numbers in clear: the operator's only
    imported = runner.invoke(
        app, ["entities", "import-ftm", str(out), "--agency", str(code), "--json"]
    )
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["entities"]["Person"] > 5
    wrong = runner.invoke(app, ["entities", "export", "--format", "gexf", "--out", str(out)])
    assert wrong.exit_code == 1
