"""The time allowed for a formal identification decision, per country (`identification.yaml`).

Configuration, not law: the file says so, and a country not listed gets the default.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator

from jusoor.cases.vocabulary import is_country_code
from jusoor.core.datafiles import StrictModel, declare


class DeadlinesFile(StrictModel):
    default_days: int = Field(ge=1, le=365)
    countries: dict[str, int] = Field(default_factory=dict)

    @field_validator("countries")
    @classmethod
    def _known_countries(cls, value: dict[str, int]) -> dict[str, int]:
        for code, days in value.items():
            if not is_country_code(code):
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
            if not 1 <= days <= 365:
                raise ValueError(f"{code}: days must be between 1 and 365, not {days}")
        return value

    def days_for(self, country: str) -> int:
        return self.countries.get(country, self.default_days)

    def deadline(self, country: str, completed_at: dt.datetime) -> dt.date:
        """The last day on which the decision is on time."""
        return completed_at.date() + dt.timedelta(days=self.days_for(country))


DEADLINES_FILE = declare("jusoor.screening", "identification.yaml", DeadlinesFile)


def deadlines() -> DeadlinesFile:
    return DEADLINES_FILE.load()
