"""The one state machine: each fault in a machine file is one line naming file, line and field;
sides, reasons, guards, deadlines, events answered per side, and forward-only ranks."""

from __future__ import annotations

import datetime as dt

import pytest

from jusoor.core import state_files, states
from jusoor.core.datafiles import DataFileError, parse
from jusoor.core.errors import Conflict, Forbidden, Invalid

MACHINE = """\
states:
  draft: {initial: true, label: Draft, rank: 0}
  sent: {rank: 1}
  answered: {rank: 2}
  closed: {terminal: true}
transitions:
  - name: send
    from: draft
    to: sent
    by: [author]
  - name: answer
    event: reply
    from: [sent]
    to: answered
    by: [reader]
    guards: [has_text]
    deadline_days: 10
  - name: add
    event: reply
    from: [sent, answered]
    by: [author]
  - name: close
    from: "*"
    to: closed
    by: [author, reader]
    reason: required
"""


class Wording:
    def closed(self, state: str, name: str) -> Exception:
        return Conflict(f"{state} is closed")

    def unknown(self, state: str, name: str) -> Exception:
        return Invalid("action", f"no {name}")

    def wrong_side(self, state: str, transition: states.Transition, side: str) -> Exception:
        return Forbidden(f"not {side}")

    def not_from(self, state: str, transition: states.Transition) -> Exception:
        return Conflict(f"not {transition.name} from {state}")

    def no_reason(self, transition: states.Transition) -> Exception:
        return Invalid("reason", "why?")

    def refused(self, transition: states.Transition, problem: str) -> Exception:
        return Invalid("guard", problem)


def has_text(context: dict[str, str]) -> str | None:
    return None if context.get("text") else "empty"


MODEL = state_files.bind(state_files.MachineSpec, guards={"has_text"}, sides={"author", "reader"})


def machine(text: str = MACHINE) -> states.Machine[dict[str, str]]:
    spec = parse(MODEL, text, name="demo.yaml")
    return states.build(spec, wording=Wording(), guards={"has_text": has_text})


def test_a_machine_file_loads_with_star_expanded_to_the_open_states() -> None:
    m = machine()
    assert m.initial == "draft"
    assert m.terminal == {"closed"}
    assert m.states["draft"].label == "Draft"
    close = m.transition("close")
    assert close is not None and close.sources == {"draft", "sent", "answered"}


def test_allowed_follows_side_and_file_order_and_consults_guards_only_with_a_context() -> None:
    m = machine()
    assert [t.name for t in m.allowed("sent")] == ["answer", "add", "close"]
    assert [t.name for t in m.allowed("sent", "author")] == ["add", "close"]
    assert [t.name for t in m.allowed("sent", "reader")] == ["answer", "close"]
    assert [t.name for t in m.allowed("sent", "reader", {"text": ""})] == ["close"]
    assert m.allowed("closed") == []


def test_one_event_answers_each_side_with_its_own_transition() -> None:
    m = machine()
    assert m.take("sent", "reply", side="reader", context={"text": "x"}).target == "answered"
    added = m.take("sent", "reply", side="author")
    assert (added.name, added.target) == ("add", None)


@pytest.mark.parametrize(
    ("state", "name", "side", "reason", "refusal"),
    [
        ("closed", "reply", "author", None, (Conflict, "closed is closed")),
        ("sent", "shred", "author", None, (Invalid, "no shred")),
        ("draft", "send", "reader", None, (Forbidden, "not reader")),
        ("draft", "reply", "author", None, (Conflict, "not add from draft")),
        ("sent", "close", "reader", "  ", (Invalid, "why?")),
        ("sent", "reply", "reader", None, (Invalid, "empty")),
    ],
)
def test_each_refusal_comes_from_the_domains_wording(
    state: str, name: str, side: str, reason: str | None, refusal: tuple[type, str]
) -> None:
    with pytest.raises(refusal[0]) as refused:
        machine().take(state, name, side=side, reason=reason, context={"text": ""})
    assert refused.value.message == refusal[1]


