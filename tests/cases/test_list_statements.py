"""No N+1 queries: the statements a page sends do not grow with the rows it shows (issue 18,
item 3). Each test counts one request at 5 rows and again at 50 and asserts the same count, so
a per-row query anywhere — in the list, the case page or a panel another domain adds to it —
fails it, whatever the absolute number."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jusoor.cases import service
from jusoor.cases.consent import give_consent
from jusoor.cases.schemas import ConsentCreate, NoteCreate, TaskCreate
from jusoor.core.db import Database
from jusoor.referrals.models import Transition
from tests.cases.support import actor, open_case
from tests.conftest import DEMO_PASSWORD
from tests.referrals.support import refer
from tests.support.statements import counting
from tests.support.tokens import bearer
from tests.support.web import login


def _count(db: Database, request: Callable[[], object]) -> int:
    with counting(db.engine) as seen:
        request()
    return seen.count


def _cases(db: Database, n: int, username: str = "caseworker.ma") -> None:
    with db.unit_of_work() as session:
        worker = actor(session, username)
        yesterday = dt.date.today() - dt.timedelta(days=1)
        for _ in range(n):
            case = open_case(session, username)
            task = TaskCreate(title="Call back", due_on=yesterday)  # an overdue badge per row
            service.add_task(session, actor=worker, case_id=case.id, task_in=task)


def test_the_case_list_sends_as_many_statements_for_50_cases_as_for_5(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    headers = bearer(demo_sqlite, "caseworker.ma")
    login(client_sqlite, demo_sqlite, "caseworker.ma", DEMO_PASSWORD)

    def api() -> None:
        listed = client_sqlite.get("/api/v1/cases", params={"limit": 50}, headers=headers)
        assert listed.status_code == 200

    def page() -> None:
        assert client_sqlite.get("/cases").status_code == 200

    _cases(demo_sqlite, 5)
    api(), page()  # warm: sessions, caches
    few = (_count(demo_sqlite, api), _count(demo_sqlite, page))
    _cases(demo_sqlite, 45)
    many = (_count(demo_sqlite, api), _count(demo_sqlite, page))
    assert many == few


def _records(session: Session, case_id: uuid.UUID, n: int, first: bool) -> None:
    """`n` notes, tasks, consents, timeline events, referrals and namesakes of the case."""
    worker = actor(session, "caseworker.ma")
    if first:
        give_consent(
            session,
            actor=worker,
            case_id=case_id,
            consent_in=ConsentCreate(purpose="referral", agency_code="ma-shelter", language="ar"),
        )
        refer(session, case_id)
    template = session.query(Transition).filter(Transition.case_id == case_id).first()
    assert template is not None
    for i in range(n):
        service.add_note(session, actor=worker, case_id=case_id, note_in=NoteCreate(body=f"{i}"))
        service.add_task(
            session, actor=worker, case_id=case_id, task_in=TaskCreate(title=f"Task {i}")
        )
        give_consent(
            session,
            actor=worker,
            case_id=case_id,
            consent_in=ConsentCreate(purpose="assistance", language="fr"),
        )
        # Past referrals of the case (closed ones, so the service allows the next), copied.
        columns = {c.key: getattr(template, c.key) for c in Transition.__table__.columns}
        columns.update(id=uuid.uuid4(), status="declined")
        session.add(Transition(**columns))
        open_case(session, name="Amina Benali")  # a namesake: a possible match of the person
    session.flush()


def test_a_case_page_sends_as_many_statements_for_50_records_as_for_5(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    with demo_sqlite.unit_of_work() as session:
        case_id = open_case(session, name="Amina Benali").id
        _records(session, case_id, 5, first=True)
    login(client_sqlite, demo_sqlite, "caseworker.ma", DEMO_PASSWORD)

    def page() -> None:
        assert client_sqlite.get(f"/cases/{case_id}").status_code == 200

    def api() -> None:
        headers = bearer(demo_sqlite, "caseworker.ma")
        assert client_sqlite.get(f"/api/v1/cases/{case_id}", headers=headers).status_code == 200

    page(), api()
    few = (_count(demo_sqlite, page), _count(demo_sqlite, api))
    with demo_sqlite.unit_of_work() as session:
        _records(session, case_id, 45, first=False)
    many = (_count(demo_sqlite, page), _count(demo_sqlite, api))
    assert many == few
