"""The region's published UNODC figures for the demo: the dashboards and the GLOTIP page show a
country's published series beside the node's own and beside its neighbours' from the first minute.
The rows are UNODC's own (public data, jusoor.stats.glotip.REGION_FILE), not synthetic."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.core.permissions import Actor
from jusoor.stats.glotip import REGION_FILE, series
from jusoor.stats.glotip.models import PublishedFigure


def load_if_empty(session: Session, *, actor: Actor) -> int:
    """Load the region's published series on a node that has none; returns the rows loaded."""
    if session.scalar(select(PublishedFigure.id).limit(1)) is not None:
        return 0
    return series.import_series(session, actor=actor, path=REGION_FILE).loaded
