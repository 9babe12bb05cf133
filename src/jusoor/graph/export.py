"""A network as a file: GraphML (igraph's writer), GEXF 1.3 for Gephi (written with lxml), and
FollowTheMoney JSON lines for Aleph and other FtM tools.

Nodes carry their schema, caption, community, degree and betweenness, so that Gephi can colour
and size them at once; edges carry their type and dates. Cases are named by their id only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from typing import Literal

from lxml import etree  # type: ignore[import-untyped]

from jusoor import __version__
from jusoor.entities.io.ftm import to_ftm
from jusoor.graph.build import Network
from jusoor.graph.metrics import Measures

Format = Literal["graphml", "gexf", "ftm"]
FORMATS: tuple[Format, ...] = ("graphml", "gexf", "ftm")
GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str


def _node_values(network: Network, measures: Measures) -> list[dict[str, str | int | float]]:
    rows: list[dict[str, str | int | float]] = []
    for node in network.nodes:
        m = measures.nodes[node.id]
        rows.append(
            {
                "schema": node.schema,
                "caption": node.caption,
                "entities": len(node.entity_ids),
                "cases": ";".join(str(c) for c in node.case_ids),
                "sources": ";".join(node.sources),
                "community": m.community,
                "degree": m.degree,
                "betweenness": m.betweenness,
            }
        )
    return rows


def graphml(network: Network, measures: Measures) -> bytes:
    """GraphML as igraph writes it (it reads it back with `Graph.Read_GraphML`)."""
    g = network.graph()
    rows = _node_values(network, measures)
    for key in rows[0] if rows else ():
        g.vs[key] = [row[key] for row in rows]
    g.es["start_date"] = [e.start_date or "" for e in network.edges]
    g.es["end_date"] = [e.end_date or "" for e in network.edges]
    # igraph writes to a file name or a real file only, not to an in-memory buffer.
    handle, path = tempfile.mkstemp(suffix=".graphml")
    os.close(handle)
    try:
        g.write_graphml(path)
        with open(path, "rb") as written:
            return written.read()
    finally:
        os.unlink(path)


_GEXF_TYPES = {str: "string", int: "integer", float: "double"}


def _attributes(parent: etree._Element, kind: str, sample: dict[str, str | int | float]) -> None:
    block = etree.SubElement(parent, f"{{{GEXF_NS}}}attributes", {"class": kind})
    for key, value in sample.items():
        attrs = {"id": key, "title": key, "type": _GEXF_TYPES[type(value)]}
        etree.SubElement(block, f"{{{GEXF_NS}}}attribute", attrs)


def _values(parent: etree._Element, values: dict[str, str | int | float]) -> None:
    block = etree.SubElement(parent, f"{{{GEXF_NS}}}attvalues")
    for key, value in values.items():
        etree.SubElement(block, f"{{{GEXF_NS}}}attvalue", {"for": key, "value": str(value)})


def gexf(network: Network, measures: Measures, *, today: dt.date | None = None) -> bytes:
    """GEXF 1.3 (gexf.net), directed, with node and edge attributes; Gephi opens it."""
    root = etree.Element(
        f"{{{GEXF_NS}}}gexf",
        {f"{{{XSI_NS}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd", "version": "1.3"},
        nsmap={None: GEXF_NS, "xsi": XSI_NS},
    )
    day = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    meta = etree.SubElement(root, f"{{{GEXF_NS}}}meta", {"lastmodifieddate": day})
    etree.SubElement(meta, f"{{{GEXF_NS}}}creator").text = f"Jusoor {__version__}"
    graph = etree.SubElement(
        root, f"{{{GEXF_NS}}}graph", {"defaultedgetype": "directed", "mode": "static"}
    )
    rows = _node_values(network, measures)
    edge_sample: dict[str, str | int | float] = {"type": "", "start_date": "", "end_date": ""}
    _attributes(graph, "node", rows[0] if rows else {})
    _attributes(graph, "edge", edge_sample)
    nodes = etree.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for node, row in zip(network.nodes, rows, strict=True):
        element = etree.SubElement(
            nodes, f"{{{GEXF_NS}}}node", {"id": node.id, "label": node.caption or node.schema}
        )
        _values(element, row)
    edges = etree.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for edge in network.edges:
        attrs = {"id": edge.id, "source": edge.source, "target": edge.target, "label": edge.type}
        element = etree.SubElement(edges, f"{{{GEXF_NS}}}edge", attrs)
        _values(
            element,
            {
                "type": edge.type,
                "start_date": edge.start_date or "",
                "end_date": edge.end_date or "",
            },
        )
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def ftm(network: Network) -> bytes:
    """The entities and links shown, as FollowTheMoney entities, one JSON object a line (the
    mapping is `jusoor.entities.io.ftm`'s, so the file reads back with `jusoor entities import`)."""
    records = to_ftm(network.entities, network.links)
    return "".join(
        json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records
    ).encode()


MEDIA_TYPES = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "ftm": "application/x-ndjson",
}
EXTENSIONS = {"graphml": "graphml", "gexf": "gexf", "ftm": "ftm.json"}
