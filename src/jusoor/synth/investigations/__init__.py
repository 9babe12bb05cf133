"""Synthetic investigation and prosecution files for the demo (issue 16): about sixty, in the seven
demo countries, at every stage of `investigations/stages.yaml`, held by each country's demo
investigator and prosecutor, so that their workspaces, the file pages and the year's figures
show real work.

Written through the models in the caller's transaction (fast, one audit event for the batch),
but only in states the services produce: every stage move is checked against the state machine
as it is written, with the side that may take it and its reason; the moves' guards hold on the
data written (defendants before the decision, charges and a court before the trial, a judgment
for every standing charge, an appeal judgment before a final judgment after appeal). Defendants
are entity records (`people`), victims are links to the country's demo cases (`victims`),
requests are the demo exchange's threads. Deterministic in `seed` (and the day it runs).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from itertools import pairwise

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.agencies.models import Agency
from jusoor.audit import service as audit
from jusoor.core.db import utcnow
from jusoor.core.ids import uuid7
from jusoor.core.permissions import Actor
from jusoor.exchange.models import Message
from jusoor.exchange.nodes import node
from jusoor.exchange.vocabulary import MessageType
from jusoor.investigations.models import (
    Defendant,
    FileEvent,
    FileLink,
    FileRequest,
    InvestigationFile,
)
from jusoor.investigations.service import format_reference
from jusoor.investigations.vocabulary import LinkRelation, RequestKind, Stage
from jusoor.investigations.workflow import machine
from jusoor.synth.investigations import events, evidence, people, proceedings, victims
from jusoor.synth.investigations.draft import Draft, Team
from jusoor.synth.investigations.plans import FILES, SMUGGLING, Scenario, court, language
from jusoor.synth.investigations.schedule import Schedule, at, between, schedule
from jusoor.synth.investigations.words import words

__all__ = ["load_files", "load_if_empty"]

_REQUEST_KINDS = {
    MessageType.mla_request: RequestKind.mla,
    MessageType.information_request: RequestKind.information,
    MessageType.spontaneous_information: RequestKind.information,
}


def load_if_empty(session: Session, *, actor: Actor, seed: int = 2026) -> Counter[str]:
    """The demo's files, once: nothing when the node already holds a file."""
    if session.scalars(select(InvestigationFile.id).limit(1)).first() is not None:
        return Counter()
    return load_files(session, actor=actor, seed=seed)


def load_files(session: Session, *, actor: Actor, seed: int = 2026) -> Counter[str]:
    """Write the demo files of every country whose demo investigator and prosecutor exist;
    returns counts of what was written. Runs in the caller's transaction."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    today = utcnow().date()
    drafts: list[Draft] = []
    for index, (country, scenarios) in enumerate(FILES.items()):
        team = _team(session, country)
        if team is None:
            continue
        plans = [
            (s, schedule(rng, s.path, today, judged_in=_judged_in(index, s.path, today)))
            for s in scenarios
        ]
        ring = people.ring_suspects(session, country)
        pool = victims.Pool(session, country)
        numbers = _numbers(session, country, [plan for _s, plan in plans])
        made = [
            _write(session, rng, team, scenario, plan, number, today, ring, pool)
            for (scenario, plan), number in zip(plans, numbers, strict=True)
        ]
        _same_network(made, ring)
        drafts.extend(made)
    _requests(session, drafts)
    counts = Counter(f"stage:{d.schedule.stage.value}" for d in drafts)
    counts.update(
        files=len(drafts),
        defendants=sum(len(d.suspects) for d in drafts),
        charges=sum(len(d.charges) for d in drafts),
        victims=sum(d.victims for d in drafts),
        requests=sum(d.requests for d in drafts),
    )
    audit.record(session, actor=actor, action="investigations.synthetic", details=dict(counts))
    return counts


def _team(session: Session, country: str) -> Team | None:
    cc = country.lower()
    investigator = agencies.get_user_by_username(session, f"investigator.{cc}")
    prosecutor = agencies.get_user_by_username(session, f"prosecutor.{cc}")
    if investigator is None or prosecutor is None:
        return None
    return Team(
        country,
        investigator,
        prosecutor,
        agencies.actor_for(investigator, via="cli"),
        agencies.actor_for(prosecutor, via="cli"),
    )


def _judged_in(index: int, path: str, today: dt.date) -> int:
    """The year of the first-instance judgment of a file that became final: this year's and last
    year's figures both get convictions, alternating between countries."""
    if path == "final":
        return today.year - (index + 1) % 2
    return today.year - 1 - (index + 1) % 2


def _numbers(session: Session, country: str, plans: list[Schedule]) -> list[int]:
    """Each file's number in its country and year, in the order the files were opened."""
    taken: Counter[int] = Counter()
    for year in {p.reported_on.year for p in plans}:
        last = session.scalar(
            select(func.max(InvestigationFile.number)).where(
                InvestigationFile.country == country, InvestigationFile.year == year
            )
        )
        taken[year] = int(last or 0)
    numbers = [0] * len(plans)
    for i in sorted(range(len(plans)), key=lambda i: plans[i].opened):
        taken[plans[i].reported_on.year] += 1
        numbers[i] = taken[plans[i].reported_on.year]
    return numbers


