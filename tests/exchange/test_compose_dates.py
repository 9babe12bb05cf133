"""A request's deadline typed as people write dates: read in the reader's format, an impossible
one refused with its name and kept in the box (it used to vanish), a past one refused."""

from __future__ import annotations

import datetime as dt
import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.core.db import Database
from jusoor.exchange.models import Message
from tests.conftest import DEMO_PASSWORD
from tests.exchange.test_pages import mla_form, start_node
from tests.support.web import login, post_form

URL = "/exchange/new?type=mla_request"


def _as_french_liaison(client: TestClient, db: Database) -> None:
    start_node(db)
    assert login(client, db, "liaison.ma", DEMO_PASSWORD).status_code == 303
    post_form(client, "/language", {"lang": "fr", "next": "/"}, page="/")


def _deadline_error(page: str) -> str:
    found = re.search(r'id="deadline-error">([^<]*)<', page)
    assert found, "no message beside the deadline"
    return html.unescape(found.group(1))


def test_an_impossible_deadline_is_named_and_kept_not_emptied(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    _as_french_liaison(client_sqlite, demo_sqlite)
    refused = post_form(client_sqlite, URL, mla_form(deadline="31/02/2030"))
    assert refused.status_code == 422
    assert "31 février 2030" in _deadline_error(refused.text)
    assert 'value="31/02/2030"' in refused.text
    assert re.search(r'<a href="#deadline">', refused.text)  # in the summary at the top
    with demo_sqlite.unit_of_work() as session:
        assert session.scalars(select(Message)).first() is None


def test_a_deadline_in_the_readers_format_is_kept_and_a_past_one_refused(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    _as_french_liaison(client_sqlite, demo_sqlite)
    past = post_form(client_sqlite, URL, mla_form(deadline="01/03/2020"))
    assert past.status_code == 422 and _deadline_error(past.text)
    later = dt.date.today() + dt.timedelta(days=20)
    sent = post_form(client_sqlite, URL, mla_form(deadline=later.strftime("%d/%m/%Y")))
    assert sent.status_code == 303
    with demo_sqlite.unit_of_work() as session:
        message = session.scalars(select(Message)).one()
        assert message.deadline == later
