"""The case list at scale: keyset pages that never skip, repeat or leak a case, exact search by
reference, owner, name or alias, bounded totals, and every impossible filter answered with a
message naming its field (page and API), never a 500 (issue 18, item 3)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jusoor.cases import listing, service
from jusoor.core import keyset
from jusoor.core.db import Database
from jusoor.core.errors import Invalid
from jusoor.core.keyset import InvalidCursor
from tests.cases.support import actor, open_case
from tests.conftest import DEMO_PASSWORD
from tests.referrals.support import refer
from tests.support.tokens import bearer
from tests.support.web import login, post_form


def _walk(session: Session, username: str, flt: listing.CaseFilter) -> list[uuid.UUID]:
    seen: list[uuid.UUID] = []
    after = flt.after
    while True:
        page = service.list_cases(
            session,
            actor=actor(session, username),
            flt=listing.CaseFilter(**{**flt.__dict__, "after": after}),
        )
        seen += [c.id for c in page.cases]
        if page.next_cursor is None:
            return seen
        after = page.next_cursor


def test_pages_follow_the_cursor_newest_first_without_gap_or_repeat(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        opened = [open_case(session) for _ in range(7)]
        same_moment = opened[0].opened_at
        for case in opened[2:5]:  # ties on opened_at are ordered by id, not skipped
            case.opened_at = same_moment
        session.flush()
        seen = _walk(session, "caseworker.ma", listing.CaseFilter(limit=3))
        expected = sorted(opened, key=lambda c: (c.opened_at, c.id), reverse=True)
        assert seen == [c.id for c in expected]


def test_paging_never_shows_a_case_outside_the_viewers_scope(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        moroccan = [open_case(session) for _ in range(3)]
        tunisian = [open_case(session, "caseworker.tn") for _ in range(3)]
        # A cursor made from a Moroccan case's position (anyone can build one: it is not secret)
        # only says where to start; the Tunisian worker still gets only Tunisian cases.
        middle = moroccan[1]
        cursor = keyset.encode((middle.opened_at, middle.id), tag=listing.TAG)
        for after in (None, cursor):
            seen = _walk(session, "caseworker.tn", listing.CaseFilter(limit=1, after=after))
            assert set(seen) <= {c.id for c in tunisian}
        assert set(_walk(session, "caseworker.tn", listing.CaseFilter(limit=1))) == {
            c.id for c in tunisian
        }


def test_the_search_finds_a_reference_an_owner_a_name_or_an_alias(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        named = open_case(session, name="Amina Benali", aliases="Mina, Amina B.")
        other = open_case(session, name="Joy Okafor")
        worker = actor(session, "caseworker.ma")

        def found(text: str) -> set[uuid.UUID]:
            page = service.list_cases(session, actor=worker, flt=listing.CaseFilter(search=text))
            return {c.id for c in page.cases}

        assert found(named.reference.lower()) == {named.id}
        assert found("Mina") == {named.id}  # an alias, whole, in another case
        assert found("amina benali") == {named.id}
        assert found("Benali") == set()  # exact: a whole name or alias, not a part of one
        assert found("caseworker.ma") == {named.id, other.id}
        assert found("nobody at all") == set()


def test_a_partner_cannot_find_a_case_by_a_name_it_was_not_shown(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        from jusoor.cases.consent import give_consent
        from jusoor.cases.schemas import ConsentCreate

        case = open_case(session, name="Amina Benali")
        give_consent(
            session,
            actor=actor(session, "caseworker.ma"),
            case_id=case.id,
            consent_in=ConsentCreate(purpose="referral", agency_code="ma-shelter", language="ar"),
        )
        refer(session, case.id)  # shares age band, gender and languages: not the name
        provider = actor(session, "provider.ma")
        listed = service.list_cases(session, actor=provider, flt=listing.CaseFilter())
        assert [c.id for c in listed.cases] == [case.id]  # the referral shows the case
        search = listing.CaseFilter(search="Amina Benali")
        assert not service.list_cases(session, actor=provider, flt=search).cases


def test_the_total_is_counted_no_further_than_its_cap(
    demo_sqlite: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "TOTAL_CAP", 3)
    with demo_sqlite.unit_of_work() as session:
        for _ in range(5):
            open_case(session)
        page = service.list_cases(
            session, actor=actor(session, "caseworker.ma"), flt=listing.CaseFilter()
        )
        assert (page.total, page.more, len(page.cases)) == (3, True, 5)


def test_filters_by_owner_and_opening_dates(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        old, new = open_case(session), open_case(session)
        old.opened_at -= dt.timedelta(days=40)
        session.flush()
        worker = actor(session, "caseworker.ma")
        since = dt.date.today() - dt.timedelta(days=10)

        def ids(**values: object) -> set[uuid.UUID]:
            flt = listing.CaseFilter(**values)  # type: ignore[arg-type]
            return {c.id for c in service.list_cases(session, actor=worker, flt=flt).cases}

        assert ids(opened_from=since) == {new.id}
        assert ids(opened_to=since) == {old.id}
        assert ids(owner="caseworker.ma") == {old.id, new.id}
        with pytest.raises(Invalid) as refused:
            ids(owner="caseworker.tn")  # another agency's worker: not the viewer's to filter on
        assert refused.value.field == "owner"
        with pytest.raises(Invalid) as backwards:
            ids(opened_from=since, opened_to=since - dt.timedelta(days=1))
        assert backwards.value.field == "opened_to"


def _tunisian_agency(db: Database) -> str:
    with db.unit_of_work() as session:
        return str(actor(session, "caseworker.tn").agency_id)


def _signed_in_english(client: TestClient, db: Database) -> None:
    login(client, db, "caseworker.ma", DEMO_PASSWORD)
    assert post_form(client, "/language", {"lang": "en"}, page="/").status_code == 303


BAD_PAGE_FILTERS = [
    ("stage", "nowhere", "Choose a stage from the list."),
    ("opened_from", "2026-02-31", "Opened from: there is no 31 February 2026."),
    ("agency", "not-an-id", "No such agency."),
    ("agency", str(uuid.UUID(int=7)), "No such agency."),
    ("after", "Zm9yZ2Vk", "This position in the list is not valid"),
    ("page", "999999999", "This page number is not valid"),
    ("owner", "nobody.here", "No user has this username."),
    ("q", "x" * 101, "Search for at most"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_PAGE_FILTERS)
def test_the_list_page_names_an_impossible_filter(
    client_sqlite: TestClient, demo_sqlite: Database, field: str, value: str, message: str
) -> None:
    with demo_sqlite.unit_of_work() as session:
        open_case(session)
    _signed_in_english(client_sqlite, demo_sqlite)
    page = client_sqlite.get("/cases", params={field: value})
    assert page.status_code == 422 and "<html" in page.text
    assert message in page.text.replace("&#39;", "'")
    assert "/cases/" in page.text  # the list is drawn again, without the refused filter


def test_the_list_page_refuses_another_agency_naming_the_field(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    _signed_in_english(client_sqlite, demo_sqlite)
    page = client_sqlite.get("/cases", params={"agency": _tunisian_agency(demo_sqlite)})
    assert page.status_code == 422 and "You cannot see this agency&#39;s cases." in page.text


def test_the_list_page_links_the_next_and_first_pages_keeping_the_filters(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    with demo_sqlite.unit_of_work() as session:
        for _ in range(27):
            open_case(session)
    _signed_in_english(client_sqlite, demo_sqlite)
    first = client_sqlite.get("/cases", params={"stage": "identification"})
    assert first.status_code == 200 and 'rel="next"' in first.text
    assert 'rel="first"' not in first.text
    href = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert "stage=identification" in href and "after=" in href
    second = client_sqlite.get("/cases" + href.replace("&amp;", "&"))
    assert second.status_code == 200 and 'rel="first"' in second.text
    assert 'rel="next"' not in second.text  # 27 cases: 25, then 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"stage": "nowhere"}, "stage"),
        ({"opened_from": "2026-02-31"}, "opened_from"),
        ({"agency_id": str(uuid.UUID(int=7))}, "agency_id"),
        ({"after": "Zm9yZ2Vk"}, "after"),
        ({"offset": "5000"}, "offset"),
        ({"owner": "nobody.here"}, "owner"),
    ],
)
def test_the_api_answers_an_impossible_filter_with_the_shared_422(
    client_sqlite: TestClient, demo_sqlite: Database, params: dict[str, str], field: str
) -> None:
    response = client_sqlite.get(
        "/api/v1/cases", params=params, headers=bearer(demo_sqlite, "caseworker.ma")
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field


def test_the_api_pages_by_cursor(client_sqlite: TestClient, demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        opened = {open_case(session).reference for _ in range(5)}
    headers = bearer(demo_sqlite, "caseworker.ma")
    first = client_sqlite.get("/api/v1/cases", params={"limit": 3}, headers=headers).json()
    assert first["total"] == 5 and first["more"] is False and first["next"]
    rest = client_sqlite.get(
        "/api/v1/cases", params={"limit": 3, "after": first["next"]}, headers=headers
    ).json()
    assert rest["next"] is None
    assert {c["reference"] for c in first["cases"] + rest["cases"]} == opened


def test_a_cursor_of_another_list_is_refused() -> None:
    other = keyset.encode((dt.datetime.now(dt.UTC), uuid.uuid4()), tag="identification-queue")
    with pytest.raises(InvalidCursor):
        keyset.decode(other, tag=listing.TAG, kinds=[dt.datetime, uuid.UUID])
