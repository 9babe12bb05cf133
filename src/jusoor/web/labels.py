"""Names shown to people for codes stored in the database: roles, kinds of agency, countries,
languages and time zones."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from zoneinfo import available_timezones

import pycountry
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.core import get_global

from jusoor.agencies.models import AgencyKind
from jusoor.core.i18n import N_, babel_locale, format_number, localize_digits
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import ROLES

_ROLES = {
    "admin": N_("Administrator"),
    "coordinator": N_("National coordinator"),
    "screener": N_("Screener"),
    "case_worker": N_("Case worker"),
    "service_provider": N_("Service provider"),
    "investigator": N_("Investigator"),
    "prosecutor": N_("Prosecutor"),
    "liaison_officer": N_("Liaison officer"),
    "analyst": N_("Analyst"),
    "auditor": N_("Auditor"),
}

_KINDS = {
    AgencyKind.coordinating_committee: N_("National coordinating committee"),
    AgencyKind.police: N_("Police"),
    AgencyKind.prosecution: N_("Public prosecution"),
    AgencyKind.judiciary: N_("Judiciary"),
    AgencyKind.labour_inspection: N_("Labour inspection"),
    AgencyKind.ministry: N_("Ministry"),
    AgencyKind.shelter: N_("Shelter"),
    AgencyKind.ngo: N_("Non-governmental organisation"),
    AgencyKind.health: N_("Health service"),
    AgencyKind.international_organisation: N_("International organisation"),
}

_OUTCOMES = {
    "success": N_("Success"),
    "failure": N_("Failure"),
    "denied": N_("Denied"),
}

# The countries whose bodies this platform is built for, offered first in country fields.
REGION = (
    "EG",
    "MA",
    "TN",
    "DZ",
    "LY",
    "MR",
    "SD",
    "JO",
    "LB",
    "IQ",
    "KW",
    "SA",
    "AE",
    "QA",
    "BH",
    "OM",
)


def role_label(role: str) -> str:
    return _(_ROLES[role]) if role in _ROLES else role


def roles_label(roles: frozenset[str] | list[str]) -> str:
    return ", ".join(role_label(r) for r in sorted(roles))


def role_choices() -> list[tuple[str, str]]:
    return [(role, role_label(role)) for role in ROLES]


def kind_label(kind: AgencyKind | str) -> str:
    try:
        return _(_KINDS[AgencyKind(kind)])
    except ValueError:
        return str(kind)


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, _(label)) for kind, label in _KINDS.items()]


def outcome_label(outcome: str) -> str:
    return _(_OUTCOMES[outcome]) if outcome in _OUTCOMES else outcome


def outcome_choices() -> list[tuple[str, str]]:
    return [(key, _(label)) for key, label in _OUTCOMES.items()]


def country_name(code: str | None) -> str:
    """The country's name in the page's language (from CLDR, through Babel)."""
    if not code:
        return ""
    return str(babel_locale().territories.get(code.upper(), code.upper()))


def region_choices() -> list[tuple[str, str]]:
    return sorted(((code, country_name(code)) for code in REGION), key=lambda item: item[1])


# Countries, languages and time zones by their names in the reader's language, from CLDR (Babel)
# over the code lists of ISO 3166-1 and ISO 639-1 (pycountry): pickers offer names, stores keep codes.


@cache
def _country_codes() -> tuple[str, ...]:
    return tuple(country.alpha_2 for country in pycountry.countries)


@cache
def _language_codes() -> tuple[str, ...]:
    """ISO 639-1 languages (two letters: the languages people name, not dialects)."""
    return tuple(code for lang in pycountry.languages if (code := getattr(lang, "alpha_2", "")))


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code (upper case)."""
    return code in _country_codes()


def countries_label(codes: Iterable[str] | None) -> str:
    """Several countries by name, in the reader's language: "Morocco, Senegal"."""
    return _list_sep().join(country_name(code) for code in codes or ())


def country_choices() -> list[tuple[str, str]]:
    """(code, name) for every country, the region's first, then the others by name."""
    region = region_choices()
    others = sorted(
        ((code, country_name(code)) for code in _country_codes() if code not in REGION),
        key=lambda item: item[1],
    )
    return region + others


