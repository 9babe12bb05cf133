"""Cross-border exchange as the liaison officer works it in a real Chromium, in Arabic on a phone:
open an information request received from Tunisia, answer it; write a mutual legal assistance
request, first without one UNTOC art. 18(15) element (the form names it), then complete; the new
request waits in the outbox as "sent", since no node answers at the peer's address.

Screenshots go to $JUSOOR_SCREENSHOTS as exchange-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from jusoor.core.db import Database
from jusoor.core.i18n import gettext, use_locale
from jusoor.exchange.models import Message
from jusoor.exchange.vocabulary import Direction, MessageStatus, MessageType
from tests.exchange.test_pages import information_request, receive, start_node
from tests.support.browser import OpenPage, choose_language, pass_second_factor, shot, sign_in

pytestmark = pytest.mark.browser

ANSWER = "The line has belonged to a shop in Sfax since March 2025."
MLA = {
    "#subject": "Bank records of a recruitment agency",
    "#requesting_authority": "Ministry of Justice, Directorate of Criminal Affairs, Rabat",
    "#proceeding_nature": "Criminal investigation of trafficking in persons for forced labour.",
    "#conducting_authority": "Investigating judge, Court of First Instance of Casablanca.",
    "#facts_summary": "Between 2024 and 2025, forty workers were recruited with false promises.",
    "#assistance_sought": "Certified copies of the agency's bank statements for 2024-2025.",
    "#persons_concerned": "A. B.; Tunis; TN",
}
PURPOSE = "To trace the payments made by the workers to the recruiters."


def _liaison_in_arabic(new_page: OpenPage, server: str, db: Database) -> Page:
    """liaison.ma signs in with the second factor, on a phone-sized screen, in Arabic."""
    page = new_page(lang="ar", width=390, height=844)
    sign_in(page, server, "liaison.ma")
    pass_second_factor(page, db, "liaison.ma")
    if page.get_attribute("html", "lang") != "ar":
        choose_language(page, "ar")
        page.wait_for_load_state()
    assert page.get_attribute("html", "dir") == "rtl"
    return page


def _submit(page: Page, form: str) -> None:
    page.locator(f"{form} button[type=submit]").first.click()
    page.wait_for_load_state()


def test_liaison_answers_a_request_and_sends_an_mla_request_in_arabic(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    tn = start_node(demo_sqlite)
    received = receive(demo_sqlite, tn, information_request())
    page = _liaison_in_arabic(new_page, server, demo_sqlite)

    page.goto(f"{server}/exchange")
    link = page.locator(f"#box-title ~ ul a[href='/exchange/messages/{received}']")
    expect(link).to_have_count(1)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "exchange-1-inbox-ar", full_page=False)
    link.click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("+216 20 123 456")
    expect(page.locator("form[action$='type=withdrawal']")).to_have_count(0)
    page.click("#act-reply summary")
    page.fill("#reply-text", ANSWER)
    _submit(page, "form[action$='type=reply']")
    expect(page.locator("[role=status]")).to_be_visible()
    expect(page.locator("main")).to_contain_text(ANSWER)
    shot(page, "exchange-2-thread-answered-ar")

    page.goto(f"{server}/exchange/new?type=mla_request")
    page.select_option("#to", "TN")
    for selector, value in MLA.items():
        page.fill(selector, value)
    page.select_option("#assistance_kind", "documents_records")
    _submit(page, "form[action$='type=mla_request']")  # no purpose: art. 18(15)(f) is missing
    expect(page.locator("#purpose-error")).to_contain_text("18(15)(f)")
    assert page.input_value("#requesting_authority") == MLA["#requesting_authority"]
    assert page.input_value("#persons_concerned") == MLA["#persons_concerned"]
    shot(page, "exchange-3-mla-missing-purpose-ar")
    page.fill("#purpose", PURPOSE)
    _submit(page, "form[action$='type=mla_request']")
    assert re.search(r"/exchange/messages/[0-9a-f-]{36}\?done=sent$", page.url), page.url
    with use_locale("ar"):
        sent_label = gettext("Sent, awaiting receipt")
    expect(page.locator(".facts dd").first).to_have_text(sent_label)
    shot(page, "exchange-4-mla-sent-ar")

    with demo_sqlite.unit_of_work() as session:
        answer = session.scalars(select(Message).where(Message.type == MessageType.reply)).one()
        assert answer.thread_id == received and answer.direction is Direction.outgoing
        mla = session.scalars(select(Message).where(Message.type == MessageType.mla_request)).one()
        assert mla.status is MessageStatus.sent and mla.peer == "TN"
