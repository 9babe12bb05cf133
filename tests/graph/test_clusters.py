"""Resolved clusters in the network: members the actor may see become one node (or are joined by
"same as" edges), and a cluster reaching into another agency reveals nothing of it."""

from __future__ import annotations

import uuid

from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from jusoor.entities.matching import judgements
from jusoor.graph import service
from jusoor.graph.build import SAME_AS, Selection
from tests.graph.support import actor, entity, link, two_countries


def test_members_of_a_resolved_cluster_are_one_node(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        data = two_countries(session)
        ma = actor(session, "investigator.ma")
        again = entity(session, ma, "Phone", number="0612345678")  # the same phone, read again
        link(session, ma, "uses_phone", data.chaima, again)
        tn = actor(session, "investigator.tn")
        foreign = entity(session, tn, "Phone", number="+212612345678")  # Tunisia has it too

        view = service.network(session, actor=ma, selection=Selection(seed=data.amine, depth=1))
        phones = [n for n in view.network.nodes if n.schema == "Phone"]
        assert len(phones) == 1 and set(phones[0].entity_ids) == {data.phone, again}
        assert phones[0].id == f"cluster:{min(data.phone, again)}"
        assert {e for n in view.network.nodes for e in n.entity_ids} == {
            data.amine,
            data.phone,
            again,
        }

        two = service.network(session, actor=ma, selection=Selection(seed=data.amine, depth=2))
        assert data.chaima in {e for n in two.network.nodes for e in n.entity_ids}

        theirs = service.network(session, actor=tn, selection=Selection())
        ids = {n.id for n in theirs.network.nodes}
        assert str(foreign) in ids
        for moroccan in (data.phone, again):
            assert all(str(moroccan) not in node for node in ids)


def test_judgements_merge_people_but_never_through_another_agency(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        data = two_countries(session)
        ma = actor(session, "investigator.ma")
        judgements.judge(
            session,
            actor=ma,
            entity_a=data.chaima,
            entity_b=data.driss,
            decision="same",
            reason="The same passport photograph.",
        )
        operator = system_actor("operator")
        for moroccan in (data.amine, data.brahim):  # Amine ~ Tarek ~ Brahim, through Tunisia
            judgements.judge(
                session,
                actor=operator,
                entity_a=moroccan,
                entity_b=data.tarek,
                decision="same",
                reason="Matched by the operator.",
            )
        view = service.network(session, actor=ma, selection=Selection())
        groups = {frozenset(n.entity_ids) for n in view.network.nodes}
        assert frozenset({data.chaima, data.driss}) in groups
        assert frozenset({data.amine}) in groups and frozenset({data.brahim}) in groups


def test_same_as_edges_instead_of_merging() -> None:
    from jusoor.graph.build import Network, assemble

    class Record:
        def __init__(self, n: int, schema: str = "Person") -> None:
            self.id = uuid.UUID(int=n)
            self.schema, self.caption = schema, f"e{n}"
            self.case_id, self.source_ref, self.created_at = None, None, n

    class Tie:
        def __init__(self, n: int, a: int, b: int) -> None:
            self.id, self.type = uuid.UUID(int=100 + n), "associate"
            self.source_entity_id, self.target_entity_id = uuid.UUID(int=a), uuid.UUID(int=b)
            self.start_date = self.end_date = None
            self.created_at = n

    records = [Record(n) for n in (1, 2, 3)]
    ties = [Tie(1, 1, 3), Tie(2, 2, 3), Tie(3, 1, 2)]
    clusters = {uuid.UUID(int=1): "k", uuid.UUID(int=2): "k"}
    merged: Network = assemble(records, ties, clusters, "merge")  # type: ignore[arg-type]
    assert [n.id for n in merged.nodes] == [f"cluster:{uuid.UUID(int=1)}", str(uuid.UUID(int=3))]
    assert len(merged.edges) == 2  # 1→3 and 2→3; the link inside the cluster is no edge
    joined = assemble(records, ties, clusters, "edges")  # type: ignore[arg-type]
    assert len(joined.nodes) == 3
    assert [e.type for e in joined.edges].count(SAME_AS) == 1 and len(joined.edges) == 4
