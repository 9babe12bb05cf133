"""Referral lists at scale (issue 18, item 3): keyset pages that keep to the viewer's scope, a
fixed number of statements whatever the number of rows, and impossible filters refused by name."""

from __future__ import annotations

import datetime as dt
import uuid
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.service import agency_by_code
from jusoor.core.db import Database, utcnow
from jusoor.referrals.models import Service, Transition
from tests.conftest import DEMO_PASSWORD
from tests.referrals.support import open_case, refer, second_provider
from tests.support.paging import NEXT_RE, api_rows, html_pages
from tests.support.statements import counting
from tests.support.tokens import bearer
from tests.support.web import login

# (status, overdue) of the rows seeded for every section of the inbox to have some.
KINDS = (
    ("requested", True),
    ("requested", False),
    ("accepted", False),
    ("completed", False),
    ("declined", False),
)


def _service_of(session: Session, code: str) -> Service:
    agency = agency_by_code(session, code)
    assert agency is not None
    return session.scalars(select(Service).where(Service.agency_id == agency.id)).first()  # type: ignore[return-value]


def _seed(db: Database, per_kind: int, *, to: str = "ma-shelter") -> set[uuid.UUID]:
    """`per_kind` referrals of each KINDS, sent by caseworker.ma's agency to agency `to`,
    written directly (the rules of making one are tested elsewhere): their ids."""
    made: set[uuid.UUID] = set()
    with db.unit_of_work() as session:
        base = session.scalars(select(Transition).order_by(Transition.created_at)).first()
        if base is None:
            base = refer(session, open_case(session))
            made.add(base.id)
        service = _service_of(session, to)
        now = utcnow()
        for i in range(per_kind):
            for j, (status, late) in enumerate(KINDS):
                when = now - dt.timedelta(days=30, minutes=i * len(KINDS) + j)
                row = Transition(
                    case_id=base.case_id,
                    service_id=service.id,
                    from_agency_id=base.from_agency_id,
                    to_agency_id=service.agency_id,
                    country=base.country,
                    created_by=base.created_by,
                    status=status,
                    shared_fields=list(base.shared_fields),
                    deadline=now + dt.timedelta(days=-2 - i if late else 5 + i),
                    created_at=when,
                    updated_at=when,
                )
                session.add(row)
                session.flush()
                made.add(row.id)
    return made


def _statements(db: Database, client: TestClient, url: str, headers: dict[str, str]) -> int:
    with counting(db.engine) as seen:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.text[:300])
    return seen.count


LISTS = (
    "/referrals",
    "/referrals?section=closed",
    "/referrals?status=accepted",
    "/referrals/overdue",
    "/api/v1/referrals?limit=50",
    "/api/v1/referrals?overdue=true&box=outgoing",
)


def test_referral_lists_send_as_many_statements_for_fifty_rows_as_for_five(
    client: TestClient, demo_db: Database
) -> None:
    _seed(demo_db, 1)
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    headers = bearer(demo_db, "caseworker.ma")
    for url in LISTS:  # warm the caches (translations, templates, the token) before counting
        client.get(url, headers=headers if url.startswith("/api") else {})
    few = {
        url: _statements(demo_db, client, url, headers if url.startswith("/api") else {})
        for url in LISTS
    }
    _seed(demo_db, 10)  # 50 more
    many = {
        url: _statements(demo_db, client, url, headers if url.startswith("/api") else {})
        for url in LISTS
    }
    assert many == few


def _api_ids(client: TestClient, headers: dict[str, str], query: str) -> list[uuid.UUID]:
    rows = api_rows(client, headers, f"/api/v1/referrals?limit=7{query}")
    return [uuid.UUID(r["id"]) for r in rows]


def test_paging_never_leaves_the_viewers_scope(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        second_provider(session)
    shelter = _seed(demo_db, 4, to="ma-shelter")
    hospital = _seed(demo_db, 3, to="ma-health")
    for username, expected in (
        ("provider.ma", shelter),
        ("provider2.ma", hospital - shelter),
        ("caseworker.ma", shelter | hospital),
    ):
        headers = bearer(demo_db, username)
        ids = _api_ids(client, headers, "")
        assert len(ids) == len(set(ids)), username  # no row twice
        assert set(ids) == expected, username  # every row in scope, none outside
        late = _api_ids(client, headers, "&overdue=true")
        assert set(late) <= expected and len(late) == len(set(late))
    # The pages walk the same way, following their "Next page" link.
    login(client, demo_db, "provider2.ma", DEMO_PASSWORD)
    text = "".join(html_pages(client, "/referrals?status=requested"))
    assert all(str(i) not in text for i in shelter - hospital)


def test_first_page_and_next_links_keep_the_filters(client: TestClient, demo_db: Database) -> None:
    _seed(demo_db, 26)  # 52 closed ones: more than one page of 50
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    first = client.get("/referrals?section=closed")
    assert first.status_code == 200
    following = NEXT_RE.search(first.text)
    assert following and "section=closed" in following.group(1)
    second = client.get(unescape(following.group(1)))
    assert second.status_code == 200 and 'rel="first"' in second.text
    assert 'href="/referrals?section=closed" rel="first"' in second.text


def test_impossible_filters_and_pages_are_refused_by_name(
    client: TestClient, demo_db: Database
) -> None:
    _seed(demo_db, 12)
    headers = bearer(demo_db, "caseworker.ma")
    overdue_cursor = client.get("/api/v1/referrals?overdue=true&limit=2", headers=headers).headers[
        "X-Next-Cursor"
    ]
    for query, field in (
        ("after=not-a-cursor", "after"),
        ("after=" + "A" * 40, "after"),
        (f"after={overdue_cursor}", "after"),  # a cursor of another list
        ("status=lost", "status"),
        ("limit=0", "limit"),
    ):
        response = client.get(f"/api/v1/referrals?{query}", headers=headers)
        assert response.status_code == 422, query
        assert response.json()["error"]["field"] == field, query
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    for url in (
        "/referrals?after=forged",
        "/referrals?status=lost",
        "/referrals?section=nowhere",
        f"/referrals?after={overdue_cursor}",
        "/referrals/overdue?after=AAAA",
    ):
        page = client.get(url)
        assert page.status_code == 422, url
        assert "Traceback" not in page.text


def test_each_inbox_section_shows_the_first_rows_of_its_own_list(demo_db: Database) -> None:
    """The inbox reads all its sections at once; each must hold what the section's own page
    shows first, in the same order, with the same way on to the rest."""
    from jusoor.referrals import lists, service
    from tests.referrals.support import actor

    _seed(demo_db, 12)  # 60 referrals: more than a section shows, in every section
    for username in ("caseworker.ma", "provider.ma"):
        with demo_db.reading() as session:
            viewer = actor(session, username)
            inbox = service.inbox(session, actor=viewer)
            assert any(found.rows for _part, found in inbox), username
            for part, found in inbox:
                alone = lists.page(
                    session,
                    service._visible(viewer),
                    actor=viewer,
                    flt=part.filter(),
                    limit=lists.SECTION_ROWS,
                )
                assert [r.id for r in found.rows] == [r.id for r in alone.rows], part.key
                assert found.next_cursor == alone.next_cursor, part.key
            session.rollback()
