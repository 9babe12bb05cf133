"""`jusoor graph …`: export the network, measure it, find the shortest paths between two entities.

The console acts as the node operator (it sees every entity on the node, victims' records
mirrored from case files included); each command is audited under that name like a read or an
export in the app, and as a read of every case whose records it shows.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import typer

from jusoor.core.console import JSON_OPTION, fail, operator, unit_of_work
from jusoor.core.i18n import gettext as _
from jusoor.graph import service
from jusoor.graph.build import MAX_DEPTH, Network, Selection
from jusoor.graph.export import FORMATS

app = typer.Typer(help="Networks of entities: communities, central figures, paths, exports.")

ENTITY_OPTION = typer.Option("", "--entity", help="Only the ego network of this entity (its id).")
DEPTH_OPTION = typer.Option(1, "--depth", min=1, max=MAX_DEPTH, help="Steps from the entity.")
CASE_OPTION = typer.Option("", "--case", help="Only the entities and links of this case (its id).")
SOURCE_OPTION = typer.Option("", "--source", help="Only those of this source reference.")


def _id(value: str, option: str) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        fail(_("%(option)s is not an id.", option=option))


def _selection(entity: str, depth: int, case: str, source: str) -> Selection:
    return Selection(
        seed=_id(entity, "--entity"),
        depth=depth,
        case_id=_id(case, "--case"),
        source_ref=source.strip()[:100] or None,
    )


@app.command("export")
def export_command(
    fmt: str = typer.Option(..., "--format", help="graphml, gexf (Gephi) or ftm (Aleph)."),
    out: Path = typer.Option(..., "--out", help="The file to write.", dir_okay=False),
    entity: str = ENTITY_OPTION,
    depth: int = DEPTH_OPTION,
    case: str = CASE_OPTION,
    source: str = SOURCE_OPTION,
) -> None:
    """Write the network (all of it, a case's, or an entity's ego network) to a file.

    The file contains case data: names, phones and documents of victims mirrored from case
    files, in clear. It is written readable by you only (mode 0600); keep it like a case file."""
    if fmt not in FORMATS:
        fail(_("Choose one of these formats: %(formats)s.", formats=", ".join(FORMATS)))
    with unit_of_work() as session:
        found = service.export(
            session, actor=operator(), fmt=fmt, selection=_selection(entity, depth, case, source)
        )
        # Victims' names in clear: readable by the operator only, like `jusoor entities export`.
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)  # an existing file keeps its mode through O_CREAT
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(found.content)
    typer.echo(_("Written: %(file)s (%(size)s bytes).", file=str(out), size=len(found.content)))


def _name(network: Network, node_id: str) -> dict[str, Any]:
    node = next(n for n in network.nodes if n.id == node_id)
    return {"id": node.id, "schema": node.schema, "caption": node.caption}


@app.command("metrics")
def metrics_command(
    entity: str = ENTITY_OPTION,
    depth: int = DEPTH_OPTION,
    case: str = CASE_OPTION,
    source: str = SOURCE_OPTION,
    top: int = typer.Option(10, "--top", min=1, max=1000, help="How many central entities."),
    json_out: bool = JSON_OPTION,
) -> None:
    """The most central entities (betweenness, degree) and the communities with their sizes."""
    with unit_of_work() as session:
        view = service.network(
            session, actor=operator(), selection=_selection(entity, depth, case, source)
        )
    network, measures = view.network, view.measures
    central = [
        {
            **_name(network, m.node),
            "degree": m.degree,
            "betweenness": round(m.betweenness, 6),
            "community": m.community,
        }
        for m in measures.central(top)
    ]
    body = {
        "nodes": len(network.nodes),
        "edges": len(network.edges),
        "modularity": round(measures.modularity, 6),
        "communities": [
            {"community": i, "size": len(c)} for i, c in enumerate(measures.communities)
        ],
        "central": central,
    }
    if json_out:
        typer.echo(json.dumps(body, ensure_ascii=False, indent=1))
        return
    typer.echo(
        _(
            "%(nodes)s entities, %(edges)s links, %(communities)s communities.",
            nodes=body["nodes"],
            edges=body["edges"],
            communities=len(measures.communities),
        )
    )
    for row in central:
        typer.echo(
            f"{row['betweenness']:.3f}  {row['degree']:>4}  #{row['community']:<3} "
            f"{row['schema']:<16} {row['caption'] or '-'}  {row['id']}"
        )


@app.command("path")
def path_command(
    source: str = typer.Argument(..., help="The id of the first entity."),
    target: str = typer.Argument(..., help="The id of the second entity."),
    json_out: bool = JSON_OPTION,
) -> None:
    """The shortest paths between two entities."""
    first, second = _id(source, "FROM"), _id(target, "TO")
    assert first is not None and second is not None
    with unit_of_work() as session:
        found = service.paths(session, actor=operator(), source=first, target=second)
    paths = [[_name(found.network, node) for node in path] for path in found.paths]
    if json_out:
        typer.echo(json.dumps({"paths": paths}, ensure_ascii=False, indent=1))
        return
    if not paths:
        typer.echo(_("No path links these two entities."))
    for path in paths:
        typer.echo(" -> ".join(step["caption"] or step["id"] for step in path))
