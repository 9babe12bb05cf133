"""The file pages as people use them: open a file from the form, find it in the list, move it, and
be refused with the field named; a case worker and another country's police see nothing."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support.web import login, post_form, translated


def test_an_investigator_opens_a_file_and_moves_it(client: TestClient, demo_db: Database) -> None:
    assert login(client, demo_db, "investigator.ma", DEMO_PASSWORD).status_code == 303
    assert "/investigations" in client.get("/").text  # the menu offers it
    empty = post_form(client, "/investigations/new", {"title": "", "origin": "", "reported_on": ""})
    assert empty.status_code == 422
    assert 'aria-invalid="true"' in empty.text or "invalid" in empty.text
    opened = post_form(
        client,
        "/investigations/new",
        {
            "title": "Farm workers, Souss valley",
            "origin": "inspection",
            "reported_on": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
            "summary": "Labour inspection found workers without pay.",
        },
    )
    assert opened.status_code == 303
    url = opened.headers["location"].split("?")[0]
    page = client.get(url)
    assert page.status_code == 200
    assert "Farm workers, Souss valley" in page.text
    # investigator.ma works in Arabic: the origin in words of the profile's language, not a code
    assert translated("Labour inspection", "ar") in page.text
    listing = client.get("/investigations")
    assert "Farm workers, Souss valley" in listing.text
    moved = post_form(client, f"{url}/move", {"stage": "preliminary_investigation"}, page=url)
    assert moved.status_code == 303
    refused = post_form(client, f"{url}/move", {"stage": "prosecution_decision"}, page=url)
    assert refused.status_code == 422
    assert translated(
        "Add at least one suspect before sending the file to the prosecution.", "ar"
    ) in refused.text.replace("&#39;", "'")


def test_a_case_worker_has_no_criminal_files(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    assert client.get("/investigations").status_code == 403
    assert 'href="/investigations"' not in client.get("/").text
