from __future__ import annotations

import pytest

from jusoor.monitor.reading.persons import find_persons


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


def test_persons_are_keyed_by_the_resolution_spelling_key() -> None:
    # One Arabic text stack: the monitor's person key is the person matcher's spelling key.
    from jusoor.entities.resolution import spelling_key

    found = find_persons("بدعوة من سعادة السفيرة/ نائلة جبر - رئيس اللجنة الوطنية، عقد المؤتمر")
    assert [p.key for p in found] == [spelling_key("Naela Gabr")]
