"""The one rule for records tied to a case (`jusoor.entities.scope`), at the service level:
field-level grants, the case's readers, the audit as a case read, the hit/no-hit signal, the
operator's exports, and what may be named and judged."""

from __future__ import annotations

import io
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from jusoor.agencies.models import User, UserRole
from jusoor.core.db import Database
from jusoor.core.errors import Invalid
from jusoor.core.permissions import Actor, system_actor
from jusoor.entities import service, signals
from jusoor.entities.io import ftm
from jusoor.entities.matching import judgements
from jusoor.entities.models import Entity
from jusoor.entities.schemas import EntityCreate
from jusoor.entities.scope import visible
from jusoor.graph import cli as graph_cli
from jusoor.graph import service as graph
from jusoor.graph.build import Selection
from tests.cases.support import actor
from tests.entities.case_support import build, case_reads, leaked
from tests.entities.review_support import actions
from tests.referrals.support import SECRET_NAME, refer
from tests.referrals.support import open_case as referred_case


def _schemas(session: Session, who: Actor, case_id: uuid.UUID) -> set[str]:
    stmt = select(Entity.schema).where(Entity.case_id == case_id, visible(who))
    return set(session.scalars(stmt))


@pytest.mark.parametrize(
    ("fields", "seen"),
    [
        (("age_band", "gender", "languages"), set()),
        (("name",), set()),  # the Person record also holds aliases, birth date, nationality
        (("name", "aliases", "date_of_birth", "citizenship"), {"Person"}),
        (("contact",), {"Phone"}),
        (("name", "aliases", "date_of_birth", "citizenship", "contact"), {"Person", "Phone"}),
    ],
)
def test_a_grant_shows_only_the_records_of_the_fields_it_shares(
    demo_db: Database, fields: tuple[str, ...], seen: set[str]
) -> None:
    with demo_db.unit_of_work() as session:
        case_id = referred_case(session)
        refer(session, case_id, fields=fields)
        provider = actor(session, "provider.ma")
        assert _schemas(session, provider, case_id) == seen
        # The owning agency's case worker reads them all; the country's prosecutor none.
        assert _schemas(session, actor(session, "caseworker.ma"), case_id) == {"Person", "Phone"}
        assert _schemas(session, actor(session, "prosecutor.ma"), case_id) == set()


def _investigating_case_worker(session: Session, username: str) -> Actor:
    """A case worker who also investigates (a user may hold two roles): reads the agency's
    cases and its entities, so sees the case records through the entity paths."""
    user = session.scalars(select(User).where(User.username == username)).one()
    session.add(UserRole(user_id=user.id, role="investigator"))
    session.flush()
    session.expire(user)
    return actor(session, username)


