"""Names shown to people for codes stored in the database: roles, kinds of agency, countries."""

from __future__ import annotations

from jusoor.agencies.models import AgencyKind
from jusoor.core.i18n import N_, babel_locale
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
