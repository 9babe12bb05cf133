"""The identification queue at scale: keyset pages oldest first, bounded totals, a forged cursor
named on the page and the API, and as many statements for 50 rows as for 5 (issue 18, item 3)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jusoor.core.db import Database
from jusoor.screening import queue
from jusoor.screening.models import TraffickingStatus
from jusoor.screening.queue import identification_queue
from tests.conftest import DEMO_PASSWORD
from tests.screening.support import PRESUMED, actor, decide, screened
from tests.support.statements import counting
from tests.support.tokens import bearer
from tests.support.web import login, post_form


def _screen(db: Database, n: int, start_days_ago: int = 100) -> None:
    with db.unit_of_work() as session:
        screener = actor(session, "screener.ma")
        for i in range(n):
            screened(session, screener, PRESUMED, days_ago=start_days_ago - i)


def test_the_pages_follow_the_cursor_oldest_first(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue, "COUNT_CAP", 4)
    _screen(demo_db, 7)
    with demo_db.unit_of_work() as session:
        investigator = actor(session, "investigator.ma")
        decided = identification_queue(session, actor=investigator, limit=1).rows[0]
        screening = session.get(queue.Screening, decided.screening_id)
        assert screening is not None and not screening.decided_final
        decide(session, investigator, screening, TraffickingStatus.actual)
        assert screening.decided_final  # the queue's index skips it from now on
        seen, after = [], None
        while True:
            page = identification_queue(session, actor=investigator, limit=2, after=after)
            assert (page.total, page.more) == (4, True)  # 6 waiting, counted up to 4
            seen += [(r.completed_at, r.screening_id) for r in page.rows]
            if page.next_cursor is None:
                break
            after = page.next_cursor
        assert len(seen) == 6 and seen == sorted(seen)
        assert decided.screening_id not in {s for _at, s in seen}


def test_a_forged_cursor_is_named_on_the_page_and_the_api(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    _screen(demo_sqlite, 1)
    api = client_sqlite.get(
        "/api/v1/identification/queue",
        params={"after": "Zm9yZ2Vk"},
        headers=bearer(demo_sqlite, "investigator.ma"),
    )
    assert api.status_code == 422 and api.json()["error"]["field"] == "after"
    login(client_sqlite, demo_sqlite, "investigator.ma", DEMO_PASSWORD)
    assert post_form(client_sqlite, "/language", {"lang": "en"}, page="/").status_code == 303
    page = client_sqlite.get("/identification", params={"after": "Zm9yZ2Vk"})
    assert page.status_code == 422 and "Position in the list" in page.text
    assert "/screening/" in page.text  # the first page is drawn under the message


def test_the_queue_sends_as_many_statements_for_50_rows_as_for_5(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    headers = bearer(demo_sqlite, "investigator.ma")
    login(client_sqlite, demo_sqlite, "investigator.ma", DEMO_PASSWORD)

    def count() -> tuple[int, int]:
        with counting(demo_sqlite.engine) as api:
            got = client_sqlite.get(
                "/api/v1/identification/queue", params={"limit": 50}, headers=headers
            )
            assert got.status_code == 200
        with counting(demo_sqlite.engine) as page:
            assert client_sqlite.get("/identification").status_code == 200
        return api.count, page.count

    _screen(demo_sqlite, 5)
    count()  # warm
    few = count()
    _screen(demo_sqlite, 45, start_days_ago=60)
    assert count() == few


def test_my_work_says_more_than_when_the_queue_passes_its_count(
    client_sqlite: TestClient, demo_sqlite: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue, "COUNT_CAP", 2)
    _screen(demo_sqlite, 3)
    login(client_sqlite, demo_sqlite, "investigator.ma", DEMO_PASSWORD)
    assert post_form(client_sqlite, "/language", {"lang": "en"}, page="/").status_code == 303
    work = client_sqlite.get("/investigations/workspace")
    assert work.status_code == 200 and "more than 2" in work.text
    assert "more than 2" in client_sqlite.get("/identification").text
