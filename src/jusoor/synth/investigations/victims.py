"""The victims of the demo files: links to the country's demo NRM cases by reference (nothing of the
person is copied), the forms of exploitation matching the file's, and protection measures for
some victim-witnesses once the file is in court."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.cases.models import Case
from jusoor.cases.vocabulary import Stage as CaseStage
from jusoor.core.db import utcnow
from jusoor.core.ids import uuid7
from jusoor.investigations.models import VictimLink, WitnessProtection
from jusoor.investigations.vocabulary import ProtectionMeasure, Stage
from jusoor.synth.investigations.draft import Draft
from jusoor.synth.investigations.schedule import between

_MEASURES = (
    (ProtectionMeasure.anonymity, 3),
    (ProtectionMeasure.video_link, 3),
    (ProtectionMeasure.closed_hearing, 2),
    (ProtectionMeasure.shelter_while_testifying, 2),
    (ProtectionMeasure.protection_order, 1),
    (ProtectionMeasure.accompaniment, 2),
)


@dataclass(frozen=True)
class CaseRef:
    id: uuid.UUID
    reference: str
    forms: tuple[str, ...]
    child: bool
    in_proceedings: bool
    opened_at: dt.datetime


class Pool:
    """A country's demo cases, handed out so that each is a victim in as few files as possible."""

    def __init__(self, session: Session, country: str) -> None:
        rows = session.execute(
            select(
                Case.id,
                Case.reference,
                Case.forms_of_exploitation,
                Case.is_child,
                Case.stage,
                Case.opened_at,
            )
            .where(Case.country == country)
            .order_by(Case.reference)
        ).all()
        self.cases = [
            CaseRef(r[0], r[1], tuple(r[2] or ()), bool(r[3]), r[4] == CaseStage.proceedings, r[5])
            for r in rows
        ]
        self.used: Counter[uuid.UUID] = Counter()

    def take(self, kind: str, count: int, *, in_court: bool) -> list[CaseRef]:
        ranked = sorted(
            self.cases,
            key=lambda c: (
                self.used[c.id],
                kind not in c.forms,
                in_court and not c.in_proceedings,
                c.reference,
            ),
        )
        chosen = ranked[:count]
        self.used.update(c.id for c in chosen)
        return chosen


def link_victims(draft: Draft, pool: Pool) -> list[CaseRef]:
    """One to three victims (one while the file is a bare report), some with protection measures
    once the file is before the court."""
    rng, schedule = draft.rng, draft.schedule
    in_court = schedule.reached(Stage.trial)
    count = 1 if schedule.stage is Stage.report else rng.randint(1, 3)
    chosen = pool.take(draft.scenario.kind, count, in_court=in_court)
    for case in chosen:
        link = VictimLink(
            id=uuid7(),
            file_id=draft.file.id,
            case_id=case.id,
            case_reference=case.reference,
            is_witness=rng.random() < 0.85,
            linked_by=draft.writer,
            # Not before the case exists (the demo's cases are opened as the demo is built), nor
            # after now (a file reported days ago).
            linked_at=min(
                max(schedule.opened + dt.timedelta(days=rng.randint(1, 20)), case.opened_at),
                utcnow(),
            ),
        )
        draft.session.add(link)
        draft.session.flush()  # the protection measures refer to the link
        if in_court and link.is_witness and rng.random() < 0.6:
            _protect(draft, link)
    draft.victims = len(chosen)
    return chosen


def _protect(draft: Draft, link: VictimLink) -> None:
    rng = draft.rng
    trial = draft.day(Stage.trial)
    assert trial is not None
    measures, weights = zip(*_MEASURES, strict=True)
    picked = dict.fromkeys(rng.choices(measures, weights=weights, k=rng.randint(1, 2)))
    for measure in picked:
        ordered = between(
            rng, trial + dt.timedelta(days=3), draft.until(Stage.first_instance_judgment)
        )
        ends = draft.day(Stage.final)
        draft.session.add(
            WitnessProtection(
                id=uuid7(),
                victim_link_id=link.id,
                measure=measure,
                ordered_on=ordered,
                ends_on=ends + dt.timedelta(days=180) if ends else None,
                note=draft.words.protection,
                recorded_by=draft.team.prosecutor.id,
                recorded_at=link.linked_at,
            )
        )
