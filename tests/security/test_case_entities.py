"""Need-to-know for what comes from a case, walked over every role of two countries and every
entity and graph endpoint: a victim's name, alias, phone, e-mail, document, case reference and
record ids never reach someone who may not read the case; at most a signal names the agency to
ask. The suspects recorded by the police stay visible to the police and the prosecution."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from lxml import html  # type: ignore[import-untyped]
from sqlalchemy import update

from jusoor.agencies.models import User
from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.entities.case_support import SUSPECT, USERS, World, build, leaked
from tests.support import tokens
from tests.support.web import login

# Who reads investigation entities (permissions.yaml, entities.read); nobody of the demo may
# read a victim's case *and* the entities (tests/entities/test_case_scope.py gives one the two).
READERS = {"investigator.eg", "investigator.ma", "prosecutor.eg", "prosecutor.ma"}


def _world(db: Database) -> World:
    with db.unit_of_work() as session:
        return build(session)


def _api_paths(world: World) -> list[tuple[str, str, dict[str, object] | None]]:
    eg, ma = world.eg, world.ma
    gets = [
        "/api/v1/entities?limit=500",
        "/api/v1/entities?q=Amal%20Zeinab%20Victimova",
        "/api/v1/entities?q=%2B201005557788",
        "/api/v1/entities?q=QX7654321&schema=IdentityDocument",
        "/api/v1/entities?q=Victimova",
        f"/api/v1/entities/{world.suspect}",
        "/api/v1/graph",
        f"/api/v1/graph?entity={world.suspect}&depth=3",
        f"/api/v1/graph/path?from={world.suspect}&to={world.suspect_phone}",
        f"/api/v1/graph/path?from={world.suspect}&to={eg.person}",
        *(f"/api/v1/graph/export?format={fmt}" for fmt in ("ftm", "graphml", "gexf")),
        *(
            f"/api/v1/graph/export?format=ftm&entity={world.suspect}&depth=3",
            "/api/v1/entities/signals?q=%2B201005557788",
        ),
    ]
    for victim in (eg, ma):
        gets += [f"/api/v1/entities/{i}" for i in victim.records.values()]
        gets += [
            f"/api/v1/graph?case={victim.case_id}",
            f"/api/v1/graph?entity={victim.person}&depth=2",
            f"/api/v1/graph/export?format=graphml&case={victim.case_id}",
        ]
    posts: list[tuple[str, str, dict[str, object] | None]] = [
        (
            "POST",
            "/api/v1/entities/candidates",
            {"schema": "Person", "properties": {"name": ["Amal Zeinab Victimova"]}},
        ),
        (
            "POST",
            "/api/v1/entities/candidates",
            {"schema": "Phone", "properties": {"number": ["+20 100 555 7788"]}},
        ),
    ]
    return [("GET", path, None) for path in gets] + posts


def _body(client: TestClient, method: str, path: str, body: object, headers: dict[str, str]) -> str:
    response = client.request(method, path, json=body, headers=headers)
    assert response.status_code in (200, 403, 404, 422), f"{method} {path}: {response.status_code}"
    return response.text


@pytest.mark.parametrize("username", USERS)
def test_no_api_answer_holds_a_victims_data_without_case_access(
    client: TestClient, demo_db: Database, username: str
) -> None:
    world = _world(demo_db)
    headers = tokens.bearer(demo_db, username)
    for method, path, body in _api_paths(world):
        text = _body(client, method, path, body, headers)
        for victim in (world.eg, world.ma):
            assert not leaked(text, victim), f"{username} {method} {path}: {leaked(text, victim)}"


@pytest.mark.parametrize("username", sorted(READERS))
def test_suspects_stay_visible_to_police_and_prosecution_of_their_scope(
    client: TestClient, demo_db: Database, username: str
) -> None:
    world = _world(demo_db)
    headers = tokens.bearer(demo_db, username)
    listed = client.get("/api/v1/entities?limit=500", headers=headers)
    assert listed.status_code == 200
    suspect = client.get(f"/api/v1/entities/{world.suspect}", headers=headers)
    if username.endswith(".eg"):
        assert SUSPECT in listed.text and suspect.status_code == 200
        # The suspect's own phone is a neighbour; the victim at the end of `recruited` is not.
        neighbours = {n["id"] for n in suspect.json()["neighbours"]}
        assert neighbours == {str(world.suspect_phone)}
        assert [lk["type"] for lk in suspect.json()["links"]] == ["uses_phone"]
        graph = client.get(f"/api/v1/graph?entity={world.suspect}&depth=3", headers=headers)
        assert graph.status_code == 200 and SUSPECT in graph.text
        assert len(graph.json()["nodes"]) == 2
    else:
        assert SUSPECT not in listed.text and suspect.status_code == 404


def test_a_search_for_a_victims_phone_signals_the_holding_agency_and_nothing_else(
    client: TestClient, demo_db: Database
) -> None:
    world = _world(demo_db)
    headers = tokens.bearer(demo_db, "prosecutor.eg")
    found = client.get("/api/v1/entities/signals?q=%2B20 100 555 7788", headers=headers)
    assert found.status_code == 200
    [signal] = found.json()
    assert signal["agency_code"] == "eg-ngo" or signal["country"] == "EG"
    assert signal["contacts"] == "/exchange/contacts"
    assert not leaked(found.text, world.eg)
    # A first name alone is no signal; a name of no case neither.
    for q in ("Amal", "Nobody Atall"):
        assert client.get(f"/api/v1/entities/signals?q={q}", headers=headers).json() == []


@pytest.mark.parametrize(
    "username", ["prosecutor.eg", "investigator.eg", "caseworker.eg", "analyst.eg", "admin"]
)
def test_pages_show_no_victims_data_without_case_access(
    client: TestClient, demo_db: Database, username: str
) -> None:
    world = _world(demo_db)
    assert login(client, demo_db, username, DEMO_PASSWORD).status_code == 303
    eg = world.eg
    pages = [
        "/entities",
        "/entities?q=%2B201005557788",
        "/entities?q=QX7654321",
        f"/entities/{world.suspect}",
        *(f"/entities/{i}" for i in eg.records.values()),
        "/network",
        f"/network?case={eg.case_id}",
        f"/network?entity={world.suspect}&depth=3",
        f"/network?entity={eg.person}",
        "/entities/review",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code in (200, 403, 404, 422), f"{page}: {response.status_code}"
        # What the user typed (a searched value, an id in the address) is echoed back (the
        # search box, the language switch): it is their own input, not the case's data.
        typed = {s for s in eg.identifying() if s in page.replace("%2B", "+")}
        found = set(leaked(response.text, eg)) - typed
        assert not found, f"{username} {page}: {found}"


@pytest.mark.parametrize("page", ["/entities", "/network"])
def test_a_page_search_shows_a_plain_sentence_naming_whom_to_ask(
    client: TestClient, demo_db: Database, page: str
) -> None:
    world = _world(demo_db)
    with demo_db.unit_of_work() as session:
        session.execute(update(User).where(User.username == "prosecutor.eg").values(locale="en"))
    assert login(client, demo_db, "prosecutor.eg", DEMO_PASSWORD).status_code == 303
    response = client.get(page, params={"q": "QX7654321"})
    assert response.status_code == 200
    doc = html.fromstring(response.text)
    [section] = doc.xpath("//section[contains(@class, 'case-signals')]")
    text = section.text_content()
    assert "holds a record matching your search" in text and "Al-Amal" in text
    assert section.xpath(".//a[@href='/exchange/contacts']")
    assert not set(leaked(response.text, world.eg)) - {"QX7654321"}
    # Nothing to signal for a value no case holds.
    other = client.get(page, params={"q": "ZZ0000001"})
    assert not html.fromstring(other.text).xpath("//section[contains(@class, 'case-signals')]")
