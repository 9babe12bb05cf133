"""The court track on the file page: the "Charges and judgments" and "Hearings" panels, and the
timeline's words for charges, judgments and hearings (codes only in the events: the defendant's
name is shown on the panel, from the entity, never written into the timeline)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.core.db import utcnow
from jusoor.core.i18n import N_, babel_locale, format_datetime, localize_digits
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.entities.models import Entity
from jusoor.investigations import access, offences
from jusoor.investigations.charges import CHARGING, charges_of
from jusoor.investigations.hearings import SITTING, hearings_of
from jusoor.investigations.judgments import (
    MAX_PRISON_MONTHS,
    STAGE_OF,
    currency_choices,
    default_currency,
    judgments_of,
)
from jusoor.investigations.labels import choices, label
from jusoor.investigations.models import Charge, Defendant, FileEvent, InvestigationFile, Judgment
from jusoor.investigations.vocabulary import (
    ChargeStatus,
    DefendantRole,
    HearingKind,
    Instance,
    Stage,
    Verdict,
)


def _offence_words(country: str, offence_id: str) -> str:
    found = offences.offence(country, offence_id)
    return found.label if found else offence_id


def sentence(judgment: Judgment) -> str:
    """A conviction's sentence in words ("" for an acquittal or a conviction without one)."""
    parts: list[str] = []
    if judgment.prison_months is not None:
        parts.append(_("%(months)s months in prison", months=judgment.prison_months))
    if judgment.fine_amount is not None and judgment.fine_currency:
        amount = format_currency(
            Decimal(judgment.fine_amount), judgment.fine_currency, locale=babel_locale()
        )
        parts.append(_("fine of %(amount)s", amount=localize_digits(amount)))
    if judgment.confiscation:
        parts.append(_("confiscation ordered"))
    return "; ".join(parts)


@dataclass
class ChargeLine:
    charge: Charge
    offence: offences.Offence | None
    judgments: dict[str, Judgment] = field(default_factory=dict)  # by instance

    @property
    def words(self) -> str:
        return self.offence.label if self.offence else self.charge.offence

    def awaits(self, instance: Instance) -> bool:
        """Whether the charge still needs a judgment at `instance` (an appeal only after the
        first-instance one)."""
        if self.charge.status is not ChargeStatus.charged or instance.value in self.judgments:
            return False
        return (
            instance is Instance.first_instance or Instance.first_instance.value in self.judgments
        )

    @property
    def withdrawable(self) -> bool:
        return (
            self.charge.status is ChargeStatus.charged
            and Instance.first_instance.value not in self.judgments
        )


@dataclass
class DefendantLine:
    defendant: Defendant
    caption: str
    charges: list[ChargeLine] = field(default_factory=list)


