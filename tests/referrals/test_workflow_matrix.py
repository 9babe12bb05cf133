"""The referral machine answers exactly as it did before it moved onto `core.states`.

`workflow_matrix.json` was computed from the previous `referrals/workflow.py` (named actions with
side and reason) and frozen: the actions offered per (state, side), the state sets, the deadlines,
and for every (state, action, acting side, reason given or not) the move made or the exact refusal.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from jusoor.core.errors import DomainError
from jusoor.core.permissions import Actor
from jusoor.referrals import workflow
from jusoor.referrals.models import Transition

FROZEN = Path(__file__).with_name("workflow_matrix.json")
FROM_AGENCY, TO_AGENCY = uuid.uuid4(), uuid.uuid4()
ACTORS = {
    "referrer": Actor(uuid.uuid4(), "cw", FROM_AGENCY, "MA", frozenset({"case_worker"})),
    "provider": Actor(uuid.uuid4(), "sp", TO_AGENCY, "MA", frozenset({"service_provider"})),
    "other provider": Actor(
        uuid.uuid4(), "sp2", uuid.uuid4(), "MA", frozenset({"service_provider"})
    ),
}


class Reached(Exception):
    """Raised in place of recording the move: every check before it has passed."""


def _reached(session: Any, **kwargs: Any) -> None:
    raise Reached(kwargs["target"])


def compute(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr(workflow, "record_move", _reached)
    m = workflow.machine()
    out: dict[str, Any] = {
        "initial": m.initial,
        "states": list(m.states),
        "open": sorted(m.open),
        "access": sorted(m.access),
        "delivery": sorted(m.delivery),
        "deadline_days": {str(k): v for k, v in m.deadline_days.items()},
    }
    for status in m.states:
        for side in (None, "provider", "referrer"):
            offered = m.allowed(status, side)
            out[f"offered {status} {side}"] = [
                [a.name, a.target, *sorted(a.by), a.reason_required] for a in offered
            ]
        for action in (*m.actions, "shred"):
            for who, actor in ACTORS.items():
                for reason in ("", "Because."):
                    referral = Transition(
                        id=uuid.uuid4(),
                        case_id=uuid.uuid4(),
                        status=status,
                        from_agency_id=FROM_AGENCY,
                        to_agency_id=TO_AGENCY,
                        country="MA",
                    )
                    try:
                        workflow.transition(
                            None,  # type: ignore[arg-type]  # never reached: record_move raises
                            actor=actor,
                            referral=referral,
                            action=action,
                            reason=reason,
                        )
                        outcome: Any = "recorded without a move"
                    except Reached as reached:
                        outcome = ["moves to", str(reached)]
                    except DomainError as refused:
                        outcome = [type(refused).__name__, refused.field, refused.message]
                    out[f"{status} {action} by {who} reason={bool(reason)}"] = outcome
    return out


def test_the_referral_matrix_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    assert compute(monkeypatch) == json.loads(FROZEN.read_text("utf-8"))


def test_the_machine_labels_are_the_status_labels() -> None:
    from jusoor.referrals.labels import status_label

    for name, state in workflow.MACHINE.machine().states.items():
        assert state.label == status_label(name)  # English: the label is its own msgid
