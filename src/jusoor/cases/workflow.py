"""NRM stages as data (`stages.yaml`) and the one `transition()` that checks, records and audits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pydantic import Field, PositiveInt, model_validator
from sqlalchemy.orm import Session

from jusoor.cases.labels import stage_label
from jusoor.cases.models import Case, CaseEvent
from jusoor.cases.timeline import record_and_audit
from jusoor.cases.vocabulary import EventKind, Stage
from jusoor.core import state_files, states
from jusoor.core.datafiles import parse
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import format_date
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


SIDE = "case_team"  # the one side in stages.yaml: whoever may update the case


def _no_reason() -> Invalid:
    return Invalid("reason", _("Give the reason for this move."))


class StageWording:
    """The refusals the case page and API have always shown."""

    def closed(self, state: str, name: str) -> Exception:
        return Invalid("stage", _("A closed case cannot move to another stage."))

    def unknown(self, state: str, name: str) -> Exception:
        # Entering a stage no transition leads to (identification) is a move the NRM refuses.
        return Invalid(
            "stage",
            _(
                "A case in %(current)s cannot move to %(target)s.",
                current=stage_label(state),
                target=stage_label(name),
            ),
        )

    def wrong_side(self, state: str, transition: states.Transition, side: str) -> Exception:
        return self.unknown(state, transition.name)

    def not_from(self, state: str, transition: states.Transition) -> Exception:
        return self.unknown(state, transition.name)

    def no_reason(self, transition: states.Transition) -> Exception:
        return _no_reason()

    def refused(self, transition: states.Transition, problem: str) -> Exception:
        return Invalid("stage", problem)


class StagesFile(state_files.MachineSpec):
    """`stages.yaml`: the NRM machine, plus the reflection period's length by country."""

    reflection_days_by_country: dict[str, PositiveInt] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _reflection_has_a_length(self) -> StagesFile:
        for i, spec in enumerate(self.transitions):
            if spec.to == Stage.recovery_reflection and spec.deadline_days is None:
                raise state_files.fail(
                    ("transitions", i), "the reflection period needs deadline_days"
                )
        return self


MACHINE: states.MachineFile[StagesFile, Case] = states.machine_file(
    "jusoor.cases",
    "stages.yaml",
    wording=StageWording(),
    sides={SIDE},
    guards=GUARDS,
    states=Stage,
    model=StagesFile,
)


@dataclass(frozen=True)
class StageMachine:
    """The NRM machine as the case pages and API read it: in stages, not transition names."""

    core: states.Machine[Case]
    reflection_default: int
    reflection_by_country: dict[str, int]

    @property
    def initial(self) -> Stage:
        return Stage(self.core.initial)

    def allowed(self, current: Stage) -> tuple[Stage, ...]:
        """The stages a case in `current` may move to, closing included (except from closed)."""
        return tuple(Stage(t.target) for t in self.core.allowed(current, SIDE) if t.target)

    def reflection_days(self, country: str) -> int:
        return self.reflection_by_country.get(country, self.reflection_default)


def _stage_machine(spec: StagesFile, core: states.Machine[Case]) -> StageMachine:
    # StagesFile has checked that the transition into the reflection period has its length.
    default = next(t.deadline_days for t in spec.transitions if t.to == Stage.recovery_reflection)
    by_country = {k.upper(): v for k, v in spec.reflection_days_by_country.items()}
    return StageMachine(
        core=core, reflection_default=default or 0, reflection_by_country=by_country
    )


def parse_machine(text: str) -> StageMachine:
    """A machine from `stages.yaml`-shaped text (a one-line DataFileError when broken)."""
    spec = parse(MACHINE.data_file.model, text, name="stages.yaml")
    return _stage_machine(spec, states.build(spec, wording=StageWording(), guards=GUARDS))


@lru_cache(maxsize=1)
def machine() -> StageMachine:
    return _stage_machine(MACHINE.spec(), MACHINE.machine())


def parse_stage(value: str, *, field: str = "stage") -> Stage:
    try:
        return Stage(value.strip())
    except ValueError:
        raise Invalid(field, _("There is no stage called %(stage)s.", stage=value)) from None


def reflection_end(case: Case, start: dt.date) -> dt.date:
    """Last day of the recovery and reflection period that starts on `start`."""
    return start + dt.timedelta(days=machine().reflection_days(case.country))


def ends_reflection_early(case: Case, today: dt.date) -> bool:
    """Whether leaving the case's stage now cuts its recovery and reflection period short."""
    ends = case.reflection_ends_on
    return case.stage is Stage.recovery_reflection and ends is not None and today < ends


def _reflection_override(
    session: Session, actor: Actor, case: Case, target: Stage, early_end_reason: str
) -> None:
    """Refuse to end the recovery and reflection period early without a written reason; with
    one, record the override on the timeline (the reason, encrypted, as a consent override's
    is) and audit it. Council of Europe Convention on Action against THB, art. 13: at least 30
    days in which the person is not removed and may recover and decide; national NRM rules
    allow ending it early (the person's own wish, a return they ask for) only for a reason."""
    ends = case.reflection_ends_on
    assert ends is not None
    if not early_end_reason:
        raise Invalid(
            "early_end_reason",
            _(
                "The recovery and reflection period runs until %(date)s. To end it early, write "
                "why in “Why the period ends early” (the person's own wish, for example).",
                date=format_date(ends),
            ),
        )
    details = {"reflection_ends_on": ends.isoformat(), "to": target.value}
    record_and_audit(
        session,
        actor=actor,
        case=case,
        kind=EventKind.reflection_ended_early,
        details=details,
        reason=early_end_reason,
        action="case.reflection_override",
    )


def check_move(case: Case, target: Stage) -> states.Transition:
    """Raise Invalid("stage", …) naming both stages when the machine or a guard refuses."""
    return MACHINE.machine().check(case.stage, target, side=SIDE, context=case)


def transition(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    target: Stage,
    reason: str,
    early_end_reason: str = "",
    today: dt.date | None = None,
) -> CaseEvent:
    """Move `case` to `target`: check the machine and its guards, record who/when/why, audit.

    Leaving the recovery and reflection period before its last day needs `early_end_reason`
    (an override, on the timeline and audited). `today` is the day the move counts from (the
    demo loader, which dates its history afterwards, passes the day the period ended).
    The caller has checked that the actor may move this case (`service.move_stage` does).
    """
    reason = reason.strip()
    m = MACHINE.machine()
    if not reason:  # the reason is refused before the move itself, as it always was
        raise _no_reason()
    m.take(case.stage, target, side=SIDE, reason=reason, context=case)
    now = utcnow()
    if ends_reflection_early(case, today or now.date()):
        _reflection_override(session, actor, case, target, early_end_reason.strip())
    previous = case.stage
    case.stage = target
    case.stage_entered_at = now
    if target is Stage.recovery_reflection:  # its length is the transition's deadline_days
        case.reflection_ends_on = reflection_end(case, now.date())
    if target in m.terminal:
        case.closed_at = now
    details = {"from": previous.value, "to": target.value}
    if case.reflection_ends_on and target is Stage.recovery_reflection:
        details["reflection_ends_on"] = case.reflection_ends_on.isoformat()
    event = record_and_audit(
        session,
        actor=actor,
        case=case,
        kind=EventKind.stage_moved,
        details=details,
        reason=reason,
        action="case.transition",
    )
    return event
