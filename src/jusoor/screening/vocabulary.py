"""The words of the screening domain: the ILO lists, their dimensions and strengths (ILO 2009).

Closed sets, fixed by the ILO/EC operational indicators; the data files are validated against them.
"""

from __future__ import annotations

from enum import StrEnum


class Profile(StrEnum):
    """The four ILO lists: adults or children, exploited for labour or sexually."""

    ADULT_LABOUR = "adult-labour"
    ADULT_SEXUAL = "adult-sexual"
    CHILD_LABOUR = "child-labour"
    CHILD_SEXUAL = "child-sexual"

    @property
    def age_group(self) -> AgeGroup:
        return (
            AgeGroup.CHILD
            if self in (Profile.CHILD_LABOUR, Profile.CHILD_SEXUAL)
            else AgeGroup.ADULT
        )


class AgeGroup(StrEnum):
    ADULT = "adult"
    CHILD = "child"


class Dimension(StrEnum):
    """The six elements of the Palermo definition each ILO list is organised by, in its order."""

    DECEPTIVE_RECRUITMENT = "deceptive_recruitment"
    COERCIVE_RECRUITMENT = "coercive_recruitment"
    RECRUITMENT_BY_ABUSE_OF_VULNERABILITY = "recruitment_by_abuse_of_vulnerability"
    EXPLOITATIVE_CONDITIONS = "exploitative_conditions"
    COERCION_AT_DESTINATION = "coercion_at_destination"
    ABUSE_OF_VULNERABILITY_AT_DESTINATION = "abuse_of_vulnerability_at_destination"


class Strength(StrEnum):
    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"
