"""`POST /api/v1/stats/releases`: a k-anonymised or differentially private release of the cases
as CSV, its metadata (method, k, epsilon, delta, attributes, loss) in the `X-Jusoor-Release`
header. Thin: `stats.releases` checks who may release, and audits."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Response
from pydantic import BaseModel, ConfigDict, Field

from jusoor.stats import releases
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("stats")
METADATA_HEADER = "X-Jusoor-Release"


class ReleaseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Annotated[str, Field(description="k-anon or dp.")]
    k: Annotated[int | None, Field(description="k-anon: the smallest class (2-100).")] = None
    epsilon: Annotated[float | None, Field(description="dp: the privacy budget (0.1-10).")] = None
    country: Annotated[
        str | None, Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2.")
    ] = None


@router.post(
    "/stats/releases",
    summary="Release the cases as k-anonymised or differentially private records (CSV)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **errors(403), **BODY_ERRORS},
    dependencies=[requires(releases.RELEASE)],
)
def create_release(body: ReleaseRequest, actor: CurrentActor, session: DbSession) -> Response:
    made = releases.make_release(
        session, actor=actor, method=body.method, k=body.k, epsilon=body.epsilon,
        country=body.country,
    )  # fmt: skip
    header = {key: value for key, value in made.metadata.items() if key != "domains"}
    return Response(
        content=made.csv(),
        media_type="text/csv; charset=utf-8",
        headers={
            METADATA_HEADER: json.dumps(header, ensure_ascii=True, separators=(",", ":")),
            "Content-Disposition": f'attachment; filename="release-{made.metadata["method"]}.csv"',
            "Cache-Control": "no-store",
        },
    )
