"""The ILO indicator catalogue: counts against the sources, texts in three languages, validation."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from jusoor.core.errors import Invalid
from jusoor.screening.catalogue import (
    CatalogueError,
    Dimension,
    Profile,
    Strength,
    extension_dir,
    ilo_catalogue,
    load_catalogue,
    node_catalogue,
    parse_profile,
)
from tests.screening.conftest import FORCED_BEGGING, write_yaml

ARABIC = range(0x0600, 0x0700)

# Per dimension, in the ILO order. Adults-labour: the Seafish summary (10, 10, 16, 9, 15, 7 = 67),
# matched by the third-party transcription. Children-labour: the transcription (65, no weak tier).
VERIFIED_COUNTS = {
    Profile.ADULT_LABOUR: (10, 10, 16, 9, 15, 7),
    Profile.CHILD_LABOUR: (10, 10, 15, 8, 15, 7),
}


@pytest.mark.parametrize("profile", list(VERIFIED_COUNTS))
def test_counts_per_dimension_match_the_sources(profile: Profile) -> None:
    indicators = ilo_catalogue().for_profile(profile)
    counts = tuple(sum(1 for i in indicators if i.dimension is d) for d in Dimension)
    assert counts == VERIFIED_COUNTS[profile]
    assert len(indicators) == sum(VERIFIED_COUNTS[profile])


def test_children_labour_list_has_no_weak_tier() -> None:
    assert not [
        i for i in ilo_catalogue().for_profile(Profile.CHILD_LABOUR) if i.strength is Strength.WEAK
    ]


def test_exploitation_has_no_strong_indicator_for_adults_sexual() -> None:
    exploitation = [
        i
        for i in ilo_catalogue().for_profile(Profile.ADULT_SEXUAL)
        if i.dimension is Dimension.EXPLOITATIVE_CONDITIONS
    ]
    assert exploitation and all(i.strength is not Strength.STRONG for i in exploitation)


def test_the_same_text_weighs_more_at_destination_for_adults_labour() -> None:
    indicators = ilo_catalogue().by_id(Profile.ADULT_LABOUR)
    for key in ("confiscation_of_documents", "debt_bondage", "isolation"):
        assert indicators[f"cr.{key}"].strength is Strength.MEDIUM
        assert indicators[f"cd.{key}"].strength is Strength.STRONG
        assert indicators[f"cr.{key}"].text == indicators[f"cd.{key}"].text


def test_every_indicator_has_a_strength_and_english_arabic_and_french_text() -> None:
    for indicator in ilo_catalogue().indicators:
        assert isinstance(indicator.strength, Strength)
        assert indicator.text.en and indicator.text.fr and indicator.text.ar
        assert any(ord(c) in ARABIC for c in indicator.text.ar), indicator.id
        assert indicator.text.fr != indicator.text.en, indicator.id


def test_ids_are_unique_per_profile_and_start_with_their_dimension_code() -> None:
    catalogue = ilo_catalogue()
    for profile in Profile:
        ids = [i.id for i in catalogue.for_profile(profile)]
        assert len(ids) == len(set(ids))
    codes = {i.dimension: i.id.split(".")[0] for i in catalogue.indicators}
    assert len(set(codes.values())) == len(Dimension)
    assert all(":" not in i.id for i in catalogue.indicators)


def test_unconfirmed_lists_are_marked_unverified() -> None:
    catalogue = ilo_catalogue()
    sexual = [
        i for p in (Profile.ADULT_SEXUAL, Profile.CHILD_SEXUAL) for i in catalogue.for_profile(p)
    ]
    confirmed = {(i.profile, i.id) for i in sexual if i.verified}
    assert confirmed == {
        (Profile.ADULT_SEXUAL, "cd.forced_tasks_or_clients"),
        (Profile.CHILD_SEXUAL, "cd.forced_tasks_or_clients"),
        (Profile.CHILD_SEXUAL, "ex.hazardous_work"),
    }
    assert all(i.verified for i in catalogue.for_profile(Profile.CHILD_LABOUR))


def test_the_source_is_cited() -> None:
    source = ilo_catalogue().sources["ilo-2009"]
    assert source.year == 2009
    assert source.url and "WCMS_105023" in source.url


def test_parse_profile_names_the_choices() -> None:
    assert parse_profile(" Adult-Labour ") is Profile.ADULT_LABOUR
    with pytest.raises(Invalid, match="adult-labour, adult-sexual"):
        parse_profile("adult")


# --- the loader rejects malformed files -------------------------------------------------------


def _break(data: dict[str, Any], how: str) -> None:
    dims = data["lists"]["adult-labour"]["dimensions"]
    if how == "unknown dimension":
        dims["deceptive_recrutement"] = dims.pop("deceptive_recruitment")
    elif how == "unknown strength":
        dims["deceptive_recruitment"]["very strong"] = ["wages"]
    elif how == "unknown profile":
        data["lists"]["adult-labor"] = data["lists"].pop("adult-labour")
    elif how == "unknown text":
        dims["deceptive_recruitment"]["weak"].append("deceived_about_weather")
    elif how == "missing translation":
        del data["texts"]["wages"]["ar"]
    elif how == "unused text":
        data["texts"]["spare"] = {"en": "x", "ar": "س", "fr": "x"}
    elif how == "missing profile":
        del data["lists"]["child-sexual"]
    elif how == "duplicate entry":
        dims["deceptive_recruitment"]["weak"].append("wages")
    elif how == "unknown source":
        data["lists"]["adult-labour"]["checked_against"].append("wikipedia")
    elif how == "unknown field":
        data["lists"]["adult-labour"]["weights"] = {}


@pytest.mark.parametrize(
    ("how", "named"),
    [
        ("unknown dimension", "deceptive_recrutement"),
        ("unknown strength", "very strong"),
        ("unknown profile", "adult-labor"),
        ("unknown text", "deceived_about_weather"),
        ("missing translation", "texts.wages.ar"),
        ("unused text", "spare"),
        ("missing profile", "child-sexual"),
        ("duplicate entry", "dr.wages"),
        ("unknown source", "wikipedia"),
        ("unknown field", "weights"),
    ],
)
def test_loader_rejects_a_malformed_catalogue(
    tmp_path: Path, ilo_data: dict[str, Any], how: str, named: str
) -> None:
    _break(ilo_data, how)
    path = write_yaml(tmp_path / "indicators.yaml", ilo_data)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(base=path)
    assert named in caught.value.message
    assert "\n" not in caught.value.message


def test_loader_rejects_a_file_that_is_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "indicators.yaml"
    path.write_text("lists: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError, match=re.escape("indicators.yaml")):
        load_catalogue(base=path)


# --- country extensions -----------------------------------------------------------------------


def test_a_country_file_adds_indicators_under_its_own_ids(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "ma.yaml", FORCED_BEGGING)
    catalogue = load_catalogue(extensions=[path])
    added = {i.id: i for i in catalogue.for_profile(Profile.CHILD_LABOUR) if i.country == "MA"}
    assert set(added) == {"ma:ex.forced_begging", "ma:cd.hazardous_work"}
    assert added["ma:ex.forced_begging"].strength is Strength.STRONG
    assert added["ma:ex.forced_begging"].text.ar == "الإكراه على التسوّل"
    assert catalogue.by_id(Profile.CHILD_LABOUR)["ex.hazardous_work"].country is None
    assert "ma:ma-2024" in catalogue.sources
    assert len(catalogue.indicators) == len(ilo_catalogue().indicators) + 2


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"country": "XZ"}, "XZ"),
        ({"country": "ma"}, "country"),
        (
            {"texts": {"hazardous_work": FORCED_BEGGING["texts"]["forced_begging"]}},
            "hazardous_work",
        ),
        ({"dimensions": {}}, "dimensions"),
    ],
)
def test_a_malformed_country_file_is_rejected(
    tmp_path: Path, change: dict[str, Any], named: str
) -> None:
    data = copy.deepcopy(FORCED_BEGGING) | change
    path = write_yaml(tmp_path / "ma.yaml", data)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(extensions=[path])
    assert named in caught.value.message


def test_two_files_cannot_define_the_same_country_indicator(tmp_path: Path) -> None:
    first = write_yaml(tmp_path / "ma.yaml", FORCED_BEGGING)
    second = write_yaml(tmp_path / "ma-2.yaml", FORCED_BEGGING)
    with pytest.raises(CatalogueError, match=re.escape("ma:ex.forced_begging")):
        load_catalogue(extensions=[first, second])


def test_the_node_reads_country_files_from_its_data_dir(node_env: Path) -> None:
    assert extension_dir() == node_env / "screening" / "indicators"
    assert node_catalogue().indicators == ilo_catalogue().indicators
    write_yaml(extension_dir() / "ma.yaml", FORCED_BEGGING)
    assert "ma:ex.forced_begging" in node_catalogue().by_id(Profile.CHILD_LABOUR)
