"""/network: pick an entity (found by name, phone, number…) or a case, and see its network.

The page itself is readable without JavaScript: tables of the nodes with their centrality and
community, of the links, of the communities, and the shortest paths between two nodes. With
JavaScript, `static/js/network.js` draws the same network (from `/api/v1/graph`) with
Cytoscape, one colour a community; a click on a node opens its entity.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases.references import case_references
from jusoor.core.bounds import whole_number
from jusoor.core.errors import DomainError, Forbidden, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.i18n import ngettext
from jusoor.core.permissions import Actor
from jusoor.entities import labels, signals
from jusoor.entities import service as entities
from jusoor.graph import service
from jusoor.graph.build import MAX_DEPTH, Network, Node, Selection
from jusoor.graph.export import FORMATS
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import domain_errors
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

MAX_ROWS = 300  # rows per table; the export has everything
MAX_FOUND = 20


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value.strip()) if value.strip() else None
    except ValueError:
        return None


def _caption(node: Node) -> str:
    return node.caption or _("Unnamed %(kind)s", kind=labels.schema_label(node.schema).lower())


EXPORT_LABELS = {"graphml": "GraphML", "gexf": "GEXF (Gephi)", "ftm": "FollowTheMoney (Aleph)"}


def _depth_choices() -> list[tuple[str, str]]:
    return [(str(n), ngettext("%(num)s step", "%(num)s steps", n)) for n in range(1, MAX_DEPTH + 1)]


def _node_choices(nodes: list[Node]) -> list[tuple[str, str]]:
    # An <option> cannot hold <bdi>: isolate the text with LRI/FSI … PDI instead.
    def isolated(n: Node) -> str:
        mark = "\u2066" if labels.value_dir(n.schema) == "ltr" else "\u2068"
        return f"{mark}{_caption(n)}\u2069"

    return [(n.id, isolated(n)) for n in sorted(nodes, key=lambda n: (_caption(n), n.id))]


def _paths(
    db: Session, actor: Actor, network: Network, path_from: str, path_to: str
) -> dict[str, Any]:
    nodes = {n.id: n for n in network.nodes}
    if path_from not in nodes or path_to not in nodes:
        return {}
    first, second = nodes[path_from].entity_ids[0], nodes[path_to].entity_ids[0]
    found = service.paths(db, actor=actor, source=first, target=second)
    named = {n.id: n for n in found.network.nodes}
    return {"paths": [[named[step] for step in path] for path in found.paths], "asked": True}


def _view(
    db: Session, actor: Actor, selection: Selection, path_from: str, path_to: str
) -> dict[str, Any]:
    view = service.network(db, actor=actor, selection=selection)
    network, measures = view.network, view.measures
    ranked = sorted(network.nodes, key=lambda n: (-measures.nodes[n.id].betweenness, n.id))
    by_id = {n.id: n for n in network.nodes}
    query: dict[str, str] = {}
    if selection.seed:
        query = {"entity": str(selection.seed), "depth": str(selection.depth)}
    elif selection.case_id:
        query = {"case": str(selection.case_id)}
    return {
        "network": network,
        "measures": measures,
        "ranked": ranked[:MAX_ROWS],
        "edges": network.edges[:MAX_ROWS],
        "by_id": by_id,
        "truncated": len(network.nodes) > MAX_ROWS or len(network.edges) > MAX_ROWS,
        "communities": [[by_id[n] for n in members] for members in measures.communities],
        "graph_url": "/api/v1/graph?" + urlencode(query),
        "exports": [
            (fmt, f"/api/v1/graph/export?{urlencode({**query, 'format': fmt})}") for fmt in FORMATS
        ],
        "case_reference": case_references(db, [selection.case_id]).get(selection.case_id, "")
        if selection.case_id
        else "",
        "max_rows": MAX_ROWS,
        "path_from": path_from,
        "path_to": path_to,
        **_paths(db, actor, network, path_from, path_to),
    }


@router.get("/network", response_class=HTMLResponse)
def network_page(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    entity: str = "",
    case: str = "",
    depth: str = "1",
    q: str = "",
    path_from: str = "",
    path_to: str = "",
) -> HTMLResponse:
    chosen_depth = whole_number(depth, low=1, high=MAX_DEPTH) or 1
    seed, case_id = _uuid(entity), _uuid(case)
    values: dict[str, Any] = {
        "q": q.strip()[:200],
        "depth": chosen_depth,
        "depth_choices": _depth_choices(),
        "node_choices": _node_choices,
        "export_label": EXPORT_LABELS.get,
        # The first service call: Forbidden for those who may not read entities.
        "case_choices": [(str(c), ref) for c, ref in service.case_choices(db, actor=actor)],
        "case": str(case_id) if case_id and not seed else "",
        "found": None,
        "errors": {},
        "seed": None,
        "caption": _caption,
        **labels.template_helpers(),
    }
    if values["q"] and not seed:
        values["found"] = entities.list_entities(db, actor=actor, text=values["q"], limit=MAX_FOUND)
        found = signals.case_signals(db, actor=actor, text=values["q"])
        values["signals"] = [signals.signal_message(s) for s in found]
        values["contacts_page"] = signals.CONTACTS_PAGE
    selection = None
    if seed:
        selection = Selection(seed=seed, depth=chosen_depth)
    elif case_id:
        selection = Selection(case_id=case_id)
    status = 200
    if selection is not None:
        try:
            values.update(_view(db, actor, selection, path_from, path_to))
            values["seed"] = values["by_id"].get(values["network"].seed or "")
        except DomainError as exc:
            if isinstance(exc, (Forbidden, NotFound)):
                # A case or entity this user may not see: answered here in the page's layout,
                # so audited here, in the request's own transaction (ASVS 7.2.2).
                audit.record(
                    db,
                    actor=actor,
                    action="access.refused",
                    outcome="refused",
                    details={"method": request.method, "path": request.url.path, "code": exc.code},
                )
            values["errors"] = domain_errors(exc)
            status = 404 if "_form" in values["errors"] else 422
    return render(request, "graph/network.html", values, status_code=status)
