"""The identification joints as people use them: the queue page, API and CLI, the decision on the
result page and on the case page, the start form's questions about the person, "My screenings"
and the open-case form's refusal (both engines, demo directory)."""

from __future__ import annotations

import json
import uuid

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jusoor.agencies import service as directory
from jusoor.cases.models import Case
from jusoor.cli.main import app
from jusoor.core.db import Database
from jusoor.screening.models import Screening, TraffickingStatus
from tests.conftest import DEMO_PASSWORD
from tests.screening.support import PRESUMED, actor, decide, open_case_for, screened
from tests.support.tokens import bearer
from tests.support.web import csrf_from, login

runner = CliRunner()


def _in_english(client: TestClient) -> None:
    page = client.get("/screening")
    client.post("/language", data={"lang": "en", "csrf_token": csrf_from(page.text)})


def _sign_in(client: TestClient, db: Database, username: str) -> None:
    client.cookies.clear()
    login(client, db, username, DEMO_PASSWORD)
    _in_english(client)


def _screened(db: Database, *, days_ago: int = 0, case: bool = False) -> uuid.UUID:
    with db.unit_of_work() as session:
        screener = actor(session, "screener.ma")
        screening = screened(session, screener, PRESUMED, days_ago=days_ago)
        if case:
            open_case_for(session, screener, screening, "caseworker.ma")
        return screening.id


def _display_name(db: Database, username: str) -> str:
    with db.unit_of_work() as session:
        user = directory.get_user_by_username(session, username)
        assert user is not None
        return user.display_name


def test_the_investigator_finds_the_person_in_the_queue_and_decides(
    client: TestClient, demo_db: Database
) -> None:
    late, fresh = _screened(demo_db, days_ago=40), _screened(demo_db)
    _sign_in(client, demo_db, "investigator.ma")
    menu = client.get("/").text
    assert 'href="/identification"' in menu
    page = client.get("/identification")
    assert page.status_code == 200
    html = page.text
    assert html.index(f"/screening/{late}/result") < html.index(f"/screening/{fresh}/result")
    assert "Days overdue: 30" in html and "Overdue: 1" in html
    assert "Adult, labour exploitation" in html and "Presumed victim" in html
    assert "24 to 26 years" in html
    result = client.get(f"/screening/{late}/result")
    assert "To be decided by" in result.text and 'badge warn">Overdue<' in result.text
    decided = client.post(
        f"/screening/{late}/identification",
        data={
            "status": "actual",
            "basis": "Debt bondage confirmed by the labour inspector.",
            "csrf_token": csrf_from(result.text),
        },
        follow_redirects=False,
    )
    assert decided.status_code == 303
    shown = client.get(decided.headers["location"]).text
    assert "Victim (identified)" in shown
    assert _display_name(demo_db, "investigator.ma") in shown
    assert "Debt bondage confirmed by the labour inspector." in shown
    assert f"/screening/{late}/result" not in client.get("/identification").text
    assert "To be decided by" not in shown  # decided: nothing is owed any more


def test_the_screener_sees_the_decision_without_its_basis(
    client: TestClient, demo_db: Database
) -> None:
    sid = _screened(demo_db)
    with demo_db.unit_of_work() as session:
        screening = session.get(Screening, sid)
        assert screening is not None
        decide(session, actor(session, "prosecutor.ma"), screening, TraffickingStatus.not_a_victim)
    _sign_in(client, demo_db, "screener.ma")
    html = client.get(f"/screening/{sid}/result").text
    assert "Not a victim" in html and _display_name(demo_db, "prosecutor.ma") in html
    assert "Passport held by the employer." not in html


def test_the_queue_is_refused_to_those_who_do_not_decide(
    client: TestClient, demo_db: Database
) -> None:
    _screened(demo_db)
    for username in ("screener.ma", "caseworker.ma"):
        _sign_in(client, demo_db, username)
        assert 'href="/identification"' not in client.get("/").text
        assert client.get("/identification").status_code == 403
    _sign_in(client, demo_db, "investigator.tn")
    assert "Nobody is waiting for a formal identification decision." in (
        client.get("/identification").text
    )


def test_the_case_page_shows_the_screening_and_the_decision(
    client: TestClient, demo_db: Database
) -> None:
    sid = _screened(demo_db, case=True)
    with demo_db.unit_of_work() as session:
        screening = session.get(Screening, sid)
        assert screening is not None and screening.case_id is not None
        decide(session, actor(session, "investigator.ma"), screening, TraffickingStatus.actual)
        case_id = screening.case_id
    _sign_in(client, demo_db, "caseworker.ma")
    html = client.get(f"/cases/{case_id}").text
    assert f'href="/screening/{sid}/result"' in html
    assert "Presumed victim" in html and "Confiscation of documents" in html
    assert "Victim (identified)" in html and _display_name(demo_db, "investigator.ma") in html
    assert "Passport held by the employer." in html  # the holder reads the basis
    assert "Identified as a victim of trafficking" in html  # the timeline
    assert client.get(f"/screening/{sid}/result").status_code == 200  # through the case