def _captions(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = session.execute(select(Entity.id, Entity.caption).where(Entity.id.in_(ids))).all()
    return {row[0]: row[1] for row in rows}


def charges_panel(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    """Per defendant: role, charges (law and article in words), judgments and sentences; the
    forms to charge and to judge, for the public prosecution, at the stage they belong to."""
    defendants = list(
        session.scalars(
            select(Defendant)
            .where(Defendant.file_id == file.id)
            .order_by(Defendant.created_at, Defendant.id)
        )
    )
    captions = _captions(session, [d.entity_id for d in defendants])
    lines = {d.id: DefendantLine(d, captions.get(d.entity_id, "—")) for d in defendants}
    by_charge: dict[uuid.UUID, ChargeLine] = {}
    for charge in charges_of(session, file):
        line = ChargeLine(charge, offences.offence(file.country, charge.offence))
        by_charge[charge.id] = line
        if charge.defendant_id in lines:
            lines[charge.defendant_id].charges.append(line)
    for judgment in judgments_of(session, file):
        if judgment.charge_id in by_charge:
            by_charge[judgment.charge_id].judgments[judgment.instance.value] = judgment
    prosecution = access.may_prosecute(actor, file)
    instance = next((i for i, s in STAGE_OF.items() if s is file.stage), None)
    judgeable = [
        (str(line.charge.id), f"{lines[line.charge.defendant_id].caption} — {line.words}")
        for line in by_charge.values()
        if instance is not None and line.charge.defendant_id in lines and line.awaits(instance)
    ]
    law = offences.offences(file.country)
    return {
        "visible": True,
        "title": _("Charges and judgments"),
        "count": len(by_charge),
        "defendants": list(lines.values()),
        "may_charge": prosecution and file.stage in CHARGING and bool(defendants),
        "may_withdraw": prosecution and file.stage in CHARGING,
        "amending": file.stage is Stage.trial,
        "may_judge": prosecution and instance is not None and bool(judgeable),
        "instance": instance,
        "judgeable": judgeable,
        "offences": law,
        "unchecked": [o for o in law if not o.checked],
        "defendant_choices": [(str(d.id), lines[d.id].caption) for d in defendants],
        "verdict_choices": choices(Verdict),
        "currency_choices": currency_choices(file.country),
        "default_currency": default_currency(file.country),
        "max_months": MAX_PRISON_MONTHS,
        "today": dt.date.today().isoformat(),
        "role": lambda code: label(DefendantRole, code),
        "sentence": sentence,
    }


def hearings_panel(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    """Upcoming hearings first (soonest first), then past ones with what happened (latest first);
    the forms to schedule and to record an outcome for the public prosecution."""
    now = utcnow()
    every = list(hearings_of(session, file))
    upcoming = [h for h in every if h.held is None and h.scheduled_at >= now]
    past = sorted(
        (h for h in every if h not in upcoming), key=lambda h: h.scheduled_at, reverse=True
    )
    prosecution = access.may_prosecute(actor, file)
    kinds = [
        (code, words)
        for code, words in choices(HearingKind)
        if (code == HearingKind.appeal.value) == (file.stage is Stage.appeal)
    ]
    return {
        "visible": True,
        "title": _("Hearings"),
        "count": len(every),
        "upcoming": upcoming,
        "past": past,
        "may_schedule": prosecution and file.stage in SITTING,
        "may_record": prosecution and file.stage.value not in ("final", "closed", "no_charge"),
        "kind_choices": kinds,
        "kind": lambda code: label(HearingKind, code),
    }


def _word_charge(event: FileEvent) -> str:
    d = event.details
    words = _offence_words(str(d.get("country", "")), str(d.get("offence", "")))
    if d.get("amended"):
        return _("%(offence)s (amended indictment, at trial)", offence=words)
    return words


def _word_withdrawn(event: FileEvent) -> str:
    d = event.details
    return _offence_words(str(d.get("country", "")), str(d.get("offence", "")))


def _word_judgment(event: FileEvent) -> str:
    d = event.details
    return _(
        "%(instance)s · %(offence)s: %(verdict)s",
        instance=label(Instance, str(d.get("instance", ""))),
        offence=_offence_words(str(d.get("country", "")), str(d.get("offence", ""))),
        verdict=label(Verdict, str(d.get("verdict", ""))),
    )


def _word_hearing(event: FileEvent) -> str:
    kind = label(HearingKind, str(event.details.get("kind", "")))
    try:
        at = dt.datetime.fromisoformat(str(event.details.get("at", "")))
    except ValueError:
        return kind
    return _("%(kind)s, %(when)s", kind=kind, when=format_datetime(at))


def _word_outcome(event: FileEvent) -> str:
    kind = label(HearingKind, str(event.details.get("kind", "")))
    if event.details.get("held"):
        return _("%(kind)s: held", kind=kind)
    return _("%(kind)s: adjourned", kind=kind)


TIMELINE_KINDS = {
    "charge": N_("Charge brought"),
    "charge_withdrawn": N_("Charge withdrawn"),
    "judgment": N_("Judgment recorded"),
    "hearing": N_("Hearing scheduled"),
    "hearing_outcome": N_("Hearing recorded"),
}
TIMELINE_DETAILS = {
    "charge": _word_charge,
    "charge_withdrawn": _word_withdrawn,
    "judgment": _word_judgment,
    "hearing": _word_hearing,
    "hearing_outcome": _word_outcome,
}
