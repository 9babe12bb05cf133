"""Every page of every role passes axe-core (issue 19, item 4): a bounded crawl, signed in as one
demo user of each role, follows the in-site links from the home page and runs the vendored
engine (tests/support/axe) on each kind of page it reaches, in Arabic on a phone (right to
left, the folded menu) and in English on a desktop (left to right, the open menu). No serious or
critical violation is allowed, and no page may scroll sideways on the phone. On the desktop, Tab
must reach every visible control of every form, each with a drawn focus (tests/support/keyboard).

A kind of page is its path with ids and numbers replaced (`/cases/{id}`): it is checked once
per direction, by the first role that reaches it, so the crawl stays in a few minutes.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from jusoor.synth import demo
from tests.conftest import DEMO_PASSWORD
from tests.support.accessibility import Violation, violations
from tests.support.browser import pass_second_factor, sign_in
from tests.support.keyboard import keyboard_problems

pytestmark = pytest.mark.browser

# One demo user per role, the richest pages first (a kind of page is checked by its first role).
USERS = (
    "caseworker.ma",
    "screener.ma",
    "investigator.ma",
    "prosecutor.ma",
    "provider.ma",
    "coordinator.ma",
    "liaison.ma",
    "analyst.ma",
    "auditor.ma",
    "admin",
)
PAGES_PER_USER = 30  # kinds of page newly checked per user and direction
CASES = 12  # synthetic cases of the demo, as `serve --init-demo` loads them (fewer)
MIN_KINDS = 45
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Not pages: files, the JSON API, forms that act when followed, static files.
NOT_A_PAGE = re.compile(
    r"^/(api|static)/|/logout|/language|/export|/download|\.(csv|json|pdf|xlsx|zip|geojson|svg|png)$"
)
ID = re.compile(r"/(?:[0-9a-f]{8}-[0-9a-f-]{27}|[A-Z]{2}-\d{4}-\d+|\d+)(?=/|$)")


def kind_of(path: str) -> str:
    """The page's kind: its path with ids, references and numbers as `{id}`, without query."""
    return ID.sub("/{id}", path.split("?")[0])


@dataclass
class Crawl:
    lang: str
    checked: dict[str, str] = field(default_factory=dict)  # kind -> "user path"
    problems: list[str] = field(default_factory=list)


def _enter(page: Page, base: str, db: Database, username: str) -> None:
    sign_in(page, base, username)
    pass_second_factor(page, db, username)
    assert "/login" not in page.url, f"{username} could not sign in"


def _links(page: Page) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href^='/']", "all => all.map(a => a.getAttribute('href'))"
    )
    return [h.split("#")[0] for h in hrefs if h and not NOT_A_PAGE.search(h.split("?")[0])]


def _check(page: Page, crawl: Crawl, where: str) -> None:
    found: list[Violation] = violations(page)
    crawl.problems += [f"{where}: {v}" for v in found]
    if crawl.lang == "en":  # the keyboard through every form, once per kind of page
        crawl.problems += [f"{where}: {p}" for p in keyboard_problems(page)]
    if crawl.lang == "ar":
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        if wide > PHONE["width"]:
            crawl.problems.append(f"{where}: scrolls sideways on a phone ({wide} px)")


def _crawl_as(browser: Browser, base: str, db: Database, username: str, crawl: Crawl) -> None:
    viewport = PHONE if crawl.lang == "ar" else DESKTOP
    context = browser.new_context(
        locale=crawl.lang, extra_http_headers={"Accept-Language": crawl.lang}, viewport=viewport
    )
    try:
        page = context.new_page()
        _enter(page, base, db, username)
        if page.get_attribute("html", "lang") != crawl.lang:  # a saved preference wins
            page.goto(f"{base}/profile")
            with page.expect_navigation():
                page.evaluate(
                    "lang => document.querySelector(`form.langs button[value=${lang}]`).click()",
                    crawl.lang,
                )
        assert page.get_attribute("html", "lang") == crawl.lang
        queue, seen, fresh = deque(["/"]), {"/"}, 0
        while queue and fresh < PAGES_PER_USER:
            path = queue.popleft()
            if path != "/" and kind_of(path) in crawl.checked:
                continue  # another record of a kind already checked
            try:
                answer = page.goto(base + path)
            except PlaywrightError as exc:  # a link that turns out to be a download
                assert "Download" in str(exc), exc
                continue
            status = answer.status if answer else 0
            if status >= 500:
                crawl.problems.append(f"{username} {path}: answered {status}")
            kind = kind_of(path)
            if kind not in crawl.checked and status < 400:
                crawl.checked[kind] = f"{username} {path}"
                fresh += 1
                _check(page, crawl, f"{crawl.lang} {username} {path}")
            for link in _links(page):
                if link not in seen and kind_of(link) not in crawl.checked:
                    seen.add(link)
                    # A record's page (with an id) before another list: depth, within the bound.
                    (queue.appendleft if "{id}" in kind_of(link) else queue.append)(link)
    finally:
        context.close()


def _full_demo(db: Database) -> None:
    """The demo as `jusoor serve --init-demo` shows it: cases, screenings, referrals, exchange,
    investigations and plans, so that the crawl reaches a page of each kind of record."""
    with db.unit_of_work() as session:
        demo.load(session, actor=system_actor("test"), password=DEMO_PASSWORD, cases=CASES)


def test_every_page_of_every_role_passes_axe_core_in_both_directions(
    server: str, browser: Browser, demo_sqlite: Database
) -> None:
    _full_demo(demo_sqlite)
    problems: list[str] = []
    for lang in ("ar", "en"):
        crawl = Crawl(lang)
        started = time.monotonic()
        for username in USERS:
            _crawl_as(browser, server, demo_sqlite, username, crawl)
        seconds = time.monotonic() - started
        print(f"\naxe-core checked {len(crawl.checked)} kinds of page in {lang} in {seconds:.0f} s")
        for kind, where in sorted(crawl.checked.items()):
            print(f"  {kind}  ({where})")
        # The crawl really went through the site, records included.
        assert len(crawl.checked) >= MIN_KINDS, sorted(crawl.checked)
        assert {"/cases/{id}", "/investigations/{id}", "/screening/{id}/result"} <= set(
            crawl.checked
        )
        problems += crawl.problems
        print("\n".join(crawl.problems))
    assert not problems, "\n".join(problems)


def test_axe_core_reports_a_control_without_a_name(
    server: str, browser: Browser, demo_sqlite: Database
) -> None:
    """The engine runs and is heard: a button with no accessible name is a critical violation."""
    page = browser.new_page()
    try:
        page.goto(f"{server}/login")
        assert violations(page) == []
        page.evaluate(
            "() => document.querySelector('main').append(document.createElement('button'))"
        )
        assert [v.rule for v in violations(page)] == ["button-name"]
    finally:
        page.close()


def test_the_keyboard_check_reports_a_control_tab_cannot_reach(
    server: str, browser: Browser, demo_sqlite: Database
) -> None:
    """The keyboard check is heard: a field taken out of the tab order is reported by name."""
    page = browser.new_page()
    try:
        page.goto(f"{server}/login")
        assert keyboard_problems(page) == []
        page.evaluate("() => document.querySelector('#password').setAttribute('tabindex', '-1')")
        assert keyboard_problems(page) == ["not reached by Tab: password (password)"]
    finally:
        page.close()
