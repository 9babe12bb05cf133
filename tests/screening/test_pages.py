"""The screening wizard and result page, and the JSON API, over the demo directory (both engines)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.screening import Profile
from jusoor.screening.questionnaire import questionnaire
from tests.conftest import DEMO_PASSWORD
from tests.support.tokens import bearer
from tests.support.web import csrf_from, login

START = {"age_band": "24-26", "exploitation": "labour", "label": "W-1"}
YES = {
    "job_different",
    "pay_different",
    "documents_kept",
    "not_free_to_leave",
    "long_hours",
    "little_or_no_pay",
}


def _in_english(client: TestClient) -> None:
    page = client.get("/screening")
    client.post("/language", data={"lang": "en", "csrf_token": csrf_from(page.text)})


def _start(client: TestClient) -> str:
    page = client.get("/screening")
    response = client.post(
        "/screening", data={**START, "csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def _post_step(client: TestClient, url: str, answers: dict[str, str], then: str) -> Response:
    page = client.get(url)
    data = {f"answers.{k}": v for k, v in answers.items()}
    return client.post(
        url, data={**data, "then": then, "csrf_token": csrf_from(page.text)}, follow_redirects=False
    )


def test_a_full_screening_shows_the_dimensions_and_indicators(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "screener.ma", DEMO_PASSWORD)
    url = _start(client)
    for step in questionnaire().for_profile(Profile.ADULT_LABOUR):
        assert url.endswith(f"/steps/{step.id}")
        answers = {q.id: "yes" if q.id in YES else "no" for q in step.questions}
        response = _post_step(client, url, answers, "next")
        assert response.status_code == 303
        url = response.headers["location"]
    assert url.endswith("/result")
    _in_english(client)
    page = client.get(url)
    assert page.status_code == 200
    html = page.text
    assert "Presumed victim" in html, html[html.index("<main") :]
    assert "Deceptive recruitment" in html and "Coercion at destination" in html
    assert "Deceived about the nature of the job, location or employer" in html
    assert "Confiscation of documents" in html
    assert "it does not make it" in html
    # A screener does not identify: no decision form.
    assert 'action="' + url.replace("/result", "/identification") not in html


def test_save_and_continue_later_keeps_the_answers_and_lists_the_draft(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "screener.ma", DEMO_PASSWORD)
    url = _start(client)
    response = _post_step(client, url, {"job_different": "yes"}, "stop")
    assert response.headers["location"] == "/screening?done=saved"
    listing = client.get("/screening").text
    screening_url = url.split("/steps/")[0]
    assert f'href="{screening_url}"' in listing and "W-1" in listing
    resumed = client.get(screening_url)
    assert resumed.url.path == url
    assert re.search(r'name="answers.job_different" value="yes" checked', resumed.text)


def test_a_bad_answer_names_the_question_and_saves_nothing(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "screener.ma", DEMO_PASSWORD)
    url = _start(client)
    response = _post_step(client, url, {"job_different": "perhaps"}, "next")
    assert response.status_code == 422
    assert "job_different" in response.text
    assert 'value="yes" checked' not in client.get(url).text


def test_a_step_with_an_unanswered_question_is_refused(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "screener.ma", DEMO_PASSWORD)
    url = _start(client)
    response = _post_step(client, url, {"job_different": "yes"}, "next")
    assert response.status_code == 422
    assert 'id="pay_different-error"' in response.text


def test_another_agencys_screener_gets_404_on_my_draft(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "screener.ma", DEMO_PASSWORD)
    url = _start(client)
    client.cookies.clear()
    login(client, demo_db, "screener.tn", DEMO_PASSWORD)
    assert client.get(url).status_code == 404
    assert client.get(url.split("/steps/")[0] + "/result").status_code == 404


def test_the_api_screens_and_gives_the_engines_result(
    client: TestClient, demo_db: Database
) -> None:
    auth = bearer(demo_db, "screener.ma")
    created = client.post(
        "/api/v1/screenings", json={"age_band": "unknown", "exploitation": "labour"}, headers=auth
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["profile"] == "child-labour" and body["status"] == "draft"
    sid = body["id"]
    answers = {"job_different": "yes", "school_promised": "yes", "hurt_here": "unknown"}
    saved = client.patch(
        f"/api/v1/screenings/{sid}/answers", json={"answers": answers}, headers=auth
    )
    assert saved.status_code == 200 and saved.json()["answers"] == answers
    done = client.post(f"/api/v1/screenings/{sid}/complete", headers=auth)
    assert done.status_code == 200
    result = done.json()["assessment"]
    # Two strong indicators of deceptive recruitment for a child (clause a); "unknown" not counted.
    dimensions = {d["dimension"]: d for d in result["dimensions"]}
    assert dimensions["deceptive_recruitment"]["status"] == "positive"
    assert dimensions["coercion_at_destination"]["unknown"] == ["cd.violence_on_victims"]
    assert dimensions["coercion_at_destination"]["indicators"] == []
    again = client.get(f"/api/v1/screenings/{sid}/result", headers=auth).json()
    assert again["assessment"]["outcome"] == result["outcome"]


def test_the_api_refuses_bad_answers_naming_the_field(
    client: TestClient, demo_db: Database
) -> None:
    auth = bearer(demo_db, "screener.ma")
    sid = client.post(
        "/api/v1/screenings", json={"age_band": "18_plus", "exploitation": "sexual"}, headers=auth
    ).json()["id"]
    for answers, field in (
        ({"not_a_question": "yes"}, "answers.not_a_question"),
        ({"job_different": "sometimes"}, "answers.job_different"),
    ):
        response = client.patch(
            f"/api/v1/screenings/{sid}/answers", json={"answers": answers}, headers=auth
        )
        assert response.status_code == 422
        assert response.json()["error"]["field"] == field
    assert client.get(f"/api/v1/screenings/{sid}", headers=auth).json()["answers"] == {}


def test_identification_through_the_api(client: TestClient, demo_db: Database) -> None:
    screener = bearer(demo_db, "screener.ma")
    sid = client.post(
        "/api/v1/screenings",
        json={"age_band": "18_plus", "exploitation": "labour"},
        headers=screener,
    ).json()["id"]
    client.post(f"/api/v1/screenings/{sid}/complete", headers=screener)
    decision = {"screening_id": sid, "status": "possible", "basis": "Statement and documents."}
    refused = client.post("/api/v1/identifications", json=decision, headers=screener)
    assert refused.status_code == 403
    prosecutor = bearer(demo_db, "prosecutor.ma")
    made = client.post("/api/v1/identifications", json=decision, headers=prosecutor)
    assert made.status_code == 201, made.text
    got = client.get(f"/api/v1/identifications/{made.json()['id']}", headers=prosecutor)
    assert got.json()["status"] == "possible" and got.json()["basis"] == decision["basis"]
    # The screener reads the decision, not its grounds.
    seen = client.get(f"/api/v1/identifications/{made.json()['id']}", headers=screener).json()
    assert seen["status"] == "possible" and seen["basis"] is None
    bad = client.post(
        "/api/v1/identifications", json={**decision, "status": "victim"}, headers=prosecutor
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "status"


def test_identification_through_the_result_page(client: TestClient, demo_db: Database) -> None:
    screener = bearer(demo_db, "screener.ma")
    sid = client.post(
        "/api/v1/screenings",
        json={"age_band": "18_plus", "exploitation": "labour"},
        headers=screener,
    ).json()["id"]
    client.post(f"/api/v1/screenings/{sid}/complete", headers=screener)
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    _in_english(client)
    url = f"/screening/{sid}/result"
    page = client.get(url)
    assert f'action="/screening/{sid}/identification"' in page.text
    token = csrf_from(page.text)
    empty = client.post(
        f"/screening/{sid}/identification",
        data={"status": "actual", "basis": "", "csrf_token": token},
    )
    assert empty.status_code == 422 and 'id="basis-error"' in empty.text
    done = client.post(
        f"/screening/{sid}/identification",
        data={"status": "actual", "basis": "Joint interview.", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "Joint interview." in client.get(url).text


def _completed_by_api(client: TestClient, demo_db: Database, username: str) -> str:
    auth = bearer(demo_db, username)
    sid = str(
        client.post(
            "/api/v1/screenings", json={"age_band": "12_17", "exploitation": "labour"}, headers=auth
        ).json()["id"]
    )
    client.post(f"/api/v1/screenings/{sid}/complete", headers=auth)
    return sid


def test_a_case_worker_opens_a_case_from_the_result(client: TestClient, demo_db: Database) -> None:
    sid = _completed_by_api(client, demo_db, "caseworker.ma")
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    page = client.get(f"/screening/{sid}/result")
    assert f'action="/screening/{sid}/case"' in page.text
    opened = client.post(
        f"/screening/{sid}/case", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    assert opened.status_code == 303 and opened.headers["location"].startswith("/cases/")
    auth = bearer(demo_db, "caseworker.ma")
    linked = client.get(f"/api/v1/screenings/{sid}", headers=auth).json()
    assert linked["case_id"] and linked["case_id"] in opened.headers["location"]
    again = client.get(f"/screening/{sid}/result")
    assert f'action="/screening/{sid}/case"' not in again.text


def test_a_screener_hands_the_case_to_a_case_worker(client: TestClient, demo_db: Database) -> None:
    sid = _completed_by_api(client, demo_db, "screener.ma")
    login(client, demo_db, "screener.ma", DEMO_PASSWORD)
    page = client.get(f"/screening/{sid}/result")
    assert 'value="caseworker.ma"' in page.text
    opened = client.post(
        f"/screening/{sid}/case",
        data={"owner_username": "caseworker.ma", "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    assert opened.headers["location"].startswith("/cases/opened/MA-")


def test_reading_the_result_page_is_audited(client: TestClient, demo_db: Database) -> None:
    sid = _completed_by_api(client, demo_db, "screener.ma")
    login(client, demo_db, "screener.ma", DEMO_PASSWORD)

    def reads() -> int:
        with demo_db.unit_of_work() as session:
            query = select(func.count()).select_from(AuditEvent)
            query = query.where(AuditEvent.action == "screening.read", AuditEvent.object_id == sid)
            return session.scalar(query) or 0

    before = reads()
    assert client.get(f"/screening/{sid}/result").status_code == 200
    assert reads() == before + 1


def test_a_screener_cannot_post_an_identification(client: TestClient, demo_db: Database) -> None:
    sid = _completed_by_api(client, demo_db, "screener.ma")
    login(client, demo_db, "screener.ma", DEMO_PASSWORD)
    page = client.get(f"/screening/{sid}/result")
    refused = client.post(
        f"/screening/{sid}/identification",
        data={"status": "actual", "basis": "x", "csrf_token": csrf_from(page.text)},
    )
    assert refused.status_code == 403
    assert "x</span>" not in client.get(f"/screening/{sid}/result").text
