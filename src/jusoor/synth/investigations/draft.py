"""One demo file while it is being written: the file row, its plan, and what has been added to it
so far (the later steps read the earlier ones: a judgment needs the charges, a hearing the
judgment's day)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency, User
from jusoor.core.permissions import Actor
from jusoor.investigations.models import Charge, Defendant, InvestigationFile
from jusoor.investigations.vocabulary import Stage, Verdict
from jusoor.synth.investigations.people import Suspect
from jusoor.synth.investigations.plans import Scenario
from jusoor.synth.investigations.schedule import Schedule
from jusoor.synth.investigations.words import Words


@dataclass(frozen=True)
class Team:
    """The demo users who hold a country's files: its investigator and its prosecutor."""

    country: str
    investigator: User
    prosecutor: User
    investigator_actor: Actor
    prosecutor_actor: Actor

    @property
    def police(self) -> Agency:
        return self.investigator.agency

    @property
    def prosecution(self) -> Agency:
        return self.prosecutor.agency


@dataclass
class Draft:
    session: Session
    rng: random.Random
    today: dt.date
    team: Team
    scenario: Scenario
    schedule: Schedule
    file: InvestigationFile
    lang: str
    words: Words
    suspects: list[tuple[Defendant, Suspect]] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    # The first-instance verdict of each defendant (by defendant id), once judged.
    verdicts: dict[uuid.UUID, Verdict] = field(default_factory=dict)
    confiscation: bool = False
    searched_on: dt.date | None = None  # the search of the premises
    appeal_reason: str | None = None  # who appealed, in the file's words
    appeal_judged_on: dt.date | None = None
    victims: int = 0
    requests: int = 0

    @property
    def writer(self) -> uuid.UUID:
        """Who records things on the file: its lead investigator, else its prosecutor."""
        return self.file.lead_id or self.team.prosecutor.id

    @property
    def country(self) -> str:
        return self.team.country

    @property
    def active(self) -> bool:
        return self.schedule.stage not in (Stage.no_charge, Stage.closed, Stage.final)

    def day(self, stage: Stage) -> dt.date | None:
        return self.schedule.day(stage)

    def investigation_ends(self) -> dt.date:
        """The last day of the investigation: before the prosecution's decision or the closing,
        else yesterday."""
        ended = self.day(Stage.prosecution_decision) or self.day(Stage.closed) or self.today
        return ended - dt.timedelta(days=1)

    def until(self, stage: Stage) -> dt.date:
        """The last day before `stage` was entered, or yesterday when it has not been."""
        entered = self.day(stage)
        return (entered or self.today) - dt.timedelta(days=1)
