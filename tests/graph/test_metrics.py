"""Measures on small graphs whose answers are known: a star, two cliques and a bridge, a chain."""

from __future__ import annotations

import itertools

from jusoor.graph.build import Edge, Network, Node
from jusoor.graph.metrics import measure, shortest_paths


def network(pairs: list[tuple[str, str]], extra: tuple[str, ...] = ()) -> Network:
    names = sorted({n for pair in pairs for n in pair} | set(extra))
    nodes = [Node(n, "Person", n.upper(), (), (), ()) for n in names]
    edges = [Edge(f"{a}-{b}-{i}", "associate", a, b) for i, (a, b) in enumerate(pairs)]
    return Network(nodes=nodes, edges=edges)


def test_the_centre_of_a_star_has_the_top_betweenness_and_degree() -> None:
    star = network([("hub", leaf) for leaf in "abcdef"])
    measures = measure(star)
    top = measures.central(1)[0]
    assert top.node == "hub"
    assert top.betweenness == 1.0 and top.degree == 6
    assert all(measures.nodes[leaf].betweenness == 0.0 for leaf in "abcdef")


def test_two_cliques_joined_by_a_bridge_are_two_communities() -> None:
    left = list(itertools.combinations(["a1", "a2", "a3", "a4", "a5"], 2))
    right = list(itertools.combinations(["b1", "b2", "b3", "b4", "b5"], 2))
    measures = measure(network([*left, *right, ("a1", "b1")]))
    assert sorted(sorted(c) for c in measures.communities) == [
        ["a1", "a2", "a3", "a4", "a5"],
        ["b1", "b2", "b3", "b4", "b5"],
    ]
    assert measures.modularity > 0.4
    assert {m.node for m in measures.central(2)} == {"a1", "b1"}  # the bridge's ends


def test_communities_are_the_same_on_every_run() -> None:
    pairs = [(f"n{i}", f"n{(i * 7 + 3) % 40}") for i in range(40)]
    pairs += [(f"n{i}", f"n{i + 1}") for i in range(39)]
    first = measure(network(pairs)).communities
    assert all(measure(network(pairs)).communities == first for _ in range(3))


def test_parallel_links_count_in_degree_but_not_twice_in_paths() -> None:
    g = network([("a", "b"), ("b", "a"), ("b", "c")])
    measures = measure(g)
    assert measures.nodes["b"].degree == 3
    assert shortest_paths(g, "a", "c") == [["a", "b", "c"]]


def test_shortest_paths_between_two_entities() -> None:
    # a square a-b-d, a-c-d and a long way round a-x-y-z-d
    g = network(
        [
            ("a", "b"),
            ("b", "d"),
            ("a", "c"),
            ("c", "d"),
            ("a", "x"),
            ("x", "y"),
            ("y", "z"),
            ("z", "d"),
        ],
        extra=("lonely",),
    )
    assert shortest_paths(g, "a", "d") == [["a", "b", "d"], ["a", "c", "d"]]
    assert shortest_paths(g, "d", "a") == [["d", "b", "a"], ["d", "c", "a"]]
    assert shortest_paths(g, "a", "lonely") == []
    assert shortest_paths(g, "a", "missing") == []


def test_an_empty_network_has_no_measures() -> None:
    measures = measure(Network(nodes=[], edges=[]))
    assert measures.nodes == {} and measures.communities == []
