"""The timeline of a demo file beyond its stage moves: for every object the demo wrote, the event
the service would have written when it was recorded (same kind, same detail keys and values,
codes and references only, never a name), signed by the side that records it and dated on the
object's own day, in order with the stage moves (a charge between the prosecution's decision and
the trial, a judgment before the move to the judgment, ...), and never after now."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from jusoor.cases.models import Case
from jusoor.cases.timeline import record_event
from jusoor.core.db import utcnow
from jusoor.core.ids import uuid7
from jusoor.core.permissions import Actor
from jusoor.investigations.models import (
    Asset,
    Custody,
    Exhibit,
    FileEvent,
    Hearing,
    Instrument,
    InvestigationFile,
    Judgment,
    VictimLink,
    WitnessProtection,
)
from jusoor.investigations.vocabulary import (
    AssetKind,
    AssetStatus,
    ChargeStatus,
    HearingKind,
    Instance,
    InstrumentStatus,
    Stage,
)
from jusoor.investigations.witnesses import CASE_LINKED, CASE_PROTECTION
from jusoor.synth.investigations.draft import Draft

S = Stage
_MINUTE = dt.timedelta(minutes=1)
_NOON = dt.time(12, tzinfo=dt.UTC)


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, _NOON)


def _moment(
    draft: Draft, natural: dt.datetime, *, after: Stage | None = None, before: Stage | None = None
) -> dt.datetime:
    """`natural`, moved after the move into `after` and before the move into `before` (when the
    file made them: the service would have refused the object otherwise), and not after now."""
    plan = draft.schedule
    low = max(plan.opened, plan.when(after) or plan.opened) if after else plan.opened
    moment = max(natural, low + _MINUTE)
    end = plan.when(before) if before else None
    if end is not None:
        moment = min(moment, end - _MINUTE)
    return min(moment, utcnow() - _MINUTE)


def _add(
    draft: Draft,
    kind: str,
    at: dt.datetime,
    by: uuid.UUID,
    details: dict[str, object],
    reason: str | None = None,
) -> None:
    draft.session.add(
        FileEvent(
            id=uuid7(),
            file_id=draft.file.id,
            kind=kind,
            details=details,
            reason=reason,
            by_id=by,
            at=at,
        )
    )
    touch(draft.file, at)


def touch(file: InvestigationFile, at: dt.datetime) -> None:
    """The file was last updated by its latest event, as `service.add_event` keeps it (the
    lists order files by it)."""
    file.updated_at = max(file.updated_at, at)


def _actor(draft: Draft, user_id: uuid.UUID) -> Actor:
    team = draft.team
    return team.investigator_actor if user_id == team.investigator.id else team.prosecutor_actor


def write(draft: Draft) -> None:
    """Every object's event: the people, the court side, then the evidence side."""
    _people(draft)
    _charges(draft)
    _court(draft)
    _assets(draft)
    _exhibits(draft)
    _instruments(draft)


def _people(draft: Draft) -> None:
    for defendant, _suspect in draft.suspects:
        details: dict[str, object] = {
            "role": defendant.role.value,
            "defendant_id": str(defendant.id),
        }
        when = _moment(draft, defendant.created_at, before=S.prosecution_decision)
        _add(draft, "defendant_added", when, draft.writer, details)
    links = draft.session.scalars(
        select(VictimLink).where(VictimLink.file_id == draft.file.id)
    ).all()
    for link in links:
        when = _moment(draft, link.linked_at)
        _add(draft, "victim_linked", when, link.linked_by, {"case": link.case_reference})
        # The case worker's side: the case's timeline says the person is a witness in the file
        # (the demo's cases are opened as the demo is built, so their events are dated now).
        case = draft.session.get(Case, link.case_id)
        assert case is not None
        record_event(draft.session, actor=_actor(draft, link.linked_by), case=case,
                     kind=CASE_LINKED, details={"file": draft.file.reference})  # fmt: skip
    if not links:
        return
    by_link = {link.id: link for link in links}
    measures = draft.session.scalars(
        select(WitnessProtection).where(WitnessProtection.victim_link_id.in_(list(by_link)))
    ).all()
    for measure in measures:
        details = {
            "measure": measure.measure.value,
            "case": by_link[measure.victim_link_id].case_reference,
            "side": "file",
        }
        when = _moment(draft, _noon(measure.ordered_on), after=S.trial)
        _add(draft, "protection", when, measure.recorded_by, details)
        case = draft.session.get(Case, by_link[measure.victim_link_id].case_id)
        assert case is not None
        record_event(draft.session, actor=_actor(draft, measure.recorded_by), case=case,
                     kind=CASE_PROTECTION,
                     details={"measure": measure.measure.value, "file": draft.file.reference})  # fmt: skip


def _charges(draft: Draft) -> None:
    """Charged between the decision and the trial; an additional charge withdrawn at trial."""
    for charge in draft.charges:
        facts: dict[str, object] = {
            "charge_id": str(charge.id),
            "defendant_id": str(charge.defendant_id),
            "offence": charge.offence,
            "country": draft.country,
            "amended": False,
        }
        when = _moment(
            draft, _noon(charge.charged_on), after=S.prosecution_decision, before=S.trial
        )
        _add(draft, "charge", when, charge.charged_by, facts)
        if charge.status is ChargeStatus.withdrawn:
            trial = draft.schedule.when(S.trial)
            assert trial is not None  # the demo withdraws only at trial
            facts = {k: v for k, v in facts.items() if k != "amended"}
            when = _moment(
                draft,
                trial + dt.timedelta(days=10),
                after=S.trial,
                before=S.first_instance_judgment,
            )
            _add(draft, "charge_withdrawn", when, charge.charged_by, facts, draft.words.withdrawn)


