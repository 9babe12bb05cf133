"""The JSON shapes of a network (the network page's script reads these) and of shortest paths."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from jusoor.entities.labels import link_label
from jusoor.graph.build import Network, Node
from jusoor.graph.metrics import Measures


class NodeRead(BaseModel):
    id: str = Field(description="The entity id, or cluster:<id> for a resolved cluster.")
    schema_: str = Field(serialization_alias="schema")
    caption: str
    entity_ids: list[uuid.UUID]
    case_ids: list[uuid.UUID]
    sources: list[str]
    url: str = Field(description="The page of the entity (the cluster's first member).")
    degree: int
    betweenness: float = Field(description="Normalised betweenness centrality, 0 to 1.")
    community: int = Field(description="Leiden community; 0 is the largest.")


class EdgeRead(BaseModel):
    id: str
    type: str = Field(description="The link type (uses_phone, paid, …) or same_as.")
    label: str = Field(description="The link type in the caller's language.")
    source: str
    target: str
    start_date: str | None
    end_date: str | None


class GraphRead(BaseModel):
    seed: str | None = Field(description="The node of the entity the network was drawn around.")
    nodes: list[NodeRead]
    edges: list[EdgeRead]
    communities: list[int] = Field(description="The size of each community, largest first.")
    modularity: float


class PathNode(BaseModel):
    id: str
    schema_: str = Field(serialization_alias="schema")
    caption: str
    url: str


class PathRead(BaseModel):
    source: str
    target: str
    paths: list[list[str]] = Field(description="Node ids from source to target, shortest first.")
    nodes: list[PathNode] = Field(description="The nodes on these paths.")


def node_url(node: Node) -> str:
    return f"/entities/{node.entity_ids[0]}"


def path_node(node: Node) -> PathNode:
    return PathNode(id=node.id, schema_=node.schema, caption=node.caption, url=node_url(node))


def node_read(node: Node, measures: Measures) -> NodeRead:
    m = measures.nodes[node.id]
    return NodeRead(
        id=node.id,
        schema_=node.schema,
        caption=node.caption,
        entity_ids=list(node.entity_ids),
        case_ids=list(node.case_ids),
        sources=list(node.sources),
        url=node_url(node),
        degree=m.degree,
        betweenness=round(m.betweenness, 6),
        community=m.community,
    )


def graph_read(network: Network, measures: Measures) -> GraphRead:
    return GraphRead(
        seed=network.seed,
        nodes=[node_read(n, measures) for n in network.nodes],
        edges=[
            EdgeRead(
                id=e.id,
                type=e.type,
                label=link_label(e.type),
                source=e.source,
                target=e.target,
                start_date=e.start_date,
                end_date=e.end_date,
            )
            for e in network.edges
        ],
        communities=[len(c) for c in measures.communities],
        modularity=round(measures.modularity, 6),
    )