def _write(
    session: Session,
    rng: random.Random,
    team: Team,
    scenario: Scenario,
    plan: Schedule,
    number: int,
    today: dt.date,
    ring: list[people.Suspect],
    pool: victims.Pool,
) -> Draft:
    lang = language(team.country, scenario.title)
    year = plan.reported_on.year
    tried = plan.day(Stage.trial)
    file = InvestigationFile(
        id=uuid7(),
        reference=format_reference(team.country, year, number),
        country=team.country,
        year=year,
        number=number,
        agency_id=(team.prosecution if scenario.by_prosecution else team.police).id,
        origin=scenario.origin,
        title=scenario.title,
        stage=plan.stage,
        stage_entered_at=plan.entered[-1],
        reported_on=plan.reported_on,
        lead_id=None if scenario.by_prosecution else team.investigator.id,
        prosecutor_id=team.prosecutor.id
        if scenario.by_prosecution or len(plan.stages) > 1
        else None,
        court=court(team.country, lang, scenario.city) if tried else None,
        court_case_number=f"{rng.randint(100, 4999)}/{tried.year}" if tried else None,
        opened_by=team.prosecutor.id if scenario.by_prosecution else team.investigator.id,
        created_at=plan.opened,
        updated_at=plan.entered[-1],
    )
    session.add(file)
    # Rows of this domain reference one another without ORM relationships, so the unit of work
    # does not order their inserts: each step is flushed before the next refers to it.
    session.flush()
    draft = Draft(session, rng, today, team, scenario, plan, file, lang, words(lang))
    _defendants(draft, ring if scenario.ring else [])
    session.flush()
    linked = victims.link_victims(draft, pool)
    text = draft.words.summary_smuggling if scenario.kind == SMUGGLING else draft.words.summary
    file.summary = text % {"victims": len(linked)}
    proceedings.charge(draft, child_victim=any(c.child for c in linked))
    session.flush()
    proceedings.judge(draft)
    proceedings.hearings(draft)
    evidence.assets(draft)
    evidence.exhibits(draft)
    evidence.instruments(draft)
    _events(draft)
    events.write(draft)
    return draft


def _defendants(draft: Draft, ring: list[people.Suspect]) -> None:
    """The file's community of suspects, each in formal contact with the police from the
    preliminary investigation (all of them by the time the prosecution decides)."""
    rng, plan, file, team = draft.rng, draft.schedule, draft.file, draft.team
    stage = plan.stage
    count = {
        Stage.report: rng.randint(0, 1),
        Stage.preliminary_investigation: rng.randint(1, 3),
        Stage.closed: rng.randint(1, 2),
    }.get(stage, rng.randint(1, 4))
    found = ring[:3]
    agency = team.prosecution if draft.scenario.by_prosecution else team.police
    actor = team.prosecutor_actor if draft.scenario.by_prosecution else team.investigator_actor
    roles = people.cell_roles(rng, draft.scenario.kind, count)[len(found) :]
    cell = [
        people.new_suspect(
            session=draft.session,
            rng=rng,
            actor=actor,
            agency=agency,
            reference=file.reference,
            role=role,
        )
        for role in roles
    ]
    suspects = found + cell
    started = draft.day(Stage.preliminary_investigation)
    for suspect in suspects:
        contact: dt.date | None = None
        if started and (plan.reached(Stage.prosecution_decision) or rng.random() < 0.6):
            contact = between(rng, started + dt.timedelta(days=1), draft.investigation_ends())
        since = contact or plan.reported_on
        born = suspect.born
        defendant = Defendant(
            id=uuid7(),
            file_id=file.id,
            entity_id=suspect.entity.id,
            role=suspect.role,
            sex=suspect.sex,
            age=since.year - born.year - ((since.month, since.day) < (born.month, born.day))
            if born
            else None,
            citizenship=suspect.citizenship,
            formal_contact_on=contact,
            created_at=at(rng, contact) if contact else plan.opened + dt.timedelta(hours=2),
        )
        draft.session.add(defendant)
        draft.suspects.append((defendant, suspect))
    _link_suspects(draft, agency, actor, suspects, check=bool(found))


def _link_suspects(
    draft: Draft, agency: Agency, actor: Actor, suspects: list[people.Suspect], *, check: bool
) -> None:
    """Co-defendants linked to the first of them, unless the store already links them."""
    if not suspects:
        return
    leader = suspects[0]
    for other in suspects[1:]:
        if check and people.linked(draft.session, leader.entity.id, other.entity.id):
            continue
        if {leader.role, other.role} == {people.R.exploiter, people.R.recruiter}:
            payer, payee = (leader, other) if leader.role is people.R.exploiter else (other, leader)
            amount = str(draft.rng.randrange(1500, 6000, 100))
            people.link(
                draft.session,
                actor,
                agency,
                draft.file.reference,
                "paid",
                payer.entity,
                payee.entity,
                amount=[amount],
            )
        else:
            people.link(
                draft.session,
                actor,
                agency,
                draft.file.reference,
                "associate",
                leader.entity,
                other.entity,
                relationship=[people.ACCOMPLICE[draft.lang]],
            )


