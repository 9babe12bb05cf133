"""The network an actor may see: entities as nodes, links as edges, resolved clusters merged.

Only entities and links in the actor's `entities.read` scope are loaded, and a link only when
both its ends are visible too (`jusoor.entities.service.visible_links`), so nothing of another
agency or country appears, not even as a count. The selection narrows the whole visible network
to one case or one source (`source_ref`) with the links leading out of it, or to the ego
network of a seed entity (1–3 steps).

Resolved clusters (`entity_id -> cluster_id`, `jusoor.graph.clusters`) either merge their visible
members into one node (`same_as="merge"`) or keep them and draw `same_as` edges between them
(`same_as="edges"`); members are one step apart either way when walking an ego network.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.core.errors import NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.entities import service as entities
from jusoor.entities.models import Entity, Link

if TYPE_CHECKING:
    import igraph as ig  # type: ignore[import-untyped]

MAX_DEPTH = 3
SAME_AS = "same_as"
_CHUNK = 500  # ids per IN clause

SameAs = Literal["merge", "edges"]
Clusters = Mapping[uuid.UUID, str]


@dataclass(frozen=True)
class Selection:
    """Which part of the visible network: all of it, one case, one source, or an ego network."""

    case_id: uuid.UUID | None = None
    source_ref: str | None = None
    seed: uuid.UUID | None = None
    depth: int = 1


@dataclass(frozen=True)
class Node:
    id: str  # the entity id, or "cluster:<smallest member id>" for merged visible members
    schema: str
    caption: str
    entity_ids: tuple[uuid.UUID, ...]
    case_ids: tuple[uuid.UUID, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Edge:
    id: str  # the link id, or "same_as:<a>:<b>"
    type: str
    source: str
    target: str
    start_date: str | None = None
    end_date: str | None = None


@dataclass
class Network:
    nodes: list[Node]
    edges: list[Edge]
    seed: str | None = None  # the node holding the seed entity
    index: dict[uuid.UUID, str] = field(default_factory=dict)  # entity id → node id
    entities: list[Entity] = field(default_factory=list)  # the records shown, for FtM export
    links: list[Link] = field(default_factory=list)

    def graph(self) -> ig.Graph:
        """A directed igraph with the node and edge attributes (`name` is the node id)."""
        import igraph as ig  # here, not at the top: slow to import, and only this needs it

        g = ig.Graph(directed=True)
        g.add_vertices(len(self.nodes))
        g.vs["name"] = [n.id for n in self.nodes]
        g.vs["schema"] = [n.schema for n in self.nodes]
        g.vs["caption"] = [n.caption for n in self.nodes]
        position = {n.id: i for i, n in enumerate(self.nodes)}
        g.add_edges([(position[e.source], position[e.target]) for e in self.edges])
        g.es["name"] = [e.id for e in self.edges]
        g.es["type"] = [e.type for e in self.edges]
        return g


def _chunks(ids: Sequence[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _entities(session: Session, actor: Actor, ids: Iterable[uuid.UUID]) -> list[Entity]:
    wanted = sorted(set(ids))
    found: list[Entity] = []
    for part in _chunks(wanted):
        stmt = select(Entity).where(Entity.id.in_(part), entities.visible(actor))
        found.extend(session.scalars(stmt))
    return found


def _links_touching(session: Session, actor: Actor, ids: Iterable[uuid.UUID]) -> list[Link]:
    wanted = sorted(set(ids))
    found: dict[uuid.UUID, Link] = {}
    for part in _chunks(wanted):
        for link in entities.visible_links(session, actor=actor, entity_ids=part):
            found[link.id] = link
    return list(found.values())


def _mates(clusters: Clusters) -> dict[str, set[uuid.UUID]]:
    members: dict[str, set[uuid.UUID]] = defaultdict(set)
    for entity_id, cluster_id in clusters.items():
        members[cluster_id].add(entity_id)
    return members


def _with_mates(ids: set[uuid.UUID], clusters: Clusters) -> set[uuid.UUID]:
    members = _mates(clusters)
    grown = set(ids)
    for entity_id in ids:
        cluster_id = clusters.get(entity_id)
        if cluster_id is not None:
            grown |= members[cluster_id]
    return grown


def _ego(
    session: Session, actor: Actor, seed: Entity, depth: int, clusters: Clusters
) -> tuple[list[Entity], list[Link]]:
    reached = _with_mates({seed.id}, clusters)
    frontier = set(reached)
    for _step in range(depth):
        touching = _links_touching(session, actor, frontier)
        ends = {e for lk in touching for e in (lk.source_entity_id, lk.target_entity_id)}
        frontier = _with_mates(ends - reached, clusters) - reached
        reached |= frontier
        if not frontier:
            break
    found = _entities(session, actor, reached)  # mates out of scope drop out here
    ids = {e.id for e in found}
    links = [
        lk
        for lk in _links_touching(session, actor, ids)
        if lk.source_entity_id in ids and lk.target_entity_id in ids
    ]
    return found, links


def _recorded_here(link: Link, selection: Selection) -> bool:
    return (selection.case_id is None or link.case_id == selection.case_id) and (
        selection.source_ref is None or link.source_ref == selection.source_ref
    )


def _part(session: Session, actor: Actor, selection: Selection) -> tuple[list[Entity], list[Link]]:
    """Everything visible; or the entities of a case (or source), the links recorded in it and
    every link touching those entities, with the entities at their far ends: how the case
    connects to the rest of what the actor may see."""
    stmt = select(Entity).where(entities.visible(actor))
    if selection.case_id is None and selection.source_ref is None:
        return list(session.scalars(stmt)), entities.visible_links(session, actor=actor)
    recorded = select(Link.source_entity_id, Link.target_entity_id)
    if selection.case_id is not None:
        stmt = stmt.where(Entity.case_id == selection.case_id)
        recorded = recorded.where(Link.case_id == selection.case_id)
    if selection.source_ref is not None:
        stmt = stmt.where(Entity.source_ref == selection.source_ref)
        recorded = recorded.where(Link.source_ref == selection.source_ref)
    found = {e.id: e for e in session.scalars(stmt)}
    # Ids only: the scoped queries below decide what of them may be shown.
    ends = {x for pair in session.execute(recorded) for x in pair}
    links = [
        lk
        for lk in _links_touching(session, actor, set(found) | ends)
        if lk.source_entity_id in found
        or lk.target_entity_id in found
        or _recorded_here(lk, selection)
    ]
    missing = {e for lk in links for e in (lk.source_entity_id, lk.target_entity_id)} - set(found)
    for entity in _entities(session, actor, missing):
        found[entity.id] = entity
    return list(found.values()), links


def _node(node_id: str, members: Sequence[Entity]) -> Node:
    first = members[0]
    captions = [m.caption for m in members if m.caption]
    return Node(
        id=node_id,
        schema=first.schema,
        caption=captions[0] if captions else "",
        entity_ids=tuple(m.id for m in members),
        case_ids=tuple(sorted({m.case_id for m in members if m.case_id})),
        sources=tuple(sorted({m.source_ref for m in members if m.source_ref})),
    )


def assemble(
    found: Sequence[Entity],
    links: Sequence[Link],
    clusters: Clusters | None = None,
    same_as: SameAs = "merge",
) -> Network:
    """Nodes and edges from loaded entities and links; cluster members merged or joined."""
    clusters = clusters or {}
    ordered = sorted(found, key=lambda e: (e.created_at, str(e.id)))
    groups: dict[str, list[Entity]] = defaultdict(list)
    for entity in ordered:
        cluster_id = clusters.get(entity.id)
        groups[cluster_id if cluster_id is not None else str(entity.id)].append(entity)
    nodes: list[Node] = []
    index: dict[uuid.UUID, str] = {}
    extra: list[Edge] = []
    for members in groups.values():
        if len(members) > 1 and same_as == "merge":
            # Named after a member shown, never the cluster id: that may be the id of an
            # entity of another agency, which must not appear even as a name.
            node_id = f"cluster:{min(m.id for m in members)}"
            nodes.append(_node(node_id, members))
            index.update((m.id, node_id) for m in members)
            continue
        for member in members:
            nodes.append(_node(str(member.id), [member]))
            index[member.id] = str(member.id)
        head = str(members[0].id)
        extra.extend(
            Edge(f"{SAME_AS}:{head}:{m.id}", SAME_AS, head, str(m.id)) for m in members[1:]
        )
    edges = [
        Edge(
            str(lk.id),
            lk.type,
            index[lk.source_entity_id],
            index[lk.target_entity_id],
            lk.start_date,
            lk.end_date,
        )
        for lk in sorted(links, key=lambda lk: (lk.created_at, str(lk.id)))
        if lk.source_entity_id in index
        and lk.target_entity_id in index
        and index[lk.source_entity_id] != index[lk.target_entity_id]
    ]
    shown = [lk for lk in links if lk.source_entity_id in index and lk.target_entity_id in index]
    return Network(nodes, edges + extra, index=index, entities=ordered, links=shown)


def load(
    session: Session,
    *,
    actor: Actor,
    selection: Selection,
    clusters: Clusters | None = None,
    same_as: SameAs = "merge",
) -> Network:
    """The part of the network `actor` may see that `selection` names. A seed out of scope is
    `NotFound`, like one that does not exist: never an empty graph that would confirm it.
    Not audited: the service audits what it shows."""
    actor.require(entities.READ)
    if selection.seed is not None:
        seed = _entities(session, actor, [selection.seed])
        if not seed:
            raise NotFound(_("No such entity."))
        found, links = _ego(session, actor, seed[0], selection.depth, clusters or {})
    else:
        found, links = _part(session, actor, selection)
    network = assemble(found, links, clusters, same_as)
    if selection.seed is not None:
        network.seed = network.index.get(selection.seed)
    return network
