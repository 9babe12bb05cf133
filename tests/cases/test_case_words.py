"""A case file speaks in words: forms of exploitation, countries and languages by their names in the
reader's language, people by their names; countries and languages are chosen by name from lists
and stored as codes, and a value outside the lists is refused naming the field."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.agencies.models import User
from jusoor.cases.labels import choices, code_label, value_label
from jusoor.cases.models import Case
from jusoor.cases.vocabulary import FORMS_OF_EXPLOITATION, MEANS_OF_CONTROL, RECRUITER_RELATIONS
from jusoor.core.db import Database
from jusoor.core.i18n import catalog, use_locale
from tests.conftest import DEMO_PASSWORD
from tests.support.tokens import bearer
from tests.support.web import login, post_form, translated


@pytest.mark.parametrize("locale", ["ar", "fr"])
@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("form", FORMS_OF_EXPLOITATION),
        ("means", MEANS_OF_CONTROL),
        ("relation", RECRUITER_RELATIONS),
    ],
)
def test_every_code_of_a_case_vocabulary_has_a_translated_label(
    kind: str, codes: tuple[str, ...], locale: str
) -> None:
    with use_locale("en"):
        english = {code: code_label(kind, code) for code in codes}
    translations = catalog(locale)
    assert translations is not None
    with use_locale(locale):
        for code in codes:
            said = code_label(kind, code)
            entry = translations.get(english[code])  # the English label is the message id
            assert entry is not None and entry.string and not entry.fuzzy, english[code]
            assert said == entry.string and "_" not in said


def test_a_code_another_node_sends_is_shown_as_words_not_snake_case() -> None:
    with use_locale("en"):
        assert value_label("forms_of_exploitation", ["domestic_servitude"]) == "Domestic servitude"
        assert value_label("citizenship", ["MA", "SN"]) == "Morocco, Senegal"
        assert value_label("languages", ["ar", "wo"]) == "Arabic, Wolof"
        assert value_label("gender", "feminine") == "Female"


def _open(client: TestClient, db: Database) -> str:
    body = {
        "gender": "feminine",
        "citizenship": ["SN"],
        "languages": ["wo", "fr"],
        "forms_of_exploitation": ["forced_labour"],
    }
    made = client.post("/api/v1/cases", json=body, headers=bearer(db, "caseworker.ma"))
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _sign_in(client: TestClient, db: Database, lang: str) -> None:
    assert login(client, db, "caseworker.ma", DEMO_PASSWORD).status_code == 303
    assert post_form(client, "/language", {"lang": lang}, page="/").status_code == 303


def test_the_case_page_says_codes_in_arabic_and_names_people(
    client: TestClient, demo_db: Database
) -> None:
    case_id = _open(client, demo_db)
    _sign_in(client, demo_db, "ar")
    page = html.unescape(client.get(f"/cases/{case_id}").text)
    assert translated("Forced labour", "ar") in page  # العمل الجبري
    assert "السنغال" in page and "الولوفية" in page  # Senegal, Wolof (CLDR)
    for code in ("forced_labour", "feminine", ">SN<", "wo, fr"):
        assert code not in page
    with demo_db.unit_of_work() as session:
        name = session.scalars(
            select(User.display_name).where(User.username == "caseworker.ma")
        ).one()
    assert name in page  # the case worker and the timeline name the person
    assert "\u2068caseworker.ma\u2069" not in page


def test_countries_and_languages_are_chosen_by_name_and_stored_as_codes(
    client: TestClient, demo_db: Database
) -> None:
    case_id = _open(client, demo_db)
    _sign_in(client, demo_db, "en")
    url = f"/cases/{case_id}/profile"
    form = client.get(url).text
    assert '<option value="MA">Morocco</option>' in form
    assert '<option value="wo" selected>Wolof</option>' in form
    saved = post_form(client, url, {"gender": "feminine", "citizenship": ["MA", "SN"]}, url)
    assert saved.status_code == 303, saved.text
    with demo_db.unit_of_work() as session:
        case = session.scalars(select(Case).where(Case.reference.is_not(None))).all()
        stored = {c.reference: c.citizenship for c in case}
    assert ["MA", "SN"] in stored.values()


def test_a_country_outside_the_list_is_refused_in_french_naming_the_field(
    client: TestClient, demo_db: Database
) -> None:
    case_id = _open(client, demo_db)
    _sign_in(client, demo_db, "fr")
    url = f"/cases/{case_id}/profile"
    refused = post_form(client, url, {"gender": "feminine", "citizenship": ["XX"]}, url)
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    assert 'id="citizenship-error"' in page
    message = page.split('id="citizenship-error">')[1].split("</p>")[0]
    assert translated("Citizenship", "fr") in message
    assert (
        translated("“%(code)s” is not a known country: choose one from the list.", "fr", code="XX")
        in message
    )


def test_the_choices_of_a_form_are_labels_not_codes() -> None:
    with use_locale("fr"):
        for kind in ("form", "means", "relation", "gender", "stage", "purpose"):
            assert all(code != label for code, label in choices(kind))
