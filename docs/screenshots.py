"""Take the README's screenshots from a running demo node (`make run`), in Arabic and English.

    .venv/bin/python docs/screenshots.py [--base http://127.0.0.1:8000]

Run it from the repository with the node's environment (JUSOOR_DATA_DIR, JUSOOR_DATABASE_URL,
JUSOOR_DEMO_PASSWORD as `make run` had them): a login that needs a second factor gets its code
from `jusoor demo code`. Writes docs/screenshots/*.png. Synthetic demo data only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", os.environ["JUSOOR_DEMO_PASSWORD"])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()
    if "/login/second-factor" in page.url:
        code = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
            [sys.executable, "-m", "jusoor", "demo", "code", username],
            check=True, capture_output=True, text=True,
        ).stdout.split()[-1]  # fmt: skip
        page.fill("input[name=code]", code)
        page.click("form[action='/login/second-factor'] button[type=submit]")
        page.wait_for_load_state()


def first_link(page: Page, prefix: str) -> str:
    href = page.locator(f"main a[href^='{prefix}']").first.get_attribute("href")
    if href is None:
        raise SystemExit(f"no link starting with {prefix} on {page.url}")
    return href


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    base = parser.parse_args().base
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        signed_in: dict[tuple[str, int], Page] = {}

        def page_as(username: str, lang: str, size: dict[str, int]) -> Page:
            # One session per user and width: a second-factor code is good for one sign-in.
            page = signed_in.get((username, size["width"]))
            if page is None:
                context = browser.new_context(
                    locale=lang,
                    viewport=size,  # type: ignore[arg-type]
                    extra_http_headers={"Accept-Language": lang},
                )
                page = signed_in[(username, size["width"])] = context.new_page()
                sign_in(page, base, username)
            page.goto(base + "/")
            if page.get_attribute("html", "lang") != lang:  # the user's own language first
                menu = page.locator("details.menu > summary")
                if menu.is_visible():
                    menu.click()
                page.click(f"form.langs button[value={lang}]")
                page.wait_for_load_state()
            return page

        def shoot(page: Page, name: str, *, full: bool = False) -> None:
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)
            print(OUT / f"{name}.png")

        for lang in ("ar", "en"):
            page = page_as("coordinator.ma", lang, DESKTOP)
            shoot(page, f"home-{lang}")
            page = page_as("caseworker.ma", lang, DESKTOP)
            page.goto(f"{base}/cases")
            shoot(page, f"cases-{lang}")
            page.goto(base + first_link(page, "/cases/0"))
            shoot(page, f"case-{lang}")
        page = page_as("screener.ma", "ar", PHONE)
        page.goto(f"{base}/screening")
        shoot(page, "screening-phone-ar", full=True)
        page = page_as("caseworker.ma", "ar", PHONE)
        page.goto(f"{base}/cases")
        page.goto(base + first_link(page, "/cases/0"))
        shoot(page, "case-phone-ar")
        for lang in ("en", "ar"):
            page = page_as("investigator.ma", lang, DESKTOP)
            page.goto(f"{base}/network")
            shoot(page, f"network-{lang}")
            page = page_as("analyst.ma", lang, DESKTOP)
            page.goto(f"{base}/monitor/map")
            shoot(page, f"monitor-map-{lang}")
            page = page_as("liaison.ma", lang, DESKTOP)
            page.goto(f"{base}/exchange")
            page.goto(base + first_link(page, "/exchange/messages/"))
            shoot(page, f"exchange-thread-{lang}")
        browser.close()


if __name__ == "__main__":
    main()
