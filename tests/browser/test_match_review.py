"""Match suggestions and review in a real Chromium: a case worker types a name in a case profile
and the person registered in Arabic in another case is suggested at once (htmx, under the strict
CSP); an investigator confirms a pair on /entities/review, then undoes it.

Screenshots go to $JUSOOR_SCREENSHOTS as match-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jusoor.core.db import Database
from jusoor.core.i18n import gettext, ngettext, use_locale
from tests.entities.review_support import ARABIC, LATIN, person, record_person
from tests.support.browser import OpenPage, pass_second_factor, shot, sign_in

pytestmark = pytest.mark.browser


def _signed_in(new_page: OpenPage, server: str, db: Database, username: str) -> Page:
    page = new_page()
    sign_in(page, server, username)
    pass_second_factor(page, db, username)
    return page


def _says(page: Page, message: str, **params: object) -> str:
    """`message` as the page shows it, in the page's language (the user's preference)."""
    with use_locale(page.get_attribute("html", "lang") or "en"):
        return gettext(message, **params)


def _reason(page: Page, field: str, finding: str) -> str:
    """One reason of the person model as the page shows it: "Name: the same name"."""
    with use_locale(page.get_attribute("html", "lang") or "en"):
        return gettext("%(field)s: %(finding)s", field=gettext(field), finding=gettext(finding))


def _in_one_other_case(page: Page) -> str:
    with use_locale(page.get_attribute("html", "lang") or "en"):
        return ngettext(
            "Possibly the same person in %(num)s other case.",
            "Possibly the same person in %(num)s other cases.",
            1,
        )


def test_a_case_worker_sees_a_suggestion_while_typing_the_name(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    with demo_sqlite.unit_of_work() as s:
        registered = person(s, name=ARABIC).reference
        abroad = person(s, "caseworker.tn", name=ARABIC).reference
        new = person(s).id
    page = _signed_in(new_page, server, demo_sqlite, "caseworker.ma")
    page.goto(f"{server}/cases/{new}/profile")
    page.fill("#name", LATIN)
    page.press("#name", "Tab")  # the change event sends the form to /cases/{id}/matches
    matches = page.locator("#case-matches")
    expect(matches).to_contain_text(_in_one_other_case(page))
    expect(matches).to_contain_text(registered)
    expect(matches).to_contain_text(_reason(page, "Name", "the same name"))
    expect(matches).not_to_contain_text(abroad)
    shot(page, "match-1-suggestion")
    page.locator("form button.primary[type=submit]").click()  # saving still saves
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(_says(page, "The profile is saved."))
    expect(page.locator("main")).to_contain_text(_says(page, "Possible matches in other cases"))


def test_an_investigator_confirms_a_pair_then_undoes_it(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    with demo_sqlite.unit_of_work() as s:
        record_person(s, "investigator.ma", name=[ARABIC], birthDate=["1990-03-14"])
        record_person(s, "investigator.ma", name=[LATIN], birthDate=["14.03.1990"])
    page = _signed_in(new_page, server, demo_sqlite, "investigator.ma")
    page.goto(f"{server}/entities/review")
    pair = page.locator("li.suggestion").first
    expect(pair).to_contain_text(ARABIC)
    expect(pair).to_contain_text(_reason(page, "Date of birth", "the same day"))
    pair.locator("input[name=reason]").fill("The same passport photograph in both files.")
    pair.locator("button[value=same]").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(
        _says(page, "Recorded: the same person. Undo it below if it was a mistake.")
    )
    expect(page.locator("li.suggestion")).to_have_count(0)
    shot(page, "match-2-confirmed")
    page.locator("form[action$='/undo'] button").first.click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(
        _says(page, "The decision is undone: the model decides this pair again.")
    )
    expect(page.locator("li.suggestion")).to_have_count(1)
    expect(page.locator(".judgements")).to_contain_text(_says(page, "Undone"))


def test_on_a_phone_in_arabic_a_case_reference_never_breaks_across_lines(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    # "الحالة MA-2026-000048" broke at its hyphen at 390 pixels: "-MA" on one line, the rest on
    # the next. An inline element has a box per line (and per run of one direction): all on
    # one line, they share their top.
    with demo_sqlite.unit_of_work() as s:
        references = {
            person(s, name=ARABIC, contact="+222 22 45 67 90").reference,
            person(s, name=LATIN, contact="+222 22 45 67 90").reference,
        }
    page = new_page(lang="ar", width=390, height=844)
    sign_in(page, server, "caseworker.ma")
    pass_second_factor(page, demo_sqlite, "caseworker.ma")
    page.goto(f"{server}/entities/review")
    labels = page.locator("li.suggestion .unbroken")
    expect(labels.first).to_be_visible()
    shown = [labels.nth(i) for i in range(labels.count())]
    assert references <= {ref for label in shown for ref in references if ref in label.inner_text()}
    for label in shown:
        tops = label.evaluate("e => [...e.getClientRects()].map(r => Math.round(r.top))")
        assert len(set(tops)) == 1, tops
    shot(page, "match-4-phone-arabic")
