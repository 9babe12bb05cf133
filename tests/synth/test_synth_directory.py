"""The demo directory: agencies of the seven countries and one demo user per role and country."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from jusoor.agencies.models import AgencyKind
from jusoor.core.permissions import ROLES
from jusoor.synth.directory import (
    AGENCY_KINDS,
    COUNTRIES,
    DEMO_ROLES,
    AgencySeed,
    UserSeed,
    demo_directory,
)

ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")
LATIN_LETTER = re.compile(r"[A-Za-z]")
ROLE_USERNAMES = {
    "coordinator": "coordinator",
    "screener": "screener",
    "caseworker": "case_worker",
    "provider": "service_provider",
    "investigator": "investigator",
    "prosecutor": "prosecutor",
    "liaison": "liaison_officer",
    "analyst": "analyst",
    "auditor": "auditor",
}
ROLE_KINDS = {
    "coordinator": "coordinating_committee",
    "screener": "labour_inspection",
    "case_worker": "ngo",
    "service_provider": "shelter",
    "investigator": "police",
    "prosecutor": "prosecution",
    "liaison_officer": "ministry",
    "analyst": "coordinating_committee",
    "auditor": "coordinating_committee",
}
REQUIRED_KINDS = {
    "coordinating_committee",
    "police",
    "prosecution",
    "labour_inspection",
    "ministry",
    "shelter",
    "ngo",
    "health",
    "international_organisation",
}


def country_of(user: UserSeed) -> str:
    return user.username.rsplit(".", 1)[1].upper()


def check_users_fit_their_agencies(agencies: list[AgencySeed], users: list[UserSeed]) -> None:
    by_code = {agency.code: agency for agency in agencies}
    for user in users:
        if user.username == "admin":
            continue
        agency = by_code[user.agency_code]
        (role,) = user.roles
        assert agency.country == country_of(user), user
        assert agency.kind == ROLE_KINDS[role], user


def test_the_same_seed_gives_the_same_directory() -> None:
    assert demo_directory(7) == demo_directory(7)
    assert demo_directory() == demo_directory(2026)
    names = [user.display_name for user in demo_directory(7)[1]]
    assert names != [user.display_name for user in demo_directory(8)[1]]


def test_usernames_are_unique_and_exactly_the_required_set() -> None:
    _, users = demo_directory()
    expected = {"admin"} | {
        f"{prefix}.{cc.lower()}" for prefix in ROLE_USERNAMES for cc in COUNTRIES
    }
    usernames = [user.username for user in users]
    assert len(usernames) == len(set(usernames))
    assert set(usernames) == expected


def test_each_user_holds_the_role_their_username_names() -> None:
    _, users = demo_directory()
    for user in users:
        prefix = user.username.split(".")[0]
        assert user.roles == ((ROLE_USERNAMES[prefix],) if prefix != "admin" else ("admin",))
        assert set(user.roles) <= set(ROLES)
    assert {role for _, role, _ in DEMO_ROLES} == set(ROLE_KINDS)


def test_there_is_exactly_one_admin_in_egypts_committee() -> None:
    agencies, users = demo_directory()
    admins = [user for user in users if "admin" in user.roles]
    assert [admin.username for admin in admins] == ["admin"]
    committee = next(agency for agency in agencies if agency.code == admins[0].agency_code)
    assert (committee.country, committee.kind) == ("EG", "coordinating_committee")


def test_each_user_works_in_an_agency_of_their_country_and_the_right_kind() -> None:
    check_users_fit_their_agencies(*demo_directory())


@settings(max_examples=25)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_any_seed_gives_a_consistent_directory(seed: int) -> None:
    agencies, users = demo_directory(seed)
    check_users_fit_their_agencies(agencies, users)
    assert len({user.display_name for user in users}) == len(users)
    assert {user.locale for user in users} <= {"ar", "en", "fr"}


def test_every_country_has_the_bodies_of_a_national_referral_mechanism() -> None:
    agencies, _ = demo_directory()
    for country in COUNTRIES:
        kinds = {agency.kind for agency in agencies if agency.country == country}
        assert kinds >= REQUIRED_KINDS, country
        committees = [
            a for a in agencies if a.country == country and a.kind == "coordinating_committee"
        ]
        assert len(committees) == 1
    offices = {agency.name_en for agency in agencies if agency.kind == "international_organisation"}
    assert any("IOM" in name for name in offices) and any("UNODC" in name for name in offices)


def test_agency_codes_are_unique_stable_slugs() -> None:
    agencies, _ = demo_directory()
    codes = [agency.code for agency in agencies]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z]{2}-[a-z]+", code) for code in codes)
    assert {"eg-nccpim", "ma-police", "tn-shelter", "tn-inltp"} <= set(codes)


def test_agency_kinds_are_those_the_agencies_domain_knows() -> None:
    agencies, _ = demo_directory()
    assert set(AGENCY_KINDS) == {kind.value for kind in AgencyKind}
    assert {agency.kind for agency in agencies} <= set(AGENCY_KINDS)


def test_every_agency_is_named_in_three_languages_arabic_in_arabic_script() -> None:
    agencies, _ = demo_directory()
    for agency in agencies:
        assert agency.name_ar and agency.name_en and agency.name_fr
        assert ARABIC_LETTER.search(agency.name_ar) and not LATIN_LETTER.search(agency.name_ar)
        assert not ARABIC_LETTER.search(agency.name_en + agency.name_fr)
        assert "{" not in agency.name_ar + agency.name_en + agency.name_fr


def test_locales_follow_the_working_languages_of_each_country() -> None:
    _, users = demo_directory()
    staff = [user for user in users if user.username != "admin"]
    by_country = {cc: Counter(u.locale for u in staff if country_of(u) == cc) for cc in COUNTRIES}
    for country in ("MA", "TN", "MR"):
        assert set(by_country[country]) == {"ar", "fr"}
    for country in ("JO", "KW"):
        assert set(by_country[country]) == {"ar", "en"}
    for country in ("EG", "LY"):
        assert set(by_country[country]) == {"ar"}
    assert Counter(user.locale for user in staff).most_common(1)[0][0] == "ar"


def test_display_names_are_unique_latin_names() -> None:
    _, users = demo_directory()
    names = [user.display_name for user in users]
    assert len(names) == len(set(names))
    assert all(len(name.split()) >= 2 and not ARABIC_LETTER.search(name) for name in names)