def test_the_start_form_asks_about_the_person_in_words(
    client: TestClient, demo_db: Database
) -> None:
    _sign_in(client, demo_db, "screener.ma")
    page = client.get("/screening").text
    assert '<option value="NG">Nigeria</option>' in page
    assert 'value="ti"> Tigrinya' in page and '<option value="yo">Yoruba</option>' in page
    started = client.post(
        "/screening",
        data={
            "age_band": "9-17",
            "exploitation": "labour",
            "gender": "feminine",
            "citizenship": "ER",
            "languages": ["ti", "ar"],
            "other_language": "yo",
            "csrf_token": csrf_from(page),
        },
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text
    sid = started.headers["location"].split("/")[2]
    body = client.get(f"/api/v1/screenings/{sid}", headers=bearer(demo_db, "screener.ma")).json()
    assert body["profile"] == "child-labour" and body["age_band"] == "9-17"
    assert body["gender"] == "feminine" and body["citizenship"] == ["ER"]
    assert body["languages"] == ["ti", "ar", "yo"]


def test_my_screenings_shows_the_completed_ones_and_the_case_reference(
    client: TestClient, demo_db: Database
) -> None:
    sid = _screened(demo_db, case=True)
    with demo_db.unit_of_work() as session:
        screening = session.get(Screening, sid)
        assert screening is not None
        reference = screening.reference
        case = session.get(Case, screening.case_id)
        assert case is not None
        open_reference = case.reference
    _sign_in(client, demo_db, "screener.ma")
    html = client.get("/screening").text
    assert "My completed screenings" in html
    assert f'href="/screening/{sid}/result"' in html and reference in html
    assert f"Case {open_reference}" in html and "Presumed victim" in html


def test_open_a_case_without_a_case_worker_shows_the_form_again(
    client: TestClient, demo_db: Database
) -> None:
    sid = _screened(demo_db)
    _sign_in(client, demo_db, "screener.ma")
    page = client.get(f"/screening/{sid}/result")
    refused = client.post(f"/screening/{sid}/case", data={"csrf_token": csrf_from(page.text)})
    assert refused.status_code == 422
    assert 'id="owner_username-error"' in refused.text
    assert "Choose the case worker who will follow the case." in refused.text
    assert "Screening result" in refused.text  # the result page, not a bare error


def test_the_queue_api_gives_the_same_rows(client: TestClient, demo_db: Database) -> None:
    sid = _screened(demo_db, days_ago=12)
    body = client.get(
        "/api/v1/identification/queue", headers=bearer(demo_db, "investigator.ma")
    ).json()
    assert body["total"] == 1 and body["overdue"] == 1
    row = body["rows"][0]
    assert row["screening_id"] == str(sid) and row["overdue"] is True
    assert row["days_left"] == -2 and row["decision_url"] == f"/screening/{sid}/result"
    for username in ("screener.ma", "caseworker.ma"):
        refused = client.get("/api/v1/identification/queue", headers=bearer(demo_db, username))
        assert refused.status_code == 403
    other = client.get("/api/v1/identification/queue", headers=bearer(demo_db, "prosecutor.tn"))
    assert other.json()["total"] == 0


def test_the_queue_cli(demo_db: Database) -> None:
    sid = _screened(demo_db, days_ago=3)
    done = runner.invoke(app, ["screening", "queue", "--json"])
    assert done.exit_code == 0, done.output
    body = json.loads(done.stdout)
    assert [r["screening_id"] for r in body["rows"]] == [str(sid)]
    assert body["overdue"] == 0 and body["rows"][0]["days_left"] == 7
    table = runner.invoke(app, ["screening", "queue"])
    assert table.exit_code == 0 and "S-" in table.stdout


def test_the_queue_cli_pages_on_with_the_cursor_it_gives(demo_db: Database) -> None:
    first_id, second_id = _screened(demo_db, days_ago=4), _screened(demo_db, days_ago=3)
    first = json.loads(runner.invoke(app, ["screening", "queue", "--limit", "1", "--json"]).stdout)
    assert [r["screening_id"] for r in first["rows"]] == [str(first_id)]
    assert first["total"] == 2 and first["more"] is False and first["next"]
    done = runner.invoke(app, ["screening", "queue", "--limit", "1", "--after", first["next"]])
    assert done.exit_code == 0, done.output
    second = runner.invoke(
        app, ["screening", "queue", "--limit", "1", "--after", first["next"], "--json"]
    )
    body = json.loads(second.stdout)
    assert [r["screening_id"] for r in body["rows"]] == [str(second_id)] and body["next"] is None
    refused = runner.invoke(app, ["screening", "queue", "--after", "not-a-cursor"])
    assert refused.exit_code != 0 and "after" in refused.output