def _court(draft: Draft) -> None:
    """Each hearing scheduled (three weeks ahead, not before the trial or the appeal opened),
    then held or adjourned; each judgment on its day, before the move it allows."""
    hearings = draft.session.scalars(
        select(Hearing).where(Hearing.file_id == draft.file.id).order_by(Hearing.scheduled_at)
    ).all()
    for hearing in hearings:
        appeal = hearing.kind is HearingKind.appeal
        opened_in = S.appeal if appeal else S.trial
        closes = S.final if appeal else S.first_instance_judgment
        facts: dict[str, object] = {
            "hearing_id": str(hearing.id),
            "kind": hearing.kind.value,
            "at": hearing.scheduled_at.isoformat(),
        }
        planned = hearing.scheduled_at - dt.timedelta(days=21)
        _add(
            draft,
            "hearing",
            _moment(draft, planned, after=opened_in, before=closes),
            hearing.recorded_by,
            facts,
        )
        if hearing.held is None:
            continue
        outcome: dict[str, object] = {
            "hearing_id": str(hearing.id),
            "kind": hearing.kind.value,
            "held": hearing.held,
        }
        when = _moment(
            draft, hearing.scheduled_at + dt.timedelta(hours=2), after=opened_in, before=closes
        )
        _add(draft, "hearing_outcome", when, hearing.recorded_by, outcome, hearing.outcome or None)
    judgments = draft.session.scalars(
        select(Judgment).where(Judgment.file_id == draft.file.id).order_by(Judgment.decided_on)
    ).all()
    for judgment in judgments:
        first = judgment.instance is Instance.first_instance
        facts = {
            "judgment_id": str(judgment.id),
            "charge_id": str(judgment.charge_id),
            "defendant_id": str(judgment.defendant_id),
            "offence": next(c.offence for c in draft.charges if c.id == judgment.charge_id),
            "country": draft.country,
            "instance": judgment.instance.value,
            "verdict": judgment.verdict.value,
        }
        when = _moment(
            draft,
            judgment.recorded_at,
            after=S.trial if first else S.appeal,
            before=S.first_instance_judgment if first else S.final,
        )
        _add(draft, "judgment", when, judgment.recorded_by, facts)


def _assets(draft: Draft) -> None:
    """Recorded when seized (or frozen); its later status (confiscated at the final judgment,
    released when the file ended or the owner was acquitted) on the day it changed."""
    assets = draft.session.scalars(select(Asset).where(Asset.file_id == draft.file.id)).all()
    for asset in assets:
        first = AssetStatus.frozen if asset.kind is AssetKind.bank_account else AssetStatus.seized
        details: dict[str, object] = {"kind": asset.kind.value, "status": first.value}
        when = _moment(
            draft, _noon(asset.seized_on), after=S.preliminary_investigation,
            before=S.prosecution_decision,
        )  # fmt: skip
        _add(draft, "asset", when, asset.recorded_by, details)
        if asset.status is not first:
            ended = next(
                (s for s in (S.final, S.no_charge, S.closed) if draft.day(s) == asset.status_on),
                None,
            )
            details = {"kind": asset.kind.value, "status": asset.status.value}
            when = _moment(draft, _noon(asset.status_on) + dt.timedelta(hours=2), after=ended)
            _add(draft, "asset_status", when, asset.recorded_by, details)


def _exhibits(draft: Draft) -> None:
    """Each exhibit recorded with its seizure; each later hand-over as it happened."""
    exhibits = draft.session.scalars(
        select(Exhibit).where(Exhibit.file_id == draft.file.id).order_by(Exhibit.label)
    ).all()
    for exhibit in exhibits:
        details: dict[str, object] = {"label": exhibit.label, "kind": exhibit.kind.value}
        _add(draft, "exhibit", _moment(draft, exhibit.recorded_at), exhibit.recorded_by, details)
        chain = draft.session.scalars(
            select(Custody).where(Custody.exhibit_id == exhibit.id).order_by(Custody.since)
        ).all()
        for count, link in enumerate(chain[1:], start=2):
            details = {"label": exhibit.label, "links": count}
            _add(draft, "custody", _moment(draft, link.since), link.recorded_by, details)


def _instruments(draft: Draft) -> None:
    """Requested, then issued, then executed or expired (or still out), each on its day."""
    instruments = draft.session.scalars(
        select(Instrument).where(Instrument.file_id == draft.file.id)
    ).all()
    for item in instruments:
        moves: list[tuple[str, InstrumentStatus, dt.date]] = [
            ("instrument", InstrumentStatus.requested, item.requested_on)
        ]
        if item.issued_on is not None:
            moves.append(("instrument_status", InstrumentStatus.issued, item.issued_on))
        if item.status is InstrumentStatus.executed:
            moves.append(("instrument_status", item.status, item.issued_on or item.requested_on))
        elif item.status is InstrumentStatus.expired and item.expires_on is not None:
            moves.append(("instrument_status", item.status, item.expires_on))
        for step, (kind, status, on) in enumerate(moves):
            details: dict[str, object] = {
                "kind": item.kind.value,
                "status": status.value,
                "on": on.isoformat(),
            }
            when = _moment(draft, _noon(on) + dt.timedelta(hours=step))
            _add(draft, kind, when, item.recorded_by, details)
