"""A whole screening in a real Chromium, in Arabic, on a 390px phone screen (no JavaScript needed).

Screenshots go where `tests/browser/test_browser` puts them (`screening-*.png`).
"""

from __future__ import annotations

import pytest

from jusoor.screening import Profile
from jusoor.screening.questionnaire import questionnaire
from tests.support.browser import OpenPage, choose_language, shot, sign_in

pytestmark = pytest.mark.browser


PHONE = {"width": 390, "height": 844}
YES = {"job_different", "pay_different", "documents_kept", "not_free_to_leave", "long_hours"}


def test_a_full_screening_on_a_phone_in_arabic(server: str, new_page: OpenPage) -> None:
    page = new_page(lang="ar", **PHONE)
    sign_in(page, server, "screener.ma")
    choose_language(page, "ar")
    page.wait_for_load_state()
    page.goto(f"{server}/screening")
    assert page.get_attribute("html", "dir") == "rtl"
    page.select_option("#age_band", "24-26")
    page.select_option("#exploitation", "labour")
    page.fill("#label", "ب-12")
    page.click("form[action='/screening'] button[type=submit]")
    page.wait_for_load_state()
    steps = questionnaire().for_profile(Profile.ADULT_LABOUR)
    for number, step in enumerate(steps):
        assert page.url.endswith(f"/steps/{step.id}")
        for question in step.questions:
            value = "yes" if question.id in YES else "no"
            target = page.locator(
                f"label.answer:has(input[name='answers.{question.id}'][value={value}])"
            )
            box = target.bounding_box()
            assert box and box["height"] >= 44  # a thumb-sized tap target
            target.click()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        if number == 0:
            shot(page, "screening-step-ar-phone", full_page=False)
        page.click("button[name=then][value=next]")
        page.wait_for_load_state()
    assert page.url.endswith("/result")
    # Deceptive recruitment and coercion at destination, without exploitation: possible victim.
    assert page.locator(".outcome.outcome-possible_victim").count() == 1
    assert page.locator(".dimension.positive").count() == 2
    assert "مصادرة الوثائق" in page.locator(".dimensions").inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "screening-result-ar-phone")
