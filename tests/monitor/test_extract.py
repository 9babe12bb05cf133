"""End to end on short reports written for the tests, in Arabic, English and French."""

from __future__ import annotations

from datetime import date

import pytest

from jusoor.monitor import extract

FR_WORKSHOP = (
    "Tunis, le 12 mars 2024 – L'Instance nationale de lutte contre la traite des personnes (INLTP)"
    " a organisé, du 10 au 12 mars 2024 à Hammamet, un atelier de formation au profit de 35"
    " magistrats, en partenariat avec l'Organisation internationale pour les migrations (OIM).\n"
    "Mme Raoudha Laabidi, présidente de l'INLTP, a souligné la protection des victimes et la"
    " coopération. La protection des victimes de la traite reste la priorité de la coopération."
)
FR_ARREST = (
    "Nouakchott, 5 février 2024 — La police mauritanienne a arrêté hier douze suspects soupçonnés"
    " de trafic illicite de migrants à Nouadhibou, avec l'appui d'INTERPOL."
)
EN_TRAINING = (
    "Amman — IOM and the National Committee for the Prevention of Human Trafficking held a"
    " three-day training for 40 labour inspectors starting today, Sunday, in Amman, Jordan."
    " Dr. Samira Haddad, Head of the committee's secretariat, said the training focuses on"
    " identifying victims of human trafficking."
)
AR_CAMPAIGN = (
    "أطلقت اللجنة الوطنية لمكافحة الاتجار بالبشر في دولة قطر حملة توعوية بعنوان"
    ' "لا للاتجار بالبشر" يوم 30 يوليو 2024 بالتعاون مع المنظمة الدولية للهجرة.'
)
AR_VERDICT = (
    "قضت المحكمة الجنائية في القاهرة بالسجن المشدد 10 سنوات على 5 متهمين في قضية اتجار بالبشر"
    " بعد محاكمة استمرت عدة أشهر."
)


def test_french_workshop() -> None:
    x = extract(FR_WORKSHOP)
    e = x.event
    assert (x.lang, x.published) == ("fr", date(2024, 3, 12))  # from the dateline
    assert (e.type, e.start, e.end) == ("workshop", date(2024, 3, 10), date(2024, 3, 12))
    assert (e.city and e.city.id, e.country, e.participants) == ("hammamet", "TN", 35)
    assert e.title is not None and e.title.startswith("atelier de formation")
    assert [o.organization.id for o in x.organizations] == ["tn_inltp", "iom"]
    assert [(p.name, p.titles, p.role) for p in x.persons] == [
        ("Raoudha Laabidi", ("Ms.",), "présidente de l'INLTP")
    ]
    assert set(x.themes) == {"protection", "partnership"}
    assert x.crime == "trafficking_in_persons"


def test_french_arrest_yesterday_is_resolved_from_the_dateline() -> None:
    x = extract(FR_ARREST)
    assert x.event.type == "arrest_or_raid"
    assert (x.event.start, x.event.end) == (date(2024, 2, 4), date(2024, 2, 4))
    assert x.event.city is not None and x.event.city.id == "nouadhibou"
    assert [o.organization.id for o in x.organizations] == ["interpol"]
    assert x.crime == "migrant_smuggling"


def test_english_training_today_is_empty_without_publication_date() -> None:
    x = extract(EN_TRAINING)
    assert x.event.type == "training"
    assert (x.event.start, x.event.end) == (None, None)
    assert (x.event.city and x.event.city.id, x.event.country) == ("amman", "JO")
    assert x.event.participants == 40
    assert [o.organization.id for o in x.organizations] == ["iom", "jo_ncpht"]


def test_english_training_today_with_publication_date() -> None:
    x = extract(EN_TRAINING, published=date(2024, 5, 5))  # a Sunday
    assert (x.event.start, x.event.end) == (date(2024, 5, 5), date(2024, 5, 7))  # three-day


def test_arabic_campaign_resolves_a_shared_committee_name_by_country() -> None:
    x = extract(AR_CAMPAIGN)
    assert x.event.type == "campaign"
    assert x.event.start == date(2024, 7, 30)
    assert (x.event.city, x.event.country) == (None, "QA")
    assert [o.organization.id for o in x.organizations] == ["qa_nccht", "iom"]
    assert x.event.title == "حملة توعوية بعنوان لا للاتجار بالبشر"


def test_arabic_verdict() -> None:
    x = extract(AR_VERDICT)
    assert x.event.type == "prosecution_or_verdict"
    assert (x.event.city and x.event.city.id, x.event.country) == ("cairo", "EG")
    assert x.event.start is None
    assert x.crime == "trafficking_in_persons"
    assert x.organizations == ()


def test_report_in_another_language_is_marked_as_such() -> None:
    x = extract("La conferencia regional sobre la trata de personas se celebró en Madrid ayer.")
    assert x.lang == "es"
    assert x.event.type is None


@pytest.mark.parametrize("text", ["", "   ", "12345"])
def test_text_with_nothing_to_say_gives_an_empty_extraction(text: str) -> None:
    x = extract(text)
    assert (x.lang, x.event.type, x.organizations, x.persons, x.countries) == (
        None,
        None,
        (),
        (),
        (),
    )


def test_explicit_language_skips_detection() -> None:
    assert extract("UNODC", lang="en").lang == "en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Alger – Le Comité national de prévention et de lutte contre la traite des personnes a"
            " tenu, mardi 14 mai 2024 à Alger, sa réunion ordinaire sous la présidence de Mme"
            " Mériem Chorfi, présidente du Comité.",
            ("meeting", "réunion ordinaire", date(2024, 5, 14), "algiers", "DZ", ["dz_cnpltp"]),
        ),
        (
            "Rabat, 25 juin 2024 (MAP) – La Commission nationale chargée de la coordination des"
            " mesures de lutte et de prévention contre la traite des êtres humains a organisé,"
            " mardi à Rabat, une journée d'étude sur l'identification des victimes.",
            (
                "workshop",
                "journée d'étude sur l'identification des victimes",
                date(2024, 6, 25),  # "mardi", the Tuesday of the dateline
                "rabat",
                "MA",
                ["ma_cnclt"],
            ),
        ),
        (
            "الدوحة - قنا: اختتمت أمس الدورة التدريبية حول مكافحة الاتجار بالبشر التي نظمتها اللجنة"
            " الوطنية لمكافحة الاتجار بالبشر في الفترة من 3 إلى 5 مارس 2024، بمشاركة 25 متدربا"
            " من الجهات المعنية بدولة قطر.",
            (
                "training",
                "الدورة التدريبية حول مكافحة الاتجار بالبشر",
                date(2024, 3, 3),
                "doha",
                "QA",
                ["qa_nccht"],
            ),
        ),
        (
            "TRIPOLI, Libya — UNHCR and IOM rescued 120 migrants off the coast on Tuesday,"
            " 4 June 2024, the agencies said.",
            ("rescue", None, date(2024, 6, 4), "tripoli_ly", "LY", ["unhcr", "iom"]),
        ),
    ],
)
def test_wire_reports_in_three_languages(text: str, expected: tuple[object, ...]) -> None:
    x = extract(text)
    e = x.event
    got = (
        e.type,
        e.title,
        e.start,
        e.city and e.city.id,
        e.country,
        [o.organization.id for o in x.organizations],
    )
    assert got == expected
