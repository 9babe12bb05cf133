"""Networks as investigators see them: the graph of what they may read, measured, its shortest
paths, and exports. Each call checks `entities.read` (the scope of the entities store) and is
audited with what was shown: the seed, the selection and the counts of nodes and edges.

    network(session, *, actor, selection) -> View                (graph.read)
    paths(session, *, actor, source, target) -> Paths            (graph.path)
    export(session, *, actor, fmt, selection) -> ExportFile      (graph.export)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases.access import can_read_case
from jusoor.cases.models import Case
from jusoor.cases.references import case_references
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.entities import service as entities
from jusoor.entities.case_reads import audit_case_reads
from jusoor.entities.models import Entity
from jusoor.graph import build, metrics
from jusoor.graph import export as files
from jusoor.graph.build import Network, Selection
from jusoor.graph.clusters import visible_clusters
from jusoor.graph.metrics import Measures

READ = entities.READ


@dataclass(frozen=True)
class View:
    network: Network
    measures: Measures


@dataclass(frozen=True)
class Paths:
    network: Network  # the whole visible network the paths run through
    source: str
    target: str
    paths: list[list[str]]  # node ids, each path from source to target


def case_choices(session: Session, *, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """The cases the actor's visible entities come from, by reference, to pick a network."""
    actor.require(READ)
    stmt = select(Entity.case_id).where(entities.visible(actor), Entity.case_id.is_not(None))
    ids = [case_id for case_id in session.scalars(stmt.distinct()) if case_id is not None]
    found = case_references(session, ids)
    return sorted(found.items(), key=lambda item: item[1])


def check(selection: Selection) -> Selection:
    """The selection, or Invalid naming the field that cannot be used."""
    if not 1 <= selection.depth <= build.MAX_DEPTH:
        raise Invalid(
            "depth",
            _("The depth must be between 1 and %(most)s steps.", most=build.MAX_DEPTH),
        )
    if selection.seed is not None and (selection.case_id or selection.source_ref):
        raise Invalid("entity", _("Choose either an entity or a case, not both."))
    return selection


def _details(selection: Selection, network: Network) -> dict[str, Any]:
    return {
        "seed": str(selection.seed) if selection.seed else None,
        "depth": selection.depth if selection.seed else None,
        "case_id": str(selection.case_id) if selection.case_id else None,
        "source_ref": selection.source_ref,
        "nodes": len(network.nodes),
        "edges": len(network.edges),
        "entities": len(network.entities),
    }


def _check_case(session: Session, actor: Actor, selection: Selection) -> None:
    """A case's network is drawn only for whom may read the case: any other gets "no such
    case", like a case that does not exist (its existence is not revealed)."""
    if selection.case_id is None or actor.via == "system":
        return
    case = session.get(Case, selection.case_id)
    if case is None or not can_read_case(session, actor, case):
        raise NotFound(_("No such case."))


def _load(session: Session, actor: Actor, selection: Selection) -> Network:
    actor.require(READ)
    _check_case(session, actor, check(selection))
    clusters = visible_clusters(session, actor=actor)
    return build.load(session, actor=actor, selection=selection, clusters=clusters)


def _audit_cases(session: Session, actor: Actor, via: str, shown: Network) -> None:
    audit_case_reads(session, actor=actor, via=via, entities=shown.entities, links=shown.links)


def network(session: Session, *, actor: Actor, selection: Selection) -> View:
    """The part of the network the actor may see that `selection` names, with its measures."""
    shown = _load(session, actor, selection)
    audit.record(
        session,
        actor=actor,
        action="graph.read",
        object_type="entity",
        object_id=selection.seed,
        details=_details(selection, shown),
    )
    _audit_cases(session, actor, "graph.read", shown)
    return View(shown, metrics.measure(shown))


def paths(session: Session, *, actor: Actor, source: uuid.UUID, target: uuid.UUID) -> Paths:
    """The shortest paths between two entities through everything the actor may see; an entity
    out of scope is Invalid like one that does not exist."""
    whole = _load(session, actor, Selection())
    ends = []
    for field, entity_id in (("from", source), ("to", target)):
        node = whole.index.get(entity_id)
        if node is None:
            raise Invalid(field, _("No such entity."))
        ends.append(node)
    found = metrics.shortest_paths(whole, ends[0], ends[1])
    audit.record(
        session,
        actor=actor,
        action="graph.path",
        object_type="entity",
        object_id=source,
        details={
            "from": str(source),
            "to": str(target),
            "paths": len(found),
            "length": len(found[0]) - 1 if found else None,
        },
    )
    on_paths = {node for path in found for node in path}
    _audit_cases(
        session,
        actor,
        "graph.path",
        build.Network(
            [],
            [],
            entities=[e for e in whole.entities if whole.index.get(e.id) in on_paths],
            links=[],
        ),
    )
    return Paths(whole, ends[0], ends[1], found)


def export(
    session: Session, *, actor: Actor, fmt: files.Format, selection: Selection
) -> files.ExportFile:
    """The selected network as a file; audited as an export, with its counts."""
    if fmt not in files.FORMATS:
        raise Invalid(
            "format",
            _("Choose one of these formats: %(formats)s.", formats=", ".join(files.FORMATS)),
        )
    shown = _load(session, actor, selection)
    if fmt == "ftm":
        content = files.ftm(shown)
    else:
        write = files.graphml if fmt == "graphml" else files.gexf
        content = write(shown, metrics.measure(shown))
    audit.record(
        session,
        actor=actor,
        action="graph.export",
        object_type="entity",
        object_id=selection.seed,
        details={"format": fmt, **_details(selection, shown)},
    )
    _audit_cases(session, actor, "graph.export", shown)
    name = f"jusoor-network.{files.EXTENSIONS[fmt]}"
    return files.ExportFile(content, files.MEDIA_TYPES[fmt], name)
