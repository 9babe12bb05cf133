"""Demo referrals dated within their case's history (see `synth.timeline`): made while the case
is in its current stage, answered within hours or days as the service's deadline asks, services
delivered and completed weeks later. A referral still waiting keeps its recent dates, and an
overdue one is made its deadline's length before the deadline the demo gave it, so the inbox and
the response-time statistics tell the same story.

The referral's rows (the referral, its moves, its deliveries) and the case-timeline events the
demo wrote with it (the consent to refer, the referral's steps) are dated once, right after the
real services wrote them, before anyone reads them.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from jusoor.cases.models import Case, CaseEvent, Consent
from jusoor.core.db import utcnow
from jusoor.referrals.models import Transition, TransitionMove
from jusoor.referrals.workflow import machine

EVENTS = cast(Table, CaseEvent.__table__)
DAY = dt.timedelta(days=1)
MINUTE = dt.timedelta(minutes=1)


def _delays(referral: Transition, steps: int, rng: random.Random) -> list[float]:
    """Days from the request to each step: the answer within the deadline (half the time a bit
    late), later steps days to weeks apart."""
    allowed = machine().deadline_days[referral.service.kind]
    answer = rng.uniform(0.05, allowed * 1.5)
    return [answer] + [rng.uniform(1, 30) for _ in range(steps - 1)]


def spread_referral(
    session: Session, referral: Transition, floor: dt.datetime, rng: random.Random
) -> dt.datetime:
    """Date `referral` (made just now, moved along its path) after `floor`; returns the moment of
    its last step, the floor of the case's next referral."""
    moves = sorted(referral.moves, key=lambda m: m.id)  # uuid7: in the order they were written
    written = max(m.at for m in moves)
    now = utcnow()
    steps = len(moves) - 1  # the first move is the request
    if referral.status in machine().open:
        if referral.deadline >= now:
            return written  # still waiting, within its deadline: made recently, as it is
        allowed = machine().deadline_days[referral.service.kind]
        times = [max(floor + MINUTE, referral.deadline - allowed * DAY)]
    else:
        delays = _delays(referral, steps, rng)
        room = (now - MINUTE * 30 - floor).total_seconds() / 86400
        if room < 1:  # made after a referral still waiting today: leave it as written
            return written
        scale = min(1.0, room / (sum(delays) * 1.25))
        start = floor + rng.uniform(0, room - sum(delays) * scale) * DAY
        times = [start + MINUTE]
        for days in delays:
            times.append(times[-1] + days * scale * DAY)
        referral.deadline = times[0] + machine().deadline_days[referral.service.kind] * DAY
    _apply(session, referral, moves, times)
    return times[-1]


def _apply(
    session: Session, referral: Transition, moves: list[TransitionMove], times: list[dt.datetime]
) -> None:
    referral.created_at = times[0]
    for move, at in zip(moves, times, strict=False):
        move.at = at
    answered = len(times) > 1 and moves[1].from_status == machine().initial
    if referral.responded_at is not None and answered:
        referral.responded_at = times[1]
    referral.updated_at = times[-1]
    for delivery in sorted(referral.deliveries, key=lambda d: d.id):
        later = [at for move, at in zip(moves, times, strict=False) if move.id > delivery.id]
        when = later[0] if later else times[-1]
        delivery.delivered_on = when.date()
        delivery.recorded_at = when - MINUTE
    _date_case_events(session, referral, times)


def _date_case_events(session: Session, referral: Transition, times: list[dt.datetime]) -> None:
    """The referral's steps on the case's timeline, and the consent given for it just before."""
    rows = session.execute(
        select(EVENTS.c.seq, EVENTS.c.details)
        .where(EVENTS.c.case_id == referral.case_id, EVENTS.c.kind == "referral")
        .order_by(EVENTS.c.seq)
    ).all()
    own = [(seq, details) for seq, details in rows
           if (details or {}).get("referral_id") == str(referral.id)]  # fmt: skip
    mine = [seq for seq, _details in own]
    # The request and each move take the moves' times in order; a delivery is recorded just
    # before the move that follows it.
    steps = iter(times)
    dated: dict[int, dt.datetime] = {}
    for seq, details in own:
        if details.get("action") != "delivery":
            dated[seq] = next(steps, times[-1])
    for seq, details in own:
        if details.get("action") == "delivery":
            after = [at for other, at in dated.items() if other > seq]
            dated[seq] = (min(after) if after else times[-1]) - 2 * MINUTE
    for seq, at in dated.items():
        session.execute(update(EVENTS).where(EVENTS.c.seq == seq).values(at=at))
    if mine:
        consent_event = session.scalar(
            select(EVENTS.c.seq)
            .where(EVENTS.c.case_id == referral.case_id, EVENTS.c.seq < mine[0],
                   EVENTS.c.kind == "consent_given")
            .order_by(EVENTS.c.seq.desc())
            .limit(1)
        )  # fmt: skip
        if consent_event is not None:
            session.execute(
                update(EVENTS).where(EVENTS.c.seq == consent_event).values(at=times[0] - MINUTE)
            )
    consent = session.scalars(
        select(Consent)
        .where(Consent.case_id == referral.case_id, Consent.agency_id == referral.to_agency_id)
        .order_by(Consent.id.desc())
    ).first()
    if consent is not None:
        consent.given_at = times[0] - MINUTE
    for event in [o for o in session.identity_map.values() if isinstance(o, CaseEvent)]:
        if event.case_id == referral.case_id:
            session.expire(event)


def floor_of(case: Case) -> dt.datetime:
    """A referral is made once the case is in its current stage."""
    return case.stage_entered_at
