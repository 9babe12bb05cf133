"""The referral state machine as data (`states.yaml`) and the one `transition()` that moves it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from pydantic import PositiveInt, model_validator
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core import state_files, states
from jusoor.core.datafiles import parse
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict, Forbidden, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope
from jusoor.referrals.labels import action_label, status_label
from jusoor.referrals.models import ServiceKind, Transition, TransitionMove

SIDES = {"provider": "referrals.respond", "referrer": "referrals.create"}


Action = states.Transition  # a referral action is a transition of the machine


class ReferralWording:
    """The refusals the referral page and API have always shown."""

    def closed(self, state: str, name: str) -> Exception:
        return Conflict(
            _(
                "A referral that is %(status)s cannot be moved by %(action)s.",
                status=status_label(state),
                action=action_label(name),
            ),
            field="action",
        )

    def unknown(self, state: str, name: str) -> Exception:
        names = ", ".join(t.name for t in MACHINE.machine().transitions)
        return Invalid("action", _("Choose one of: %(choices)s.", choices=names))

    def wrong_side(self, state: str, transition: states.Transition, side: str) -> Exception:
        return Forbidden(_("You are not allowed to do this."))

    def not_from(self, state: str, transition: states.Transition) -> Exception:
        return self.closed(state, transition.name)

    def no_reason(self, transition: states.Transition) -> Exception:
        return Invalid("reason", _("Give the reason: the other agency will read it."))

    def refused(self, transition: states.Transition, problem: str) -> Exception:
        return Conflict(problem, field="action")


class StatesFile(state_files.MachineSpec):
    """`states.yaml`: the machine, the state sets the service reads, a deadline for every kind."""

    open: list[str]
    access: list[str]
    delivery: list[str]
    deadline_days: dict[ServiceKind, PositiveInt]

    @model_validator(mode="after")
    def _referral_sets(self) -> StatesFile:
        for where in ("open", "access", "delivery"):
            for i, name in enumerate(getattr(self, where)):
                if name not in self.states:
                    raise state_files.fail((where, i), "unknown state", name)
        for i, spec in enumerate(self.transitions):
            if len(spec.by) != 1:
                raise state_files.fail(("transitions", i, "by"), "one side per referral action")
            if spec.to is None:
                raise state_files.fail(("transitions", i), "a referral action needs `to`")
        if set(self.deadline_days) != set(ServiceKind):
            raise state_files.fail(
                ("deadline_days",), "a delay is needed for every kind of service"
            )
        return self


MACHINE: states.MachineFile[StatesFile, None] = states.machine_file(
    "jusoor.referrals", "states.yaml", wording=ReferralWording(), sides=SIDES, model=StatesFile
)


@dataclass(frozen=True)
class Machine:
    """The referral machine and the state sets the service, the grants and the pages read."""

    core: states.Machine[None]
    open: frozenset[str]
    access: frozenset[str]
    delivery: frozenset[str]
    deadline_days: dict[ServiceKind, int]

    @property
    def initial(self) -> str:
        return self.core.initial

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(self.core.states)

    @property
    def actions(self) -> dict[str, Action]:
        return {t.name: t for t in self.core.transitions}

    def allowed(self, status: str, side: str | None = None) -> list[Action]:
        """The actions possible from `status` (for one side, or both)."""
        return self.core.allowed(status, side)


def _referral_machine(spec: StatesFile, core: states.Machine[None]) -> Machine:
    return Machine(
        core=core,
        open=frozenset(spec.open),
        access=frozenset(spec.access),
        delivery=frozenset(spec.delivery),
        deadline_days=dict(spec.deadline_days),
    )


def parse_machine(text: str) -> Machine:
    """A machine from `states.yaml`-shaped text (a one-line DataFileError when broken)."""
    spec = parse(MACHINE.data_file.model, text, name="states.yaml")
    return _referral_machine(spec, states.build(spec, wording=ReferralWording(), guards={}))


@cache
def machine() -> Machine:
    return _referral_machine(MACHINE.spec(), MACHINE.machine())


def default_deadline(kind: ServiceKind, start: dt.datetime | None = None) -> dt.datetime:
    return (start or utcnow()) + dt.timedelta(days=machine().deadline_days[kind])


def is_overdue(referral: Transition, now: dt.datetime | None = None) -> bool:
    return referral.status in machine().open and referral.deadline < (now or utcnow())


def on_side(actor: Actor, referral: Transition, side: str) -> bool:
    """Whether `actor` acts for the receiving ("provider") or referring ("referrer") agency."""
    agency = referral.to_agency_id if side == "provider" else referral.from_agency_id
    return in_scope(actor, SIDES[side], agency_id=agency, country=referral.country)


def record_move(
    session: Session,
    *,
    actor: Actor,
    referral: Transition,
    action: str,
    target: str,
    reason: str | None,
) -> TransitionMove:
    move = TransitionMove(
        action=action,
        from_status=referral.status if action != "request" else None,
        to_status=target,
        by_user_id=actor.user_id,
        by_username=actor.username,
        reason=reason or None,
    )
    referral.moves.append(move)
    session.flush()
    return move


def transition(
    session: Session, *, actor: Actor, referral: Transition, action: str, reason: str | None = None
) -> Transition:
    """Move `referral` by `action`: checks the side and the state, records the move, audits it."""
    m = MACHINE.machine()
    spec = m.transition(action)
    if spec is None:
        raise m.wording.unknown(referral.status, action)
    (side,) = spec.by
    actor.require(SIDES[side])
    if not on_side(actor, referral, side):
        raise NotFound(_("No such referral."))
    reason = (reason or "").strip() or None
    m.take(referral.status, action, side=side, reason=reason)
    target = spec.target
    if target is None:  # StatesFile refuses an action without `to`
        raise ValueError(f"states.yaml: {action} moves nowhere")
    before = referral.status
    record_move(
        session, actor=actor, referral=referral, action=action, target=target, reason=reason
    )
    referral.status = target
    referral.updated_at = utcnow()
    if side == "provider" and before == m.initial:
        referral.responded_at = referral.updated_at
    audit.record(
        session,
        actor=actor,
        action=f"referral.{action}",
        object_type="referral",
        object_id=referral.id,
        details={"case_id": str(referral.case_id), "from": before, "to": target},
    )
    return referral