# Currencies by their names in the reader's language (CLDR through Babel), the region's and those
# donors budget in first; the amount written as the locale writes money.
_CURRENCIES_FIRST = ("MAD", "EGP", "TND", "DZD", "LYD", "MRU", "JOD", "LBP", "IQD", "SYP", "SDG",
                     "YER", "SAR", "AED", "KWD", "QAR", "BHD", "OMR", "USD", "EUR")  # fmt: skip


def currency_name(code: str | None) -> str:
    """`MAD` → "Moroccan Dirham", "درهم مغربي", "dirham marocain"."""
    if not code:
        return ""
    return str(babel_numbers.get_currency_name(code.upper(), locale=babel_locale()))


def currency_choices() -> list[tuple[str, str]]:
    """(code, "name (code)") for every ISO 4217 currency, the region's first, the rest by name."""
    codes = [str(c.alpha_3) for c in pycountry.currencies]
    first = [c for c in _CURRENCIES_FIRST if c in codes]
    rest = sorted((c for c in codes if c not in first), key=currency_name)
    return [(c, f"{currency_name(c)} ({c})") for c in first + rest]


def money(amount: float | int | None, code: str | None) -> str:
    """An amount with its currency named in the reader's language ("1,200.00 Moroccan dirhams",
    "1 200,00 dirhams marocains", "1,200.00 درهم مغربي"): the name, not the code."""
    if amount is None:
        return ""
    if not code:
        return format_number(amount)
    written = babel_numbers.format_currency(
        amount, code.upper(), locale=babel_locale(), format_type="name"
    )
    return localize_digits(str(written))


def language_name(code: str | None) -> str:
    """The language's name in the reader's language (`wo` → "Wolof", "الولوفية" in Arabic)."""
    if not code:
        return ""
    name = str(babel_locale().languages.get(code.lower(), code))
    return name[:1].upper() + name[1:]  # CLDR writes French names in lower case


def languages_label(codes: Iterable[str] | None) -> str:
    return _list_sep().join(language_name(code) for code in codes or ())


def language_choices(first: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(code, name) for every ISO 639-1 language: `first` in their order, then the rest by name."""
    leading = [code for code in first if code in _language_codes()]
    rest = sorted(
        ((code, language_name(code)) for code in _language_codes() if code not in leading),
        key=lambda item: item[1],
    )
    return [(code, language_name(code)) for code in leading] + rest


_UTC = N_("Coordinated Universal Time (UTC)")
_ZONE_IN_COUNTRY = N_("%(country)s (%(city)s)")


@cache
def _zones() -> dict[str, str]:
    """Zone -> country, for every zone CLDR ties to a country (in CLDR's order per country)."""
    zones = get_global("territory_zones")
    known = available_timezones()
    return {
        zone: country
        for country in _country_codes()
        for zone in zones.get(country, ())
        if zone in known
    }


@cache
def _zone_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for country in _zones().values():
        counts[country] = counts.get(country, 0) + 1
    return counts


def timezone_name(zone: str | None) -> str:
    """A time zone as people name it: its country ("Egypt"), with the city where the country
    has several ("United States (New York)"); CLDR names in the reader's language."""
    if not zone:
        return ""
    if zone in ("UTC", "Etc/UTC"):
        return _(_UTC)
    country = _zones().get(zone)
    if country is None:
        return zone
    if _zone_counts()[country] == 1:
        return country_name(country)
    city = babel_dates.get_timezone_location(zone, locale=babel_locale(), return_city=True)
    return _(_ZONE_IN_COUNTRY, country=country_name(country), city=city)


def timezone_choices() -> list[tuple[str, str]]:
    """(zone, name): UTC, the region's zones, then every other country's, each part by name."""
    region: list[tuple[str, str]] = []
    others: list[tuple[str, str]] = []
    for zone, country in _zones().items():
        (region if country in REGION else others).append((zone, timezone_name(zone)))
    by_name = sorted(region, key=lambda item: item[1]) + sorted(others, key=lambda item: item[1])
    return [("UTC", timezone_name("UTC")), *by_name]


def _list_sep() -> str:
    return "، " if babel_locale().language == "ar" else ", "