def _events(draft: Draft) -> None:
    """The timeline: the opening, then each stage move taken by the side that may take it, with
    the reason the machine requires; every move is checked against the machine here."""
    file, plan, team, words = draft.file, draft.schedule, draft.team, draft.words
    rng, states = draft.rng, machine()
    reasons = {
        Stage.no_charge: rng.choice(words.no_charge),
        Stage.closed: rng.choice(words.closed),
        Stage.appeal: draft.appeal_reason or words.appeal[0],
    }
    draft.session.add(
        FileEvent(
            id=uuid7(),
            file_id=file.id,
            kind="opened",
            details={"origin": file.origin.value},
            to_stage=plan.stages[0].value,
            by_id=file.opened_by,
            at=plan.opened,
        )
    )
    for (before, after), moment in zip(pairwise(plan.stages), plan.entered[1:], strict=True):
        move = next(t for t in states.allowed(before.value) if t.target == after.value)
        police = "investigator" in move.by and not draft.scenario.by_prosecution
        side = "investigator" if police else "prosecutor"
        reason = reasons.get(after)
        states.take(before.value, after.value, side=side, reason=reason)  # refuses a wrong path
        if after in (Stage.no_charge, Stage.closed):
            file.closing_reason = reason
        draft.session.add(
            FileEvent(
                id=uuid7(),
                file_id=file.id,
                kind="stage",
                from_stage=before.value,
                to_stage=after.value,
                reason=reason,
                by_id=team.investigator.id if police else team.prosecutor.id,
                at=moment,
            )
        )


def _same_network(drafts: list[Draft], ring: list[people.Suspect]) -> None:
    """The file built on the demo network, and one other file of the country whose first suspect
    is an associate of the network's: linked as the same network, on both sides."""
    built = next((d for d in drafts if d.scenario.ring and d.suspects), None)
    other = next((d for d in drafts if not d.scenario.ring and d.suspects and d.active), None)
    if not ring or built is None or other is None:
        return
    suspect = other.suspects[0][1]
    agency = other.team.prosecution if other.scenario.by_prosecution else other.team.police
    people.link(
        other.session,
        other.team.investigator_actor,
        agency,
        other.file.reference,
        "associate",
        ring[0].entity,
        suspect.entity,
        relationship=[people.ACCOMPLICE[other.lang]],
    )
    later = max(built.schedule.opened, other.schedule.opened) + dt.timedelta(days=3)
    link = FileLink(
        id=uuid7(),
        file_id=built.file.id,
        other_id=other.file.id,
        relation=LinkRelation.same_network,
        linked_by=built.writer,
        linked_at=min(later, utcnow()),
    )
    other.session.add(link)
    # On both timelines, as the service writes it: the relation and which end, never the other
    # file's reference (some readers of one file may not read the other).
    for draft, end in ((built, "this"), (other, "other")):
        draft.session.add(
            FileEvent(
                id=uuid7(),
                file_id=draft.file.id,
                kind="link",
                details={"relation": link.relation.value, "end": end},
                by_id=link.linked_by,
                at=link.linked_at,
            )
        )
        events.touch(draft.file, link.linked_at)


def _requests(session: Session, drafts: list[Draft]) -> None:
    """The demo exchange's requests, each tied to a file of this node's country: the file the
    scenario names for that thread, else a file still moving of the same nature."""
    if not drafts or not node.has_identity(session):
        return
    own = node.identity(session).node_id[:2]
    mine = [d for d in drafts if d.country == own]
    threads = session.scalars(
        select(Message)
        .where(Message.type.in_(list(_REQUEST_KINDS)), Message.reply_to.is_(None))
        .order_by(Message.created_at, Message.peer)
    ).all()
    for message in threads:
        key = (message.peer, message.type.value, message.direction.value)
        named = [d for d in mine if d.scenario.thread == key]
        smuggling = message.type is MessageType.information_request
        fallback = [
            d
            for d in mine
            if d.active and d.requests < 2 and (d.scenario.kind == SMUGGLING) == smuggling
        ]
        draft = next(iter(named or fallback), None)
        if draft is None:
            continue
        draft.requests += 1
        request = FileRequest(
            id=uuid7(),
            file_id=draft.file.id,
            thread_id=message.thread_id,
            kind=_REQUEST_KINDS[message.type],
            peer=message.peer,
            outgoing=message.direction.value == "outgoing",
            linked_by=draft.writer,
            linked_at=max(message.created_at, draft.schedule.opened),
        )
        session.add(request)
        # The event the service writes when a request sent from the file, or one received and
        # joined to it, is tied to the file.
        tied = min(request.linked_at, utcnow())
        session.add(
            FileEvent(
                id=uuid7(),
                file_id=draft.file.id,
                kind="request_sent" if request.outgoing else "request_joined",
                details={
                    "request": request.kind.value,
                    "peer": request.peer,
                    "message_id": str(message.id),
                },
                by_id=request.linked_by,
                at=tied,
            )
        )
        events.touch(draft.file, tied)
