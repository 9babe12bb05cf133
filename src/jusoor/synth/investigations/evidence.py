"""The evidence side of a demo file: assets seized (confiscated or released as the judgment says),
exhibits with a chain of custody of two or three links, and legal instruments, a few of them
expiring within two weeks so that the workspaces have deadlines to show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jusoor.core.ids import uuid7
from jusoor.investigations.models import Asset, Custody, Exhibit, Instrument
from jusoor.investigations.vocabulary import (
    AssetKind,
    AssetStatus,
    ExhibitKind,
    InstrumentKind,
    InstrumentStatus,
    Stage,
    Verdict,
)
from jusoor.synth.investigations.draft import Draft
from jusoor.synth.investigations.plans import CURRENCY
from jusoor.synth.investigations.schedule import at, between
from jusoor.synth.names import random_person_name

S = Stage
# Estimated values in US dollars, turned into the local currency at a rounded demo rate.
_VALUES = {
    AssetKind.cash: (2_000, 40_000),
    AssetKind.vehicle: (8_000, 30_000),
    AssetKind.bank_account: (5_000, 120_000),
    AssetKind.phone: (200, 900),
    AssetKind.real_estate: (40_000, 250_000),
    AssetKind.business: (20_000, 150_000),
}
_RATE = {"EGP": 48, "MAD": 10, "TND": 3.1, "LYD": 4.8, "MRU": 40, "KWD": 0.31, "JOD": 0.71}
_EXHIBITS = (
    ExhibitKind.phone,
    ExhibitKind.document,
    ExhibitKind.identity_document,
    ExhibitKind.computer,
    ExhibitKind.cash,
)
_DIGITAL = (ExhibitKind.phone, ExhibitKind.computer, ExhibitKind.storage_media)


def _value(draft: Draft, kind: AssetKind) -> Decimal:
    low, high = _VALUES[kind]
    amount = draft.rng.uniform(low, high) * _RATE[CURRENCY[draft.country]]
    step = 10 ** max(0, len(str(int(amount))) - 2)
    return Decimal(max(step, round(amount / step) * step))


def assets(draft: Draft) -> None:
    rng = draft.rng
    opened = draft.day(S.preliminary_investigation)
    if opened is None:
        return
    for _n in range(rng.randint(1, 2) if draft.schedule.reached(S.trial) else rng.randint(0, 2)):
        kind = rng.choice(list(_VALUES))
        seized = between(rng, opened + dt.timedelta(days=1), draft.investigation_ends())
        owner = rng.choice(draft.suspects)[0] if draft.suspects and rng.random() < 0.7 else None
        verdict = draft.verdicts.get(owner.id) if owner else None
        status = AssetStatus.frozen if kind is AssetKind.bank_account else AssetStatus.seized
        status_on = seized
        final, ended = draft.day(S.final), draft.day(S.no_charge) or draft.day(S.closed)
        if final and draft.confiscation and verdict is not Verdict.acquitted:
            status, status_on = AssetStatus.confiscated, final
        elif ended or (final and verdict is Verdict.acquitted):
            status, status_on = AssetStatus.released, ended or final or seized
        draft.session.add(
            Asset(
                id=uuid7(),
                file_id=draft.file.id,
                defendant_id=owner.id if owner else None,
                kind=kind,
                description=draft.words.asset[kind],
                estimated_value=_value(draft, kind),
                currency=CURRENCY[draft.country],
                status=status,
                seized_on=seized,
                status_on=status_on,
                recorded_by=draft.writer,
            )
        )


def _searched(draft: Draft, opened: dt.date) -> dt.date:
    """The day of the search (the exhibits seized, the warrant executed), drawn once per file."""
    if draft.searched_on is None:
        draft.searched_on = between(
            draft.rng, opened + dt.timedelta(days=1), draft.investigation_ends()
        )
    return draft.searched_on


def _holder_name(draft: Draft) -> str:
    name = random_person_name(draft.rng, country=draft.country)
    return name.arabic() if draft.lang == "ar" else name.latin(short=True)


def exhibits(draft: Draft) -> None:
    """What the search found, each under seal: seized by the unit, then kept in the evidence store
    (a phone or computer goes through the laboratory first); the open link is today's holder."""
    rng, words = draft.rng, draft.words
    opened = draft.day(S.preliminary_investigation)
    if opened is None:
        return
    searched = _searched(draft, opened)
    where = rng.choice(words.where)
    midnight = dt.datetime.combine(draft.today, dt.time(), tzinfo=dt.UTC)
    for index, kind in enumerate(rng.sample(_EXHIBITS, rng.randint(1, 3))):
        seized_at = at(rng, searched)
        exhibit = Exhibit(
            id=uuid7(),
            file_id=draft.file.id,
            label=f"EX-{index + 1:03d}",
            kind=kind,
            description=words.exhibit[kind],
            seized_on=searched,
            seized_where=where,
            recorded_by=draft.writer,
            recorded_at=seized_at + dt.timedelta(hours=2),
        )
        draft.session.add(exhibit)
        draft.session.flush()  # its custody refers to it
        unit, store, lab = words.holders
        seizure, storage, examination, back = words.purposes
        chain = (
            [(unit, seizure), (lab, examination), (store, back)]
            if kind in _DIGITAL
            else [(unit, seizure), (store, storage)]
        )
        since = seized_at
        for step, (holder, purpose) in enumerate(chain):
            until: dt.datetime | None = since + dt.timedelta(
                days=rng.randint(1, 20), hours=rng.randint(1, 6)
            )
            if step == len(chain) - 1 or until is None or until >= midnight:
                until = None  # the current holder
            draft.session.add(
                Custody(
                    id=uuid7(),
                    exhibit_id=exhibit.id,
                    holder=holder % {"name": _holder_name(draft)},
                    since=since,
                    until=until,
                    purpose=purpose,
                    recorded_by=draft.writer,
                    recorded_at=since,
                )
            )
            if until is None:
                break
            since = until


