"""Opening a criminal file from a screening's result page: the action is offered only to who may
open files (screening's extension point, filled by investigations), the form comes prefilled
without personal data, and the file keeps the screening's short reference and, when asked, the
case opened from it as a victim-witness (both engines, demo directory)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from jusoor.cases.models import Case
from jusoor.cli.main import app as cli
from jusoor.core.db import Database
from jusoor.core.permissions import Actor
from jusoor.investigations.models import FileEvent, InvestigationFile, VictimLink
from jusoor.screening import result_actions
from jusoor.screening.models import Screening
from jusoor.screening.result_actions import ResultAction
from tests.conftest import DEMO_PASSWORD
from tests.screening.support import PRESUMED, actor, open_case_for, screened
from tests.support.tokens import bearer
from tests.support.web import csrf_from, login, translated


def _sign_in(client: TestClient, db: Database, username: str) -> None:
    client.cookies.clear()
    login(client, db, username, DEMO_PASSWORD)
    page = client.get("/")
    client.post("/language", data={"lang": "en", "csrf_token": csrf_from(page.text)})


def _file_id(location: str) -> uuid.UUID:
    return uuid.UUID(location.split("?")[0].rsplit("/", 1)[-1])


def _user_id(session: Session) -> uuid.UUID | None:
    return actor(session, "investigator.ma").user_id


def _screened(db: Database, *, case: bool) -> tuple[uuid.UUID, str, str | None]:
    """A presumed victim screened by screener.ma: its id, short reference, case reference."""
    with db.unit_of_work() as session:
        screener = actor(session, "screener.ma")
        screening = screened(session, screener, PRESUMED)
        opened = open_case_for(session, screener, screening, "caseworker.ma") if case else None
        return screening.id, screening.reference, opened.reference if opened else None


def test_the_result_page_offers_a_file_only_to_who_may_open_one(
    client: TestClient, demo_db: Database
) -> None:
    screening_id, _ref, _case = _screened(demo_db, case=False)
    offer = f'href="/investigations/new?screening={screening_id}"'
    _sign_in(client, demo_db, "investigator.ma")
    assert offer in client.get(f"/screening/{screening_id}/result").text
    _sign_in(client, demo_db, "screener.ma")
    result = client.get(f"/screening/{screening_id}/result")
    assert result.status_code == 200 and offer not in result.text


def test_the_form_is_prefilled_from_the_screening_without_the_person(
    client: TestClient, demo_db: Database
) -> None:
    screening_id, reference, case_reference = _screened(demo_db, case=True)
    _sign_in(client, demo_db, "investigator.ma")
    form = client.get(f"/investigations/new?screening={screening_id}")
    assert form.status_code == 200
    html = form.text
    assert f'value="Report from screening {reference}"' in html
    assert '<option value="screening" selected' in html
    assert f'name="screening_id" value="{screening_id}"' in html
    assert f"Link case {case_reference}" in html
    # nothing of the person's answers: the age band and profile asked at screening
    assert "24 to 26" not in html and "labour exploitation" not in html


def test_the_file_keeps_the_screening_reference_and_links_the_case(
    client: TestClient, demo_db: Database
) -> None:
    screening_id, reference, case_reference = _screened(demo_db, case=True)
    _sign_in(client, demo_db, "investigator.ma")
    url = f"/investigations/new?screening={screening_id}"
    form = client.get(url).text
    opened = client.post(
        "/investigations/new",
        data={
            "screening_id": str(screening_id),
            "title": f"Report from screening {reference}",
            "origin": "screening",
            "reported_on": dt.date.today().isoformat(),
            "link_case": "1",
            "csrf_token": csrf_from(form),
        },
        follow_redirects=False,
    )
    assert opened.status_code == 303, opened.text
    page = client.get(opened.headers["location"]).text
    assert f"From screening {reference}" in page
    assert case_reference is not None and case_reference in page
    with demo_db.unit_of_work() as session:
        file = session.get(InvestigationFile, _file_id(opened.headers["location"]))
        assert file is not None and file.title == f"Report from screening {reference}"
        event = session.scalars(
            select(FileEvent).where(FileEvent.file_id == file.id, FileEvent.kind == "opened")
        ).one()
        # the short reference only: no screening id, no answer, no name
        assert event.details == {"screening": reference, "origin": "screening"}
        links = session.scalars(select(VictimLink).where(VictimLink.file_id == file.id)).all()
        assert [link.case_reference for link in links] == [case_reference]
        file_reference, file_id = file.reference, file.id
    # Back on the screening, the file opened from it is named, so nobody opens a second unawares.
    result = client.get(f"/screening/{screening_id}/result").text
    assert "Files already opened from this screening:" in result
    assert f'href="/investigations/{file_id}"' in result and file_reference in result


def test_without_the_box_ticked_no_case_is_linked_and_a_bad_form_saves_nothing(
    client: TestClient, demo_db: Database
) -> None:
    screening_id, reference, _case = _screened(demo_db, case=True)
    _sign_in(client, demo_db, "investigator.ma")
    form = client.get(f"/investigations/new?screening={screening_id}").text
    data = {"screening_id": str(screening_id), "title": "", "origin": "screening",
            "reported_on": dt.date.today().isoformat(), "csrf_token": csrf_from(form)}  # fmt: skip
    with demo_db.unit_of_work() as session:
        mine = select(InvestigationFile).where(InvestigationFile.opened_by == _user_id(session))
        files_before = len(session.scalars(mine).all())
    refused = client.post("/investigations/new", data=data, follow_redirects=False)
    assert refused.status_code == 422
    assert f"From screening {reference}" in refused.text  # the form is shown again, still tied
    opened = client.post(
        "/investigations/new", data={**data, "title": "Olive farm"}, follow_redirects=False
    )
    assert opened.status_code == 303
    with demo_db.unit_of_work() as session:
        mine = select(InvestigationFile).where(InvestigationFile.opened_by == _user_id(session))
        assert len(session.scalars(mine).all()) == files_before + 1  # the refusal left nothing
        file_id = _file_id(opened.headers["location"])
        assert not session.scalars(select(VictimLink).where(VictimLink.file_id == file_id)).all()


def test_another_country_cannot_open_a_file_from_the_screening(
    client: TestClient, demo_db: Database
) -> None:
    screening_id, _ref, _case = _screened(demo_db, case=False)
    _sign_in(client, demo_db, "investigator.tn")
    assert client.get(f"/investigations/new?screening={screening_id}").status_code == 404
    assert client.get("/investigations/new?screening=not-an-id").status_code == 404


def test_the_result_page_draws_what_the_registered_sources_offer() -> None:
    def offered(session: Session, *, actor: Actor, screening: Screening) -> ResultAction | None:
        return ResultAction(title="T", hint="H", label="L", href=f"/x/{screening.reference}")

    def silent(session: Session, *, actor: Actor, screening: Screening) -> ResultAction | None:
        return None

    screening = Screening(id=uuid.UUID(int=1))
    before = result_actions._SOURCES.copy()
    try:
        result_actions._SOURCES.clear()
        result_actions.register_result_action("test-offered", offered)
        result_actions.register_result_action("test-silent", silent)
        found = result_actions.result_actions(None, actor=None, screening=screening)  # type: ignore[arg-type]
        assert [a.href for a in found] == ["/x/S-000001"]  # the silent source draws nothing
        result_actions.register_result_action("test-offered", None)
        assert result_actions.result_actions(None, actor=None, screening=screening) == []  # type: ignore[arg-type]
    finally:
        result_actions._SOURCES.clear()
        result_actions._SOURCES.update(before)


def test_a_refused_victim_link_leaves_no_file_behind(client: TestClient, demo_db: Database) -> None:
    screening_id, _reference, case_reference = _screened(demo_db, case=True)
    with demo_db.unit_of_work() as session:
        # The case moved out of the investigator's reach (another country's, as after a transfer).
        case = session.scalars(select(Case).where(Case.reference == case_reference)).one()
        case.country = "TN"
        mine = select(InvestigationFile).where(InvestigationFile.opened_by == _user_id(session))
        files_before = len(session.scalars(mine).all())
    _sign_in(client, demo_db, "investigator.ma")
    form = client.get(f"/investigations/new?screening={screening_id}").text
    refused = client.post(
        "/investigations/new",
        data={
            "screening_id": str(screening_id),
            "title": "Olive farm",
            "origin": "screening",
            "reported_on": dt.date.today().isoformat(),
            "link_case": "1",
            "csrf_token": csrf_from(form),
        },
        follow_redirects=False,
    )
    assert refused.status_code == 422
    assert 'id="link_case-error"' in refused.text
    refusal = translated("No case with this reference can be linked to this file.", "en")
    assert refusal in refused.text
    with demo_db.unit_of_work() as session:
        assert len(session.scalars(mine).all()) == files_before


def test_api_and_console_open_a_file_from_a_screening(
    client: TestClient, demo_db: Database
) -> None:
    """The API and the console do what the page does: origin screening, the short reference in
    the "opened" event only, the screening's case linked unless told not to; other countries 404."""
    with demo_db.unit_of_work() as s:
        screening = screened(s, actor(s, "screener.ma"), PRESUMED)
        screening_id, short = screening.id, screening.reference
    body = {"title": "From the API", "origin": "screening",
            "reported_on": dt.date.today().isoformat(), "link_case": False}  # fmt: skip
    url = f"/api/v1/investigations/from-screening/{screening_id}"
    assert (
        client.post(url, json=body, headers=bearer(demo_db, "investigator.tn")).status_code == 404
    )
    created = client.post(url, json=body, headers=bearer(demo_db, "investigator.ma"))
    assert created.status_code == 201, created.text
    assert created.json()["origin"] == "screening"
    events = client.get(
        f"/api/v1/investigations/{created.json()['id']}/events",
        headers=bearer(demo_db, "investigator.ma"),
    ).json()
    assert events[0]["details"]["screening"] == short
    result = CliRunner().invoke(
        cli,
        ["investigations", "open", "--as", "investigator.ma", "--title", "From the console",
         "--screening", str(screening_id), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["origin"] == "screening"
