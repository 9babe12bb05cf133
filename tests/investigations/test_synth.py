"""The demo's investigation files: about sixty, at every stage, in the seven countries, each one a
state the services could have produced (its timeline is a path of the state machine whose guards
hold on its data, its charges are under its country's law, its judgments on its charges, its
dates in order), and each demo login sees only the files its scope reaches."""

from __future__ import annotations

import datetime as dt
import html
import uuid
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.agencies.models import Agency, AgencyKind, User
from jusoor.cases.models import Case, CaseEvent
from jusoor.core import migrate
from jusoor.core.db import Database, utcnow
from jusoor.core.permissions import system_actor
from jusoor.entities.models import Entity, Link
from jusoor.exchange.models import Message
from jusoor.exchange.nodes import node
from jusoor.investigations import access
from jusoor.investigations import service as files
from jusoor.investigations import timeline as worded
from jusoor.investigations.models import (
    Charge,
    Custody,
    Defendant,
    Exhibit,
    FileEvent,
    FileRequest,
    Hearing,
    Instrument,
    InvestigationFile,
    Judgment,
    VictimLink,
)
from jusoor.investigations.offences import offence
from jusoor.investigations.vocabulary import ChargeStatus, Instance, Stage, Verdict
from jusoor.investigations.workflow import machine
from jusoor.synth import demo
from jusoor.synth import exchange as demo_exchange
from jusoor.synth import investigations as demo_investigations
from jusoor.synth import networks as demo_networks
from jusoor.synth.cases import COUNTRIES, load_demo_cases
from jusoor.synth.investigations.plans import CURRENCY
from tests.conftest import DEMO_PASSWORD
from tests.support.tokens import bearer
from tests.support.web import login


def _build(db: Database, cases: int = 45) -> Counter[str]:
    """The full demo's data on top of the directory: cases, exchange, networks, then the files."""
    actor = system_actor("demo")
    with db.unit_of_work() as session:
        load_demo_cases(session, actor=actor, count=cases, seed=2026)
        demo_exchange.load_if_empty(session, actor=actor, seed=2026)
        demo_networks.load_if_empty(session, actor=actor, seed=2026)
        return demo_investigations.load_if_empty(session, actor=actor, seed=2026)


def _entered(session: Session, file: InvestigationFile) -> dict[Stage, dt.date]:
    return {span.stage: span.entered.date() for span in files.stage_spans(session, file)}


def _replay(session: Session, file: InvestigationFile) -> None:
    """Take the file's recorded moves again through the state machine, each by the side of the
    person who recorded it, with its reason, the guards judging the data as it stands."""
    events = [e for e in files.events(session, file) if e.kind in ("opened", "stage")]
    states = machine()
    assert events[0].kind == "opened" and events[0].to_stage == states.initial
    assert events[0].by_id == file.opened_by and events[0].at == file.created_at
    reached = file.stage
    current = states.initial
    with session.no_autoflush:
        for event in events[1:]:
            assert event.kind == "stage" and event.from_stage == current, file.reference
            by = session.get(User, event.by_id)
            assert by is not None and by.id in (file.lead_id, file.prosecutor_id)
            file.stage = Stage(current)  # a guard reads the stage the file is leaving
            side = access.side(agencies.actor_for(by, via="cli"))
            states.take(current, str(event.to_stage), side=side, reason=event.reason, context=file)
            current = str(event.to_stage)
        file.stage = reached
    assert current == reached.value, file.reference
    times = [e.at for e in events]
    assert times == sorted(times) and len(set(times)) == len(times), file.reference
    assert file.stage_entered_at == times[-1] <= utcnow()
    assert file.reported_on <= times[0].date()
    if reached in (Stage.no_charge, Stage.closed):
        assert file.closing_reason and file.closing_reason == events[-1].reason


