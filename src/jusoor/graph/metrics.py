"""Measures of a network: degree, betweenness, Leiden communities and shortest paths.

Links are directed in the store (A paid B) but who-knows-whom is not: measures are taken on the
undirected simple graph, parallel links counted as weight. Leiden (Traag, Waltman and van Eck,
Sci. Rep. 9:5233, 2019) rather than Louvain, because its communities are always connected; it
runs with a fixed seed so that the same data always gives the same communities.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jusoor.graph.build import Network

if TYPE_CHECKING:
    import igraph as ig  # type: ignore[import-untyped]

LEIDEN_SEED = 42
MAX_PATHS = 10


@dataclass(frozen=True)
class NodeMeasure:
    node: str
    degree: int  # links at this node, each counted
    betweenness: float  # normalised to [0, 1]
    community: int  # 0 is the largest community


@dataclass(frozen=True)
class Measures:
    nodes: dict[str, NodeMeasure]
    communities: list[list[str]]  # node ids, largest first
    modularity: float

    def central(self, limit: int = 10) -> list[NodeMeasure]:
        """The most central nodes: betweenness first, then degree, then id for a stable order."""
        ranked = sorted(self.nodes.values(), key=lambda m: (-m.betweenness, -m.degree, m.node))
        return ranked[:limit]


def simple(network: Network) -> ig.Graph:
    """The undirected simple graph, the number of links between two nodes as `weight`."""
    g = network.graph()
    g.es["weight"] = [1] * g.ecount()
    return g.as_undirected(mode="collapse", combine_edges={"weight": "sum"})


def _communities(g: ig.Graph) -> tuple[list[list[int]], float]:
    import leidenalg  # type: ignore[import-untyped]  # here: slow to import (igraph)

    if g.ecount() == 0:
        return [[v] for v in range(g.vcount())], 0.0
    partition = leidenalg.find_partition(
        g, leidenalg.ModularityVertexPartition, weights="weight", seed=LEIDEN_SEED
    )
    groups = [sorted(members) for members in partition]
    return groups, float(partition.modularity)


def measure(network: Network) -> Measures:
    """Degree, betweenness and community of every node."""
    g = simple(network)
    n = g.vcount()
    links = Counter(end for e in network.edges for end in (e.source, e.target))
    raw = g.betweenness(directed=False) if n else []
    scale = (n - 1) * (n - 2) / 2 if n > 2 else 1.0
    groups, modularity = _communities(g)
    groups.sort(key=lambda members: (-len(members), members[0]))
    community = {v: i for i, members in enumerate(groups) for v in members}
    names = g.vs["name"] if n else []
    nodes = {
        names[v]: NodeMeasure(names[v], links[names[v]], float(raw[v]) / scale, community[v])
        for v in range(n)
    }
    return Measures(
        nodes=nodes,
        communities=[[names[v] for v in members] for members in groups],
        modularity=modularity,
    )


def shortest_paths(network: Network, source: str, target: str) -> list[list[str]]:
    """Every shortest path between two nodes (at most `MAX_PATHS`), as lists of node ids; an
    empty list when they are not connected."""
    g = simple(network)
    names = g.vs["name"]
    position = {name: i for i, name in enumerate(names)}
    if source not in position or target not in position:
        return []
    if source == target:
        return [[source]]
    found = g.get_all_shortest_paths(position[source], to=position[target])
    paths = sorted([[names[v] for v in path] for path in found])
    return paths[:MAX_PATHS]
