"""The phone menu, the case page and the case list on a 390 px phone, and the keyboard through
them (issue 19, items 1, 2, 3 and 5): a menu button that opens the whole menu with the user's
name and role, a case page whose forms are folded under a summary, a case list of cards, and a
keyboard that reaches everything in order with the focus always visible, starting at a skip link.

Screenshots go to $JUSOOR_SCREENSHOTS as phone-*.png.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from jusoor.agencies.models import User
from jusoor.cases import service
from jusoor.cases.schemas import TaskCreate
from jusoor.core.db import Database
from tests.cases.support import actor, open_case
from tests.support.browser import OpenPage, shot, sign_in
from tests.support.web import translated

pytestmark = pytest.mark.browser
WIDTH = 390


def _phone(new_page: OpenPage, server: str, lang: str) -> Page:
    page = new_page(lang=lang, width=WIDTH, height=844)
    sign_in(page, server, "caseworker.ma")
    if page.get_attribute("html", "lang") != lang:  # a saved preference wins over the browser's
        page.goto(f"{server}/profile")
        with page.expect_navigation():
            page.evaluate(
                f"() => document.querySelector('form.langs button[value={lang}]').click()"
            )
    return page


def _fits(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH


def _focused(page: Page) -> dict[str, str]:
    """What has the keyboard focus, and whether it is drawn (an outline that is not `none`)."""
    return dict(
        page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
                 return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name') || '',
                         text: (e.innerText || '').trim(), outline: s.outlineStyle}; }"""
        )
    )


def _display_name(db: Database, username: str = "caseworker.ma") -> str:
    with db.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return user.display_name


def _case_with_a_late_task(db: Database) -> str:
    with db.unit_of_work() as session:
        case = open_case(session, aliases="Umm Salma")
        late = TaskCreate(title="Call the shelter back", due_on=dt.date.today() - dt.timedelta(3))
        service.add_task(
            session, actor=actor(session, "caseworker.ma"), case_id=case.id, task_in=late
        )
        return str(case.id)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_phone_menu_opens_a_list_with_the_user_languages_and_sign_out(
    lang: str, server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    page = _phone(new_page, server, lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    menu = page.locator("details.menu")
    expect(menu.locator("nav.nav a").first).to_be_hidden()  # folded behind its button
    button = menu.locator("> summary")
    expect(button).to_have_text(translated("Menu", lang))
    _fits(page)
    shot(page, f"phone-menu-closed-{lang}", full_page=False)

    button.click()
    links = menu.locator("nav.nav a")
    expect(links.first).to_be_visible()
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    assert all(b and b["width"] > WIDTH * 0.8 for b in boxes)  # one full-width line each
    assert all(a and b and b["y"] > a["y"] for a, b in itertools.pairwise(boxes))
    cases = translated("Cases", lang)
    expect(menu.locator("nav.nav a[href='/cases']")).to_have_text(cases)  # the whole label
    expect(menu.locator(".who .name")).to_have_text(_display_name(demo_sqlite))
    expect(menu.locator(".who .role")).to_have_text(translated("Case worker", lang))
    expect(menu.locator("form.langs button")).to_have_count(3)
    expect(menu.locator("form[action='/logout'] button")).to_be_visible()
    _fits(page)
    shot(page, f"phone-menu-open-{lang}", full_page=False)

    menu.locator("nav.nav a[href='/cases']").click()  # the menu leads somewhere
    page.wait_for_load_state()
    assert page.url.endswith("/cases")


def test_on_a_desktop_the_menu_is_a_bar_without_a_button(server: str, new_page: OpenPage) -> None:
    page = new_page(lang="en", width=1200)
    sign_in(page, server, "caseworker.ma")
    expect(page.locator("details.menu > summary")).to_be_hidden()
    expect(page.locator("nav.nav a[href='/cases']")).to_be_visible()
    expect(page.locator(".who .name")).to_be_visible()
    expect(page.locator("form[action='/logout'] button")).to_be_visible()


def test_the_case_page_starts_with_its_summary_and_folds_its_forms(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    case_id = _case_with_a_late_task(demo_sqlite)
    page = _phone(new_page, server, "ar")
    page.goto(f"{server}/cases/{case_id}")
    head = page.locator("section.case-head")
    expect(head).to_contain_text("Umm Salma")
    expect(head).to_contain_text("Call the shelter back")
    expect(head).to_contain_text(translated("No consent in force", "ar"))
    expect(head.locator(".badge.warn").first).to_be_visible()  # overdue, said in words
    folds = page.locator("details.form-fold")
    assert folds.count() >= 4  # stage move, task, note, consent (and the timeline)
    assert all(f is None for f in folds.evaluate_all("all => all.map(d => d.getAttribute('open'))"))
    expect(page.locator("form[action$='/tasks'] #title")).to_be_hidden()
    _fits(page)
    shot(page, "phone-case-ar")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 6 * 844, height  # was about seven screens with every form open

    # A refused form comes back open, its error beside the field.
    page.locator("details.form-fold:has(form[action$='/tasks']) > summary").click()
    page.click("form[action$='/tasks'] button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("form[action$='/tasks'] #title")).to_be_visible()
    expect(page.locator("#title-error")).to_be_visible()


def test_the_case_list_is_a_stack_of_cards_on_a_phone(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    _case_with_a_late_task(demo_sqlite)
    page = _phone(new_page, server, "en")
    page.goto(f"{server}/cases")
    row = page.locator("table.case-table tbody tr").first
    expect(row).to_contain_text("Umm Salma")
    expect(row).to_contain_text(_display_name(demo_sqlite))
    expect(row).to_contain_text("Call the shelter back")
    expect(row).to_contain_text("Overdue since")
    expect(page.locator("table.case-table thead")).not_to_be_in_viewport()
    cells = row.locator("td")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert all(a and b and b["y"] > a["y"] for a, b in itertools.pairwise(boxes))
    _fits(page)
    shot(page, "phone-case-list-en")


def test_the_keyboard_starts_at_the_skip_link_and_reaches_a_folded_form_with_a_visible_focus(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    case_id = _case_with_a_late_task(demo_sqlite)
    page = _phone(new_page, server, "en")
    page.goto(f"{server}/cases/{case_id}")
    page.keyboard.press("Tab")
    first = _focused(page)
    assert first["text"] == "Skip to the content" and first["outline"] != "none", first
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"

    # Onwards through the page: every stop drawn, and the task form's fold opened from the keys.
    for _ in range(60):
        page.keyboard.press("Tab")
        now = _focused(page)
        assert now["outline"] != "none", now
        if now["tag"] == "summary" and now["text"] == "Add a task":
            break
    else:
        pytest.fail("the keyboard never reached the task form's fold")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "title"
    page.keyboard.type("Visit the family")
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "due_on"
    for _ in range(5):  # a date field is several stops: day, month, year (and its picker)
        page.keyboard.press("Tab")
        if _focused(page)["name"] != "due_on":
            break
    assert _focused(page)["tag"] == "button", _focused(page)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("[role=status]")).to_be_visible()
    expect(page.locator("section[aria-labelledby=tasks-title]")).to_contain_text("Visit the family")