def _instrument(
    draft: Draft,
    kind: InstrumentKind,
    status: InstrumentStatus,
    requested: dt.date,
    *,
    issued: dt.date | None = None,
    expires: dt.date | None = None,
    by_judge: bool = True,
    note: str | None = None,
) -> None:
    words, city = draft.words, draft.scenario.city
    draft.session.add(
        Instrument(
            id=uuid7(),
            file_id=draft.file.id,
            kind=kind,
            authority=(words.judge if by_judge else words.prosecutor) % {"city": city},
            reference=f"{draft.rng.randint(100, 9999)}/{requested.year}",
            requested_on=requested,
            issued_on=issued,
            expires_on=expires,
            status=status,
            note=note or words.instrument[kind],
            recorded_by=draft.writer,
        )
    )


def instruments(draft: Draft) -> None:
    """The search warrant, arrest warrants (executed, or out for a suspect at large), data
    preservation, and on a file still moving an order that runs out within two weeks."""
    rng, today = draft.rng, draft.today
    opened = draft.day(S.preliminary_investigation)
    if opened is None:
        return
    ends = draft.investigation_ends()
    searched = _searched(draft, opened)
    day = dt.timedelta(days=1)
    _instrument(
        draft, InstrumentKind.search_warrant, InstrumentStatus.executed, searched, issued=searched
    )
    for defendant, _suspect in draft.suspects:
        contact = defendant.formal_contact_on
        if contact is None:
            _instrument(
                draft,
                InstrumentKind.arrest_warrant,
                InstrumentStatus.issued,
                searched,
                issued=searched + day,
            )
        elif rng.random() < 0.5:
            asked = max(opened, contact - dt.timedelta(days=rng.randint(1, 5)))
            _instrument(
                draft,
                InstrumentKind.arrest_warrant,
                InstrumentStatus.executed,
                asked,
                issued=asked,
                note=draft.words.arrested,
            )
    asked = between(rng, opened, ends)
    expires = asked + dt.timedelta(days=90)
    status = InstrumentStatus.expired if expires < today else InstrumentStatus.issued
    _instrument(
        draft,
        InstrumentKind.preservation_request,
        status,
        asked,
        issued=asked,
        expires=expires,
        by_judge=False,
    )
    if (
        draft.active
        and draft.schedule.stage is not S.report
        and (draft.schedule.stage is S.preliminary_investigation or rng.random() < 0.6)
    ):
        kind = rng.choice(
            (
                InstrumentKind.freezing_order,
                InstrumentKind.travel_ban,
                InstrumentKind.preservation_request,
            )
        )
        issued = max(opened, today - dt.timedelta(days=rng.randint(40, 85)))
        soon = today + dt.timedelta(days=rng.randint(2, 13))
        _instrument(draft, kind, InstrumentStatus.issued, issued, issued=issued, expires=soon)
    if draft.schedule.stage is S.preliminary_investigation and rng.random() < 0.5:
        _instrument(
            draft,
            InstrumentKind.production_order,
            InstrumentStatus.requested,
            today - 3 * day,
            by_judge=False,
        )
