"""Victim screening with the ILO/EC operational indicators of trafficking in human beings (2009).

The indicator lists (`indicators.yaml`) and the assessment rules (`rules.yaml`) are data; the
public API is small:

    from jusoor.screening import Answer, Profile, assess
    result = assess(Profile.ADULT_LABOUR, {"dr.nature_of_job": Answer.YES, "ex.excessive_hours": Answer.UNKNOWN})
    result.outcome, result.dimensions, result.reasons

The guided questionnaire (`questions.yaml`, `questionnaire.py`) asks plain-language questions
mapped to those indicators; `service.py` keeps screenings (saved after each step, resumable),
`identification.py` records the formal identification an authorised role decides, and the pages
(`/screening`) and API (`/api/v1/screenings`, `/api/v1/identifications`) sit on top of them.
"""

from jusoor.screening.assessment import (
    Answer,
    Assessment,
    DimensionResult,
    Outcome,
    Reason,
    UnknownIndicator,
    assess,
    present,
)
from jusoor.screening.catalogue import (
    AgeGroup,
    Catalogue,
    CatalogueError,
    Dimension,
    Indicator,
    LocalText,
    Profile,
    Strength,
    ilo_catalogue,
    load_catalogue,
    node_catalogue,
    parse_profile,
)
from jusoor.screening.rules import Rules, ilo_rules, load_rules

__all__ = [
    "AgeGroup",
    "Answer",
    "Assessment",
    "Catalogue",
    "CatalogueError",
    "Dimension",
    "DimensionResult",
    "Indicator",
    "LocalText",
    "Outcome",
    "Profile",
    "Reason",
    "Rules",
    "Strength",
    "UnknownIndicator",
    "assess",
    "ilo_catalogue",
    "ilo_rules",
    "load_catalogue",
    "load_rules",
    "node_catalogue",
    "parse_profile",
    "present",
]
