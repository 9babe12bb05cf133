"""The stage-progress strip of the file page: the road from report to final judgment, where the
file stands on it, and how many days it spent at each step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from jusoor.investigations.models import InvestigationFile
from jusoor.investigations.service import StageSpan
from jusoor.investigations.vocabulary import Stage

# The main road of a criminal file (stages.yaml); "not charged" and "closed" leave it.
ROAD = (
    Stage.report,
    Stage.preliminary_investigation,
    Stage.prosecution_decision,
    Stage.trial,
    Stage.first_instance_judgment,
    Stage.appeal,
    Stage.final,
)
EXITS = (Stage.no_charge, Stage.closed)
ENDS = (Stage.final, *EXITS)  # no time runs at the end of the road


@dataclass(frozen=True)
class Step:
    stage: Stage
    state: str  # "done", "current", "ahead", or "skipped" (an appeal nobody lodged)
    entered: dt.datetime | None
    days: int | None  # days spent at this step (so far, for the current one)


def steps(file: InvestigationFile, spans: Sequence[StageSpan]) -> list[Step]:
    """The steps of `file`'s road, in order; a file that left the road ends at its exit."""
    spent = {span.stage: span for span in spans}
    if file.stage in EXITS:
        road = [stage for stage in ROAD if stage in spent and stage != file.stage] + [file.stage]
    else:
        road = list(ROAD)
    here = road.index(file.stage) if file.stage in road else len(road)
    result = []
    for index, stage in enumerate(road):
        span = spent.get(stage)
        if stage == file.stage:
            state = "current"
        elif span is not None:
            state = "done"
        elif index < here:
            state = "skipped"
        else:
            state = "ahead"
        result.append(
            Step(
                stage,
                state,
                span.entered if span else None,
                span.days if span and state != "ahead" and stage not in ENDS else None,
            )
        )
    return result


def total_days(
    file: InvestigationFile, spans: Sequence[StageSpan], today: dt.date | None = None
) -> int:
    """Days from the report of the facts to today, or to the end of the road for a finished
    file: the file's whole duration."""
    end = today or dt.date.today()
    if file.stage in ENDS and spans:
        end = spans[-1].entered.date()
    return max(0, (end - file.reported_on).days)
