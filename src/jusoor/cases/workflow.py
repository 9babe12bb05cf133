"""NRM stages as data (`stages.yaml`) and the one `transition()` that checks, records and audits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import model_validator
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases.labels import stage_label
from jusoor.cases.models import Case, CaseEvent
from jusoor.cases.timeline import record_event
from jusoor.cases.vocabulary import EventKind, Stage
from jusoor.core.datafiles import StrictModel, declare
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor


def _child_best_interests_determined(case: Case) -> str | None:
    if case.is_child and case.best_interests_determined_on is None:
        return _(
            "A child's case cannot move to %(stage)s before the best-interests determination "
            "is recorded.",
            stage=stage_label(Stage.return_reintegration),
        )
    return None


# A guard returns None when the move may go ahead, else the (translated) reason it may not.
GUARDS: dict[str, Callable[[Case], str | None]] = {
    "child_best_interests_determined": _child_best_interests_determined,
}


@dataclass(frozen=True)
class StageMachine:
    initial: Stage
    moves: dict[Stage, tuple[Stage, ...]]
    close_to: Stage
    guards: dict[Stage, tuple[str, ...]]
    reflection_default: int
    reflection_by_country: dict[str, int]

    def allowed(self, current: Stage) -> tuple[Stage, ...]:
        """The stages a case in `current` may move to, closing included (except from closed)."""
        nexts = self.moves.get(current, ())
        if current is self.close_to or self.close_to in nexts:
            return nexts
        return (*nexts, self.close_to)

    def reflection_days(self, country: str) -> int:
        return self.reflection_by_country.get(country, self.reflection_default)


class ReflectionDays(StrictModel):
    default: int
    countries: dict[str, int] | None = None


class StagesFile(StrictModel):
    """`stages.yaml`: every stage named once, known stages and guards, positive day counts."""

    initial: Stage
    moves: dict[Stage, list[Stage] | None]
    close_to: Stage
    guards: dict[Stage, list[str]] | None = None
    reflection_days: ReflectionDays

    @model_validator(mode="after")
    def _complete(self) -> StagesFile:
        if set(self.moves) != set(Stage):
            raise ValueError(f"stages.yaml must list every stage once: {sorted(self.moves)}")
        for names in (self.guards or {}).values():
            for name in names:
                if name not in GUARDS:
                    raise ValueError(f"stages.yaml: unknown guard {name!r}")
        days = self.reflection_days
        if days.default < 1 or any(v < 1 for v in (days.countries or {}).values()):
            raise ValueError("stages.yaml: reflection periods must be at least one day")
        return self

    def machine(self) -> StageMachine:
        days = self.reflection_days
        return StageMachine(
            initial=self.initial,
            moves={stage: tuple(nexts or ()) for stage, nexts in self.moves.items()},
            close_to=self.close_to,
            guards={stage: tuple(names) for stage, names in (self.guards or {}).items()},
            reflection_default=days.default,
            reflection_by_country={k.upper(): v for k, v in (days.countries or {}).items()},
        )


STAGES_FILE = declare("jusoor.cases", "stages.yaml", StagesFile)


def parse_machine(data: dict[str, Any]) -> StageMachine:
    """Validate `stages.yaml` data (a ValueError when broken) into the machine."""
    return StagesFile.model_validate(data).machine()


@lru_cache(maxsize=1)
def machine() -> StageMachine:
    return STAGES_FILE.load().machine()


def parse_stage(value: str, *, field: str = "stage") -> Stage:
    try:
        return Stage(value.strip())
    except ValueError:
        raise Invalid(field, _("There is no stage called %(stage)s.", stage=value)) from None


def reflection_end(case: Case, start: dt.date) -> dt.date:
    """Last day of the recovery and reflection period that starts on `start`."""
    return start + dt.timedelta(days=machine().reflection_days(case.country))


def check_move(case: Case, target: Stage) -> None:
    """Raise Invalid("stage", …) naming both stages when the machine refuses the move."""
    m = machine()
    if target not in m.allowed(case.stage):
        if case.stage is m.close_to:
            raise Invalid("stage", _("A closed case cannot move to another stage."))
        raise Invalid(
            "stage",
            _(
                "A case in %(current)s cannot move to %(target)s.",
                current=stage_label(case.stage),
                target=stage_label(target),
            ),
        )
    for name in m.guards.get(target, ()):
        problem = GUARDS[name](case)
        if problem:
            raise Invalid("stage", problem)


def transition(
    session: Session, *, actor: Actor, case: Case, target: Stage, reason: str
) -> CaseEvent:
    """Move `case` to `target`: check the machine and its guards, record who/when/why, audit.

    The caller has checked that the actor may move this case (`service.move_stage` does).
    """
    reason = reason.strip()
    if not reason:
        raise Invalid("reason", _("Give the reason for this move."))
    check_move(case, target)
    now = utcnow()
    previous = case.stage
    case.stage = target
    case.stage_entered_at = now
    if target is Stage.recovery_reflection:
        case.reflection_ends_on = reflection_end(case, now.date())
    if target is machine().close_to:
        case.closed_at = now
    details = {"from": previous.value, "to": target.value}
    if case.reflection_ends_on and target is Stage.recovery_reflection:
        details["reflection_ends_on"] = case.reflection_ends_on.isoformat()
    event = record_event(
        session, actor=actor, case=case, kind=EventKind.stage_moved, details=details, reason=reason
    )
    audit.record(
        session,
        actor=actor,
        action="case.transition",
        object_type="case",
        object_id=case.id,
        details=details,
    )
    return event
