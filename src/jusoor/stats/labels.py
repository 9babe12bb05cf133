"""The words shown for a table's dimensions and categories, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping

from jusoor.cases.labels import code_label, gender_label, stage_label
from jusoor.core.i18n import N_, localize_digits
from jusoor.core.i18n import gettext as _
from jusoor.stats import engine
from jusoor.stats.tables import UNKNOWN
from jusoor.web.labels import country_name

_YES_NO = {"yes": N_("Yes"), "no": N_("No")}
_DIRECTIONS = {"outgoing": N_("Sent"), "incoming": N_("Received")}

COUNTRY_DIMENSIONS = frozenset(
    {"country", "citizenship", "origin", "transit", "exploitation", "peer"}
)
AGENCY_DIMENSIONS = frozenset({"agency", "from_agency"})
_AGE_GROUPS = {"child": N_("Children"), "adult": N_("Adults")}


def dimension_label(subject: str, name: str) -> str:
    if name in engine.PERIODS:
        return _(engine.PERIODS[name])
    found = engine.dimension_labels(engine.subject(subject)).get(name)
    return _(found) if found else name


def category_label(name: str, code: str, agencies: Mapping[str, str] | None = None) -> str:
    """The reader's word for `code`, a category of dimension `name` (a country's name, a stage,
    a form of exploitation...); periods keep their ISO form with the reader's digits."""
    if code == UNKNOWN:
        return _("Unknown")
    if name in engine.PERIODS:
        return localize_digits(code)
    if name in COUNTRY_DIMENSIONS:
        return country_name(code)
    if name in AGENCY_DIMENSIONS:
        return (agencies or {}).get(code, code)
    if name == "route" and ">" in code:
        origin, exploitation = code.split(">", 1)
        return _("%(origin)s to %(exploitation)s", origin=country_name(origin),
                 exploitation=country_name(exploitation))  # fmt: skip
    if name == "stage":
        return stage_label(code)
    if name == "sex":
        return gender_label(code)
    if name == "form":
        return code_label("form", code)
    if name == "recruiter":
        return code_label("relation", code)
    if name == "age_group":
        return _(_AGE_GROUPS[code]) if code in _AGE_GROUPS else code
    if name == "age_band":
        return localize_digits(code)
    return _other_label(name, code)


def _other_label(name: str, code: str) -> str:
    """The words of the other subjects' codes (screenings, identifications, referrals, exchange,
    persons before the courts), from each domain's own labels."""
    from jusoor.exchange.labels import Labels as ExchangeLabels
    from jusoor.investigations import vocabulary as justice
    from jusoor.investigations.labels import label as justice_label
    from jusoor.referrals import labels as referrals
    from jusoor.screening import labels as screening

    if name == "outcome":
        for word in (screening.outcome_label(code), screening.status_label(code)):
            if word and word != code:
                return word
        return code
    if name == "profile":
        return screening.profile_label(code)
    if name == "service":
        return referrals.service_kind_label(code)
    if name == "kind":
        return ExchangeLabels.type(code)
    if name == "direction":
        return _(_DIRECTIONS[code]) if code in _DIRECTIONS else code
    if name == "overdue":
        return _(_YES_NO[code]) if code in _YES_NO else code
    if name == "offence":
        return justice_label(justice.OffenceType, code)
    if name == "state":
        for word in (referrals.status_label(code), ExchangeLabels.status(code)):
            if word and word != code:
                return word
    return code
