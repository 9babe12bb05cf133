"""Asking before an action that ends something, without the script (jusoor.web.confirm): the form
carries `ask=yes` inside `<noscript>`, and the route answers with a page asking the question,
holding the same form; nothing changes until it is confirmed. A client that sends no `ask` (the
script, which asked in a dialog; a test) is not asked twice."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from jusoor.agencies.models import User
from jusoor.core.db import Database
from jusoor.referrals.models import Transition
from tests.conftest import DEMO_PASSWORD
from tests.referrals.support import open_case, refer
from tests.support.web import csrf_from, login, post_form

NOSCRIPT_ASK = '<noscript><input type="hidden" name="ask" value="yes"></noscript>'


@pytest.fixture
def admin(client_sqlite: TestClient, demo_sqlite: Database) -> TestClient:
    login(client_sqlite, demo_sqlite, "admin", DEMO_PASSWORD)
    return client_sqlite


def _user(db: Database, username: str) -> User:
    with db.unit_of_work() as session:
        found = session.query(User).filter_by(username=username).one()
        session.expunge(found)
        return found


def test_without_the_script_disabling_an_account_is_asked_first_and_then_done(
    admin: TestClient, demo_sqlite: Database
) -> None:
    user = _user(demo_sqlite, "analyst.jo")
    page = f"/admin/users/{user.id}"
    assert NOSCRIPT_ASK in admin.get(page).text
    asked = post_form(admin, f"{page}/active", {"active": "0", "ask": "yes"}, page=page)
    assert asked.status_code == 200
    assert "Disable this account? Its owner will no longer be able to sign in." in asked.text
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', asked.text, re.S)
    assert form is not None and form.group(1) == f"{page}/active"
    assert '<input type="hidden" name="active" value="0">' in form.group(2)
    assert 'name="ask"' not in form.group(2) and f'href="{page}"' in asked.text
    assert _user(demo_sqlite, "analyst.jo").active  # nothing changed yet
    confirmed = admin.post(
        form.group(1),
        data={"active": "0", "csrf_token": csrf_from(asked.text)},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    assert not _user(demo_sqlite, "analyst.jo").active


def test_a_client_that_does_not_ask_is_not_asked_twice(
    admin: TestClient, demo_sqlite: Database
) -> None:
    user = _user(demo_sqlite, "analyst.jo")
    page = f"/admin/users/{user.id}"
    assert post_form(admin, f"{page}/active", {"active": "0"}, page=page).status_code == 303
    assert not _user(demo_sqlite, "analyst.jo").active
    # Enabling again ends nothing: never asked, even without the script.
    enabled = post_form(admin, f"{page}/active", {"active": "1", "ask": "yes"}, page=page)
    assert enabled.status_code == 303 and _user(demo_sqlite, "analyst.jo").active


def test_without_the_script_declining_a_referral_is_asked_first_with_its_reason_kept(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    with demo_sqlite.unit_of_work() as session:
        referral_id = refer(session, open_case(session)).id
    login(client_sqlite, demo_sqlite, "provider.ma", DEMO_PASSWORD)
    post_form(client_sqlite, "/language", {"lang": "en", "next": "/"}, page="/")
    url = f"/referrals/{referral_id}"
    assert NOSCRIPT_ASK in client_sqlite.get(url).text
    # Without its reason the move is refused on the page first, not asked about.
    refused = post_form(
        client_sqlite, f"{url}/move", {"action": "decline", "reason": "", "ask": "yes"}, page=url
    )
    assert refused.status_code == 422
    form = {"action": "decline", "reason": "No bed for a family of four", "ask": "yes"}
    asked = post_form(client_sqlite, f"{url}/move", form, page=url)
    assert asked.status_code == 200
    assert "Decline this referral? The referring agency is told at once." in asked.text
    assert '<input type="hidden" name="reason" value="No bed for a family of four">' in asked.text
    with demo_sqlite.unit_of_work() as session:
        assert session.get(Transition, referral_id).status == "requested"


def test_the_confirmation_keeps_repeated_fields_and_drops_its_own() -> None:
    from jusoor.web.confirm import form_pairs

    sent = [("csrf_token", "t"), ("ask", "yes"), ("citizenship", "MA"), ("citizenship", "TN")]
    assert form_pairs(sent) == [("citizenship", "MA"), ("citizenship", "TN")]


def test_the_dialog_and_the_page_ask_the_same_words_written_once(
    admin: TestClient, demo_sqlite: Database
) -> None:
    """The question is registered once (`jusoor.web.questions`): the form's dialog and the
    no-script page read it there, in the reader's language."""
    user = _user(demo_sqlite, "analyst.jo")
    page_url = f"/admin/users/{user.id}"
    post_form(admin, "/language", {"lang": "ar", "next": page_url}, page=page_url)
    page = admin.get(page_url).text
    dialog = re.search(r'action="/admin/users/[^"]+/active" data-confirm="([^"]+)"', page)
    assert dialog is not None
    asked = post_form(
        admin,
        f"/admin/users/{user.id}/active",
        {"active": "0", "ask": "yes", "csrf_token": csrf_from(page)},
    )
    assert dialog.group(1) in asked.text
    assert "تعطيل" in dialog.group(1)  # Arabic: the dialog is translated too


def test_no_template_writes_a_question_of_its_own() -> None:
    """Every `data-confirm` of every template reads a registered question, so the dialog and
    the no-script page cannot drift apart."""
    from pathlib import Path

    import jusoor
    from jusoor.app import create_app
    from jusoor.web import questions

    create_app()  # every page module imported, every question registered
    root = Path(jusoor.__file__).parent
    found = 0
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for attribute in re.findall(r'data-confirm="([^"]*)"', text):
            found += 1
            assert attribute.startswith("{{ confirm_question("), (template, attribute)
        for key in re.findall(r"confirm_question\('([\w:]+)'\)", text):
            assert questions.confirm_question(key), (template, key)
    assert found >= 8
