"""The network and entity pages and the graph API over HTTP: readable without JavaScript (tables
of nodes, links, communities, paths), within the caller's scope, exports audited."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from lxml import etree, html  # type: ignore[import-untyped]
from sqlalchemy import select

from jusoor.agencies.models import User, UserRole
from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from jusoor.entities import service
from jusoor.entities.schemas import EntityCreate
from jusoor.graph.export import GEXF_NS
from tests.cases.support import open_case
from tests.conftest import DEMO_PASSWORD
from tests.graph.support import TwoCountries, two_countries
from tests.support.web import login, translated


def _data(db: Database) -> TwoCountries:
    with db.unit_of_work() as session:
        return two_countries(session)


def _sign_in(client: TestClient, db: Database, username: str) -> None:
    assert login(client, db, username, DEMO_PASSWORD).status_code == 303


def test_the_network_page_is_tables_without_javascript(
    client: TestClient, demo_db: Database
) -> None:
    data = _data(demo_db)
    _sign_in(client, demo_db, "investigator.ma")
    page = client.get(f"/network?entity={data.brahim}&depth=1")
    assert page.status_code == 200
    doc = html.fromstring(page.text)
    names = [a.text_content() for a in doc.xpath("//table[@class='nodes']/tbody/tr/td[1]/a")]
    assert names[0] == "Brahim El Fassi"  # the most central first
    assert set(names) == {"Brahim El Fassi", "+212612345678", "Chaima B.", "Driss Tazi"}
    assert len(doc.xpath("//table[@class='links']/tbody/tr")) == 3
    assert doc.xpath("//table[@class='communities']/tbody/tr")
    canvas = doc.get_element_by_id("network-canvas")
    assert canvas.get("data-graph-url") == f"/api/v1/graph?entity={data.brahim}&depth=1"
    assert canvas.get("hidden") is not None  # shown by the script only
    assert not doc.xpath("//script[not(@src)]") and not doc.xpath("//*[@style]")
    assert "Tarek" not in page.text


def test_the_page_finds_entities_and_draws_shortest_paths(
    client: TestClient, demo_db: Database
) -> None:
    data = _data(demo_db)
    _sign_in(client, demo_db, "investigator.ma")
    found = client.get("/network", params={"q": "+212 612 345 678"})
    assert f"/network?entity={data.phone}" in found.text
    page = client.get(
        "/network",
        params={
            "entity": str(data.amine),
            "depth": "3",
            "path_from": str(data.amine),
            "path_to": str(data.driss),
        },
    )
    doc = html.fromstring(page.text)
    steps = [a.text_content() for a in doc.xpath("//ol[@class='paths']/li/a")]
    assert steps == ["Mohamed Amine Ould Akik", "+212612345678", "Brahim El Fassi", "Driss Tazi"]


def test_the_graph_api_answers_in_scope_only(client: TestClient, demo_db: Database) -> None:
    data = _data(demo_db)
    _sign_in(client, demo_db, "investigator.tn")
    graph = client.get("/api/v1/graph", params={"entity": str(data.tarek), "depth": 3}).json()
    assert {n["id"] for n in graph["nodes"]} == {str(data.tarek), str(data.tarek_phone)}
    assert graph["seed"] == str(data.tarek)
    # investigator.tn reads Arabic: the link is labelled in the user's language
    assert graph["edges"][0]["label"] == translated("uses the phone", "ar")
    assert client.get("/api/v1/graph", params={"entity": str(data.amine)}).status_code == 404
    refused = client.get(
        "/api/v1/graph/path", params={"from": str(data.tarek), "to": str(data.amine)}
    )
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "to"
    params = {"from": str(data.tarek_phone), "to": str(data.tarek)}
    found = client.get("/api/v1/graph/path", params=params).json()
    assert found["paths"] == [[str(data.tarek_phone), str(data.tarek)]]
    assert {n["schema"] for n in found["nodes"]} == {"Person", "Phone"}
    assert (
        client.get("/api/v1/graph", params={"entity": str(data.tarek), "depth": 9}).status_code
        == 422
    )
    assert client.get(f"/entities/{data.amine}").status_code == 404
    assert "Amine" not in client.get("/entities").text


def test_exports_download_and_are_audited(client: TestClient, demo_db: Database) -> None:
    data = _data(demo_db)
    _sign_in(client, demo_db, "investigator.ma")
    gexf = client.get(
        "/api/v1/graph/export", params={"format": "gexf", "entity": str(data.amine), "depth": 2}
    )
    assert gexf.status_code == 200 and "attachment" in gexf.headers["content-disposition"]
    root = etree.fromstring(gexf.content)
    assert len(root.findall(f".//{{{GEXF_NS}}}node")) == 3
    assert client.get("/api/v1/graph/export", params={"format": "pdf"}).status_code == 422
    with demo_db.unit_of_work() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "graph.export")).one()
        details = json.loads(event.details)
        assert details["format"] == "gexf" and details["seed"] == str(data.amine)
        assert (details["nodes"], details["edges"]) == (3, 2)
        assert event.actor_username == "investigator.ma"


def test_the_entity_page_shows_its_links_and_source(client: TestClient, demo_db: Database) -> None:
    data = _data(demo_db)
    _sign_in(client, demo_db, "investigator.ma")
    listed = client.get("/entities", params={"schema": "Person"})
    assert "Brahim El Fassi" in listed.text and "+212612345678" not in listed.text
    page = client.get(f"/entities/{data.brahim}")
    assert page.status_code == 200
    doc = html.fromstring(page.text)
    others = {a.text_content() for a in doc.xpath("//table[@class='links']/tbody/tr/td/a")}
    assert others == {"+212612345678", "Chaima B.", "Driss Tazi"}
    assert "R-1" in page.text
    assert doc.xpath(f"//a[@href='/network?entity={data.brahim}&depth=2']")


def test_people_without_entity_access_have_no_network(
    client: TestClient, demo_db: Database
) -> None:
    _sign_in(client, demo_db, "caseworker.ma")
    assert client.get("/network").status_code == 403
    assert client.get("/api/v1/graph").status_code == 403
    assert "/network" not in client.get("/").text


def test_a_case_network_is_drawn_only_for_whom_may_read_the_case(
    client: TestClient, demo_db: Database
) -> None:
    """A case's network names the case and its people: the investigator of the same country,
    who may not read the case, gets neither the reference among the choices nor the network;
    a case worker of the owning agency who also investigates (two roles) gets both."""
    with demo_db.unit_of_work() as session:
        case = open_case(session, "caseworker.ma")
        body = EntityCreate.model_validate(
            {
                "schema": "Person",
                "properties": {"name": ["Hanane K."]},
                "case_id": str(case.id),
                "agency_id": str(case.agency_id),
            }
        )
        service.create_entity(session, actor=system_actor("operator"), entity_in=body)
        worker = session.scalars(select(User).where(User.username == "caseworker.ma")).one()
        session.add(UserRole(user_id=worker.id, role="investigator"))
        reference, case_id = case.reference, case.id
    _sign_in(client, demo_db, "investigator.ma")
    form = html.fromstring(client.get("/network").text)
    assert not form.xpath(f"//select[@id='case']/option[text()='{reference}']")
    refused = client.get("/network", params={"case": str(case_id)})
    assert refused.status_code == 404
    assert reference not in refused.text and "Hanane" not in refused.text
    with demo_db.unit_of_work() as session:
        refusals = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "access.refused",
                AuditEvent.actor_username == "investigator.ma",
            )
        ).all()
    assert [e.outcome for e in refusals] == ["refused"]  # the page's 404 is audited (ASVS 7.2.2)
    client.cookies.clear()
    _sign_in(client, demo_db, "caseworker.ma")
    form = html.fromstring(client.get("/network").text)
    assert form.xpath(f"//select[@id='case']/option[text()='{reference}']")
    page = client.get("/network", params={"case": str(case_id)})
    doc = html.fromstring(page.text)
    names = {a.text_content() for a in doc.xpath("//table[@class='nodes']/tbody/tr/td[1]/a")}
    assert names == {"Hanane K."}
    assert reference in doc.xpath("//h2[@id='net-title']")[0].text_content()
