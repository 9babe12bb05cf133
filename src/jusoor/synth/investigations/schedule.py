"""When a demo file entered each of its stages: weeks of preliminary investigation, months before
trial and judgment, in order, all before today, with judgments landing in this year and the last
ones so that the year's figures are not empty."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from itertools import pairwise

from jusoor.investigations.vocabulary import Stage
from jusoor.synth.investigations.plans import PATHS

S = Stage
# Days from entering one stage to entering the next (the range a draw is taken from).
_GAPS: dict[tuple[Stage, Stage], tuple[int, int]] = {
    (S.report, S.preliminary_investigation): (1, 14),
    (S.report, S.closed): (20, 120),
    (S.preliminary_investigation, S.prosecution_decision): (45, 240),
    (S.preliminary_investigation, S.closed): (30, 200),
    (S.prosecution_decision, S.trial): (20, 90),
    (S.prosecution_decision, S.no_charge): (20, 90),
    (S.trial, S.first_instance_judgment): (90, 330),
    (S.first_instance_judgment, S.appeal): (8, 30),  # appeals are lodged within weeks
    (S.first_instance_judgment, S.final): (31, 60),  # the time to appeal ran out
    (S.appeal, S.final): (80, 240),
}
# Days since the file entered the stage it is at (files still moving, and closed ones).
_AGES: dict[Stage, tuple[int, int]] = {
    S.report: (2, 20),
    S.preliminary_investigation: (10, 150),
    S.prosecution_decision: (5, 40),
    S.trial: (20, 200),
    S.first_instance_judgment: (3, 25),
    S.appeal: (20, 150),
    S.no_charge: (5, 300),
    S.closed: (5, 300),
}
# Judged files whose first-instance judgment is placed in a chosen year, and how many days after
# it the later moves need.
_AFTER_JUDGMENT = {"final": 45, "final_after_appeal": 130}


@dataclass(frozen=True)
class Schedule:
    stages: tuple[Stage, ...]
    entered: tuple[dt.datetime, ...]  # when each stage was entered; the first is the opening
    reported_on: dt.date

    def when(self, stage: Stage) -> dt.datetime | None:
        return self.entered[self.stages.index(stage)] if stage in self.stages else None

    def day(self, stage: Stage) -> dt.date | None:
        moment = self.when(stage)
        return moment.date() if moment else None

    @property
    def opened(self) -> dt.datetime:
        return self.entered[0]

    @property
    def stage(self) -> Stage:
        return self.stages[-1]

    def reached(self, stage: Stage) -> bool:
        return stage in self.stages


def between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day from `start` to `end` included (`start` when the span is empty)."""
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def at(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment of the working day (UTC) on `day`."""
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(7, 15), rng.randint(0, 59), tzinfo=dt.UTC
    )


def _judgment_day(rng: random.Random, path: str, year: int, today: dt.date) -> dt.date:
    """A day of `year` (else the year before) leaving room for the moves after the judgment."""
    latest = today - dt.timedelta(days=_AFTER_JUDGMENT[path])
    for candidate in (year, year - 1):
        first, last = dt.date(candidate, 1, 1), min(dt.date(candidate, 12, 31), latest)
        if last >= first:
            return between(rng, first, last)
    return latest


def schedule(rng: random.Random, path: str, today: dt.date, *, judged_in: int) -> Schedule:
    """The days a file on `path` entered its stages. A file whose judgment became final had its
    first-instance judgment in `judged_in` (or the year before, early in the year)."""
    stages = PATHS[path]
    gaps = [0] + [rng.randint(*_GAPS[pair]) for pair in pairwise(stages)]
    days: list[dt.date] = [today] * len(stages)
    if path in _AFTER_JUDGMENT:
        anchor = stages.index(S.first_instance_judgment)
        days[anchor] = _judgment_day(rng, path, judged_in, today)
        room = (today - dt.timedelta(days=1) - days[anchor]).days
        needed = sum(gaps[anchor + 1 :])
        if needed > room:  # early in the year: the later moves come closer together
            gaps[anchor + 1 :] = [max(1, g * room // needed) for g in gaps[anchor + 1 :]]
        for i in range(anchor + 1, len(stages)):
            days[i] = days[i - 1] + dt.timedelta(days=gaps[i])
    else:
        anchor = len(stages) - 1
        low, high = _AGES[stages[-1]]
        age = rng.randint(low, high)
        if stages[-1] is S.first_instance_judgment:  # this year's judgments, if the year allows
            age = max(1, min(age, today.timetuple().tm_yday - 1))
        days[anchor] = today - dt.timedelta(days=age)
    for i in range(anchor - 1, -1, -1):
        days[i] = days[i + 1] - dt.timedelta(days=gaps[i + 1])
    entered = tuple(at(rng, day) for day in days)
    reported_on = days[0] - dt.timedelta(days=rng.randint(0, 6))
    return Schedule(stages, entered, reported_on)
