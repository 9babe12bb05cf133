"""Countries, languages and time zones are offered and shown by their names (CLDR, through Babel,
over the ISO code lists of pycountry), in the reader's language; the stored values stay codes."""

from __future__ import annotations

import pycountry

from jusoor.core.i18n import use_locale
from jusoor.web import labels
from jusoor.web.templating import environment


def test_every_country_is_offered_by_name_with_the_region_first() -> None:
    with use_locale("ar"):
        offered = labels.country_choices()
        assert {code for code, _ in offered} == {c.alpha_2 for c in pycountry.countries}
        assert {code for code, _ in offered[: len(labels.REGION)]} == set(labels.REGION)
        assert dict(offered)["MA"] == "المغرب"
        assert all(name != code for code, name in offered)


def test_languages_are_offered_by_name_with_the_ones_asked_for_first() -> None:
    with use_locale("fr"):
        offered = labels.language_choices(("ar", "fr"))
        assert offered[:2] == [("ar", "Arabe"), ("fr", "Français")]
        assert dict(offered)["wo"] == "Wolof"
        assert len(offered) > 150 and all(name != code for code, name in offered)


def test_time_zones_are_named_by_country_and_city_where_a_country_has_several() -> None:
    with use_locale("en"):
        offered = dict(labels.timezone_choices())
        assert offered["Africa/Cairo"] == "Egypt"
        assert offered["America/New_York"] == "United States (New York)"
        assert offered["UTC"] == "Coordinated Universal Time (UTC)"
    with use_locale("ar"):
        assert labels.timezone_name("Africa/Casablanca") == "المغرب"


def test_templates_have_one_filter_per_kind_of_code() -> None:
    env = environment()
    with use_locale("en"):
        shown = env.from_string(
            "{{ 'MA'|country }}; {{ ['MA', 'SN']|countries }}; {{ 'wo'|language }}; "
            "{{ ['ar', 'fr']|languages }}; {{ 'Asia/Amman'|timezone }}; {{ 'liaison_officer'|role }}"
        ).render()
    assert shown == "Morocco; Morocco, Senegal; Wolof; Arabic, French; Jordan; Liaison officer"
