"""Browser-test fixtures shared by every module: one Chromium per session (Playwright's sync API
cannot be started twice in one process), a real uvicorn server over the demo database, pages that
fail the test on any console error, screenshots, and signing in.

Loaded for the whole suite from tests/conftest.py (`pytest_plugins`). Screenshots go to
$JUSOOR_SCREENSHOTS (default: a `jusoor-screenshots` folder in the temp dir). Without
/usr/bin/chromium the browser tests skip, unless JUSOOR_REQUIRE_BROWSER=1 (CI), which fails them.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD

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


def pass_second_factor(page: Page, db: Database, username: str) -> None:
    """On the second-factor page (roles that need one), type a code not used yet and go on."""
    if "/login/second-factor" not in page.url:
        return
    from tests.support.web import second_factor_code

    page.fill("#code", second_factor_code(db, username))
    page.click("form[action='/login/second-factor'] button[type=submit]")
    page.wait_for_load_state()


def choose_language(page: Page, lang: str) -> None:
    """Press the language's button; on a phone it is in the menu (base.html), opened first."""
    button = page.locator(f"form.langs button[value={lang}]")
    if not button.is_visible() and page.locator("details.menu > summary").is_visible():
        page.click("details.menu > summary")
    button.click()
