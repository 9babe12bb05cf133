"""The web shell in a real Chromium against a real uvicorn server over the demo directory.

Screenshots go to $JUSOOR_SCREENSHOTS (default: a `jusoor-screenshots` folder in the temp dir) so
that a person can look at the Arabic and English pages and the phone layout after a run.
Without /usr/bin/chromium these tests skip, unless JUSOOR_REQUIRE_BROWSER=1 (CI), which fails them.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyotp
import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support.web import totp_secret

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(
    os.environ.get("JUSOOR_SCREENSHOTS", Path(tempfile.gettempdir()) / "jusoor-screenshots")
)

OpenPage = Callable[..., Page]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("JUSOOR_REQUIRE_BROWSER") == "1":
            pytest.fail(f"JUSOOR_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(demo_sqlite: Database) -> Iterator[str]:
    """A real HTTP server on a free loopback port, in a thread, over the demo database."""
    from jusoor.app import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(demo_sqlite), host="127.0.0.1", port=port, log_level="warning"
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


def reportable(message: ConsoleMessage) -> bool:
    """Errors worth failing for: refused scripts or styles, script errors. A 401 or 422 page
    answering a bad form is expected, and Chromium logs it as a failed resource."""
    return message.type == "error" and not message.text.startswith("Failed to load resource")


@pytest.fixture
def new_page(browser: Browser) -> Iterator[OpenPage]:
    """Open pages in fresh contexts; fail the test if the page logs an error (e.g. CSP refusals)."""
    contexts = []
    problems: list[str] = []

    def opener(*, lang: str = "en", width: int = 1200, height: int = 800) -> Page:
        context = browser.new_context(
            locale=lang,
            extra_http_headers={"Accept-Language": lang},
            viewport={"width": width, "height": height},
        )
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: problems.append(msg.text) if reportable(msg) else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        return page

    yield opener
    for context in contexts:
        context.close()
    assert not problems, f"the browser reported errors: {problems}"


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def sign_in(page: Page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def test_arabic_sign_in_gives_a_right_to_left_page_then_english(
    server: str, new_page: OpenPage
) -> None:
    page = new_page(lang="ar")
    page.goto(f"{server}/login")
    assert page.get_attribute("html", "dir") == "rtl"
    shot(page, "login-ar")
    sign_in(page, server, "screener.eg")
    assert page.url == f"{server}/"
    assert page.get_attribute("html", "lang") == "ar"
    width = 1200
    brand = page.locator(".brand").bounding_box()
    first_link = page.locator(".nav a").first.bounding_box()
    assert brand and first_link
    assert brand["x"] > width / 2 and first_link["x"] > width / 2  # mirrored: start is at the right
    shot(page, "home-ar")
    page.click("form.langs button[value=en]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "dir") == "ltr"
    moved = page.locator(".nav a").first.bounding_box()
    assert moved and moved["x"] < width / 2
    assert page.locator("h1").inner_text().startswith("Welcome")
    shot(page, "home-en-screener")


def test_a_failed_sign_in_says_why_and_keeps_the_username(server: str, new_page: OpenPage) -> None:
    page = new_page(lang="en")
    sign_in(page, server, "screener.ma", "not-the-password")
    assert page.locator("[role=alert]").inner_text() == "Wrong username or password."
    assert page.input_value("#username") == "screener.ma"
    assert page.input_value("#password") == ""


def test_admin_signs_in_with_a_code_searches_users_on_a_phone_and_signs_out(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    page = new_page(lang="en")
    sign_in(page, server, "admin")
    assert "/login/second-factor" in page.url
    secret = totp_secret(demo_sqlite, "admin")
    assert secret
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("form[action='/login/second-factor'] button[type=submit]")
    page.wait_for_load_state()
    assert page.url == f"{server}/"
    assert page.locator(".badge.ok").first.inner_text() == "Intact"
    shot(page, "home-en-admin")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/admin/users")
    assert "64 users found." in page.locator("#user-results").inner_text()
    # Typing filters the list in place (htmx), without a page load and within the CSP.
    marker = page.evaluate("() => { window.__stay = 1; return window.__stay; }")
    with page.expect_response(lambda r: "/admin/users?q=liaison" in r.url):
        page.fill("#q", "liaison")
    page.wait_for_function("() => document.querySelector('#user-results').innerText.includes('7 ')")
    assert page.evaluate("() => window.__stay") == marker  # the same document: no reload
    assert "q=liaison" in page.url
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scroll
    shot(page, "users-phone", full_page=False)
    page.click("form[action='/logout'] button[type=submit]")
    page.wait_for_load_state()
    assert "/login" in page.url
    assert page.locator("[role=status]").inner_text() == "You have signed out."
    page.goto(f"{server}/admin/users")
    assert "/login" in page.url  # the session is over


def test_the_admin_home_in_arabic(server: str, new_page: OpenPage, demo_sqlite: Database) -> None:
    """The picture in the README: an administrator's home page in Arabic."""
    page = new_page(lang="ar", width=1100, height=720)
    sign_in(page, server, "admin")
    secret = totp_secret(demo_sqlite, "admin")
    assert secret
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("form[action='/login/second-factor'] button[type=submit]")
    page.wait_for_load_state()
    page.click("form.langs button[value=ar]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator(".tiles li").count() == 4
    shot(page, "home-ar-admin", full_page=False)
