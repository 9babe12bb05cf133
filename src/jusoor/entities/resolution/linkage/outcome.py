"""What a batch linkage returns, without the engine: read by the CLI and the model alike."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Resolution:
    """The outcome of a batch: each record's cluster and the probability of its best match."""

    clusters: dict[str, str]
    best_match: dict[str, float]
    pairs: list[tuple[str, str, float]] = field(repr=False)
