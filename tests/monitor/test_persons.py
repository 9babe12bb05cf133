from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jusoor.monitor.reading.persons import find_persons
from jusoor.monitor.reading.transliteration import name_key, transliterate


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("نائلة جبر", "Naela Gabr"),
        ("نائلة جبر", "Naila Jabr"),
        ("كريستينا البرتين", "Cristina Albertin"),
        ("أحمد أبوالغيط", "Ahmed Aboul Gheit"),
        ("أحمد أبو الغيط", "Ahmed Abul Gheit"),
        ("هشام ملاطي", "Hicham Mellati"),
        ("جاسم محمد البديوي", "Jasem Mohamed Albudaiwi"),
        ("محمد", "Muhammad"),
        ("عبدالله", "Abdullah"),
        ("ليلى بيترز يحي", "Leila Peters Yahya"),
    ],
)
def test_arabic_name_and_its_latin_spelling_share_a_key(arabic: str, latin: str) -> None:
    assert name_key(arabic) == name_key(latin)


@pytest.mark.parametrize(("a", "b"), [("نائلة جبر", "Maha Bakhit"), ("Ahmed Saleh", "Ahmed Salem")])
def test_different_names_have_different_keys(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_key_is_a_consonant_skeleton_so_some_names_collide() -> None:
    # Known and accepted: أحمد and حامد share "hmd". Grouping never merges on names alone.
    assert name_key("Ahmed Saleh") == name_key("Hamed Saleh")


def test_transliteration_uses_press_spelling_for_common_names() -> None:
    assert transliterate("محمد الأمين ولد أكيك") == "Mohamed El Amine Ould Akik"
    assert transliterate("مها بخيت") == "Maha Bakhit"
    assert transliterate("Naela Gabr") == "Naela Gabr"


@given(st.text(max_size=40))
def test_name_key_is_ascii_for_any_input(name: str) -> None:
    assert name_key(name).isascii()


@pytest.mark.parametrize(
    ("text", "name", "titles", "role"),
    [
        (
            "بدعوة من سعادة السفيرة/ نائلة جبر - رئيس اللجنة الوطنية، عقد المؤتمر",
            "نائلة جبر",
            ("H.E.", "Ambassador"),
            "رئيس اللجنة الوطنية",
        ),
        (
            "كما قدمت سعادة الوزير المفوض/ د.مها بخيت - مدير إدارة الشؤون القانونية، ورقة",
            "مها بخيت",
            ("H.E.", "Minister Plenipotentiary", "Dr."),
            "مدير إدارة الشؤون القانونية",
        ),
        (
            "The Chairperson of NCCPIM&TIP, H.E Amb. Naela Gabr, expressed appreciation",
            "Naela Gabr",
            ("H.E.", "Ambassador"),
            "Chairperson of NCCPIM&TIP",
        ),
        (
            "Selon Mme Leila Peters, directrice régionale de l'OIM, la traite augmente.",
            "Leila Peters",
            ("Ms.",),
            "directrice régionale de l'OIM",
        ),
        (
            "S.E. M. Ahmed Salem, ministre de la Justice, a ouvert la session.",
            "Ahmed Salem",
            ("H.E.", "Mr."),
            "ministre de la Justice",
        ),
        (
            "Dr. Samira Haddad, Head of the secretariat, said the course was useful.",
            "Samira Haddad",
            ("Dr.",),
            "Head of the secretariat",
        ),
    ],
)
def test_person_with_title_and_role(
    text: str, name: str, titles: tuple[str, ...], role: str
) -> None:
    [person] = find_persons(text)
    assert (person.name, person.titles, person.role) == (name, titles, role)


def test_role_written_before_the_name_in_arabic() -> None:
    text = "نقل تحيات معالي الأمين العام لجامعة الدول العربية السيد/ أحمد أبوالغيط ، وتقدم بالشكر"
    [person] = find_persons(text)
    assert person.name == "أحمد أبوالغيط"
    assert person.role == "الأمين العام لجامعة الدول العربية"
    assert person.titles == ("H.E.", "Mr.")


def test_person_without_title_needs_a_verb_of_saying_and_a_role() -> None:
    [person] = find_persons(
        "وفي كلمته، أكد جاسم محمد البديوي، الأمين العام لمجلس التعاون، على الدور"
    )
    assert person.name == "جاسم محمد البديوي"
    assert find_persons("وأكد البيان الختامي على أهمية التعاون") == []


@pytest.mark.parametrize(
    "text",
    [
        # a title followed by a role, and no name
        "بتوجيهات سامية من فخامة رئيس الجمهورية اتخذت الحكومة إجراءات",
        "وأقر البديوي بالجهود الجماعية",  # a bare surname
        "M. le ministre a parlé de la traite.",
        "The UNODC team met in Cairo.",
    ],
)
def test_no_person_is_invented(text: str) -> None:
    assert find_persons(text) == []


def test_same_person_twice_is_listed_once_with_both_titles() -> None:
    text = "السيدة/ نائلة جبر رئيس اللجنة، ثم قالت السفيرة نائلة جبر إن اللجنة تعمل"
    [person] = find_persons(text)
    assert set(person.titles) == {"Ms.", "Ambassador"}
