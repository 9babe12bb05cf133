"""Names shown to people for the monitor's codes: event types, themes, crimes, report languages."""

from __future__ import annotations

from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _

_EVENT_TYPES = {
    "conference": N_("Conference"),
    "workshop": N_("Workshop"),
    "training": N_("Training"),
    "forum": N_("Forum"),
    "roundtable": N_("Round table"),
    "meeting": N_("Meeting"),
    "study_visit": N_("Study visit"),
    "campaign": N_("Campaign"),
    "plan_or_law_adopted": N_("Plan or law adopted"),
    "agreement_signed": N_("Agreement signed"),
    "arrest_or_raid": N_("Arrest or raid"),
    "prosecution_or_verdict": N_("Prosecution or verdict"),
    "rescue": N_("Rescue"),
}

_THEMES = {
    "prevention": N_("Prevention"),
    "protection": N_("Protection"),
    "prosecution": N_("Prosecution"),
    "partnership": N_("Partnership"),
    "trafficking_in_persons": N_("Trafficking in persons"),
    "migrant_smuggling": N_("Migrant smuggling"),
    "both": N_("Trafficking in persons and migrant smuggling"),
}

_LANGUAGES = {"ar": N_("Arabic"), "en": N_("English"), "fr": N_("French")}

_FACTS = {
    "event_type": N_("Type of event"),
    "start": N_("Start date"),
    "end": N_("End date"),
    "place": N_("Place"),
    "organization": N_("Organisation"),
    "person": N_("Person"),
    "country": N_("Country"),
    "theme": N_("Theme"),
    "participants": N_("Participants"),
}


def _label(table: dict[str, str], code: str | None) -> str:
    if not code:
        return ""
    return _(table[code]) if code in table else code


def event_type_label(code: str | None) -> str:
    return _label(_EVENT_TYPES, code)


def theme_label(code: str | None) -> str:
    return _label(_THEMES, code)


def language_label(code: str | None) -> str:
    return _label(_LANGUAGES, code)


def fact_label(kind: str) -> str:
    return _label(_FACTS, kind)


def organization_name(key: str | None, fallback: str = "") -> str:
    """A catalogued organisation's name in the page's language (its first name there), else
    `fallback` (the stored English name) — so filters and tables read in Arabic and French too."""
    from jusoor.monitor.reading.organizations import catalogue  # reading is heavy; only here

    org = catalogue().get(key or "")
    if org is None:
        return fallback
    names = org.names.get(current_locale()) or org.names.get("en")
    return names[0] if names else fallback


def list_separator() -> str:
    """What goes between the items of a list: the Arabic comma in Arabic (CLDR's list patterns
    join with "and", which a list of links does not want)."""
    return "\u060c " if current_locale() == "ar" else ", "
