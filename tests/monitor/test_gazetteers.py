"""The YAML data files shipped in jusoor/monitor/reading/gazetteers are well-formed and complete."""

from __future__ import annotations

from collections import defaultdict

import pycountry

from jusoor.monitor.reading.folding import fold_key
from jusoor.monitor.reading.gazetteer import load

LANGS = {"ar", "en", "fr", "any"}
REQUIRED_ORGANIZATIONS = {
    "un",
    "unodc",
    "iom",
    "unhcr",
    "ohchr",
    "unicef",
    "ilo",
    "eu",
    "coe",
    "las",
    "gcc",
    "au",
    "interpol",
    "europol",
    "us_dos",
    "eg_nccpim_tip",
    "ma_cnclt",
    "tn_inltp",
    "mr_inlctptm",
}
EVENT_TYPES = {
    "conference",
    "workshop",
    "training",
    "forum",
    "roundtable",
    "meeting",
    "study_visit",
    "campaign",
    "plan_or_law_adopted",
    "agreement_signed",  # issue 19: signed agreements
    "arrest_or_raid",
    "prosecution_or_verdict",
    "rescue",
}


def is_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None


def test_organizations_have_unique_ids_kinds_and_names() -> None:
    entries = load("organizations.yaml")["organizations"]
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    assert set(ids) >= REQUIRED_ORGANIZATIONS
    for e in entries:
        assert set(e) <= {"id", "acronym", "kind", "country", "names", "acronyms"}, e["id"]
        assert e["kind"] in {
            "intergovernmental",
            "un_agency",
            "law_enforcement",
            "government",
            "national_body",
        }
        assert e["names"].get("en"), e["id"]
        assert set(e["names"]) <= LANGS and set(e.get("acronyms") or {}) <= LANGS
        if e["kind"] == "national_body":
            assert is_country(e["country"]), e["id"]


def test_a_name_shared_by_organisations_belongs_to_national_bodies_of_different_countries() -> None:
    owners: dict[str, list[dict[str, str]]] = defaultdict(list)
    for e in load("organizations.yaml")["organizations"]:
        for names in e["names"].values():
            for name in names:
                owners[fold_key(name)].append(e)
    for name, entries in owners.items():
        distinct = {e["id"]: e for e in entries}
        if len(distinct) > 1:
            countries = [e.get("country") for e in distinct.values()]
            assert all(countries) and len(set(countries)) == len(countries), name


def test_places_have_countries_and_names() -> None:
    data = load("places.yaml")
    ids = [c["id"] for c in data["cities"]]
    assert len(ids) == len(set(ids))
    for city in data["cities"]:
        assert is_country(city["country"]), city["id"]
        assert set(city["names"]) <= LANGS and any(city["names"].values()), city["id"]
    for code, names in data["countries"].items():
        assert is_country(code) and set(names) <= LANGS, code
    for city_id in (
        "sharm_el_sheikh",
        "cairo",
        "rabat",
        "tunis",
        "nouakchott",
        "amman",
        "kuwait_city",
        "tripoli_ly",
        "beirut",
        "geneva",
        "vienna",
    ):
        assert city_id in ids


def test_dates_data_covers_every_month_and_weekday_in_three_languages() -> None:
    data = load("dates.yaml")
    assert sorted(data["months"]) == list(range(1, 13))
    assert sorted(data["weekdays"]) == list(range(7))
    for table in ("months", "weekdays"):
        for names in data[table].values():
            assert {"ar", "en", "fr"} <= set(names)


def test_event_rules_cover_the_issue_types_and_the_four_ps() -> None:
    data = load("events.yaml")
    assert set(data["types"]) == EVENT_TYPES
    assert set(data["themes"]) == {"prevention", "protection", "prosecution", "partnership"}
    assert set(data["crimes"]) == {"trafficking_in_persons", "migrant_smuggling"}
    for section in ("types", "themes", "crimes"):
        for label, words in data[section].items():
            assert {"ar", "en", "fr"} <= set(words), (section, label)


def test_person_titles_have_labels_and_forms_in_three_languages() -> None:
    data = load("persons.yaml")
    for rule in data["titles"]:
        assert rule["label"] and {"ar", "en", "fr"} <= set(rule), rule["label"]
    assert {"ar", "en", "fr"} <= set(data["role_nouns"])
    for words in (*data["role_nouns"].values(), *data["name_stops"].values()):
        assert all(isinstance(w, str) for w in words)  # YAML reads a bare On/No as a boolean
