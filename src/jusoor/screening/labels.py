"""The words of the screening domain shown to people: age bands, ILO lists, outcomes, decisions,
and the country and language pickers of the start form (names in the reader's language, from
CLDR through Babel, so that nobody types an ISO code)."""

from __future__ import annotations

from functools import cache

import pycountry

from jusoor.cases.vocabulary import is_language_code
from jusoor.core.i18n import N_, babel_locale, format_number
from jusoor.core.i18n import gettext as _
from jusoor.screening.assessment import Outcome
from jusoor.screening.models import TraffickingStatus
from jusoor.screening.schemas import OFFERED_BANDS, AgeBand, Exploitation
from jusoor.screening.vocabulary import Profile
from jusoor.web.labels import country_name

_LEGACY_BANDS = {
    AgeBand.under_12: N_("Under 12"),
    AgeBand.from_12_to_17: N_("12 to 17"),
    AgeBand.adult: N_("18 or older"),
    AgeBand.unknown: N_("Not known (screen as a child)"),
}
PROFILES = {
    Profile.ADULT_LABOUR: N_("Adult, labour exploitation"),
    Profile.ADULT_SEXUAL: N_("Adult, sexual exploitation"),
    Profile.CHILD_LABOUR: N_("Child, labour exploitation"),
    Profile.CHILD_SEXUAL: N_("Child, sexual exploitation"),
}
EXPLOITATION = {Exploitation.labour: N_("Labour"), Exploitation.sexual: N_("Sexual exploitation")}
OUTCOMES = {
    Outcome.PRESUMED_VICTIM: N_("Presumed victim"),
    Outcome.POSSIBLE_VICTIM: N_("Possible victim"),
    Outcome.NO_INDICATION: N_("No indication"),
}
STATUSES = {
    TraffickingStatus.possible: N_("Possible victim"),
    TraffickingStatus.actual: N_("Victim (identified)"),
    TraffickingStatus.not_a_victim: N_("Not a victim"),
}
# Languages victims screened in the region often speak (ILO/IOM profiles of migrant workers in
# the Gulf, the Maghreb and the Mashreq), offered as boxes to tick; any other is in a list.
COMMON_LANGUAGES = ("ar", "en", "fr", "am", "ti", "om", "so", "bn", "hi", "ur", "ne", "tl", "sw")


def age_band_label(code: str) -> str:
    try:
        band = AgeBand(code)
    except ValueError:
        return code
    if band in _LEGACY_BANDS:
        return _(_LEGACY_BANDS[band])
    low, _sep, high = band.value.partition("-")
    if band.value.endswith("+"):
        return _("%(low)s years or older", low=format_number(int(band.value[:-1])))
    return _(
        "%(low)s to %(high)s years", low=format_number(int(low)), high=format_number(int(high))
    )


def age_band_choices() -> list[tuple[str, str]]:
    return [(b.value, age_band_label(b.value)) for b in OFFERED_BANDS]


def profile_label(code: str) -> str:
    try:
        return _(PROFILES[Profile(code)])
    except ValueError:
        return code


def outcome_label(code: str | None) -> str:
    try:
        return _(OUTCOMES[Outcome(code or "")])
    except ValueError:
        return code or ""


def status_label(code: str) -> str:
    try:
        return _(STATUSES[TraffickingStatus(code)])
    except ValueError:
        return code


def language_name(code: str) -> str:
    return str(babel_locale().languages.get(code, code))


@cache
def _all_language_codes() -> tuple[str, ...]:
    """ISO 639-1 languages (the two-letter ones: the languages people name, not dialects)."""
    return tuple(
        code
        for lang in pycountry.languages
        if (code := getattr(lang, "alpha_2", "")) and is_language_code(code)
    )


def common_language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in COMMON_LANGUAGES]


def other_language_choices() -> list[tuple[str, str]]:
    others = (c for c in _all_language_codes() if c not in COMMON_LANGUAGES)
    return sorted(((c, language_name(c)) for c in others), key=lambda item: item[1])


def country_choices() -> list[tuple[str, str]]:
    codes = (c.alpha_2 for c in pycountry.countries)
    return sorted(((c, country_name(c)) for c in codes), key=lambda item: item[1])


def languages_label(codes: list[str]) -> str:
    return ", ".join(language_name(c) for c in codes)


def countries_label(codes: list[str]) -> str:
    return ", ".join(country_name(c) for c in codes)