def test_whom_may_read_the_case_sees_its_records_and_each_showing_is_a_case_read(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as session:
        world = build(session)
        owner = _investigating_case_worker(session, "caseworker.eg")
        rows = service.list_entities(session, actor=owner, limit=500)
        assert {r.id for r in rows} >= set(world.eg.records.values())
        assert not {r.id for r in rows} & set(world.ma.records.values())
        [listed] = case_reads(session, world.eg.case_id)
        assert listed["username"] == "caseworker.eg" and listed["via"] == "entity.list"
        assert listed["reference"] == world.eg.reference
        assert listed["entities"] == {"Email": 1, "IdentityDocument": 1, "Person": 1, "Phone": 1}
        assert "name" in listed["fields"] and "contact" in listed["fields"]
        detail = service.entity_detail(session, actor=owner, entity_id=world.eg.person)
        assert {n.id for n in detail.neighbours} == {
            world.eg.records[s] for s in ("Phone", "Email", "IdentityDocument")
        }
        read = case_reads(session, world.eg.case_id)[-1]
        assert read["via"] == "entity.read" and read["links"] == 3
        view = graph.network(session, actor=owner, selection=Selection(case_id=world.eg.case_id))
        assert {n.caption for n in view.network.nodes} >= {"Amal Zeinab Victimova"}
        assert case_reads(session, world.eg.case_id)[-1]["via"] == "graph.read"
        # Nobody else's reads are in this case's history: the prosecutor saw nothing of it.
        prosecutor = actor(session, "prosecutor.eg")
        service.list_entities(session, actor=prosecutor, limit=500)
        graph.network(session, actor=prosecutor, selection=Selection())
        assert {r["username"] for r in case_reads(session, world.eg.case_id)} == {"caseworker.eg"}


def test_the_operators_export_holds_the_cases_and_audits_each_as_read(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        world = build(session)
        out = io.StringIO()
        ftm.export_ftm(session, actor=system_actor("operator"), out=out)
        assert leaked(out.getvalue(), world.eg) and leaked(out.getvalue(), world.ma)
        for victim in (world.eg, world.ma):
            [read] = case_reads(session, victim.case_id)
            assert read["via"] == "entity.export" and read["username"] == "operator"
        # The prosecutor's export of the same node holds the suspect, not the victims.
        mine = graph.export(
            session, actor=actor(session, "prosecutor.eg"), fmt="ftm", selection=Selection()
        )
        text = mine.content.decode()
        assert "Karim Haddad Smuggler" in text
        assert not leaked(text, world.eg) and not leaked(text, world.ma)


def test_the_cli_exports_say_they_hold_case_data_and_are_written_for_the_operator_only(
    demo_db: Database, tmp_path: Path
) -> None:
    with demo_db.unit_of_work() as session:
        world = build(session)
    runner = CliRunner()
    helped = runner.invoke(graph_cli.app, ["export", "--help"], terminal_width=200)
    assert "case data" in helped.output
    out = tmp_path / "net.graphml"
    done = runner.invoke(graph_cli.app, ["export", "--format", "graphml", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert os.stat(out).st_mode & 0o777 == 0o600
    assert leaked(out.read_text("utf-8"), world.eg)
    with demo_db.unit_of_work() as session:
        assert case_reads(session, world.eg.case_id)[-1]["via"] == "graph.export"


def test_a_search_signals_the_agency_holding_the_case_and_is_audited(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        world = build(session)
        prosecutor = actor(session, "prosecutor.eg")
        [signal] = signals.case_signals(session, actor=prosecutor, text="0100 555 7788")
        assert signal.country == "EG" and not leaked(signals.signal_message(signal), world.eg)
        assert actions(session, "entity.case_signal")[-1].object_type == "agency"
        assert signals.case_signals(session, actor=prosecutor, text=world.eg.reference) == []
        # Whom may read the case gets the records, not a signal about them.
        owner = _investigating_case_worker(session, "caseworker.eg")
        assert signals.case_signals(session, actor=owner, text="0100 555 7788") == []


def test_only_whom_may_read_a_case_may_name_it_or_judge_its_records(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        world = build(session)
        police = actor(session, "investigator.eg")
        named = EntityCreate.model_validate(
            {"schema": "Person", "properties": {"name": ["X Y"]}, "case_id": str(world.eg.case_id)}
        )
        with pytest.raises(Invalid) as refused:
            service.create_entity(session, actor=police, entity_in=named)
        assert refused.value.field == "case_id"
        unnamed = EntityCreate.model_validate(
            {"schema": "Person", "properties": {"name": ["X Y"]}, "source_kind": "case"}
        )
        with pytest.raises(Invalid):
            service.create_entity(session, actor=police, entity_in=unnamed)
        with pytest.raises(Invalid):
            judgements.judge(
                session,
                actor=actor(session, "prosecutor.eg"),
                entity_a=world.eg.person,
                entity_b=world.suspect,
                decision="different",
                reason="probe",
            )
        reachable = select(Entity.id).where(judgements.reachable(actor(session, "caseworker.eg")))
        assert world.eg.person in set(session.scalars(reachable))
        assert SECRET_NAME  # the referral helpers' victim is another case: not touched here


def test_match_review_shows_case_persons_to_their_case_workers_only_and_audits_the_reads(
    demo_db: Database,
) -> None:
    from jusoor.entities.matching.suggestions import open_suggestions
    from tests.entities.review_support import ARABIC, LATIN, person

    with demo_db.unit_of_work() as session:
        first = person(session, name=ARABIC, contact="+222 22 45 67 89")
        second = person(session, name=LATIN, contact="+222 22 45 67 89")
        worker = actor(session, "caseworker.ma")
        [pair] = open_suggestions(session, actor=worker)
        assert {pair.a.case_id, pair.b.case_id} == {first.id, second.id}
        for case in (first, second):
            assert case_reads(session, case.id)[-1]["via"] == "entity.review"
        assert open_suggestions(session, actor=actor(session, "prosecutor.ma")) == []
        assert open_suggestions(session, actor=actor(session, "caseworker.tn")) == []


def test_an_import_into_the_cases_agency_never_links_to_a_case_record(
    demo_db: Database, tmp_path: Path
) -> None:
    from jusoor.entities.io import tabular
    from jusoor.entities.io.mapping import parse_mapping

    path = tmp_path / "people.csv"
    path.write_text("name,phone\nSomeone Else,+20 100 555 7788\n", encoding="utf-8")
    mapping = parse_mapping(
        {
            "schema": "Person",
            "columns": {"name": "name"},
            "linked": [
                {"column": "phone", "schema": "Phone", "property": "number", "link": "uses_phone"}
            ],
        }
    )
    with demo_db.unit_of_work() as session:
        world = build(session)
        case_agency = session.get(Entity, world.eg.person)
        assert case_agency is not None
        summary = tabular.import_table(
            session,
            actor=system_actor("operator"),
            path=path,
            mapping=mapping,
            agency_id=case_agency.agency_id,
        )
        assert summary.reused == 0 and summary.entities == {"Person": 1, "Phone": 1}
