"""The exchange inbox and sent box at scale (issue 18, item 3): keyset pages without a count of
the table, a fixed number of statements whatever the number of rows, forged cursors refused."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

from fastapi.testclient import TestClient

from jusoor.core.db import Database, utcnow
from jusoor.core.ids import uuid7
from jusoor.exchange.models import Message, OutboxEntry
from jusoor.exchange.vocabulary import Direction, MessageStatus, MessageType
from tests.exchange.test_pages import sign_in_english, start_node
from tests.support.paging import api_rows, html_pages
from tests.support.statements import counting
from tests.support.tokens import bearer


def _seed(db: Database, n: int) -> dict[Direction, set[uuid.UUID]]:
    """`n` requests each way (half of them overdue, a quarter due soon) and as many replies and
    housekeeping messages, which no box lists: the ids of the requests."""
    made: dict[Direction, set[uuid.UUID]] = {Direction.incoming: set(), Direction.outgoing: set()}
    now = utcnow()
    today = now.date()
    with db.unit_of_work() as session:
        for i in range(n):
            for direction in Direction:
                for kind in (
                    MessageType.information_request,
                    MessageType.reply,
                    MessageType.directory_update,
                ):
                    at = now - dt.timedelta(hours=1, minutes=i)
                    message = Message(
                        id=uuid7(),
                        direction=direction,
                        peer="TN",
                        type=kind,
                        thread_id=uuid.uuid4(),
                        subject=f"Request {i}",
                        body=json.dumps({"question": "?"}),
                        status=MessageStatus.delivered,
                        deadline=today + dt.timedelta(days=-3 if i % 2 else 1),
                        created_at=at,
                        expires_at=at + dt.timedelta(days=30),
                        updated_at=at,
                    )
                    session.add(message)
                    if direction is Direction.outgoing:
                        session.add(
                            OutboxEntry(message_id=message.id, peer="TN", envelope="{}", attempts=1)
                        )
                    if kind is MessageType.information_request:
                        made[direction].add(message.id)
    return made


BOXES = ("/exchange", "/exchange/sent")
API = "/api/v1/exchange/messages?limit=50"


def test_boxes_send_as_many_statements_for_fifty_rows_as_for_five(
    client: TestClient, demo_db: Database
) -> None:
    start_node(demo_db)
    _seed(demo_db, 5)
    sign_in_english(client, demo_db, "liaison.ma")
    headers = bearer(demo_db, "liaison.ma")

    def counts() -> list[int]:
        found = []
        for url in (*BOXES, API):
            with counting(demo_db.engine) as seen:
                response = client.get(url, headers=headers if url == API else {})
            assert response.status_code == 200, response.text[:300]
            found.append(seen.count)
        return found

    counts()  # warm caches (translations, templates, the token)
    few = counts()
    _seed(demo_db, 45)
    assert counts() == few


def test_boxes_page_through_every_request_once_and_nothing_else(
    client: TestClient, demo_db: Database
) -> None:
    start_node(demo_db)
    made = _seed(demo_db, 30)
    sign_in_english(client, demo_db, "liaison.ma")
    for url, direction in (
        ("/exchange", Direction.incoming),
        ("/exchange/sent", Direction.outgoing),
    ):
        seen: list[str] = []
        texts = html_pages(client, url, most=10)
        for number, text in enumerate(texts):
            box = text.split('id="box-title"', 1)[1]  # the box, not the deadline lists
            seen += re.findall(r'href="/exchange/messages/([0-9a-f-]{36})"', box)
            assert number == 0 or 'rel="first"' in text
        assert len(texts) == 2  # 30 requests, 25 a page
        assert [uuid.UUID(s) for s in seen] and len(seen) == len(set(seen))
        assert {uuid.UUID(s) for s in seen} == made[direction]
    headers = bearer(demo_db, "liaison.ma")
    rows = api_rows(
        client, headers, "/api/v1/exchange/messages?direction=incoming&limit=7", most=10
    )
    ids = [m["id"] for m in rows]
    assert {uuid.UUID(i) for i in ids} == made[Direction.incoming] and len(ids) == 30
    # The old offset still works for old scripts.
    old = client.get("/api/v1/exchange/messages?direction=incoming&offset=28", headers=headers)
    assert len(old.json()) == 2


def test_forged_positions_are_refused_by_name(client: TestClient, demo_db: Database) -> None:
    start_node(demo_db)
    sign_in_english(client, demo_db, "liaison.ma")
    for url in ("/exchange?after=forged", "/exchange/sent?after=" + "Q" * 80):
        page = client.get(url)
        assert page.status_code == 422, url
        assert "This position in the list is not valid" in page.text
    headers = bearer(demo_db, "liaison.ma")
    refused = client.get("/api/v1/exchange/messages?after=xyz", headers=headers)
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "after"
    wrong = client.get("/api/v1/exchange/messages?status=lost", headers=headers)
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "status"
