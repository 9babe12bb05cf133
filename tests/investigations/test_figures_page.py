"""The figures page: the coordinator reads the year's counts in words with small cells as "<5";
the prosecution reads exact counts; a case worker is refused; the menu offers it to those roles."""

from __future__ import annotations

from fastapi.testclient import TestClient

from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.investigations.support import in_english
from tests.investigations.test_figures import YEAR, fill
from tests.support.web import login


def test_the_coordinator_reads_the_years_figures_with_small_cells_hidden(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        fill(s)
    in_english(demo_db, "coordinator.ma", "prosecutor.ma")
    login(client, demo_db, "coordinator.ma", DEMO_PASSWORD)
    assert 'href="/investigations/figures"' in client.get("/").text
    page = client.get(f"/investigations/figures?year={YEAR}")
    assert page.status_code == 200
    text = page.text
    assert "Convicted at first instance" in text and "Morocco" in text  # words, not codes
    assert "Forced labour" in text and "forced_labour" not in text
    assert '<bdi dir="ltr">&lt;5</bdi>' in text  # four persons in formal contact: "<5"
    assert "Adil" not in text  # counts only, never a name
    client.post("/logout", follow_redirects=False)
    login(client, demo_db, "prosecutor.ma", DEMO_PASSWORD)
    exact = client.get(f"/investigations/figures?year={YEAR}").text
    assert 'Brought into formal contact with the police: <bdi dir="ltr">4</bdi>' in exact
    assert "&lt;5" not in exact


def test_a_case_worker_and_a_bad_year_are_refused(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    assert client.get("/investigations/figures").status_code == 403
    assert 'href="/investigations/figures"' not in client.get("/").text
    client.post("/logout", follow_redirects=False)
    login(client, demo_db, "coordinator.ma", DEMO_PASSWORD)
    assert client.get("/investigations/figures?year=1999").status_code == 422
