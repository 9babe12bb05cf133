"""The entity list and search at scale (issue 18, item 3): keyset pages that keep to the
caller's scope, browsing or searching, in a fixed number of statements; forged cursors refused."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient

from jusoor.agencies.models import Agency
from jusoor.core.db import Database
from jusoor.entities import service
from jusoor.entities.models import SourceKind
from tests.conftest import DEMO_PASSWORD
from tests.entities.test_store import actor
from tests.support.paging import api_rows, html_pages
from tests.support.statements import counting
from tests.support.tokens import bearer
from tests.support.web import login

ENTITY_RE = re.compile(r'href="/entities/([0-9a-f-]{36})"')


def _seed(db: Database, username: str, n: int, surname: str) -> set[uuid.UUID]:
    """`n` people named "<given> <surname>" owned by `username`'s agency: their ids."""
    made = set()
    with db.unit_of_work() as session:
        who = actor(session, username)
        agency = session.get(Agency, who.agency_id)
        assert agency is not None
        for i in range(n):
            entity, _problems = service.add_entity(
                session,
                actor=who,
                agency=agency,
                schema_name="Person",
                properties={"name": [f"Given{i:03d} {surname}"]},
                source_kind=SourceKind.report,
            )
            made.add(entity.id)
    return made


def _api_ids(client: TestClient, headers: dict[str, str], query: str) -> list[uuid.UUID]:
    rows = api_rows(client, headers, f"/api/v1/entities?limit=9{query}", most=50)
    return [uuid.UUID(e["id"]) for e in rows]


def test_entity_pages_never_leave_the_callers_scope(client: TestClient, demo_db: Database) -> None:
    mine = _seed(demo_db, "investigator.mr", 23, "Akeik")
    theirs = _seed(demo_db, "investigator.ma", 11, "Akeik")
    headers = bearer(demo_db, "investigator.mr")
    for query in ("", "&q=Akeik", "&schema=Person&q=Akeik"):
        ids = _api_ids(client, headers, query)
        assert len(ids) == len(set(ids)), query
        assert mine <= set(ids) and not set(ids) & theirs, query
    assert set(_api_ids(client, bearer(demo_db, "investigator.ma"), "&q=Akeik")) == theirs
    login(client, demo_db, "investigator.mr", DEMO_PASSWORD)
    seen = [
        i
        for text in html_pages(client, "/entities?q=Akeik", most=10)
        for i in ENTITY_RE.findall(text)
    ]
    assert {uuid.UUID(s) for s in seen} == mine and len(seen) == len(mine)


def test_entity_lists_send_as_many_statements_for_fifty_rows_as_for_five(
    client: TestClient, demo_db: Database
) -> None:
    _seed(demo_db, "investigator.mr", 5, "Akeik")
    login(client, demo_db, "investigator.mr", DEMO_PASSWORD)
    headers = bearer(demo_db, "investigator.mr")
    urls = ("/entities", "/entities?q=Akeik", "/api/v1/entities?limit=50&q=Akeik")

    def counts() -> list[int]:
        found = []
        for url in urls:
            with counting(demo_db.engine) as seen:
                response = client.get(url, headers=headers if url.startswith("/api") else {})
            assert response.status_code == 200
            found.append(seen.count)
        return found

    counts()
    few = counts()
    _seed(demo_db, "investigator.mr", 45, "Akeik")
    assert counts() == few


def test_forged_positions_are_refused_by_name(client: TestClient, demo_db: Database) -> None:
    _seed(demo_db, "investigator.mr", 12, "Akeik")
    headers = bearer(demo_db, "investigator.mr")
    search_cursor = client.get("/api/v1/entities?limit=2&q=Akeik", headers=headers).headers[
        "X-Next-Cursor"
    ]
    for query in ("after=forged", f"after={search_cursor}", "after=" + "z" * 60):
        response = client.get(f"/api/v1/entities?{query}", headers=headers)  # a browse
        assert response.status_code == 422, query
        assert response.json()["error"]["field"] == "after"
    login(client, demo_db, "investigator.mr", DEMO_PASSWORD)
    page = client.get("/entities?after=forged")
    assert page.status_code == 422 and "data-error-summary" in page.text
