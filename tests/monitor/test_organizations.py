from __future__ import annotations

import pytest

from jusoor.monitor.reading.folding import fold
from jusoor.monitor.reading.gazetteer import load, tokenize
from jusoor.monitor.reading.organizations import catalogue, find_organizations


def orgs(text: str, lang: str | None, countries: tuple[str, ...] = ()) -> list[str]:
    tokens = tokenize(fold(text))
    return [
        m.organization.id for m in find_organizations(tokens, text, lang=lang, countries=countries)
    ]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("بالتعاون مع مكتب الأمم المتحدة المعني بالمخدرات والجريمة", "ar", ["unodc"]),
        ("in collaboration with UNODC and the IOM", "en", ["unodc", "iom"]),
        (
            "avec l'ONUDC et l'Organisation internationale pour les migrations (OIM)",
            "fr",
            ["unodc", "iom"],
        ),
        ("شارك قطاع الشؤون القانونية بالأمانة العامة لجامعة الدول العربية", "ar", ["las"]),
        ("The Chairperson of NCCPIM&TIP spoke", "en", ["eg_nccpim_tip"]),
        (
            "l'Instance nationale de lutte contre la traite des personnes (INLTP)",
            "fr",
            ["tn_inltp"],
        ),
        ("الهيئة الوطنية لمحاربة الإتجار بالأشخاص وتهريب المهاجرين", "ar", ["mr_inlctptm"]),
        ("وزارة الخارجية الأمريكية ومجلس التعاون لدول الخليج العربية", "ar", ["us_dos", "gcc"]),
        ("le Conseil de l'Europe et l'Union européenne", "fr", ["coe", "eu"]),
    ],
)
def test_organisations_resolve_in_three_languages(
    text: str, lang: str, expected: list[str]
) -> None:
    assert orgs(text, lang) == expected


def test_french_article_un_is_not_the_un() -> None:
    assert orgs("Un atelier a réuni un groupe d'experts à Tunis.", "fr") == []
    assert orgs("Le représentant de l'ONU a parlé.", "fr") == ["un"]


def test_a_convention_named_after_the_un_is_not_the_un_taking_part() -> None:
    assert (
        orgs("under the United Nations Convention against Transnational Organized Crime", "en")
        == []
    )
    assert orgs("إتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية", "ar") == []


def test_unknown_organisation_is_not_invented() -> None:
    assert orgs("The Global Alliance Against Slavery Foundation met the Acme Network.", "en") == []


def test_shared_committee_name_needs_a_country_to_decide() -> None:
    text = "أطلقت اللجنة الوطنية لمكافحة الاتجار بالبشر حملة توعوية"
    assert orgs(text, "ar") == []  # UAE, Qatar, Oman or Sudan: not guessed
    assert orgs(text, "ar", countries=("QA",)) == ["qa_nccht"]


def test_every_catalogued_name_and_acronym_resolves_to_its_own_organisation() -> None:
    entries = load("organizations.yaml")["organizations"]
    for entry in entries:
        for lang, names in entry["names"].items():
            for name in names:
                found = orgs(f"« {name} »", lang, countries=(entry.get("country") or "",))
                assert found[:1] == [entry["id"]], (name, found)
        for lang, acronyms in (entry.get("acronyms") or {}).items():
            for acronym in acronyms:
                found = orgs(f"( {acronym} )", None if lang == "any" else lang)
                assert entry["id"] in found, (acronym, found)


def test_display_name_is_the_first_english_name() -> None:
    assert catalogue()["unodc"].name == "United Nations Office on Drugs and Crime"
    assert catalogue()["eg_nccpim_tip"].acronym == "NCCPIM&TIP"
