"""Screenings and formal identification decisions of a national caseload.

Half the cases were opened from a screening (completed shortly before the case, most with an
"actual victim" decision naming the case). Besides them, the front line screens many people who
never get a case: `standalone` draws them over the same years, with the demo's stories and
outcomes (`synth.screenings`). Old presumed and possible victims were decided long ago; recent ones
often wait, so the identification queue holds the few weeks of work a real authority has,
some of it past the country's deadline.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from typing import Any

from jusoor.screening.assessment import Outcome
from jusoor.screening.catalogue import Profile
from jusoor.screening.identification import FINAL
from jusoor.screening.models import ScreeningStatus, TraffickingStatus
from jusoor.screening.questionnaire import questionnaire
from jusoor.screening.schemas import AgeBand, Exploitation, profile_for
from jusoor.synth.cases import Route
from jusoor.synth.scale import population as pop
from jusoor.synth.scale.staff import Person, Staff
from jusoor.synth.scale.tables import Row
from jusoor.synth.screenings import ADULT_AGES, ADULT_WEIGHTS, BASES, story_for

DAY = dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)
FROM_SCREENING = 0.5  # of cases were opened from a screening
OUTCOMES = (Outcome.NO_INDICATION, Outcome.POSSIBLE_VICTIM, Outcome.PRESUMED_VICTIM)
OUTCOME_WEIGHTS = (5, 3, 2)
ANSWER_VARIANTS = 32
RECENT_DAYS = 60  # undecided screenings are this recent, but for a few


class ScreeningRows:
    def __init__(self, staff: Staff, rng: random.Random, now: dt.datetime) -> None:
        self.staff = staff
        self.rng = rng
        self.now = now
        self._questions: dict[Profile, tuple[str, ...]] = {}
        self._steps: dict[Profile, int] = {}
        self._drawn: dict[tuple[Profile, tuple[str, ...]], list[str]] = {}

    def _question_ids(self, profile: Profile) -> tuple[str, ...]:
        if profile not in self._questions:
            steps = questionnaire().for_profile(profile)
            self._questions[profile] = tuple(q.id for s in steps for q in s.questions)
            self._steps[profile] = len(steps)
        return self._questions[profile]

    def _answers(self, profile: Profile, yes: tuple[str, ...]) -> str:
        """Every question of the list: yes to the story, otherwise mostly no, sometimes "I don't
        know" (`synth.screenings`); a few dozen drawings per story, met again."""
        key = (profile, yes)
        drawn = self._drawn.setdefault(key, [])
        if len(drawn) >= ANSWER_VARIANTS:
            return self.rng.choice(drawn)
        rng = self.rng
        answers = {
            q: "yes" if q in yes else ("unknown" if rng.random() < 0.08 else "no")
            for q in self._question_ids(profile)
        }
        drawn.append(json.dumps(dict(sorted(answers.items()))))  # as `Screening.answers` stores
        return drawn[-1]

    def _band(self, child: bool) -> str:
        if child:
            return "0-8" if self.rng.random() < 0.3 else "9-17"
        return self.rng.choices(ADULT_AGES, weights=ADULT_WEIGHTS)[0]

    def _screening(
        self,
        rows: dict[str, list[Row]],
        *,
        who: Person,
        route: Route,
        child: bool,
        woman: bool,
        outcome: Outcome,
        completed: dt.datetime,
        case_id: uuid.UUID | None,
    ) -> uuid.UUID:
        rng = self.rng
        band = self._band(child)
        sexual = "sexual_exploitation" in route.forms
        profile = profile_for(AgeBand(band), Exploitation.sexual if sexual else Exploitation.labour)
        story = story_for(profile, outcome, rng)
        screening_id = pop.random_uuid(rng)
        answers = self._answers(profile, story.yes)
        rows["screenings"].append(
            {
                "id": screening_id,
                "profile": profile.value,
                "age_band": band,
                "label": story.label,
                "answers_json": answers,
                "step": self._steps[profile],
                "status": ScreeningStatus.completed,
                "outcome": outcome.value,
                "screener_id": who.id,
                "agency_id": who.agency_id,
                "country": who.country,
                "case_id": case_id,
                "gender": "feminine" if woman else "masculine",
                "citizenship_codes": route.origin,
                "language_codes": " ".join(route.languages),
                "created_at": completed - rng.randint(15, 50) * MINUTE,
                "updated_at": completed,
                "completed_at": completed,
                "decided_final": False,  # set by `_decide` as `identification.decide` sets it
            }
        )
        return screening_id

    def _decide(
        self,
        rows: dict[str, list[Row]],
        screening_id: uuid.UUID,
        country: str,
        status: TraffickingStatus,
        at: dt.datetime,
        case_id: uuid.UUID | None,
    ) -> None:
        deciders = self.staff.deciders.get(country)
        if not deciders:
            return
        who = self.rng.choice(deciders)
        rows["identifications"].append(
            {
                "id": pop.random_uuid(self.rng),
                "screening_id": screening_id,
                "case_id": case_id,
                "status": status,
                "basis": self.rng.choice(BASES[status]),
                "decided_by": who.id,
                "agency_id": who.agency_id,
                "country": who.country,
                "decided_at": min(at, self.now),
            }
        )
        if status in FINAL:  # leaves the identification queue, as `decide` marks it
            for row in reversed(rows["screenings"]):
                if row["id"] == screening_id:
                    row["decided_final"] = True
                    break

    def for_case(
        self,
        rows: dict[str, list[Row]],
        *,
        case_id: uuid.UUID,
        country: str,
        route: Route,
        child: bool,
        woman: bool,
        opened: dt.datetime,
        owner: Person,
    ) -> uuid.UUID | None:
        """The screening a case was opened from (or None: the case was opened directly)."""
        rng = self.rng
        if rng.random() >= FROM_SCREENING:
            return None
        screeners = self.staff.screeners.get(country) or [owner]
        who = rng.choice(screeners) if rng.random() < 0.6 else owner
        completed = opened - rng.randint(10, 4000) * MINUTE
        screening_id = self._screening(
            rows,
            who=who,
            route=route,
            child=child,
            woman=woman,
            outcome=Outcome.PRESUMED_VICTIM,
            completed=completed,
            case_id=case_id,
        )
        if rng.random() < 0.7:
            decided = opened + rng.uniform(0.5, 20) * DAY
            self._decide(rows, screening_id, country, TraffickingStatus.actual, decided, case_id)
        return screening_id

    def standalone(
        self, rows: dict[str, list[Row]], country: str, route: Route, years: int = pop.YEARS
    ) -> None:
        """A screening that led to no case (yet): decided long ago, or waiting if recent."""
        rng = self.rng
        screeners = self.staff.screeners.get(country)
        if not screeners:
            return
        _year, completed = pop.opened_in(rng, self.now, years)
        outcome = rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS)[0]
        child = rng.random() < route.child_share
        woman = rng.random() < route.women_share
        screening_id = self._screening(
            rows,
            who=rng.choice(screeners),
            route=route,
            child=child,
            woman=woman,
            outcome=outcome,
            completed=completed,
            case_id=None,
        )
        if outcome is Outcome.NO_INDICATION:
            return
        recent = (self.now - completed).days <= RECENT_DAYS
        if rng.random() < (0.45 if recent else 0.995):
            status: Any = rng.choices(
                (
                    TraffickingStatus.actual,
                    TraffickingStatus.not_a_victim,
                    TraffickingStatus.possible,
                ),
                weights=(5, 4, 1 if recent else 0),
            )[0]
            at = completed + rng.uniform(0.5, 30) * DAY
            self._decide(rows, screening_id, country, status, at, None)
