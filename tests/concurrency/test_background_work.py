"""Background and secondary work holds no write transaction while it works (issue 18, item 5).

Each test looks, in the middle of the slow part (a peer answering, a match search running,
reports being fetched), whether another connection could take SQLite's writer lock at that very
moment — as a person saving would have to. Without waiting (timeout 0): the answer does not
depend on the machine's speed.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from jusoor.core.db import Database
from jusoor.entities import review_pages
from jusoor.exchange.transport import delivery
from jusoor.exchange.vocabulary import MessageType
from tests.conftest import DEMO_PASSWORD
from tests.entities.review_support import LATIN, person
from tests.exchange.support import information_request, outbox_entry, send, two_nodes
from tests.support.web import csrf_from, login


def writer_lock_is_free(db: Database) -> bool:
    """Whether a person could start saving right now (another connection, no waiting)."""
    probe = sqlite3.connect(str(db.engine.url.database), timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    else:
        probe.execute("ROLLBACK")
        return True
    finally:
        probe.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_delivery_worker_holds_no_lock_while_the_peer_answers(
    database: Database, tmp_path: Path
) -> None:
    seen: list[bool] = []
    with two_nodes(database, tmp_path) as (a, b):
        message_id = send(a, MessageType.information_request, information_request(), to="TN")
        with b.app_client() as peer:

            def answer(request: httpx.Request) -> httpx.Response:
                seen.append(writer_lock_is_free(a.db))  # while the peer is answering
                got = peer.post(str(request.url), content=request.content, headers=request.headers)
                return httpx.Response(got.status_code, content=got.content, headers=got.headers)

            with httpx.Client(transport=httpx.MockTransport(answer)) as client:
                report = delivery.deliver(a.db, force=True, client=client)
        assert report.delivered == 1, report.errors
        assert seen == [True]
        entry = outbox_entry(a, message_id)
        assert not entry.pending and entry.attempts == 1  # counted before, settled after


@pytest.fixture
def client(demo_sqlite: Database) -> Iterator[TestClient]:
    from jusoor.app import create_app

    with TestClient(create_app(demo_sqlite), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


def test_the_profile_forms_match_search_holds_no_lock_while_it_searches(
    client: TestClient, demo_sqlite: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_sqlite.unit_of_work() as s:
        registered = person(s, name="OULD AKIK Mohamed Lamine").reference
        case_id: uuid.UUID = person(s).id
    seen: list[bool] = []
    search = review_pages.find_matches

    def probed(*args: Any, **kwargs: Any) -> Any:
        seen.append(writer_lock_is_free(demo_sqlite))  # before the search reads
        found = search(*args, **kwargs)
        seen.append(writer_lock_is_free(demo_sqlite))  # after it read everything
        return found

    monkeypatch.setattr(review_pages, "find_matches", probed)
    assert login(client, demo_sqlite, "caseworker.ma", DEMO_PASSWORD).status_code == 303
    token = csrf_from(client.get(f"/cases/{case_id}/profile").text)
    answer = client.post(
        f"/cases/{case_id}/matches",
        data={"name": LATIN, "csrf_token": token},
        headers={"hx-request": "true"},
    )
    assert answer.status_code == 200 and registered in answer.text
    assert seen == [True, True]
