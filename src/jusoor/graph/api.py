"""`/api/v1/graph`: the network the caller may see (the network page draws it), shortest paths
between two entities, and exports. Thin over `jusoor.graph.service`, which checks and audits."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response

from jusoor.graph import service
from jusoor.graph.build import MAX_DEPTH, Selection
from jusoor.graph.export import Format
from jusoor.graph.schemas import GraphRead, PathRead, graph_read, path_node
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import api_router, errors

router = api_router("graph")

EntityQuery = Annotated[
    uuid.UUID | None, Query(alias="entity", description="Draw the ego network of this entity.")
]
DepthQuery = Annotated[
    int, Query(ge=1, le=MAX_DEPTH, description="Steps from the entity (1 to 3).")
]
CaseQuery = Annotated[
    uuid.UUID | None, Query(alias="case", description="Only the entities and links of this case.")
]
SourceQuery = Annotated[
    str | None,
    Query(alias="source", max_length=100, description="Only those of this source reference."),
]


def _selection(
    entity: uuid.UUID | None, depth: int, case: uuid.UUID | None, source: str | None
) -> Selection:
    return Selection(case_id=case, source_ref=source or None, seed=entity, depth=depth)


@router.get(
    "/graph",
    summary="The network the caller may see: all of it, a case, a source, or an ego network",
    response_model=GraphRead,
    response_model_by_alias=True,
    responses=errors(403, 404, 422),
)
def read_graph(
    actor: CurrentActor,
    session: DbSession,
    entity: EntityQuery = None,
    depth: DepthQuery = 1,
    case: CaseQuery = None,
    source: SourceQuery = None,
) -> GraphRead:
    selection = _selection(entity, depth, case, source)
    view = service.network(session, actor=actor, selection=selection)
    return graph_read(view.network, view.measures)


@router.get(
    "/graph/path",
    summary="The shortest paths between two entities, through what the caller may see",
    response_model=PathRead,
    response_model_by_alias=True,
    responses=errors(403, 422),
)
def read_paths(
    actor: CurrentActor,
    session: DbSession,
    source: Annotated[uuid.UUID, Query(alias="from", description="The first entity.")],
    target: Annotated[uuid.UUID, Query(alias="to", description="The second entity.")],
) -> PathRead:
    found = service.paths(session, actor=actor, source=source, target=target)
    on_paths = {node for path in found.paths for node in path}
    return PathRead(
        source=found.source,
        target=found.target,
        paths=found.paths,
        nodes=[path_node(n) for n in found.network.nodes if n.id in on_paths],
    )


@router.get(
    "/graph/export",
    summary="The network as GraphML, GEXF (Gephi) or FollowTheMoney JSON lines; audited",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/graphml+xml": {},
                "application/gexf+xml": {},
                "application/x-ndjson": {},
            }
        },
        **errors(403, 404, 422),
    },
)
def export_graph(
    actor: CurrentActor,
    session: DbSession,
    fmt: Annotated[Format, Query(alias="format", description="graphml, gexf or ftm")],
    entity: EntityQuery = None,
    depth: DepthQuery = 1,
    case: CaseQuery = None,
    source: SourceQuery = None,
) -> Response:
    selection = _selection(entity, depth, case, source)
    found = service.export(session, actor=actor, fmt=fmt, selection=selection)
    return Response(
        content=found.content,
        media_type=found.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{found.filename}"',
            "Cache-Control": "no-store",
        },
    )
