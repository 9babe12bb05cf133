"""From a presumed victim to the year's convicted count, in a real Chromium, every step on the
pages a person uses: the screener screens a presumed victim and opens a case for a case worker;
the investigator finds the person in the identification queue, identifies them, opens a file from
the screening (the case linked as a victim-witness), adds a defendant taken from the demo network
and sends the file to the prosecution; the prosecutor, in Arabic on a 390 px phone, charges under
Morocco's Law 27-14, names the court, sends the file to trial and records a first-instance
conviction. The year's figures, read from the API before and after, count one more convicted.

Screenshots go to $JUSOOR_SCREENSHOTS as justice-*.png.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from jusoor.entities import service as entities
from jusoor.entities.models import Link
from jusoor.synth import networks as demo_networks
from tests.screening.support import actor
from tests.support.browser import OpenPage, choose_language, pass_second_factor, shot, sign_in
from tests.support.tokens import bearer

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
OFFENCE = "MA-PC-448-2"  # Law 27-14, art. 448-1 and 448-2: trafficking in persons
COURT = "Court of First Instance, Tangier"


def _enter(
    new_page: OpenPage, server: str, db: Database, username: str, lang: str, **size: int
) -> Page:
    """Signed in (with the second factor where the role needs one), in `lang`."""
    page = new_page(lang=lang, **size)
    sign_in(page, server, username)
    pass_second_factor(page, db, username)
    if page.get_attribute("html", "lang") != lang:
        choose_language(page, lang)
        page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == lang
    return page


def _submit(page: Page, form: str) -> None:
    page.locator(f"{form} button[type=submit]").first.click()
    page.wait_for_load_state()


def _convicted(server: str, headers: dict[str, str]) -> int:
    """The year's persons convicted of trafficking in Morocco, as the API gives them."""
    answer = httpx.get(
        f"{server}/api/v1/investigations/figures",
        params={"year": dt.date.today().year},
        headers=headers,
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    total = answer.json()["convicted"]["total"]
    assert isinstance(total, int), total  # a prosecutor reads exact counts
    return total


def _network_suspect(db: Database) -> tuple[uuid.UUID, str]:
    """A recruiter or driver of the demo's networks (loaded here: the test directory has none),
    recorded by the Moroccan police: the person the investigator finds from the defendants panel."""
    with db.unit_of_work() as session:
        demo_networks.load_if_empty(session, actor=system_actor("demo"), seed=2026)
        police = actor(session, "investigator.ma")
        sources = set(
            session.scalars(
                select(Link.source_entity_id).where(
                    Link.type.in_(("recruited", "owns_vehicle")), Link.country == "MA"
                )
            )
        )
        people = entities.list_entities(session, actor=police, schema_name="Person", limit=500)
        suspect = next(p for p in people if p.id in sources)
        return suspect.id, suspect.caption


def _screen_and_open_a_case(page: Page, server: str) -> tuple[str, str]:
    """The screener answers yes to every question and opens a case for caseworker.ma."""
    page.goto(f"{server}/screening")
    page.select_option("#age_band", "21-23")
    page.select_option("#exploitation", "labour")
    page.fill("#label", "CJ-1")
    _submit(page, "form[action='/screening']")
    for _step in range(20):
        if page.url.endswith("/result"):
            break
        for radio in page.locator("input[type=radio][value=yes]").all():
            radio.check()
        page.click("button[name=then][value=next]")
        page.wait_for_load_state()
    assert page.url.endswith("/result"), page.url
    screening_id = page.url.split("/")[-2]
    expect(page.locator(".outcome h2")).to_have_text("Presumed victim")
    # The screener may not open a criminal file: no such action on their result page.
    expect(page.locator("a[href^='/investigations/new']")).to_have_count(0)
    page.select_option("#owner_username", "caseworker.ma")
    _submit(page, "form[action$='/case']")
    assert "/cases/opened/" in page.url
    reference = page.url.rsplit("/", 1)[1]
    assert re.fullmatch(r"MA-\d{4}-\d{6}", reference), reference
    shot(page, "justice-1-case-opened")
    return screening_id, reference


def _identify_and_open_a_file(page: Page, server: str, screening_id: str, case: str) -> str:
    """From the queue: identify, then open a file from the screening; returns the file's URL."""
    page.click("nav a[href='/identification']")
    page.wait_for_load_state()
    result = f"/screening/{screening_id}/result"
    row = page.locator("li.queue-row", has=page.locator(f"a[href='{result}']"))
    expect(row).to_contain_text("Presumed victim")
    row.locator("a.button").click()
    page.wait_for_load_state()
    form = "form[action$='/identification']"
    page.select_option(f"{form} #status", "actual")
    page.fill(f"{form} #basis", "Passport held, unpaid for months, locked in at night.")
    _submit(page, form)
    expect(page.locator(".decisions")).to_contain_text("Victim (identified)")
    shot(page, "justice-2-identified")

    page.click(f"a[href='/investigations/new?screening={screening_id}']")
    page.wait_for_load_state()
    title = page.input_value("#title")
    assert re.fullmatch(r"Report from screening S-[0-9A-F]{6}", title), title
    short = title.rsplit(" ", 1)[1]
    assert page.input_value("#origin") == "screening"
    expect(page.locator("input[name=link_case]")).to_be_checked()
    expect(page.locator("main")).to_contain_text(case)
    shot(page, "justice-3-new-file")
    _submit(page, "form[action='/investigations/new']")
    assert re.search(r"/investigations/[0-9a-f-]{36}\?done=opened$", page.url), page.url
    expect(page.locator("main")).to_contain_text(f"From screening {short}")
    expect(page.locator("#victims")).to_contain_text(case)
    return page.url.split("?")[0]


def _add_the_suspect(page: Page, suspect_id: uuid.UUID, name: str) -> None:
    panel = page.locator("#defendants")
    panel.locator("details summary").first.click()
    page.fill("#person_q", name)
    panel.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    page.check(f"#entity-{suspect_id}")
    page.select_option("#role", "recruiter")
    page.select_option("#sex", "male")
    page.fill("#age", "41")
    page.select_option("#citizenship", "MA")
    page.fill("#formal_contact_on", dt.date.today().isoformat())
    _submit(page, "form[action$='/defendants']")
    expect(page.locator("#defendants")).to_contain_text(name)


def _move(page: Page, stage: str) -> None:
    page.select_option("#move-stage", stage)
    _submit(page, "form[action$='/move']")
    expect(page.locator("p.notice[role=status]")).to_be_visible()


def _fits(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def _prosecute_and_convict(page: Page, server: str, reference: str) -> None:
    """The prosecutor finds the file, charges, names the court, sends it to trial, judges."""
    page.goto(f"{server}/investigations?q={reference}")
    page.locator("main a", has_text=reference).first.click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    charges = page.locator("#charges")
    charges.locator("details summary").first.click()
    page.select_option("#charge-defendant_id", index=1)
    page.select_option("#charge-offence", OFFENCE)
    _fits(page)
    shot(page, "justice-4-charge-ar-phone")
    _submit(page, "form[action$='/charges']")
    expect(page.locator("#charges ul.charges li")).to_have_count(1)

    page.locator("section[aria-labelledby=facts-title] details summary").click()
    page.fill("#court", COURT)
    _submit(page, "form[action$='/edit']")
    expect(page.locator(".file-team")).to_contain_text(COURT)
    _move(page, "trial")

    page.locator("#charges details summary").last.click()
    page.select_option("#judgment-charge_id", index=1)
    page.select_option("#judgment-verdict", "convicted")
    page.fill("#judgment-prison_months", "84")
    _submit(page, "form[action$='/judgments']")
    expect(page.locator("#charges .judgment")).to_have_count(1)
    _fits(page)
    shot(page, "justice-5-convicted-ar-phone")


def test_from_a_presumed_victim_to_one_more_conviction_in_the_year(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    figures = bearer(demo_sqlite, "prosecutor.ma")
    before = _convicted(server, figures)
    suspect_id, suspect_name = _network_suspect(demo_sqlite)

    screener = _enter(new_page, server, demo_sqlite, "screener.ma", "en")
    screening_id, case = _screen_and_open_a_case(screener, server)

    investigator = _enter(new_page, server, demo_sqlite, "investigator.ma", "en")
    url = _identify_and_open_a_file(investigator, server, screening_id, case)
    _add_the_suspect(investigator, suspect_id, suspect_name)
    _move(investigator, "preliminary_investigation")
    _move(investigator, "prosecution_decision")
    assert investigator.url.split("?")[0] == url
    reference = investigator.locator("h1 bdi").inner_text().strip()
    assert re.fullmatch(r"INV-MA-\d{4}-\d{5}", reference), reference
    shot(investigator, "justice-3-sent-to-prosecution")

    prosecutor = _enter(new_page, server, demo_sqlite, "prosecutor.ma", "ar", **PHONE)
    _prosecute_and_convict(prosecutor, server, reference)

    assert _convicted(server, figures) == before + 1
