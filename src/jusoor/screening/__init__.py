"""Victim screening with the ILO/EC operational indicators of trafficking in human beings (2009).

The indicator lists (`indicators.yaml`) and the assessment rules (`rules.yaml`) are data; the
public API is small:

    from jusoor.screening import Answer, Profile, assess
    result = assess(Profile.ADULT_LABOUR, {"dr.nature_of_job": Answer.YES, "ex.excessive_hours": Answer.UNKNOWN})
    result.outcome, result.dimensions, result.reasons

The guided questionnaire (`questions.yaml`, `questionnaire.py`) asks plain-language questions
mapped to those indicators; `service.py` keeps screenings (saved after each step, resumable),
`identification.py` records the formal identification an authorised role decides, `queue.py`
lists the presumed and possible victims still awaiting it (`identification_queue`, for any domain
to call; deadlines per country in `identification.yaml`), and the pages (`/screening`,
`/identification`) and API (`/api/v1/screenings`, `/api/v1/identifications`,
`/api/v1/identification/queue`) sit on top of them. The case opened from a screening receives
its answers (`case_opening.py`) and shows it in a panel (`case_panel.py`).
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
