"""Deterministic synthetic data for demos, tests and benchmarks: names, agencies, demo users.

Everything here is generated from a seed with ``random.Random``; nothing is a real person.
"""

from jusoor.synth.directory import (
    AGENCY_KINDS,
    COUNTRIES,
    AgencySeed,
    UserSeed,
    demo_agencies,
    demo_directory,
)
from jusoor.synth.names import STYLES, UPPER, NamePart, PersonName, random_person_name

__all__ = [
    "AGENCY_KINDS",
    "COUNTRIES",
    "STYLES",
    "UPPER",
    "AgencySeed",
    "NamePart",
    "PersonName",
    "UserSeed",
    "demo_agencies",
    "demo_directory",
    "random_person_name",
]