def test_a_terminal_state_refuses_before_anything_else() -> None:
    with pytest.raises(Conflict, match="closed is closed"):
        machine().take("closed", "no such thing", side="nobody")


def test_a_reason_is_checked_only_where_required() -> None:
    m = machine()
    assert m.take("sent", "close", side="author", reason="duplicate").name == "close"
    assert m.take("draft", "send", side="author").name == "send"


def test_a_deadline_counts_from_entering_the_target_state() -> None:
    answer = machine().transition("answer")
    assert answer is not None
    assert answer.deadline(dt.date(2026, 1, 25)) == dt.date(2026, 2, 4)
    start = dt.datetime(2026, 1, 25, 9, tzinfo=dt.UTC)
    assert answer.deadline(start) == start + dt.timedelta(days=10)
    send = machine().transition("send")
    assert send is not None and send.deadline(dt.date(2026, 1, 25)) is None


def test_a_forward_only_machine_never_goes_back_nor_leaves_a_terminal_state() -> None:
    m = machine()
    assert m.ahead("draft", "answered") and not m.ahead("answered", "sent")
    assert not m.ahead("sent", "sent")
    assert m.ahead("answered", "closed") and not m.ahead("closed", "answered")


def _edited(old: str, new: str) -> str:
    assert old in MACHINE, old
    return MACHINE.replace(old, new, 1)


BROKEN: list[tuple[str, str, str]] = [
    # (edit, line, field and problem named)
    (_edited("to: answered", "to: limbo"), "line 14", "transitions.1.to: unknown state"),
    (_edited("from: [sent, answered]", "from: [sent, heaven]"), "line 20", "transitions.2.from.1"),
    (_edited("{rank: 1}", "{rank: 1, initial: true}"), "line 3", "states.sent.initial"),
    (_edited("{initial: true, label: Draft, rank: 0}", "{rank: 0}"), "line 2", "no state is"),
    (_edited("name: add", "name: answer"), "line 18", "transitions.2.name: a second"),
    (_edited("guards: [has_text]", "guards: [coin_toss]"), "line 16", "unknown guard"),
    (_edited("by: [author, reader]", "by: [author, judge]"), "line 25", "unknown side"),
    (_edited("by: [author]\n  - name: close", "by: [reader]\n  - name: close"), "line 21", "same"),
    (_edited("  closed: {terminal", "  limbo: {}\n  closed: {terminal"), "line 5", "unreachable"),
    (_edited("deadline_days: 10", "deadline_days: 0"), "line 17", "greater than 0"),
    (_edited("reason: required", "reason: maybe"), "line 26", "transitions.3.reason"),
    (_edited("    from: draft\n", "    from: closed\n"), "line 8", "a terminal state"),
    (_edited("    by: [author]\n  - name: answer", "    by: []\n  - name: answer"), "line 10", ""),
    (_edited("  - name: send", "  - name: send\n    colour: blue"), "line 8", "colour: Extra"),
]


@pytest.mark.parametrize(("text", "line", "named"), BROKEN)
def test_each_fault_is_one_line_naming_file_line_and_field(
    text: str, line: str, named: str
) -> None:
    with pytest.raises(DataFileError) as broken:
        machine(text)
    message = broken.value.message
    assert "\n" not in message
    assert message.startswith(f"demo.yaml, {line}: ")
    assert named in message


def test_a_domain_enum_must_match_the_states_exactly() -> None:
    import enum

    class Kind(enum.StrEnum):
        draft = "draft"
        sent = "sent"
        answered = "answered"
        closed = "closed"
        lost = "lost"

    model = state_files.bind(
        state_files.MachineSpec, guards={"has_text"}, sides={"author", "reader"}, states=Kind
    )
    with pytest.raises(
        DataFileError, match=r"demo\.yaml, line 2: states: missing states \['lost'\]"
    ):
        parse(model, MACHINE, name="demo.yaml")
    text = MACHINE.replace("answered", "gone")
    with pytest.raises(DataFileError, match=r"line 4: states\.gone: not a state this domain knows"):
        parse(model, text, name="demo.yaml")
