"""The plan pages in a browser-like client: what each role sees and may do."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook  # type: ignore[import-untyped]
from sqlalchemy import select

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.plans.models import Plan
from tests.conftest import DEMO_PASSWORD
from tests.plans.support import actor, demo_plan, measure_of_actor
from tests.support.web import login, post_form, translated


@pytest.fixture
def demo_db(demo_sqlite: Database) -> Database:
    """SQLite only: these tests are about pages and forms; the plans' service and its queries are
    checked on both databases in test_plans.py, test_progress.py and test_export.py."""
    return demo_sqlite


def _plans(db: Database) -> tuple[uuid.UUID, uuid.UUID]:
    with db.unit_of_work() as session:
        return demo_plan(session, "MA").id, demo_plan(session, "TN").id


def test_the_list_shows_the_countrys_plan_and_its_overdue_measures(
    client: TestClient, demo_db: Database
) -> None:
    moroccan, tunisian = _plans(demo_db)
    login(client, demo_db, "screener.ma", DEMO_PASSWORD)
    page = client.get("/plans")
    assert page.status_code == 200
    assert f"/plans/{moroccan}" in page.text and f"/plans/{tunisian}" not in page.text
    # The screener reads in the language of their profile (French in the demo).
    assert translated("Overdue measures", page.text.split('lang="', 1)[1][:2]) in page.text
    assert "/plans/new" not in page.text  # the screener does not write plans
    assert client.get(f"/plans/{tunisian}").status_code == 404


def test_the_plan_page_shows_pillars_measures_and_indicators_against_targets(
    client: TestClient, demo_db: Database
) -> None:
    moroccan, _ = _plans(demo_db)
    login(client, demo_db, "coordinator.ma", DEMO_PASSWORD)
    page = client.get(f"/plans/{moroccan}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    view = page.text  # coordinator.ma reads Arabic: look for what does not depend on it
    assert view.count('<section class="card" aria-labelledby="pillar-') == 4
    for words in ("Awareness campaigns run", "Child victims identified", "<progress",
                  'class="badge bad"', f"/plans/{moroccan}/report", "دار الأمان"):  # fmt: skip
        assert words in view, words


def test_the_coordinator_creates_a_plan_and_bad_dates_are_shown_beside_the_field(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "coordinator.ma", DEMO_PASSWORD)
    form = {"title_en": "Plan 2027-2030", "period_start": "2027-01-01", "period_end": "2026-01-01",
            "status": "draft"}  # fmt: skip
    refused = post_form(client, "/plans/new", form)
    assert refused.status_code == 422
    assert 'id="period_end-error"' in refused.text
    created = post_form(client, "/plans/new", {**form, "period_end": "2030-12-31"})
    assert created.status_code == 303
    with demo_db.unit_of_work() as session:
        plan = session.scalars(select(Plan).where(Plan.title_en == "Plan 2027-2030")).one()
        assert plan.country == "MA" and len(plan.pillars) == 4


def test_a_case_worker_may_not_open_the_plan_forms(client: TestClient, demo_db: Database) -> None:
    moroccan, _ = _plans(demo_db)
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    assert client.get("/plans/new").status_code == 403
    assert client.get(f"/plans/{moroccan}/measures/new").status_code == 403


def test_an_agency_reports_on_its_measure_through_the_form(
    client: TestClient, demo_db: Database
) -> None:
    moroccan, _ = _plans(demo_db)
    with demo_db.unit_of_work() as session:
        plan = session.get(Plan, moroccan)
        assert plan is not None
        ours = measure_of_actor(plan, actor(session, "caseworker.ma")).id
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    form_page = client.get(f"/plans/{moroccan}/report")
    assert f"status-{ours}" in form_page.text
    today = dt.date.today().isoformat()
    sent = post_form(
        client,
        f"/plans/{moroccan}/report",
        {"label": "interim", "period_start": "2026-01-01", "period_end": today,
         f"status-{ours}": "done", f"narrative-{ours}": "Trained 40 staff.",
         f"evidence-{ours}": "https://example.org/report.pdf"},
    )  # fmt: skip
    assert sent.status_code == 303, sent.text
    bad = post_form(
        client,
        f"/plans/{moroccan}/report",
        {"label": "interim", "period_start": "2026-01-01", "period_end": today,
         f"status-{ours}": "done", f"evidence-{ours}": "ftp://nowhere"},
    )  # fmt: skip
    assert bad.status_code == 422 and "ftp://nowhere" in bad.text


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_the_download_holds_the_plan_and_is_audited(
    client: TestClient, demo_db: Database, fmt: str
) -> None:
    moroccan, _ = _plans(demo_db)
    login(client, demo_db, "analyst.ma", DEMO_PASSWORD)
    answer = client.get(f"/plans/{moroccan}/export.{fmt}")
    assert answer.status_code == 200
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(answer.content), read_only=True)
        assert len(book.sheetnames) == 4
    else:
        assert answer.json()["plan"]["country"] == "MA"
    with demo_db.unit_of_work() as session:
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.export")).first()


def test_the_plan_page_in_arabic(client: TestClient, demo_db: Database) -> None:
    moroccan, _ = _plans(demo_db)
    login(client, demo_db, "coordinator.ma", DEMO_PASSWORD)
    client.cookies.set("jusoor_locale", "ar")
    page = client.get(f"/plans/{moroccan}", headers={"Accept-Language": "ar"})
    assert page.status_code == 200
    assert 'dir="rtl"' in page.text
    assert "مخطط العمل الاستراتيجي الوطني" in page.text


def test_the_coordinators_measure_and_indicator_forms(
    client: TestClient, demo_db: Database
) -> None:
    moroccan, _ = _plans(demo_db)
    with demo_db.unit_of_work() as session:
        plan = session.get(Plan, moroccan)
        assert plan is not None
        pillar, measure = str(plan.pillars[0].id), plan.pillars[0].measures[0]
        measure_id, lead = measure.id, str(measure.responsible[0].agency_id)
    login(client, demo_db, "coordinator.ma", DEMO_PASSWORD)
    for url in (f"/plans/{moroccan}/edit", f"/plans/{moroccan}/measures/new",
                f"/plans/measures/{measure_id}/edit", f"/plans/{moroccan}/indicators/new"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    form = {"pillar_id": pillar, "title": "Hotline for victims", "start": "2026-01-01",
            "deadline": "2025-01-01", "lead_agency_id": lead, "status": "planned",
            "budget_amount": "90000", "currency": "MAD"}  # fmt: skip
    url = f"/plans/{moroccan}/measures/new"
    refused = post_form(client, url, form)
    assert refused.status_code == 422 and 'id="deadline-error"' in refused.text
    assert post_form(client, url, {**form, "deadline": "2026-12-31"}).status_code == 303
    edited = post_form(
        client, f"/plans/measures/{measure_id}/edit", {**form, "deadline": "2027-06-30"}
    )
    assert edited.status_code == 303
    indicator = {"pillar_id": pillar, "name": "Hotline calls", "baseline_value": "0",
                 "baseline_year": "2026", "target_value": "500", "target_year": "2025",
                 "direction": "up", "source": "manual"}  # fmt: skip
    url = f"/plans/{moroccan}/indicators/new"
    refused = post_form(client, url, indicator)
    assert refused.status_code == 422 and 'id="target_year-error"' in refused.text
    assert post_form(client, url, {**indicator, "target_year": "2028"}).status_code == 303
    with demo_db.unit_of_work() as session:
        plan = session.get(Plan, moroccan)
        assert plan is not None
        titles = [m.title for p in plan.pillars for m in p.measures]
        assert "Hotline for victims" in titles
        assert "Hotline calls" in [i.name for p in plan.pillars for i in p.indicators]
    # The budget and the currency picker in words, not ISO 4217 codes.
    post_form(client, "/language", {"lang": "fr", "next": "/"}, page="/")
    page = client.get(f"/plans/{moroccan}").text
    assert "Budget : 90\u202f000,00 dirhams marocains" in page.replace("\xa0", " ")
    picker = client.get(f"/plans/{moroccan}/measures/new").text
    assert ">dirham marocain (MAD)</option>" in picker


def test_the_plan_page_never_shows_a_small_computed_count(
    client: TestClient, demo_db: Database
) -> None:
    moroccan, _ = _plans(demo_db)
    with demo_db.unit_of_work() as session:
        plan = session.get(Plan, moroccan)
        assert plan is not None
        latest = max(plan.reports, key=lambda r: r.period_end)
        computed = next(v for v in latest.values if v.computed)
        computed.value = 3
        name = next(
            i.name for p in plan.pillars for i in p.indicators if i.id == computed.indicator_id
        )
    login(client, demo_db, "analyst.ma", DEMO_PASSWORD)
    page = client.get(f"/plans/{moroccan}").text
    assert f"{name}: <strong>&lt;5</strong>" in page
    assert f"{name}: <strong>3</strong>" not in page
