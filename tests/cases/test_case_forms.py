"""The case forms help: every problem at once in a summary at the top, dates in the reader's
format (an impossible one named, never emptied), a task due in the past refused, notes bounded,
an empty new case asked for first, and the recovery and reflection period not skipped silently."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.cases import service
from jusoor.cases.models import Case, CaseEvent, CaseTask
from jusoor.core.db import Database, utcnow
from tests.cases.support import actor, audit_actions, open_case
from tests.conftest import DEMO_PASSWORD
from tests.support.web import login, post_form, translated


def _signed_in(client: TestClient, db: Database, lang: str = "en") -> None:
    assert login(client, db, "caseworker.ma", DEMO_PASSWORD).status_code == 303
    assert post_form(client, "/language", {"lang": lang}, page="/").status_code == 303


def _case_url(db: Database) -> str:
    with db.unit_of_work() as session:
        return f"/cases/{open_case(session).id}"


def _summary(page: str) -> list[tuple[str, str]]:
    """The error summary's (link target, message) pairs, in order."""
    box = re.search(r'<div class="error-summary" role="alert" tabindex="-1".*?</ul>', page, re.S)
    assert box, "the page has no error summary"
    links = re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', box.group(0))
    return [(target, html.unescape(text)) for target, text in links]


def test_an_impossible_due_date_is_named_kept_and_linked_from_the_summary(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    url = _case_url(demo_sqlite)
    _signed_in(client_sqlite, demo_sqlite, "fr")
    refused = post_form(
        client_sqlite, f"{url}/tasks", {"title": "x", "due_on": "31/02/2023"}, page=url
    )
    assert refused.status_code == 422
    found = dict(_summary(refused.text))
    assert set(found) == {"title", "due_on"}  # both problems at once
    assert "31 février 2023" in found["due_on"] and "Échéance" in found["due_on"]
    assert 'id="due_on"' in refused.text and 'value="31/02/2023"' in refused.text  # kept
    assert "_form" not in refused.text.replace('"_form', "")  # never shown as a name
    assert "Input should" not in refused.text


def test_a_due_date_in_the_readers_format_is_saved_and_one_in_the_past_refused(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    url = _case_url(demo_sqlite)
    _signed_in(client_sqlite, demo_sqlite, "fr")
    later = utcnow().date() + dt.timedelta(days=10)
    typed = later.strftime("%d/%m/%Y")
    saved = post_form(client_sqlite, f"{url}/tasks", {"title": "Call", "due_on": typed}, url)
    assert saved.status_code == 303
    past = post_form(client_sqlite, f"{url}/tasks", {"title": "Old", "due_on": "01/03/2020"}, url)
    assert past.status_code == 422
    message = dict(_summary(past.text))["due_on"]
    assert "2020" in message and "Échéance" in message
    with demo_sqlite.unit_of_work() as session:
        tasks = session.scalars(select(CaseTask)).all()
        assert [(t.title, t.due_on) for t in tasks] == [("Call", later)]


def test_a_note_is_bounded_with_a_counter_and_a_longer_one_refused(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    url = _case_url(demo_sqlite)
    _signed_in(client_sqlite, demo_sqlite)
    page = client_sqlite.get(url).text
    assert re.search(r'<textarea id="body" name="body"[^>]* maxlength="5000" data-counter', page)
    refused = post_form(client_sqlite, f"{url}/notes", {"body": "x" * 10_000}, page=url)
    assert refused.status_code == 422
    assert dict(_summary(refused.text)) == {
        "body": "The field Note must have at most 5000 characters."
    }


def test_an_empty_new_case_is_asked_for_before_it_is_opened(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    _signed_in(client_sqlite, demo_sqlite)
    asked = post_form(client_sqlite, "/cases/new", {"gender": "unknown"})
    assert asked.status_code == 200 and "Open an empty case?" in asked.text
    assert 'name="confirm_empty" value="yes"' in asked.text
    with demo_sqlite.unit_of_work() as session:
        assert session.scalars(select(Case)).first() is None
    opened = post_form(client_sqlite, "/cases/new", {"gender": "unknown", "confirm_empty": "yes"})
    assert opened.status_code == 303
    with_age = post_form(client_sqlite, "/cases/new", {"age": "30"})
    assert with_age.status_code == 303  # something filled in: no question asked


def _in_reflection(db: Database) -> str:
    with db.unit_of_work() as session:
        case = open_case(session)
        worker = actor(session, "caseworker.ma")
        for stage in ("reasonable_grounds", "recovery_reflection"):
            service.move_stage(session, actor=worker, case_id=case.id, stage=stage, reason="r")
        return f"/cases/{case.id}"


def test_ending_the_reflection_period_early_warns_and_needs_a_written_reason(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    url = _in_reflection(demo_sqlite)
    _signed_in(client_sqlite, demo_sqlite)
    page = client_sqlite.get(url).text
    assert "The recovery and reflection period runs until" in page
    assert 'name="early_end_reason"' in page
    move = {"stage": "assistance", "reason": "Ready for assistance."}
    refused = post_form(client_sqlite, f"{url}/move", move, page=url)
    assert refused.status_code == 422
    assert list(dict(_summary(refused.text))) == ["early_end_reason"]
    with demo_sqlite.unit_of_work() as session:
        case = session.get(Case, _id(url))
        assert case is not None and case.stage.value == "recovery_reflection"
    wish = "She asks to start the training now."
    moved = post_form(client_sqlite, f"{url}/move", {**move, "early_end_reason": wish}, url)
    assert moved.status_code == 303
    with demo_sqlite.unit_of_work() as session:
        case = session.get(Case, _id(url))
        assert case is not None and case.stage.value == "assistance"
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
        override = [e for e in events if e.kind == "reflection_ended_early"]
        assert len(override) == 1 and override[0].reason == wish
        assert override[0].details["to"] == "assistance"
        assert "case.reflection_override" in audit_actions(session, case.id)
    assert wish in client_sqlite.get(url).text  # on the timeline


def test_the_reflection_period_is_not_in_the_way_once_it_has_run(demo_sqlite: Database) -> None:
    url = _in_reflection(demo_sqlite)
    with demo_sqlite.unit_of_work() as session:
        case = session.get(Case, _id(url))
        assert case is not None and case.reflection_ends_on is not None
        after = case.reflection_ends_on
        worker = actor(session, "caseworker.ma")
        service.move_stage(
            session, actor=worker, case_id=case.id, stage="assistance", reason="r", today=after
        )
        assert "case.reflection_override" not in audit_actions(session, case.id)


def test_the_reflection_warning_reads_in_arabic(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    url = _in_reflection(demo_sqlite)
    _signed_in(client_sqlite, demo_sqlite, "ar")
    page = client_sqlite.get(url).text
    assert translated("Why the period ends early", "ar") in page


def _id(url: str) -> uuid.UUID:
    return uuid.UUID(url.rsplit("/", 1)[1])
