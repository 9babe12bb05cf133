from __future__ import annotations

import pytest

from jusoor.monitor import extract


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("Une table ronde sur la traite s'est tenue à Rabat.", "roundtable"),
        ("نظمت الهيئة زيارة دراسية إلى مدريد للاطلاع على التجربة الإسبانية.", "study_visit"),
        (
            "Police raided three farms and arrested 12 suspects of human trafficking.",
            "arrest_or_raid",
        ),
        (
            "The court sentenced five traffickers; the verdict was welcomed.",
            "prosecution_or_verdict",
        ),
        ("تم إنقاذ 30 ضحية من ضحايا الاتجار بالبشر", "rescue"),
        (
            "Le gouvernement a adopté le plan national de lutte contre la traite 2024-2028.",
            "plan_or_law_adopted",
        ),
        ("أطلقت الوزارة حملة توعوية ضد الاتجار بالبشر", "campaign"),
        ("The ministry commented on the report.", None),
    ],
)
def test_event_type_from_the_words_of_the_report(text: str, event_type: str | None) -> None:
    assert extract(text).event.type == event_type


def test_headline_outweighs_earlier_events_mentioned_in_the_body() -> None:
    text = (
        "Forum régional sur la traite à Tunis\n\n"
        "Le forum fait suite à la réunion de l'an dernier, à une réunion technique en mars et à une"
        " réunion de suivi en avril."
    )
    assert extract(text).event.type == "forum"


def test_quoted_name_is_the_title() -> None:
    text = 'UNODC is launching the "Regional Workshop on Victim Identification" in Amman, Jordan.'
    assert extract(text).event.title == "Regional Workshop on Victim Identification"


def test_title_is_cut_before_its_place_and_date() -> None:
    x = extract("انطلاق المنتدى الحكومي لمكافحة الاتجار بالأشخاص في الكويت يوم 14 نوفمبر 2024")
    assert x.event.title == "المنتدى الحكومي لمكافحة الاتجار بالأشخاص"


def test_title_continues_on_a_line_that_starts_with_about() -> None:
    x = extract("مائدة مستديرة\nحول حماية الضحايا\nالرباط، من 16 إلى 18 ماي 2023")
    assert x.event.title == "مائدة مستديرة حول حماية الضحايا"


def test_english_title_keeps_its_capitalised_modifiers() -> None:
    x = extract("The Second Regional Forum on Migrant Smuggling opened in Dakar on 2 May 2024.")
    assert x.event.title == "Second Regional Forum on Migrant Smuggling"
    assert x.crime == "migrant_smuggling"


def test_dateline_city_is_not_the_event_city() -> None:
    text = (
        "GENEVA, 3 April 2024 —\n"
        "A workshop on the protection of victims of trafficking was held in Beirut"
        " from 1 to 2 April 2024."
    )
    x = extract(text)
    assert (x.event.city and x.event.city.id, x.event.country) == ("beirut", "LB")
    assert x.published is not None and x.published.isoformat() == "2024-04-03"
    assert x.countries == ("LB", "CH")


def test_participants_are_counted() -> None:
    assert extract("بمشاركة 45 خبيرا من عشر دول عربية في ورشة عمل").event.participants == 45
    assert extract("The training gathered 1,200 participants in Cairo.").event.participants == 1200
    assert extract("A workshop held in 2023 in Cairo.").event.participants is None
