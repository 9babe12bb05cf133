"""The NRM stage machine answers exactly as it did before it moved onto `core.states`.

`workflow_matrix.json` was computed from the previous `cases/workflow.py` (from->to table with
guards) and frozen: for every stage, the stages offered next, and for every (stage, target, adult or
child without a best-interests determination) the move allowed or the exact refusal.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from jusoor.cases import workflow
from jusoor.cases.models import Case
from jusoor.cases.vocabulary import Stage
from jusoor.core.errors import Invalid

FROZEN = Path(__file__).with_name("workflow_matrix.json")


def compute() -> dict[str, Any]:
    out: dict[str, Any] = {"initial": workflow.machine().initial.value}
    for source in Stage:
        out[f"next {source.value}"] = [s.value for s in workflow.machine().allowed(source)]
        for target in Stage:
            for child in (False, True):
                case = Case(stage=source, country="MA", is_child=child)
                try:
                    workflow.check_move(case, target)
                    outcome: Any = "ok"
                except Invalid as refused:
                    outcome = [refused.field, refused.message]
                out[f"{source.value} -> {target.value} child={child}"] = outcome
    start = dt.date(2026, 1, 31)
    out["reflection ends"] = workflow.reflection_end(Case(country="MA"), start).isoformat()
    return out


def test_the_stage_matrix_is_unchanged() -> None:
    assert compute() == json.loads(FROZEN.read_text("utf-8"))


def test_the_machine_labels_are_the_stage_labels() -> None:
    from jusoor.cases.labels import stage_label

    for name, state in workflow.MACHINE.machine().states.items():
        assert state.label == stage_label(name)  # English: the label is its own msgid