def test_the_demo_holds_about_sixty_files_at_every_stage_each_a_path_of_the_state_machine(
    demo_db: Database,
) -> None:
    counts = _build(demo_db)
    assert 55 <= counts["files"] <= 65
    with demo_db.unit_of_work() as session:
        all_files = session.scalars(select(InvestigationFile)).all()
        assert len(all_files) == counts["files"]
        assert {f.stage for f in all_files} == set(Stage)
        per_country = Counter(f.country for f in all_files)
        assert set(per_country) == set(COUNTRIES) and min(per_country.values()) >= 8
        for file in all_files:
            cc = file.country.lower()
            agency = session.get(Agency, file.agency_id)
            assert agency is not None and agency.country == file.country
            assert agency.kind in (AgencyKind.police, AgencyKind.prosecution)
            lead = session.get(User, file.lead_id) if file.lead_id else None
            assert (lead.username if lead else None) == (
                f"investigator.{cc}" if agency.kind is AgencyKind.police else None
            )
            prosecutor = session.get(User, file.prosecutor_id) if file.prosecutor_id else None
            assert prosecutor is not None or file.stage is Stage.report
            assert prosecutor is None or prosecutor.username == f"prosecutor.{cc}"
            assert file.reference == files.format_reference(file.country, file.year, file.number)
            assert file.year == file.reported_on.year
            _replay(session, file)
        # Nothing is added twice.
        again = demo_investigations.load_if_empty(session, actor=system_actor("demo"))
        assert not again


def test_demo_charges_follow_the_law_file_and_judgments_their_charges_in_order(
    demo_sqlite: Database,
) -> None:
    _build(demo_sqlite)
    with demo_sqlite.unit_of_work() as session:
        by_id = {f.id: f for f in session.scalars(select(InvestigationFile))}
        entered = {f.id: _entered(session, f) for f in by_id.values()}
        defendants = {d.id: d for d in session.scalars(select(Defendant))}
        charges = {c.id: c for c in session.scalars(select(Charge))}
        for charge in charges.values():
            file, days = by_id[charge.file_id], entered[charge.file_id]
            law = offence(file.country, charge.offence)
            assert law is not None, (file.country, charge.offence)
            assert charge.offence_type == law.type.value
            assert charge.form == law.form or (law.form is None and law.type.value == "trafficking")
            assert defendants[charge.defendant_id].file_id == file.id
            assert days[Stage.prosecution_decision] <= charge.charged_on
            assert Stage.no_charge not in days
            assert Stage.trial not in days or charge.charged_on <= days[Stage.trial]
        for judgment in session.scalars(select(Judgment)):
            charge = charges[judgment.charge_id]
            days = entered[judgment.file_id]
            assert (charge.file_id, charge.defendant_id) == (
                judgment.file_id,
                judgment.defendant_id,
            )
            assert (
                charge.status is ChargeStatus.charged and charge.charged_on <= judgment.decided_on
            )
            if judgment.instance is Instance.first_instance:
                assert days[Stage.trial] <= judgment.decided_on
                assert judgment.decided_on <= days[Stage.first_instance_judgment]
            else:
                assert days[Stage.appeal] <= judgment.decided_on < days[Stage.final]
            convicted = judgment.verdict is Verdict.convicted
            assert bool(judgment.prison_months) == convicted
            assert judgment.fine_currency in (None, CURRENCY[by_id[judgment.file_id].country])
        this_year = utcnow().year
        convicted_in: dict[int, set[uuid.UUID]] = defaultdict(set)
        for judgment in session.scalars(
            select(Judgment).where(
                Judgment.instance == Instance.first_instance, Judgment.verdict == Verdict.convicted
            )
        ):
            convicted_in[judgment.decided_on.year].add(judgment.defendant_id)
        assert len(convicted_in[this_year - 1]) >= 5
        if utcnow().timetuple().tm_yday > 1:  # on the 1st of January the year has no judgment yet
            assert len(convicted_in[this_year]) >= 5


def test_demo_defendants_are_one_network_and_victims_cases_of_the_files_country(
    demo_sqlite: Database,
) -> None:
    _build(demo_sqlite)
    with demo_sqlite.unit_of_work() as session:
        neighbours: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        for link in session.scalars(select(Link)):
            neighbours[link.source_entity_id].add(link.target_entity_id)
            neighbours[link.target_entity_id].add(link.source_entity_id)
        for file in session.scalars(select(InvestigationFile)):
            days = _entered(session, file)
            people = session.scalars(select(Defendant).where(Defendant.file_id == file.id)).all()
            assert people or file.stage is Stage.report
            for defendant in people:
                entity = session.get(Entity, defendant.entity_id)
                assert entity is not None and entity.schema == "Person"
                props = entity.properties
                assert defendant.citizenship in props.get("nationality", [None])
                assert props.get("gender", [defendant.sex.value]) == [defendant.sex.value]
                assert defendant.age is None or 16 <= defendant.age <= 80
                if Stage.prosecution_decision in days:
                    assert defendant.formal_contact_on is not None
                if defendant.formal_contact_on:
                    start = days[Stage.preliminary_investigation]
                    ended = days.get(Stage.prosecution_decision) or days.get(Stage.closed)
                    assert start < defendant.formal_contact_on < (ended or utcnow().date())
            if people:  # the file's defendants are one connected community of the store
                seen, todo = {people[0].entity_id}, [people[0].entity_id]
                while todo:
                    for other in neighbours[todo.pop()] - seen:
                        seen.add(other)
                        todo.append(other)
                assert {d.entity_id for d in people} <= seen, file.reference
            for victim in session.scalars(select(VictimLink).where(VictimLink.file_id == file.id)):
                case = session.get(Case, victim.case_id)
                assert case is not None and case.country == file.country
                assert victim.case_reference == case.reference
        for exhibit in session.scalars(select(Exhibit)):
            chain = session.scalars(
                select(Custody).where(Custody.exhibit_id == exhibit.id).order_by(Custody.since)
            ).all()
            assert 1 <= len(chain) <= 3 and chain[-1].until is None
            assert all(a.until == b.since for a, b in pairwise(chain))


