"""The court side of a demo file: charges from the country's law file, a first-instance judgment
for every defendant on every charge still standing (and on appeal for some), and the hearings,
past and coming."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jusoor.core.ids import uuid7
from jusoor.investigations.models import Charge, Hearing, Judgment
from jusoor.investigations.offences import Offence, offences
from jusoor.investigations.vocabulary import (
    ChargeStatus,
    DefendantRole,
    HearingKind,
    Instance,
    OffenceType,
    Stage,
    Verdict,
)
from jusoor.synth.investigations.draft import Draft
from jusoor.synth.investigations.plans import CURRENCY, SENTENCES, SMUGGLING, court
from jusoor.synth.investigations.schedule import at, between

S = Stage


def _charged_offences(draft: Draft, role: DefendantRole, child: bool) -> list[Offence]:
    """The offences of the file's country that fit the scheme and the person's part in it."""
    listed = offences(draft.country, "en")
    by_type = {t: [o for o in listed if o.type is t] for t in OffenceType}
    if draft.scenario.kind == SMUGGLING:
        main = by_type[OffenceType.smuggling][:1]
    else:
        traffic = by_type[OffenceType.trafficking]
        main = [o for o in traffic if o.form == draft.scenario.kind][:1] or [
            o for o in traffic if o.form is None
        ][:1]
    extra: list[Offence] = []
    if role is DefendantRole.document_forger:
        extra = by_type[OffenceType.related][:1]
    elif role is DefendantRole.transporter and draft.scenario.kind != SMUGGLING:
        extra = by_type[OffenceType.smuggling][:1]
    elif child and draft.rng.random() < 0.5:  # aggravated: the country's second general article
        extra = [o for o in by_type[OffenceType.trafficking] if o.form is None][1:2]
    return [*main, *(o for o in extra if o not in main)]


def charge(draft: Draft, *, child_victim: bool) -> None:
    """Charges recorded by the prosecutor between the decision and the trial (some already drafted
    on files still awaiting the decision; none on a file not charged)."""
    schedule, rng = draft.schedule, draft.rng
    if not schedule.reached(S.prosecution_decision) or schedule.reached(S.no_charge):
        return
    if schedule.stage is S.prosecution_decision and rng.random() < 0.5:
        return
    decided = draft.day(S.prosecution_decision)
    assert decided is not None
    for defendant, _suspect in draft.suspects:
        chosen = _charged_offences(draft, defendant.role, child_victim)
        for index, offence in enumerate(chosen):
            withdrawn = index > 0 and schedule.reached(S.trial) and rng.random() < 0.15
            row = Charge(
                id=uuid7(),
                file_id=draft.file.id,
                defendant_id=defendant.id,
                offence=offence.id,
                offence_type=offence.type.value,
                form=offence.form
                or (draft.scenario.kind if offence.type is OffenceType.trafficking else None),
                status=ChargeStatus.withdrawn if withdrawn else ChargeStatus.charged,
                charged_on=between(rng, decided, draft.until(S.trial)),
                charged_by=draft.team.prosecutor.id,
            )
            draft.session.add(row)
            draft.charges.append(row)


def _sentence(draft: Draft, charge: Charge) -> tuple[int, Decimal | None]:
    table = SENTENCES[draft.country]
    (low, high), (fine_low, fine_high) = table.get(charge.offence_type) or table["trafficking"]
    months = draft.rng.randint(low // 6, high // 6) * 6
    if fine_high == 0:
        return months, None
    step = 10 ** max(0, len(str(fine_high)) - 3)
    return months, Decimal(draft.rng.randint(fine_low // step, fine_high // step) * step)


def _judgment(
    draft: Draft, charge: Charge, verdict: Verdict, instance: Instance, on: dt.date, where: str
) -> Judgment:
    months, fine = _sentence(draft, charge)
    convicted = verdict is Verdict.convicted
    confiscation = convicted and charge.offence_type == "trafficking" and draft.rng.random() < 0.6
    draft.confiscation = draft.confiscation or confiscation
    row = Judgment(
        id=uuid7(),
        file_id=draft.file.id,
        defendant_id=charge.defendant_id,
        charge_id=charge.id,
        instance=instance,
        court=where,
        decided_on=on,
        verdict=verdict,
        prison_months=months if convicted else None,
        fine_amount=fine if convicted else None,
        fine_currency=CURRENCY[draft.country] if convicted and fine else None,
        confiscation=confiscation,
        recorded_by=draft.team.prosecutor.id,
        recorded_at=at(draft.rng, on) + dt.timedelta(hours=2),
    )
    draft.session.add(row)
    return row


def judge(draft: Draft) -> None:
    """Every standing charge judged at first instance on the day the file moved to its judgment;
    on appeal, the appealed defendants' charges before the file became final."""
    rng = draft.rng
    judged_on = draft.day(S.first_instance_judgment)
    if judged_on is None:
        return
    standing = [c for c in draft.charges if c.status is ChargeStatus.charged]
    for index, (defendant, _suspect) in enumerate(draft.suspects):
        verdict = Verdict.convicted if index == 0 or rng.random() < 0.75 else Verdict.acquitted
        draft.verdicts[defendant.id] = verdict
        for charge in (c for c in standing if c.defendant_id == defendant.id):
            _judgment(
                draft, charge, verdict, Instance.first_instance, judged_on, draft.file.court or ""
            )
    appealed_on = draft.day(S.appeal)
    if appealed_on is None:
        return
    acquitted = [d for d, _s in draft.suspects if draft.verdicts[d.id] is Verdict.acquitted]
    convicted = [d for d, _s in draft.suspects if draft.verdicts[d.id] is Verdict.convicted]
    # Who appealed: the defence of convicted defendants, or the prosecution against an acquittal
    # (the reason of the move to appeal says which).
    by_prosecution = bool(acquitted) and rng.random() < 0.4
    draft.appeal_reason = draft.words.appeal[1 if by_prosecution else 0]
    final = draft.day(S.final)
    if final is None:
        return  # the appeal is still pending
    appellants = acquitted[:1] if by_prosecution else convicted[: rng.randint(1, len(convicted))]
    start = appealed_on + dt.timedelta(days=min(30, (final - appealed_on).days // 2))
    on = between(rng, start, final - dt.timedelta(days=1))
    draft.appeal_judged_on = on
    appeal_court = court(draft.country, draft.lang, draft.scenario.city, appeal=True)
    for defendant in appellants:
        verdict = Verdict.convicted if rng.random() < 0.75 else Verdict.acquitted
        for charge in (c for c in standing if c.defendant_id == defendant.id):
            _judgment(draft, charge, verdict, Instance.appeal, on, appeal_court)


def hearings(draft: Draft) -> None:
    """The trial's hearings: held ones with their outcome, an adjournment now and then, the verdict
    on the judgment's day, and the next one (this week or next) for a file still before a court."""
    rng, schedule, words = draft.rng, draft.schedule, draft.words
    opened = draft.day(S.trial)
    if opened is None:
        return
    judged = draft.day(S.first_instance_judgment)
    last = (judged or draft.today) - dt.timedelta(days=1)
    kinds = [
        HearingKind.first_appearance,
        rng.choice((HearingKind.evidence, HearingKind.victim_testimony)),
    ]
    if judged:
        kinds.append(HearingKind.pleadings)
    where = draft.file.court or ""
    day = opened
    for kind in kinds:
        day = between(rng, day + dt.timedelta(days=7), day + dt.timedelta(days=40))
        if day > last:
            break
        adjourned = rng.random() < 0.2
        _hearing(
            draft,
            kind,
            where,
            day,
            held=not adjourned,
            outcome=words.adjourned if adjourned else words.hearing[kind],
        )
    if judged:
        _hearing(
            draft,
            HearingKind.verdict,
            where,
            judged,
            held=True,
            outcome=words.hearing[HearingKind.verdict],
        )
    appeal_court = court(draft.country, draft.lang, draft.scenario.city, appeal=True)
    if draft.appeal_judged_on:
        _hearing(
            draft,
            HearingKind.appeal,
            appeal_court,
            draft.appeal_judged_on,
            held=True,
            outcome=words.hearing[HearingKind.appeal],
        )
    if schedule.stage in (S.trial, S.appeal):
        # Every country has a file at trial: its next hearing falls within the week.
        ahead = rng.randint(1, 6) if schedule.stage is S.trial else rng.randint(3, 13)
        soon = draft.today + dt.timedelta(days=ahead)
        kind = (
            HearingKind.appeal
            if schedule.stage is S.appeal
            else rng.choice(
                (HearingKind.evidence, HearingKind.victim_testimony, HearingKind.pleadings)
            )
        )
        _hearing(
            draft,
            kind,
            appeal_court if kind is HearingKind.appeal else where,
            soon,
            held=None,
            outcome="",
        )


def _hearing(
    draft: Draft, kind: HearingKind, where: str, day: dt.date, *, held: bool | None, outcome: str
) -> None:
    draft.session.add(
        Hearing(
            id=uuid7(),
            file_id=draft.file.id,
            kind=kind,
            court=where,
            scheduled_at=at(draft.rng, day).replace(hour=draft.rng.choice((7, 8, 9, 10)), minute=0),
            outcome=outcome,
            held=held,
            recorded_by=draft.team.prosecutor.id,
        )
    )
