"""The words of a case file, taken from the standards they come from.

Victim profile values follow IOM's Human Trafficking Case Data Standard 2.0 (HTCDS, 24 Dec 2021,
`UNMigration/HTCDS`, fields `prs_Gender`, `vic_TypeOfExploitation`, `vic_MethodsOfControl`,
`vic_RelationshipToTrafficker`), written in snake_case; age bands are CTDC's `ageBroad` (codebook
v2024). NRM stages follow the OSCE/ODIHR National Referral Mechanisms handbook (2nd ed., 2022).
"""

from __future__ import annotations

import enum
from functools import cache

import pycountry


class Stage(enum.StrEnum):
    identification = "identification"
    reasonable_grounds = "reasonable_grounds"
    recovery_reflection = "recovery_reflection"
    assistance = "assistance"
    return_reintegration = "return_reintegration"
    residence_inclusion = "residence_inclusion"
    proceedings = "proceedings"
    closed = "closed"


class Gender(enum.StrEnum):
    """HTCDS 2.0 `prs_Gender`."""

    feminine = "feminine"
    masculine = "masculine"
    transgender_feminine = "transgender_feminine"
    transgender_masculine = "transgender_masculine"
    non_conforming = "non_conforming"
    unknown = "unknown"  # NonSpecifiedUnknown


class ConsentPurpose(enum.StrEnum):
    """What a person may agree to, one purpose at a time (DESIGN.md, HTCDS 2.0 `con_Consent`)."""

    assistance = "assistance"
    referral = "referral"  # to one named agency
    data_for_statistics = "data_for_statistics"
    cross_border_transfer = "cross_border_transfer"
    # Cooperation with criminal proceedings: the investigators and prosecutors of a file the case
    # is linked to as a victim-witness may see the profile codes (gender, age band, citizenship,
    # forms of exploitation), never names, contact or health (jusoor.investigations.witnesses).
    criminal_proceedings = "criminal_proceedings"


class EventKind(enum.StrEnum):
    """What can appear on a case's timeline."""

    opened = "opened"
    profile_edited = "profile_edited"
    note_added = "note_added"
    task_added = "task_added"
    task_done = "task_done"
    stage_moved = "stage_moved"
    consent_given = "consent_given"
    consent_withdrawn = "consent_withdrawn"
    consent_overridden = "consent_overridden"
    guardian_recorded = "guardian_recorded"
    best_interests_recorded = "best_interests_recorded"
    # The recovery and reflection period ended before its last day, with a written reason.
    reflection_ended_early = "reflection_ended_early"
    # Other domains add their own codes (`cases.extensions.register_case_events`), e.g.
    # referrals' `referral` and exchange's `referral_abroad`.


# CTDC `ageBroad` bands; the upper bound is inclusive, None = no upper bound.
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "0-8": (0, 8),
    "9-17": (9, 17),
    "18-20": (18, 20),
    "21-23": (21, 23),
    "24-26": (24, 26),
    "27-29": (27, 29),
    "30-38": (30, 38),
    "39-47": (39, 47),
    "48+": (48, None),
}
CHILD_AGE_BANDS = frozenset({"0-8", "9-17"})

# HTCDS 2.0 `vic_TypeOfExploitation`.
FORMS_OF_EXPLOITATION = (
    "forced_labour",
    "sexual_exploitation",
    "child_labour",
    "forced_marriage",
    "servitude",
    "forced_military_by_non_state_actors",
    "organ_removal",
    "forced_begging",
    "forced_adoption",
    "surrogacy",
    "forced_criminality",  # UNODC key indicators for forced criminality (2023)
    "other",
)

# HTCDS 2.0 `vic_MethodsOfControl`.
MEANS_OF_CONTROL = (
    "physical_threats",
    "threats_law_enforcement",
    "threatens_children_family",
    "debt_bondage",
    "false_promises",
    "physical_abuse",
    "sexual_abuse",
    "takes_earnings",
    "restricts_financial_access",
    "restricts_medical_care",
    "withholds_necessities",
    "psychological_abuse",
    "psychoactive_substance",
    "excessive_working_hours",
    "withholds_documents",
    "other",
)

# HTCDS 2.0 `vic_RelationshipToTrafficker` (plus CTDC's intimate partner and unknown).
RECRUITER_RELATIONS = ("familial", "intimate_partner", "acquainted", "unacquainted", "unknown")


@cache
def is_country_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code (upper case)."""
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


@cache
def is_language_code(code: str) -> bool:
    """True for an ISO 639 code of two or three letters (lower case)."""
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code) is not None
    return len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None
