"""One state machine for every workflow (NRM case stages, referrals, exchange threads, and the
investigation and action-plan workflows to come), stated in a YAML file read through
`core.datafiles`.

A machine file names its states (one `initial`, any number `terminal`, an optional `label` msgid
and `rank`) and its transitions: `name`, `from` (one state, several, or "*" for every state that is
not terminal), `to` (absent: the event is accepted and the state stays), `by` (the sides or roles
allowed to take it: plain strings the owning domain interprets, e.g. "provider", "case_team"),
`reason` (required | optional | none), `guards` (names of functions the domain registers), and
`deadline_days` (a delay that starts when the target state is entered). `event` lets two
transitions answer one event, one per side (an exchange reply moves the request only when the
requested side sends it).

The domain declares its file with `machine_file(...)`, giving the guards it implements, the sides
it knows, optionally the enum its states must match, and its `Wording`: the exact refusals it shows
(each domain keeps its own messages). Every inconsistency (unknown state, unreachable state, two
initial states, a duplicate name, an unknown guard or side) is a one-line `DataFileError` naming the
file, line and field, raised at start-up by `datafiles.check_all()` (the models and those checks
are in `core.state_files`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Generic, Protocol, TypeVar

from jusoor.core.datafiles import DataFile, declare, parse
from jusoor.core.state_files import ANY_OPEN, MachineSpec, Spec, bind

Context = TypeVar("Context")
Moment = TypeVar("Moment", dt.date, dt.datetime)
# A guard returns None when the transition may go ahead, else the (translated) reason it may not.
Guard = Callable[[Context], str | None]


@dataclass(frozen=True)
class State:
    name: str
    initial: bool
    terminal: bool
    label: str | None
    rank: int | None


@dataclass(frozen=True)
class Transition:
    name: str
    event: str
    sources: frozenset[str]
    target: str | None
    by: frozenset[str]
    reason: str
    guards: tuple[str, ...]
    deadline_days: int | None

    @property
    def reason_required(self) -> bool:
        return self.reason == "required"

    def deadline(self, entered: Moment) -> Moment | None:
        """When the target state's deadline falls, counted from when it is entered."""
        if self.deadline_days is None:
            return None
        return entered + dt.timedelta(days=self.deadline_days)


class Wording(Protocol):
    """How a domain words each refusal (its own messages, unchanged by the move to this module)."""

    def closed(self, state: str, name: str) -> Exception:
        """The state is terminal: nothing can be taken from it."""

    def unknown(self, state: str, name: str) -> Exception:
        """No transition answers this name."""

    def wrong_side(self, state: str, transition: Transition, side: str) -> Exception:
        """The transition exists, but not for this side."""

    def not_from(self, state: str, transition: Transition) -> Exception:
        """The transition cannot be taken from this state."""

    def no_reason(self, transition: Transition) -> Exception:
        """The transition needs a reason and none was given."""

    def refused(self, transition: Transition, problem: str) -> Exception:
        """A guard refused, saying why."""


