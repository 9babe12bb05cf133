"""The catalogue of statistics people ask for (`definitions/*.yaml`), each named by an id that
dashboards, the API, reports and action plans' indicators refer to.

A statistic is either a count of an engine subject (`subject`) or a duration (`duration`), with
a default breakdown (`by`) and optional fixed filters (`where`, e.g. only overdue referrals). The
label and description are msgids, translated where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from pydantic import Field, model_validator

from jusoor.core.datafiles import StrictModel, declare
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _

FILES = ("victims.yaml", "services.yaml", "justice.yaml", "durations.yaml")
ID_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"


class _Statistic(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    label: str
    description: str
    subject: str | None = None
    duration: str | None = None
    by: tuple[str, ...] = ()
    where: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_source(self) -> _Statistic:
        if (self.subject is None) == (self.duration is None):
            raise ValueError(f"{self.id}: give either a subject or a duration")
        return self


class _File(StrictModel):
    statistics: tuple[_Statistic, ...]


DATA_FILES = tuple(declare("jusoor.stats", f"definitions/{name}", _File) for name in FILES)


@dataclass(frozen=True)
class Statistic:
    """One statistic of the catalogue. `kind` is "count" (of `source`, an engine subject) or
    "duration" (`source` is a duration of `stats.durations`)."""

    id: str
    label: str  # msgid
    description: str  # msgid
    kind: str
    source: str
    by: tuple[str, ...]
    where: dict[str, str] = field(default_factory=dict)


@cache
def catalogue() -> dict[str, Statistic]:
    """Every statistic by id, in the files' order; an id defined twice is an error."""
    found: dict[str, Statistic] = {}
    for data_file in DATA_FILES:
        for item in data_file.load().statistics:
            if item.id in found:
                raise ValueError(f"statistic {item.id!r} is defined twice")
            kind, source = ("count", item.subject) if item.subject else ("duration", item.duration)
            found[item.id] = Statistic(
                id=item.id,
                label=item.label,
                description=item.description,
                kind=kind,
                source=source or "",
                by=item.by,
                where=dict(item.where),
            )
    return found


def statistic(statistic_id: str) -> Statistic:
    try:
        return catalogue()[statistic_id]
    except KeyError:
        raise Invalid(
            "statistic",
            _("%(name)s is not a statistic Jusoor computes; choose one of: %(names)s.",
              name=statistic_id, names=", ".join(catalogue())),
        ) from None  # fmt: skip
