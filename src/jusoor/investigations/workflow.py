"""The file's stages as data (`stages.yaml`) and the guards that keep a stage from being skipped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, object_session

from jusoor.core import state_files, states
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.investigations.labels import stage_label
from jusoor.investigations.models import Charge, Defendant, InvestigationFile, Judgment
from jusoor.investigations.vocabulary import ChargeStatus, Instance, Stage

SIDES = ("investigator", "prosecutor")


def _session(file: InvestigationFile) -> Session:
    session = object_session(file)
    if session is None:  # a guard always runs on a loaded file
        raise RuntimeError("the file is not attached to a session")
    return session


def _count(file: InvestigationFile, query: Select[Any]) -> int:
    return int(_session(file).scalar(query) or 0)


def _standing_charges(file: InvestigationFile) -> int:
    return _count(
        file,
        select(func.count(Charge.id)).where(
            Charge.file_id == file.id, Charge.status == ChargeStatus.charged
        ),
    )


def _judged(file: InvestigationFile, instance: Instance) -> int:
    return _count(
        file,
        select(func.count(Judgment.id))
        .join(Charge, Charge.id == Judgment.charge_id)
        .where(
            Judgment.file_id == file.id,
            Judgment.instance == instance,
            Charge.status == ChargeStatus.charged,
        ),
    )


def _has_defendant(file: InvestigationFile) -> str | None:
    count = _count(file, select(func.count(Defendant.id)).where(Defendant.file_id == file.id))
    if count == 0:
        return _("Add at least one suspect before sending the file to the prosecution.")
    return None


def _has_charge(file: InvestigationFile) -> str | None:
    if _standing_charges(file) == 0:
        return _("Record at least one charge before sending the file to trial.")
    return None


def _has_court(file: InvestigationFile) -> str | None:
    if not (file.court or "").strip():
        return _("Name the court before sending the file to trial.")
    return None


def _every_charge_judged_first_instance(file: InvestigationFile) -> str | None:
    missing = _standing_charges(file) - _judged(file, Instance.first_instance)
    if missing > 0:
        return _(
            "%(count)s charge(s) have no first-instance judgment yet: record a judgment for "
            "every defendant and charge first.",
            count=missing,
        )
    return None


def _every_appeal_judged(file: InvestigationFile) -> str | None:
    if file.stage is not Stage.appeal:
        return None
    if _judged(file, Instance.appeal) == 0:
        return _("Record the appeal court's judgment before marking the judgment final.")
    return None


GUARDS: dict[str, Callable[[InvestigationFile], str | None]] = {
    "has_defendant": _has_defendant,
    "has_charge": _has_charge,
    "has_court": _has_court,
    "every_charge_judged_first_instance": _every_charge_judged_first_instance,
    "every_appeal_judged": _every_appeal_judged,
}


class FileWording:
    """The refusals of the file's stage moves, naming the field (`stage`) and the problem."""

    def closed(self, state: str, name: str) -> Exception:
        return Invalid(
            "stage",
            _("The file is %(stage)s: its stage can no longer change.", stage=stage_label(state)),
        )

    def unknown(self, state: str, name: str) -> Exception:
        return Invalid(
            "stage",
            _(
                "A file at %(current)s cannot move to %(target)s.",
                current=stage_label(state),
                target=stage_label(name),
            ),
        )

    def wrong_side(self, state: str, transition: states.Transition, side: str) -> Exception:
        return Invalid(
            "stage",
            _(
                "Only the public prosecution can move a file to %(target)s.",
                target=stage_label(transition.target or transition.name),
            )
            if side == "investigator"
            else _(
                "Only the investigators can move a file to %(target)s.",
                target=stage_label(transition.target or transition.name),
            ),
        )

    def not_from(self, state: str, transition: states.Transition) -> Exception:
        return self.unknown(state, transition.target or transition.name)

    def no_reason(self, transition: states.Transition) -> Exception:
        return Invalid("reason", _("Give the reason for this decision."))

    def refused(self, transition: states.Transition, problem: str) -> Exception:
        return Invalid("stage", problem)


MACHINE: states.MachineFile[state_files.MachineSpec, InvestigationFile] = states.machine_file(
    "jusoor.investigations",
    "stages.yaml",
    wording=FileWording(),
    sides=SIDES,
    guards=GUARDS,
    states=Stage,
)


def machine() -> states.Machine[InvestigationFile]:
    return MACHINE.machine()
