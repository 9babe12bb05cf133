"""A busy node answers at once, in the person's language, and keeps what they typed (issue 18).

Another writer (here another connection, as another process would be) holds SQLite's writer lock
past `sqlite_busy_ms`: a save is refused with 503 and Retry-After, nothing of it is written, the
page offers the same form again to post, the API answers the shared JSON error with code "busy",
and a page being read says it could not be opened — never a 500 and never "the database is not
reachable", which is a database that is down.
"""

from __future__ import annotations

import html
import re
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from jusoor.agencies.models import User
from jusoor.cases.models import CaseNote
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.web.busy import busy_message
from tests.cases.support import open_case
from tests.conftest import DEMO_PASSWORD
from tests.support.tokens import bearer
from tests.support.web import csrf_from, login, translated

BUSY_MS = 300
BOUND = BUSY_MS / 1000 + 10
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
def node(demo_sqlite: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("JUSOOR_SQLITE_BUSY_MS", str(BUSY_MS))
    get_settings.cache_clear()
    db = Database(demo_sqlite.url)  # its connections wait BUSY_MS
    yield db
    db.dispose()


@pytest.fixture
def client(node: Database) -> Iterator[TestClient]:
    from jusoor.app import create_app

    with TestClient(create_app(node), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


@contextmanager
def writer_lock(db: Database) -> Iterator[None]:
    conn = sqlite3.connect(str(db.engine.url.database), isolation_level=None, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.rollback()
        conn.close()


def _case_in_french(db: Database) -> str:
    with db.unit_of_work() as s:
        s.execute(update(User).where(User.username == "caseworker.ma").values(locale="fr"))
        return str(open_case(s).id)


def _notes(db: Database, case_id: str) -> list[str]:
    wanted = uuid.UUID(case_id)
    with db.unit_of_work() as s:
        rows = s.scalars(select(CaseNote).where(CaseNote.case_id == wanted)).all()
        return [n.body for n in rows]


def test_a_save_on_a_busy_node_is_refused_in_french_and_can_be_posted_again(
    client: TestClient, node: Database
) -> None:
    case_id = _case_in_french(node)
    assert login(client, node, "caseworker.ma", DEMO_PASSWORD).status_code == 303
    token = csrf_from(client.get(f"/cases/{case_id}").text)
    typed = "Visite du 3 mars : « tout va bien »"
    with writer_lock(node):
        started = time.monotonic()
        refused = client.post(
            f"/cases/{case_id}/notes",
            data={"body": typed, "csrf_token": token},
            follow_redirects=False,
        )
        assert time.monotonic() - started < BOUND
    assert refused.status_code == 503
    assert int(refused.headers["retry-after"]) >= 1
    expected = translated(
        "The node is busy; your change was not saved. Try again in a moment.", "fr"
    )
    assert html.escape(expected, quote=False) in refused.text or expected in html.unescape(
        refused.text
    )
    assert _notes(node, case_id) == []  # nothing half-written
    fields = dict(HIDDEN.findall(refused.text))
    assert html.unescape(fields["body"]) == typed  # what was typed comes back
    assert f'action="/cases/{case_id}/notes"' in refused.text
    again = client.post(
        f"/cases/{case_id}/notes",
        data={k: html.unescape(v) for k, v in fields.items()},
        follow_redirects=False,
    )
    assert again.status_code == 303
    assert _notes(node, case_id) == [typed]


def test_the_api_answers_busy_with_its_json_error_and_retry_after(
    client: TestClient, node: Database
) -> None:
    case_id = _case_in_french(node)
    headers = bearer(node, "caseworker.ma")
    with writer_lock(node):
        refused = client.post(
            f"/api/v1/cases/{case_id}/notes", json={"body": "a note"}, headers=headers
        )
    assert refused.status_code == 503
    assert refused.headers["retry-after"]
    error = refused.json()["error"]
    assert error["code"] == "busy" and error["message"]
    assert _notes(node, case_id) == []


def test_a_page_read_on_a_busy_node_says_so_rather_than_failing(
    client: TestClient, node: Database
) -> None:
    case_id = _case_in_french(node)
    assert login(client, node, "caseworker.ma", DEMO_PASSWORD).status_code == 303
    with writer_lock(node):
        # The case is read without the lock; its audit event cannot be written, so the page is
        # not shown (every read of a case is audited) and the person is told to try again.
        page = client.get(f"/cases/{case_id}")
    assert page.status_code == 503 and page.headers["retry-after"]
    with_get = translated(
        "The node is busy and could not open this page. Try again in a moment.", "fr"
    )
    assert with_get in html.unescape(page.text)
    assert client.get(f"/cases/{case_id}").status_code == 200


def test_busy_messages_name_what_happened() -> None:
    class _Request:
        def __init__(self, method: str) -> None:
            self.method = method

    assert "not saved" in busy_message(_Request("POST"))  # type: ignore[arg-type]
    assert "open this page" in busy_message(_Request("GET"))  # type: ignore[arg-type]