def test_demo_workspaces_have_hearings_deadlines_and_requests_to_show(
    demo_sqlite: Database,
) -> None:
    _build(demo_sqlite)
    today = utcnow().date()
    with demo_sqlite.unit_of_work() as session:
        week = utcnow() + dt.timedelta(days=7)
        upcoming = session.scalars(
            select(InvestigationFile.country)
            .join(Hearing, Hearing.file_id == InvestigationFile.id)
            .where(Hearing.held.is_(None), Hearing.scheduled_at <= week)
        ).all()
        assert set(upcoming) == set(COUNTRIES)
        expiring = session.scalars(
            select(InvestigationFile.country)
            .join(Instrument, Instrument.file_id == InvestigationFile.id)
            .where(Instrument.expires_on.between(today, today + dt.timedelta(days=14)))
        ).all()
        assert len(set(expiring)) >= 6
        own = node.identity(session).node_id[:2]
        tied = session.scalars(select(FileRequest)).all()
        threads = {m.thread_id: m for m in session.scalars(select(Message))}
        assert len(tied) >= 3
        for request in tied:
            file = session.get(InvestigationFile, request.file_id)
            assert file is not None and file.country == own
            assert request.thread_id in threads and threads[request.thread_id].peer == request.peer
            assert request.outgoing == (threads[request.thread_id].direction.value == "outgoing")


def test_demo_logins_see_their_scope_investigator_ma_the_ma_police_files_prosecutor_ma_all_ma(
    client: TestClient, demo_db: Database
) -> None:
    _build(demo_db)
    with demo_db.unit_of_work() as session:
        rows = session.execute(
            select(InvestigationFile.reference, InvestigationFile.country, Agency.kind).join(
                Agency, Agency.id == InvestigationFile.agency_id
            )
        ).all()
    police_ma = {r for r, c, kind in rows if c == "MA" and kind is AgencyKind.police}
    all_ma = {r for r, c, _kind in rows if c == "MA"}
    assert police_ma and police_ma < all_ma
    for username, expected in (("investigator.ma", police_ma), ("prosecutor.ma", all_ma)):
        answer = client.get(
            "/api/v1/investigations", params={"limit": 100}, headers=bearer(demo_db, username)
        )
        assert answer.status_code == 200, answer.text
        assert {f["reference"] for f in answer.json()["files"]} == expected
    caseworker = client.get("/api/v1/investigations", headers=bearer(demo_db, "caseworker.ma"))
    assert caseworker.status_code == 403
    # The file pages show the demo's files to the login that reaches them, and only to it.
    with demo_db.unit_of_work() as session:
        ids = {
            f.reference: (f.id, f.title)
            for f in session.scalars(
                select(InvestigationFile).where(InvestigationFile.country == "MA")
            )
        }
    assert login(client, demo_db, "investigator.ma", DEMO_PASSWORD).status_code == 303
    for reference, (file_id, title) in ids.items():
        page = client.get(f"/investigations/{file_id}")
        assert page.status_code == (200 if reference in police_ma else 404), reference
        shown = html.unescape(page.text)
        assert page.status_code == 404 or (reference in shown and title in shown)


def _fingerprint(tmp_path: Path, name: str) -> list[tuple[object, ...]]:
    db = Database(f"sqlite:///{tmp_path / name}")
    try:
        migrate.upgrade(db.engine)
        with db.unit_of_work() as session:
            demo.load(session, actor=system_actor("demo"), password=DEMO_PASSWORD, cases=25)
        with db.unit_of_work() as session:
            offences = defaultdict(list)
            for charge in session.scalars(select(Charge).order_by(Charge.offence)):
                offences[charge.file_id].append(charge.offence)
            return [
                (f.reference, f.title, f.stage.value, f.reported_on, sorted(offences[f.id]))
                for f in session.scalars(
                    select(InvestigationFile).order_by(InvestigationFile.reference)
                )
            ]
    finally:
        db.dispose()


