"""The codes of a national action plan, as stored.

The four pillars are the "4 Ps" of the US TIP Report and of UNODC's model strategies
(prevention, protection, prosecution, partnership), which every national plan of the seeds uses.
"""

from __future__ import annotations

import enum


class PlanStatus(enum.StrEnum):
    draft = "draft"
    adopted = "adopted"
    closed = "closed"


class PillarKind(enum.StrEnum):
    prevention = "prevention"
    protection = "protection"
    prosecution = "prosecution"
    partnership = "partnership"


class MeasureStatus(enum.StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    delayed = "delayed"
    cancelled = "cancelled"


# A measure whose deadline has passed is overdue unless it reached one of these.
FINISHED = frozenset({MeasureStatus.done, MeasureStatus.cancelled})


class Direction(enum.StrEnum):
    """Whether the indicator should rise (victims identified) or fall (time to identification)."""

    up = "up"
    down = "down"


class IndicatorSource(enum.StrEnum):
    """Where a period's value comes from: the statistics engine (computed, then frozen in the
    report) or a figure a person enters (trainings delivered, campaigns run)."""

    engine = "engine"
    manual = "manual"