@dataclass(frozen=True)
class Machine(Generic[Context]):
    states: dict[str, State]
    transitions: tuple[Transition, ...]
    wording: Wording
    guards: Mapping[str, Guard[Context]] = field(default_factory=dict)

    @property
    def initial(self) -> str:
        return next(s.name for s in self.states.values() if s.initial)

    @property
    def terminal(self) -> frozenset[str]:
        return frozenset(s.name for s in self.states.values() if s.terminal)

    def transition(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    def allowed(
        self, state: str, side: str | None = None, context: Context | None = None
    ) -> list[Transition]:
        """The transitions open from `state` to `side` (any side when None), in file order.

        Guards are consulted only when a `context` is given: a page that lists the moves offers
        them all and lets the guard explain its refusal.
        """
        return [
            t
            for t in self.transitions
            if state in t.sources
            and (side is None or side in t.by)
            and (context is None or self._blocked(t, context) is None)
        ]

    def check(
        self, state: str, name: str, *, side: str, context: Context | None = None
    ) -> Transition:
        """The transition that `name` (a transition or event name) takes for `side` from `state`.

        Refuses, in this order: a terminal state, an unknown name, the wrong side, the wrong state,
        then each guard (with `context`).
        """
        if state in self.terminal:
            raise self.wording.closed(state, name)
        answering = [t for t in self.transitions if t.event == name]
        if not answering:
            raise self.wording.unknown(state, name)
        chosen = next((t for t in answering if side in t.by), None)
        if chosen is None:
            raise self.wording.wrong_side(state, answering[0], side)
        if state not in chosen.sources:
            raise self.wording.not_from(state, chosen)
        if context is not None:
            problem = self._blocked(chosen, context)
            if problem:
                raise self.wording.refused(chosen, problem)
        return chosen

    def take(
        self,
        state: str,
        name: str,
        *,
        side: str,
        reason: str | None = None,
        context: Context | None = None,
    ) -> Transition:
        """`check`, then refuse a missing reason the transition requires."""
        chosen = self.check(state, name, side=side, context=context)
        if chosen.reason_required and not (reason or "").strip():
            raise self.wording.no_reason(chosen)
        return chosen

    def ahead(self, current: str, target: str) -> bool:
        """For forward-only machines: whether `target` may replace `current`.

        Never out of a terminal state; always into one; otherwise only to a higher rank (a state
        without a rank counts as 0), so a late delivery receipt does not undo an answer.
        """
        if current in self.terminal:
            return False
        if target in self.terminal:
            return True
        return self._rank(target) > self._rank(current)

    def _rank(self, state: str) -> int:
        known = self.states.get(state)
        return (known.rank or 0) if known is not None else 0

    def _blocked(self, transition: Transition, context: Context) -> str | None:
        for name in transition.guards:
            problem = self.guards[name](context)
            if problem:
                return problem
        return None


def build(spec: MachineSpec, *, wording: Wording, guards: Mapping[str, Guard[Any]]) -> Machine[Any]:
    """The runtime machine of a validated file ("*" expanded to the open states)."""
    states = {
        name: State(name, s.initial, s.terminal, s.label, s.rank) for name, s in spec.states.items()
    }
    open_states = frozenset(name for name, s in states.items() if not s.terminal)
    transitions = tuple(
        Transition(
            name=t.name,
            event=t.event or t.name,
            sources=frozenset(open_states if ANY_OPEN in t.sources else t.sources),
            target=t.to,
            by=frozenset(t.by),
            reason=t.reason,
            guards=tuple(t.guards),
            deadline_days=t.deadline_days,
        )
        for t in spec.transitions
    )
    return Machine(states=states, transitions=transitions, wording=wording, guards=dict(guards))


@dataclass(frozen=True, eq=False)  # hashed by identity: one cached machine per file
class MachineFile(Generic[Spec, Context]):
    """A domain's machine file, its model (bound to the domain's names) and its runtime."""

    data_file: DataFile[Spec]
    wording: Wording
    guards: Mapping[str, Guard[Context]]

    def spec(self) -> Spec:
        return self.data_file.load()

    def machine(self) -> Machine[Context]:
        return _machine(self)

    def parse(self, text: str, *, name: str = "<text>") -> Machine[Context]:
        """A machine from YAML text (tests, a country's variant); a `DataFileError` if broken."""
        spec = parse(self.data_file.model, text, name=name)
        return build(spec, wording=self.wording, guards=self.guards)


@cache
def _machine(machine_file: MachineFile[Any, Any]) -> Machine[Any]:
    return build(machine_file.spec(), wording=machine_file.wording, guards=machine_file.guards)


def machine_file(
    package: str,
    filename: str,
    *,
    wording: Wording,
    sides: Iterable[str],
    guards: Mapping[str, Guard[Context]] | None = None,
    states: type[enum.Enum] | None = None,
    model: type[Spec] = MachineSpec,  # type: ignore[assignment]
) -> MachineFile[Spec, Context]:
    """Declare a domain's machine file (checked at start-up with every other data file)."""
    guards = dict(guards or {})
    bound = bind(model, guards=guards, sides=sides, states=states)
    return MachineFile(declare(package, filename, bound), wording, guards)