def test_the_same_seed_gives_the_same_demo_files(tmp_path: Path) -> None:
    first = _fingerprint(tmp_path, "a.db")
    assert len(first) >= 55 and first == _fingerprint(tmp_path, "b.db")


def test_every_demo_event_is_worded_by_the_timeline_and_none_is_after_now(
    demo_db: Database,
) -> None:
    _build(demo_db)
    kinds: Counter[str] = Counter()
    with demo_db.unit_of_work() as session:
        now = utcnow()
        for file in session.scalars(select(InvestigationFile)).all():
            events = files.events(session, file)
            kinds.update(e.kind for e in events)
            for event in events:
                assert event.at <= now, (file.reference, event.kind)
                assert event.at >= events[0].at, (file.reference, event.kind)
                assert event.kind in worded.KINDS, (file.reference, event.kind)
                assert worded.worded(event, {}).what != event.kind, event.kind
                formatter = worded.DETAILS.get(event.kind)
                if formatter is not None:
                    formatter(event)  # each registered wording accepts what the demo wrote
            assert file.updated_at == max(e.at for e in events), file.reference
            lines = worded.timeline(session, file)
            assert len(lines) == len(events) and all(line.by != "—" for line in lines)
        # The case side: each victim link and protection measure is on the case's timeline.
        witness = Counter(
            (e.case_id, e.details["file"])
            for e in session.scalars(
                select(CaseEvent).where(CaseEvent.kind == "criminal_file_witness")
            )
        )
        links = session.execute(
            select(VictimLink.case_id, InvestigationFile.reference).join(
                InvestigationFile, InvestigationFile.id == VictimLink.file_id
            )
        ).all()
        assert links and witness == Counter((case, ref) for case, ref in links)
        assert all(at <= now for at in session.scalars(select(VictimLink.linked_at)))
        protected = session.scalars(
            select(CaseEvent).where(CaseEvent.kind == "witness_protection")
        ).all()
        assert len(protected) == kinds["protection"]
    # Every object of the files is on their timelines, not only the stage moves.
    for kind in ("defendant_added", "victim_linked", "protection", "charge", "charge_withdrawn",
                 "hearing", "hearing_outcome", "judgment", "asset", "asset_status", "exhibit",
                 "custody", "instrument", "instrument_status", "link"):  # fmt: skip
        assert kinds[kind] > 0, kind


def test_a_final_files_objects_come_between_the_stage_moves_that_allow_them(
    demo_db: Database,
) -> None:
    _build(demo_db)
    with demo_db.unit_of_work() as session:
        finals = session.scalars(
            select(InvestigationFile).where(InvestigationFile.stage == Stage.final)
        ).all()
        assert finals
        for file in finals:
            events = files.events(session, file)
            times = [e.at for e in events]
            assert times == sorted(times), file.reference
            moved = {e.to_stage: e.at for e in events if e.kind in ("opened", "stage")}
            by_kind: defaultdict[str, list[FileEvent]] = defaultdict(list)
            for event in events:
                by_kind[event.kind].append(event)
            span = {
                "defendant_added": ("report", "prosecution_decision"),
                "charge": ("prosecution_decision", "trial"),
                "hearing": ("trial", "final"),
                "judgment": ("trial", "final"),
            }
            for kind, (after, before) in span.items():
                assert by_kind[kind], (file.reference, kind)
                for event in by_kind[kind]:
                    assert moved[after] < event.at < moved[before], (file.reference, kind)
            for event in by_kind["judgment"]:
                first = event.details["instance"] == Instance.first_instance.value
                if first:
                    assert event.at < moved["first_instance_judgment"], file.reference
                judgment = session.get(Judgment, uuid.UUID(str(event.details["judgment_id"])))
                assert judgment is not None and event.at.date() == judgment.decided_on
                assert event.details["verdict"] == judgment.verdict.value
            charged = {str(c.id) for c in session.scalars(
                select(Charge).where(Charge.file_id == file.id))}  # fmt: skip
            assert {str(e.details["charge_id"]) for e in by_kind["charge"]} == charged
            names = [d.entity_id for d in file.defendants]
            for event in events:  # codes and references only: never a person's record
                assert not any(str(n) in str(event.details) for n in names), file.reference
