"""The referral state machine as data (`states.yaml`) and the one `transition()` that moves it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import Field, model_validator
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.datafiles import StrictModel, declare
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope
from jusoor.referrals.labels import action_label, status_label
from jusoor.referrals.models import ServiceKind, Transition, TransitionMove

SIDES = {"provider": "referrals.respond", "referrer": "referrals.create"}


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset[str]
    target: str
    side: str
    reason_required: bool


@dataclass(frozen=True)
class Machine:
    initial: str
    states: tuple[str, ...]
    open: frozenset[str]
    access: frozenset[str]
    delivery: frozenset[str]
    actions: dict[str, Action]
    deadline_days: dict[ServiceKind, int]

    def allowed(self, status: str, side: str | None = None) -> list[Action]:
        """The actions possible from `status` (for one side, or both)."""
        return [a for a in self.actions.values() if status in a.sources and side in (None, a.side)]


class ActionSpec(StrictModel):
    sources: list[str] = Field(alias="from")
    to: str
    side: Literal["provider", "referrer"]
    reason: Literal["required", "optional"]


class StatesFile(StrictModel):
    """`states.yaml`: every state named is declared, every kind has a positive deadline."""

    initial: str
    states: tuple[str, ...]
    open: list[str]
    access: list[str]
    delivery: list[str]
    actions: dict[str, ActionSpec]
    deadline_days: dict[ServiceKind, int]

    @model_validator(mode="after")
    def _consistent(self) -> StatesFile:
        known = set(self.states)
        named = {"initial": [self.initial], "open": self.open, "access": self.access}
        named["delivery"] = self.delivery
        named.update({n: [*a.sources, a.to] for n, a in self.actions.items()})
        for where, names in named.items():
            unknown = set(names) - known
            if unknown:
                raise ValueError(f"states.yaml: unknown states {sorted(unknown)} in {where}")
        days = self.deadline_days
        if set(days) != set(ServiceKind) or any(n < 1 for n in days.values()):
            raise ValueError("states.yaml: deadline_days needs a positive delay for every kind")
        return self

    def machine(self) -> Machine:
        return Machine(
            initial=self.initial,
            states=self.states,
            open=frozenset(self.open),
            access=frozenset(self.access),
            delivery=frozenset(self.delivery),
            actions={
                name: Action(
                    name=name,
                    sources=frozenset(spec.sources),
                    target=spec.to,
                    side=spec.side,
                    reason_required=spec.reason == "required",
                )
                for name, spec in self.actions.items()
            },
            deadline_days=dict(self.deadline_days),
        )


STATES_FILE = declare("jusoor.referrals", "states.yaml", StatesFile)


def parse_machine(data: dict[str, Any]) -> Machine:
    """Validate `states.yaml` data (a ValueError when broken) into the machine."""
    return StatesFile.model_validate(data).machine()


@cache
def machine() -> Machine:
    return STATES_FILE.load().machine()


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
    spec = machine().actions.get(action)
    if spec is None:
        raise Invalid(
            "action", _("Choose one of: %(choices)s.", choices=", ".join(machine().actions))
        )
    actor.require(SIDES[spec.side])
    if not on_side(actor, referral, spec.side):
        raise NotFound(_("No such referral."))
    if referral.status not in spec.sources:
        raise Conflict(
            _(
                "A referral that is %(status)s cannot be moved by %(action)s.",
                status=status_label(referral.status),
                action=action_label(action),
            ),
            field="action",
        )
    reason = (reason or "").strip() or None
    if spec.reason_required and reason is None:
        raise Invalid("reason", _("Give the reason: the other agency will read it."))
    before = referral.status
    record_move(
        session, actor=actor, referral=referral, action=action, target=spec.target, reason=reason
    )
    referral.status = spec.target
    referral.updated_at = utcnow()
    if spec.side == "provider" and before == machine().initial:
        referral.responded_at = referral.updated_at
    audit.record(
        session,
        actor=actor,
        action=f"referral.{action}",
        object_type="referral",
        object_id=referral.id,
        details={"case_id": str(referral.case_id), "from": before, "to": spec.target},
    )
    return referral
