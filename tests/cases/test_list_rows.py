"""The case list's columns (issue 19, item 3): the person's other names only where the reader may
see them, the case worker, the open task due first, and overdue said in words on the page."""

from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.models import AuditEvent
from jusoor.cases import list_rows, service
from jusoor.cases.consent import give_consent
from jusoor.cases.models import Case
from jusoor.cases.schemas import ConsentCreate, TaskCreate
from jusoor.core.db import Database
from tests.cases.support import actor, open_case
from tests.conftest import DEMO_PASSWORD
from tests.referrals.support import refer
from tests.support.web import login, post_form

TODAY = dt.date.today()


def _task(session: Session, case: Case, title: str, due_on: dt.date | None) -> None:
    service.add_task(
        session,
        actor=actor(session, "caseworker.ma"),
        case_id=case.id,
        task_in=TaskCreate(title=title, due_on=due_on),
    )


def _referred(session: Session, fields: tuple[str, ...]) -> Case:
    case = open_case(session, aliases="Umm Salma")
    give_consent(
        session,
        actor=actor(session, "caseworker.ma"),
        case_id=case.id,
        consent_in=ConsentCreate(purpose="referral", agency_code="ma-shelter", language="ar"),
    )
    refer(session, case.id, fields=fields)
    return case


def test_the_next_task_is_the_open_one_due_first_then_an_undated_one(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        busy, undated, idle = open_case(session), open_case(session), open_case(session)
        _task(session, busy, "Undated", None)
        _task(session, busy, "Later", TODAY + dt.timedelta(days=9))
        _task(session, busy, "Soon", TODAY + dt.timedelta(days=2))
        _task(session, busy, "Done already", TODAY - dt.timedelta(days=5))
        worker = actor(session, "caseworker.ma")
        service.complete_task(
            session,
            actor=worker,
            case_id=busy.id,
            task_id=next(
                t.id for t in service.tasks_of(session, busy.id) if t.title == "Done already"
            ),
        )
        _task(session, undated, "Whenever", None)
        rows = list_rows.case_rows(session, actor=worker, cases=[busy, undated, idle])
        found = {r.case.id: r.next_task.title if r.next_task else None for r in rows}
        assert found == {busy.id: "Soon", undated.id: "Whenever", idle.id: None}
        assert [r.overdue for r in rows] == [0, 0, 0]  # the late one is done


def test_the_owner_sees_the_other_names_and_the_read_is_audited(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        case = open_case(session, aliases="Umm Salma")
        worker = actor(session, "caseworker.ma")
        (row,) = list_rows.case_rows(session, actor=worker, cases=[case])
        assert row.alias == "Umm Salma"
        assert row.owner_name == case.owner.display_name
        read = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "case.read")
            .order_by(AuditEvent.seq.desc())
        ).first()
        assert read is not None
        assert json.loads(read.details) == {"references": [case.reference], "fields": ["aliases"]}


def test_a_partner_sees_the_other_names_only_when_the_referral_shares_them(
    demo_sqlite: Database,
) -> None:
    with demo_sqlite.unit_of_work() as session:
        hidden = _referred(session, ("age_band", "gender"))
        shared = _referred(session, ("age_band", "aliases"))
        provider = actor(session, "provider.ma")
        rows = list_rows.case_rows(session, actor=provider, cases=[hidden, shared])
        assert [r.alias for r in rows] == [None, "Umm Salma"]


def test_the_list_page_shows_the_columns_with_overdue_in_words(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    with demo_sqlite.unit_of_work() as session:
        case = open_case(session, aliases="Umm Salma")
        _task(session, case, "Call the shelter back", TODAY - dt.timedelta(days=3))
        _task(session, case, "Send the report", TODAY - dt.timedelta(days=1))
        owner = case.owner.display_name
    login(client_sqlite, demo_sqlite, "caseworker.ma", DEMO_PASSWORD)
    post_form(client_sqlite, "/language", {"lang": "en", "next": "/cases"}, page="/")
    page = client_sqlite.get("/cases", params={"q": case.reference})
    assert page.status_code == 200
    for shown in ("Umm Salma", owner, "Call the shelter back", "Overdue since", "2 overdue tasks"):
        assert shown in page.text, shown


def test_the_case_page_summary_names_the_same_next_task_as_the_list(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    with demo_sqlite.unit_of_work() as session:
        case = open_case(session)
        _task(session, case, "Whenever it suits", None)
        _task(session, case, "Visit the shelter", TODAY + dt.timedelta(days=4))
        worker = actor(session, "caseworker.ma")
        (row,) = list_rows.case_rows(session, actor=worker, cases=[case])
        assert row.next_task is not None and row.next_task.title == "Visit the shelter"
    login(client_sqlite, demo_sqlite, "caseworker.ma", DEMO_PASSWORD)
    post_form(client_sqlite, "/language", {"lang": "en", "next": "/"}, page="/")
    page = client_sqlite.get(f"/cases/{case.id}")
    assert page.status_code == 200
    summary = page.text.split("Next task", 1)[1].split("</dd>", 1)[0]
    assert "Visit the shelter" in summary and "Due on" in summary
