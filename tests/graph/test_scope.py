"""Scope: the network of one country's investigator holds nothing of another's, not a node, not
an edge, not a count; ego networks stop at the scope's edge; exports and paths likewise."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.graph import service
from jusoor.graph.build import Selection
from tests.graph.support import actor, two_countries


def _details(event: AuditEvent) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(event.details)
    return loaded


def _ids(view: service.View) -> set[uuid.UUID]:
    return {e for node in view.network.nodes for e in node.entity_ids}


def test_each_investigator_sees_only_their_own_agencys_network(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        data = two_countries(session)
        ma = service.network(
            session, actor=actor(session, "investigator.ma"), selection=Selection()
        )
        tn = service.network(
            session, actor=actor(session, "investigator.tn"), selection=Selection()
        )
        assert _ids(ma) == data.moroccan
        assert _ids(tn) == data.tunisian
        assert len(ma.network.edges) == 5 and len(tn.network.edges) == 1
        edge_ids = {e.id for view in (ma, tn) for e in view.network.edges}
        assert str(data.across) not in edge_ids
        assert sum(len(c) for c in tn.measures.communities) == 2
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "graph.read").order_by(AuditEvent.seq)
        ).all()
        assert [(d["nodes"], d["edges"]) for d in map(_details, events)] == [(6, 5), (2, 1)]


def test_an_ego_network_stops_at_the_scope_edge(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        data = two_countries(session)
        ma = actor(session, "investigator.ma")
        one = service.network(session, actor=ma, selection=Selection(seed=data.amine, depth=1))
        assert _ids(one) == {data.amine, data.phone}
        assert one.network.seed == str(data.amine)
        three = service.network(session, actor=ma, selection=Selection(seed=data.amine, depth=3))
        assert _ids(three) == {data.amine, data.phone, data.brahim, data.chaima, data.driss}
        tn = actor(session, "investigator.tn")
        ego = service.network(session, actor=tn, selection=Selection(seed=data.tarek, depth=3))
        assert _ids(ego) == data.tunisian
        with pytest.raises(NotFound):  # a seed out of scope is not found, not an empty graph
            service.network(session, actor=tn, selection=Selection(seed=data.amine))


def test_a_prosecutor_sees_the_country_and_others_see_nothing(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        data = two_countries(session)
        prosecutor = actor(session, "prosecutor.ma")
        view = service.network(session, actor=prosecutor, selection=Selection())
        assert _ids(view) == data.moroccan
        with pytest.raises(Forbidden):
            service.network(session, actor=actor(session, "caseworker.ma"), selection=Selection())


def test_paths_and_exports_hold_nothing_from_the_other_country(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        data = two_countries(session)
        ma = actor(session, "investigator.ma")
        found = service.paths(session, actor=ma, source=data.amine, target=data.driss)
        assert found.paths == [
            [str(data.amine), str(data.phone), str(data.brahim), str(data.driss)]
        ]
        with pytest.raises(Invalid) as refused:
            service.paths(session, actor=ma, source=data.amine, target=data.tarek)
        assert refused.value.field == "to"
        tn = actor(session, "investigator.tn")
        for fmt in ("graphml", "gexf", "ftm"):
            content = service.export(session, actor=tn, fmt=fmt, selection=Selection()).content
            text = content.decode()
            for foreign in data.moroccan | {data.across}:
                assert str(foreign) not in text and foreign.hex not in text
            assert "Amine" not in text and "Tarek Ben Salah" in text
        lines = service.export(session, actor=tn, fmt="ftm", selection=Selection()).content
        records = [json.loads(line) for line in lines.decode().splitlines()]
        assert {r["schema"] for r in records} == {"Person"}  # the phone is Tarek's value
        assert records[0]["properties"]["phone"] == ["+21620123456"]
        exports = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "graph.export")
        ).all()
        assert [_details(e)["format"] for e in exports] == ["graphml", "gexf", "ftm", "ftm"]
        assert all(_details(e)["nodes"] == 2 for e in exports)


def test_a_depth_out_of_range_names_the_field(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        data = two_countries(session)
        ma = actor(session, "investigator.ma")
        with pytest.raises(Invalid) as refused:
            service.network(session, actor=ma, selection=Selection(seed=data.amine, depth=4))
        assert refused.value.field == "depth"
