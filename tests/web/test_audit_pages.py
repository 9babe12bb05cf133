"""The audit trail page: filters, paging back in time, chain status, and who may read it."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support.web import login, post_form

ROW = re.compile(r"<tr>\s*<td>([\d,]+)</td>")


def seqs(page: str) -> list[int]:
    return [int(n.replace(",", "")) for n in ROW.findall(page)]


@pytest.fixture
def auditor(client: TestClient, demo_db: Database) -> TestClient:
    post_form(client, "/login", {"username": "screener.eg", "password": "wrong-password"})
    client.cookies.clear()
    login(client, demo_db, "admin", DEMO_PASSWORD)
    return client


def test_the_trail_shows_newest_first_and_that_the_chain_holds(auditor: TestClient) -> None:
    page = auditor.get("/audit").text
    # Only what is new since the last anchored checkpoint is checked on a page view (issue 18).
    assert "Intact" in page and "events since the checkpoint of" in page
    numbers = seqs(page)
    assert len(numbers) == 50 and numbers == sorted(numbers, reverse=True)


def test_filters_narrow_the_trail(auditor: TestClient) -> None:
    failures = auditor.get("/audit", params={"outcome": "failure", "action": "auth."}).text
    assert "screener.eg" in failures and "auth.login" in failures
    assert "user.create" not in failures
    by_actor = auditor.get("/audit", params={"actor": "admin", "action": "auth.mfa"}).text
    assert "auth.mfa" in by_actor and "auth.login" not in by_actor


def test_a_date_range_in_the_future_matches_nothing_and_a_bad_date_is_named(
    auditor: TestClient,
) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert (
        "No event matches these filters." in auditor.get("/audit", params={"since": tomorrow}).text
    )
    today = dt.datetime.now(ZoneInfo("Africa/Cairo")).date().isoformat()  # admin's time zone
    assert seqs(auditor.get("/audit", params={"since": today, "until": today}).text)
    # A date in the reader's format is read; an impossible one is named.
    assert auditor.get("/audit", params={"since": "31/12/2026"}).status_code == 200
    bad = auditor.get("/audit", params={"since": "31/02/2026"})
    assert bad.status_code == 422 and 'id="since-error"' in bad.text
    assert "2026" in bad.text.split('id="since-error">')[1].split("<")[0]


def test_older_events_are_reached_by_paging(auditor: TestClient) -> None:
    first = auditor.get("/audit").text
    link = re.search(r'href="/audit\?([^"]*before_seq=(\d+)[^"]*)"', first)
    assert link
    older = auditor.get("/audit?" + link.group(1).replace("&amp;", "&")).text
    numbers = seqs(older)
    # The numbers shown are chain positions; `before_seq` is a row number (they differ where a
    # rolled-back transaction used a row number on PostgreSQL).
    assert numbers and max(numbers) < min(seqs(first))
    assert "Newest events" in older


def test_an_auditor_reads_the_trail_and_a_case_worker_may_not(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "auditor.eg", DEMO_PASSWORD)
    assert client.get("/audit").status_code == 200
    client.cookies.clear()
    login(client, demo_db, "caseworker.eg", DEMO_PASSWORD)
    assert client.get("/audit").status_code == 403


def test_what_was_done_is_chosen_by_name_and_filters_by_its_family(auditor: TestClient) -> None:
    page = auditor.get("/audit").text
    assert '<option value="auth.">Signing in and out</option>' in page
    assert 'placeholder="auth."' not in page  # no action codes to type
    chosen = auditor.get("/audit", params={"action": "auth."}).text
    assert '<option value="auth." selected>Signing in and out</option>' in chosen
    assert "auth.login" in chosen and "user.create" not in chosen
    typed = auditor.get("/audit", params={"action": "auth.mfa"}).text  # a link with a prefix
    assert '<option value="auth.mfa" selected>auth.mfa</option>' in typed
