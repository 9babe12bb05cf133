"""The shape of a state-machine file (`core.states`): strict models whose every fault is a
validation error pinned to the file's line and field, and `bind`, which holds a file to what its
domain implements (its guards, its sides, its state enum).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, Literal, TypeVar

from pydantic import Field, PositiveInt, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from jusoor.core.datafiles import StrictModel

ANY_OPEN = "*"  # in `from`: every state that is not terminal


def fail(loc: tuple[str | int, ...], problem: str, found: Any = None) -> ValidationError:
    """A validation error pinned to `loc`, so the data-file loader names the line and field."""
    return ValidationError.from_exception_data(
        "machine",
        [
            InitErrorDetails(
                type=PydanticCustomError("machine", problem.replace("{", "{{")),
                loc=loc,
                input=found,
            )
        ],
    )


class StateSpec(StrictModel):
    initial: bool = False
    terminal: bool = False
    label: str | None = None  # the English msgid; the domain's labels module translates it
    rank: int | None = None  # for machines that only move forward (`Machine.ahead`)


class TransitionSpec(StrictModel):
    name: str
    event: str | None = None
    sources: list[str] = Field(alias="from", min_length=1)
    to: str | None = None
    by: list[str] = Field(min_length=1)
    reason: Literal["required", "optional", "none"] = "none"
    guards: tuple[str, ...] = ()
    deadline_days: PositiveInt | None = None

    @field_validator("sources", "by", mode="before")
    @classmethod
    def _one_or_several(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class MachineSpec(StrictModel):
    """A machine file: the checks every machine passes whatever its domain."""

    states: dict[str, StateSpec] = Field(min_length=1)
    transitions: list[TransitionSpec]

    @model_validator(mode="after")
    def _machine_is_consistent(self) -> MachineSpec:  # a subclass must not reuse this name
        initials = [name for name, state in self.states.items() if state.initial]
        if not initials:
            raise fail(("states",), "no state is marked initial")
        if len(initials) > 1:
            raise fail(("states", initials[1], "initial"), "a second initial state", initials[1])
        for name, state in self.states.items():
            if state.initial and state.terminal:
                raise fail(("states", name, "terminal"), "the initial state cannot be terminal")
        seen: dict[str, int] = {}
        for i, spec in enumerate(self.transitions):
            if spec.name in seen:
                raise fail(("transitions", i, "name"), "a second transition named so", spec.name)
            seen[spec.name] = i
            for j, source in enumerate(spec.sources):
                if source == ANY_OPEN:
                    continue
                if source not in self.states:
                    raise fail(("transitions", i, "from", j), "unknown state", source)
                if self.states[source].terminal:
                    raise fail(("transitions", i, "from", j), "a terminal state", source)
            if spec.to is not None and spec.to not in self.states:
                raise fail(("transitions", i, "to"), "unknown state", spec.to)
            for k, other in enumerate(self.transitions[:i]):
                same_event = (other.event or other.name) == (spec.event or spec.name)
                if same_event and set(other.by) & set(spec.by):
                    raise fail(
                        ("transitions", i, "by"),
                        f"the same event as transition {k} ({other.name}) for the same side",
                    )
        reached = self._reachable(initials[0])
        for name in self.states:
            if name not in reached:
                raise fail(("states", name), "unreachable from the initial state", name)
        return self

    def _reachable(self, initial: str) -> set[str]:
        reached, frontier = {initial}, [initial]
        while frontier:
            state = frontier.pop()
            for spec in self.transitions:
                opens = ANY_OPEN in spec.sources and not self.states[state].terminal
                if spec.to and spec.to not in reached and (state in spec.sources or opens):
                    reached.add(spec.to)
                    frontier.append(spec.to)
        return reached


Spec = TypeVar("Spec", bound=MachineSpec)


def bind(
    model: type[Spec],
    *,
    guards: Iterable[str] = (),
    sides: Iterable[str],
    states: type[enum.Enum] | None = None,
) -> type[Spec]:
    """`model` checked against what the domain implements: its guards, its sides, its states."""
    known_guards, known_sides = frozenset(guards), frozenset(sides)
    vocabulary = None if states is None else {str(m.value) for m in states}

    class Bound(model):  # type: ignore[valid-type,misc]
        @model_validator(mode="after")
        def _domain(self) -> Any:
            if vocabulary is not None:
                for name in self.states:
                    if name not in vocabulary:
                        raise fail(("states", name), "not a state this domain knows", name)
                missing = sorted(vocabulary - set(self.states))
                if missing:
                    raise fail(("states",), f"missing states {missing}")
            for i, spec in enumerate(self.transitions):
                for j, side in enumerate(spec.by):
                    if side not in known_sides:
                        raise fail(("transitions", i, "by", j), "unknown side", side)
                for j, guard in enumerate(spec.guards):
                    if guard not in known_guards:
                        raise fail(("transitions", i, "guards", j), "unknown guard", guard)
            return self

    Bound.__name__ = Bound.__qualname__ = model.__name__
    return Bound
