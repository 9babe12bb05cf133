"""The screening forms help: a step flags every unanswered question at once, each linked from the
summary at the top; "Open a case" without a case worker comes back to the result page."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from jusoor.core.db import Database
from jusoor.screening import Profile
from jusoor.screening.questionnaire import questionnaire
from tests.conftest import DEMO_PASSWORD
from tests.support.tokens import bearer
from tests.support.web import csrf_from, login, post_form


def _summary_targets(page: str) -> list[str]:
    box = re.search(r'<div class="error-summary" role="alert".*?</ul>', page, re.S)
    assert box, "the page has no error summary"
    return re.findall(r'<a href="#([^"]+)">', box.group(0))


def test_a_step_flags_every_unanswered_question_at_once(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    login(client_sqlite, demo_sqlite, "screener.ma", DEMO_PASSWORD)
    post_form(client_sqlite, "/language", {"lang": "en"}, page="/")
    start = {"age_band": "24-26", "exploitation": "labour", "csrf_token": ""}
    page = client_sqlite.get("/screening")
    started = client_sqlite.post(
        "/screening", data={**start, "csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    url = started.headers["location"]
    step = questionnaire().for_profile(Profile.ADULT_LABOUR)[0]
    assert len(step.questions) > 1
    first = step.questions[0]
    answered = {f"answers.{first.id}": "yes", "then": "next"}
    refused = post_form(client_sqlite, url, answered)
    assert refused.status_code == 422
    missing = [f"answers.{q.id}" for q in step.questions[1:]]
    assert _summary_targets(refused.text) == missing  # all of them, in the page's order
    for target in missing:
        assert f'id="{target}"' in refused.text  # each link lands on its first answer
    text = html.unescape(refused.text)
    for question in step.questions[1:]:
        assert f"Answer the question “{question.text.get('en')}”" in text
    assert re.search(rf'name="answers.{first.id}" value="yes" checked', refused.text)  # kept


def test_opening_a_case_without_a_case_worker_comes_back_to_the_result(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    auth = bearer(demo_sqlite, "screener.ma")
    sid = client_sqlite.post(
        "/api/v1/screenings", json={"age_band": "24-26", "exploitation": "labour"}, headers=auth
    ).json()["id"]
    client_sqlite.post(f"/api/v1/screenings/{sid}/complete", headers=auth)
    login(client_sqlite, demo_sqlite, "screener.ma", DEMO_PASSWORD)
    post_form(client_sqlite, "/language", {"lang": "en"}, page="/")
    url = f"/screening/{sid}/result"
    refused = post_form(client_sqlite, f"/screening/{sid}/case", {"owner_username": ""}, url)
    assert refused.status_code == 422
    assert "<h2>Open a case</h2>" in refused.text and "The six dimensions" in refused.text
    assert _summary_targets(refused.text) == ["owner_username"]
    assert "Choose the case worker who will follow the case." in refused.text
    assert 'id="owner_username"' in refused.text
