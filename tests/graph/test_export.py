"""Exports read back: GraphML with igraph, GEXF 1.3 with lxml, with the same nodes and edges."""

from __future__ import annotations

import igraph as ig  # type: ignore[import-untyped]
from lxml import etree  # type: ignore[import-untyped]

from jusoor.graph.export import GEXF_NS, gexf, graphml
from jusoor.graph.metrics import measure
from tests.graph.test_metrics import network

PAIRS = [("hub", "a"), ("hub", "b"), ("hub", "c"), ("a", "b"), ("c", "d")]


def test_graphml_reads_back_with_igraph(tmp_path: object) -> None:
    net = network(PAIRS, extra=("alone",))
    path = f"{tmp_path}/n.graphml"
    with open(path, "wb") as out:
        out.write(graphml(net, measure(net)))
    g = ig.Graph.Read_GraphML(path)
    assert g.vcount() == 6 and g.ecount() == 5 and g.is_directed()
    assert sorted(g.vs["name"]) == sorted(n.id for n in net.nodes)
    hub = g.vs.find(name="hub")
    assert hub["degree"] == 3 and hub["caption"] == "HUB" and hub["schema"] == "Person"
    assert set(g.es["type"]) == {"associate"}


def test_gexf_is_gexf_1_3_with_every_node_and_edge() -> None:
    net = network(PAIRS, extra=("alone",))
    root = etree.fromstring(gexf(net, measure(net)))
    ns = {"g": GEXF_NS}
    assert root.tag == f"{{{GEXF_NS}}}gexf" and root.get("version") == "1.3"
    assert len(root.findall("g:graph/g:nodes/g:node", ns)) == 6
    edges = root.findall("g:graph/g:edges/g:edge", ns)
    assert len(edges) == 5
    assert {(e.get("source"), e.get("target")) for e in edges} == set(PAIRS)
    hub = root.find("g:graph/g:nodes/g:node[@id='hub']", ns)
    assert hub is not None and hub.get("label") == "HUB"
    values = {v.get("for"): v.get("value") for v in hub.iterfind("g:attvalues/g:attvalue", ns)}
    assert values["degree"] == "3" and values["community"] in {"0", "1"}
    declared = {a.get("id") for a in root.iterfind("g:graph/g:attributes/g:attribute", ns)}
    assert set(values) <= declared
