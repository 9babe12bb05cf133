"""The statistics pages, downloads and report as people use them (both engines): the figures
equal counts made directly in the database, small ones are hidden, scope holds, files audited."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jusoor.agencies.models import User
from jusoor.audit.models import AuditEvent
from jusoor.cases.labels import stage_label
from jusoor.cases.models import Case
from jusoor.core.db import Database
from jusoor.core.i18n import use_locale
from jusoor.core.permissions import system_actor
from jusoor.synth.cases import load_demo_cases
from tests.conftest import DEMO_PASSWORD
from tests.support.tokens import bearer
from tests.support.web import login, post_form

ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
CASES = 120
ALL_DATES = "from=2000-01-01&to=2100-12-31"
ROW = re.compile(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td></tr>')


@pytest.fixture
def demo_db(demo_sqlite: Database) -> Database:
    """The demo directory with synthetic cases in every demo country (the stats need some).

    SQLite only: these tests are about pages, files, scope and suppression; the engine's counts
    are checked on both databases in test_engine_*.py, and the pages add no SQL of their own."""
    with demo_sqlite.unit_of_work() as session:
        load_demo_cases(session, actor=system_actor("test"), count=CASES, seed=17)
    return demo_sqlite


def _signed_in(client: TestClient, db: Database, username: str, lang: str = "en") -> None:
    assert login(client, db, username, DEMO_PASSWORD).status_code == 303
    post_form(client, "/language", {"lang": lang, "next": "/"}, page="/")


def _section(html: str, key: str) -> str:
    start = html.index(f'id="panel-{key}"')
    end = html.find('<section class="stats-panel"', start)
    return html[start : end if end > 0 else len(html)]


def _rows(section: str) -> dict[str, str]:
    return {
        html.unescape(head).strip(): html.unescape(text)
        .strip()
        .translate(ARABIC_INDIC)
        .replace(",", "")
        .replace("\u066c", "")
        for head, text in ROW.findall(section)
    }


def _user(db: Database, username: str) -> User:
    with db.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        session.expunge(user)
        return user


def _stage_counts(db: Database, **where: object) -> dict[str, int]:
    with db.unit_of_work() as session:
        statement = select(Case.stage, func.count()).group_by(Case.stage)
        for column, value in where.items():
            statement = statement.where(getattr(Case, column) == value)
        return {str(getattr(s, "value", s)): n for s, n in session.execute(statement)}


def _agrees(shown: str, exact: int, threshold: int = 5) -> bool:
    """A published figure agrees with the exact count: hidden as <t under t, else the count
    itself or `x` (hidden so that a small one cannot be worked out)."""
    if 0 < exact < threshold:
        return shown == f"<{threshold}"
    return shown in (str(exact), "x")


def test_coordinator_sees_the_database_counts_by_stage(
    client: TestClient, demo_db: Database
) -> None:
    _signed_in(client, demo_db, "coordinator.ma")
    page = client.get(f"/stats?{ALL_DATES}")
    assert page.status_code == 200
    exact = _stage_counts(demo_db, country="MA")
    assert sum(exact.values()) > 0
    shown = _rows(_section(page.text, "stage"))
    with use_locale("en"):
        labels = {stage_label(stage): n for stage, n in exact.items()}
    assert set(labels) <= set(shown) | {"Total"}
    for label, n in labels.items():
        assert _agrees(shown[label], n), (label, shown[label], n)
    assert _agrees(shown["Total"], sum(exact.values()))
    # Another country's cases are not in the national picture.
    other = _stage_counts(demo_db, country="TN")
    assert sum(other.values()) > 0


def test_victims_of_a_year_equal_the_database_count(client: TestClient, demo_db: Database) -> None:
    _signed_in(client, demo_db, "analyst.ma")
    year = dt.datetime.now(dt.UTC).year
    with demo_db.unit_of_work() as session:
        exact = session.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.country == "MA")
            .where(Case.opened_at >= dt.datetime(year, 1, 1, tzinfo=dt.UTC))
            .where(Case.opened_at < dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC))
        )
    body = client.get(
        f"/api/v1/stats/tables?subject=cases&year={year}", headers=bearer(demo_db, "analyst.ma")
    ).json()
    assert _agrees(body["total"]["text"], int(exact or 0))
    page = client.get(f"/stats?year={year}")
    figure = re.search(
        r'Victims registered in the period</span>\s*<strong class="figure-value">([^<]+)<',
        page.text.replace("&lt;", "<"),
    )
    assert figure and _agrees(figure.group(1).translate(ARABIC_INDIC).replace(",", ""), exact or 0)


def test_small_counts_are_hidden_in_the_api_answer(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        rows = session.execute(
            select(Case.stage, func.count()).where(Case.country == "MA").group_by(Case.stage)
        ).all()
    exact = {str(getattr(s, "value", s)): n for s, n in rows}
    body = client.get(
        f"/api/v1/stats/tables?by=stage&min_count=100&{ALL_DATES}",
        headers=bearer(demo_db, "coordinator.ma"),
    ).json()
    assert body["threshold"] == 100
    for cell in body["cells"]:
        n = exact[cell["key"][0]]
        if n < 100:
            assert cell["text"] == "<100" and cell["value"] is None
        else:
            assert cell["value"] in (n, None)
    assert any(c["suppressed"] for c in body["cells"]) and body["notes"]


def test_an_agency_user_counts_only_their_agency(client: TestClient, demo_db: Database) -> None:
    worker = _user(demo_db, "caseworker.ma")
    body = client.get(
        f"/api/v1/stats/tables?by=agency&min_count=2&{ALL_DATES}",
        headers=bearer(demo_db, "caseworker.ma"),
    ).json()
    assert {cell["key"][0] for cell in body["cells"]} <= {str(worker.agency_id)}
    exact = sum(_stage_counts(demo_db, agency_id=worker.agency_id).values())
    assert _agrees(body["total"]["text"], exact, threshold=2)
    _signed_in(client, demo_db, "caseworker.ma")
    page = client.get(f"/stats?{ALL_DATES}")
    assert page.status_code == 200 and "Your agency in figures" in page.text
    assert _agrees(_rows(_section(page.text, "stage"))["Total"], exact)


def test_a_role_without_stats_read_is_refused(client: TestClient, demo_db: Database) -> None:
    _signed_in(client, demo_db, "auditor.ma")
    assert client.get("/stats").status_code == 403
    assert client.get("/stats/panels/stage.csv").status_code == 403
    headers = bearer(demo_db, "auditor.ma")
    assert client.get("/api/v1/stats/tables?by=sex", headers=headers).status_code == 403


def test_bad_choices_are_named(client: TestClient, demo_db: Database) -> None:
    headers = bearer(demo_db, "analyst.ma")
    answer = client.get("/api/v1/stats/tables?by=sex,shoe_size", headers=headers)
    assert answer.status_code == 422 and "shoe_size" in answer.text
    assert client.get("/api/v1/stats/tables?min_count=1", headers=headers).status_code == 422
    _signed_in(client, demo_db, "analyst.ma")
    page = client.get("/stats/explore?by1=sex&by2=shoe_size")
    assert page.status_code == 422
    assert 'id="by2-error"' in page.text and "shoe_size" in page.text
    assert client.get("/stats?year=12").status_code == 422


def test_downloads_are_suppressed_and_audited(client: TestClient, demo_db: Database) -> None:
    _signed_in(client, demo_db, "coordinator.ma")
    exact = _stage_counts(demo_db, country="MA")
    answer = client.get(f"/stats/panels/stage.csv?min_count=50&{ALL_DATES}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    text = answer.content.decode("utf-8-sig")
    for n in exact.values():
        if 0 < n < 50:
            assert f",{n}\r\n" not in text
    assert "<50" in text or all(n >= 50 for n in exact.values())
    xlsx = client.get(f"/stats/explore.xlsx?by1=sex&by2=age_group&{ALL_DATES}")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    with demo_db.unit_of_work() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "stats.export")
        ).all()
        assert len(events) >= 2
        assert {json.loads(e.details)["format"] for e in events if e.details} >= {"csv", "xlsx"}


def test_charts_are_well_formed_accessible_svg(client: TestClient, demo_db: Database) -> None:
    _signed_in(client, demo_db, "coordinator.ma", lang="ar")
    page = client.get(f"/stats?{ALL_DATES}")
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    svgs = re.findall(r"<svg .*?</svg>", page.text, flags=re.S)
    assert len(svgs) >= 5
    for svg in svgs:
        root = ElementTree.fromstring(svg)
        ns = "{http://www.w3.org/2000/svg}"
        assert root.get("role") == "img"
        assert root.find(f"{ns}title") is not None and root.find(f"{ns}desc") is not None


def test_the_report_is_a_pdf_in_the_language_asked(client: TestClient, demo_db: Database) -> None:
    _signed_in(client, demo_db, "coordinator.ma")
    answer = client.get("/stats/report.pdf?lang=ar")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert len(answer.content) > 10_000 and answer.content.rstrip().endswith(b"%%EOF")
    assert answer.headers["content-type"] == "application/pdf"
    assert client.get("/stats/report.pdf?lang=xx").status_code == 422
    with demo_db.unit_of_work() as session:
        assert session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "stats_report")
        ).first()


def test_report_html_is_right_to_left_in_arabic(demo_db: Database) -> None:
    from jusoor.agencies.service import actor_for
    from jusoor.core.i18n import gettext
    from jusoor.stats import report
    from jusoor.stats.publishing import Period, Protection

    with demo_db.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == "coordinator.ma")).one()
        document = report.html(
            session,
            actor=actor_for(user, via="session"),
            period=Period(),
            protection=Protection(),
            locale="ar",
        )
    with use_locale("ar"):
        title = gettext("The national picture")
    assert '<html lang="ar" dir="rtl">' in document and f"<h1>{title}</h1>" in document


def test_the_explorer_names_agencies_and_draws_a_map(client: TestClient, demo_db: Database) -> None:
    worker = _user(demo_db, "caseworker.ma")
    with demo_db.unit_of_work() as session:
        from jusoor.agencies.models import Agency

        name = session.get_one(Agency, worker.agency_id).name("en")
    _signed_in(client, demo_db, "analyst.ma")
    page = client.get(f"/stats/explore?by1=agency&min_count=2&{ALL_DATES}")
    assert page.status_code == 200
    assert html.escape(name) in page.text and str(worker.agency_id) not in page.text
    mapped = client.get(f"/stats/explore?by1=origin&chart=map&{ALL_DATES}")
    assert mapped.status_code == 200 and "<path d=" in mapped.text


def test_a_subject_not_counted_yet_is_not_available_never_zero(demo_db: Database) -> None:
    from jusoor.agencies.service import actor_for
    from jusoor.stats import dashboards, views
    from jusoor.stats.publishing import Period, Protection

    missing = "a_subject_no_node_counts"
    with demo_db.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == "coordinator.ma")).one()
        actor = actor_for(user, via="session")
        figure = dashboards.KeyFigure("x", "Persons convicted", missing)
        panel = dashboards.Panel("y", "Convictions", missing, ("sex",), "bars")
        [shown] = dashboards.key_figures(session, actor, Period(), Protection(), (figure,))
        [result] = dashboards.panels(session, actor, Period(), Protection(), (panel,))
    assert shown.shown is None and shown.text == ""
    view = views.panel_view(result)
    assert not view.available and view.chart is None and view.table is None
