"""Import entities from CSV or XLSX tables with a column mapping (`mapping.ColumnMapping`).

What bad input gets (issue 4): a value that cannot be read (a date, a phone, a country…) is left
out of its entity and counted in the summary by property and problem; a row without a name is
kept without one and counted; a blank line is counted and skipped; a column the mapping names
but the file lacks fails at once, naming it, before anything is written. A file that is too
large, or a malformed row (ragged, a quote left open, a control character), fails the whole
file, naming the row, before anything is written (`table_rows`). Everything lands in the
caller's one transaction: all rows or none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jusoor.agencies.models import Agency
from jusoor.audit import service as audit
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.ids import uuid7
from jusoor.core.import_limits import ImportLimits, web_limits
from jusoor.core.permissions import Actor
from jusoor.entities import service
from jusoor.entities.io.mapping import ColumnMapping, LinkedColumn
from jusoor.entities.io.reuse import Reuse
from jusoor.entities.io.table_rows import open_table
from jusoor.entities.models import Entity, Properties, SourceKind
from jusoor.entities.schemas import LinkCreate
from jusoor.entities.schemata import EMPTY, Problem, clean, schema

MAX_EXAMPLES = 10
FLUSH_EVERY = 500  # rows between flushes: bulk inserts, bounded memory


@dataclass
class ImportSummary:
    """What an import did: counts per schema, links, and the values left out, by problem."""

    batch: str
    file: str
    encoding: str
    rows: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    links: int = 0
    reused: int = 0
    problems: Counter[str] = field(default_factory=Counter)  # "birthDate: unreadable_date" → n
    examples: dict[str, list[int]] = field(default_factory=dict)  # problem → first row numbers

    def note(self, row: int, problem: Problem) -> None:
        key = f"{problem.prop}: {problem.kind}"
        self.problems[key] += 1
        rows = self.examples.setdefault(key, [])
        if len(rows) < MAX_EXAMPLES:
            rows.append(row)

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "file": self.file,
            "encoding": self.encoding,
            "rows": self.rows,
            "entities": dict(sorted(self.entities.items())),
            "links": self.links,
            "reused": self.reused,
            "problems": dict(sorted(self.problems.items())),
            "examples": dict(sorted(self.examples.items())),
        }


# Importing -------------------------------------------------------------------------------------


def _values(cell: str, separator: str | None) -> list[str]:
    parts = cell.split(separator) if separator else [cell]
    return [p.strip() for p in parts if p.strip()]


def _row_properties(mapping: ColumnMapping, index: dict[str, int], row: list[str]) -> Properties:
    props: Properties = {}
    for column, prop in mapping.columns.items():
        cell = row[index[column]] if index[column] < len(row) else ""
        props.setdefault(prop, []).extend(_values(cell, mapping.separator))
    return props


def check_columns(header: list[str], mapping: ColumnMapping) -> dict[str, int]:
    """Column name → position; Invalid naming the first column the mapping needs but lacks."""
    index = {name: position for position, name in enumerate(header) if name}
    for column in mapping.needed_columns:
        if column not in index:
            raise Invalid(
                column,
                _(
                    "The file has no column %(column)s, which the mapping names. Its columns "
                    "are: %(columns)s.",
                    column=column,
                    columns=", ".join(h for h in header if h),
                ),
            )
    return index


@dataclass
class _Batch:
    session: Any
    actor: Actor
    agency: Agency
    mapping: ColumnMapping
    summary: ImportSummary
    reuse: Reuse

    def entity(self, row: int, schema_name: str, props: Properties) -> Entity:
        entity, problems = service.add_entity(
            self.session,
            actor=self.actor,
            agency=self.agency,
            schema_name=schema_name,
            properties=props,
            source_kind=SourceKind.import_,
            source_ref=self.summary.batch,
            region=self.reuse.region,
        )
        for problem in problems:
            self.summary.note(row, problem)
        self.summary.entities[schema_name] += 1
        return entity

    def linked(self, row: int, main: Entity, column: LinkedColumn, cell: str) -> None:
        types = schema(column.schema).properties
        for value in _values(cell, self.mapping.separator):
            props = {column.property: [value], **{k: [v] for k, v in column.properties.items()}}
            cleaned = clean(types, props, self.reuse.region)
            if column.property not in cleaned.properties:
                for problem in cleaned.problems:  # nothing to link: counted, not stored
                    self.summary.note(row, problem)
                continue
            other = self.reuse.find(column.schema, props)
            if other is None:
                other = self.entity(row, column.schema, props)
                self.reuse.remember(other)
            else:
                self.summary.reused += 1
            source, target = (other, main) if column.reverse else (main, other)
            service.add_link(
                self.session,
                actor=self.actor,
                agency=self.agency,
                link_in=LinkCreate(
                    type=column.link,
                    source_entity_id=source.id,
                    target_entity_id=target.id,
                    source_kind=SourceKind.import_,
                    source_ref=self.summary.batch,
                ),
                source=source,
                target=target,
            )
            self.summary.links += 1


def import_table(
    session: Any,
    *,
    actor: Actor,
    path: Path,
    mapping: ColumnMapping,
    agency_id: Any = None,
    limits: ImportLimits | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import every row of `path` as the mapping says, in the caller's transaction; one audit
    event for the batch, whose id every entity and link carries as `source_ref`. The whole
    file is checked first (`table_rows.open_table`, within `limits`: the web's, the stricter,
    unless the caller, the console, passes its own): a malformed row fails before anything is written. `progress(done, total)` is
    called as rows land."""
    agency = service.owning_agency(session, actor=actor, agency_id=agency_id)
    table = open_table(path, limits or web_limits())
    header = table.header
    index = check_columns(header, mapping)
    summary = ImportSummary(batch=f"import-{uuid7()}", file=path.name, encoding=table.encoding)
    region = mapping.region or agency.country
    batch = _Batch(session, actor, agency, mapping, summary, Reuse(session, agency, region))
    required = schema(mapping.schema).caption[0]
    done = 0
    for number, row in table.data():
        done += 1
        if progress is not None and done % FLUSH_EVERY == 0:
            progress(done, table.rows)
        if not any(cell.strip() for cell in row):
            summary.note(number, Problem("row", EMPTY))
            continue
        summary.rows += 1
        props = _row_properties(mapping, index, row)
        main = batch.entity(number, mapping.schema, props)
        if not main.caption:
            summary.note(number, Problem(required, EMPTY))
        for column in mapping.linked:
            batch.linked(number, main, column, row[index[column.column]])
        if summary.rows % FLUSH_EVERY == 0:
            session.flush()  # bounded memory; still one transaction
    if progress is not None:
        progress(done, table.rows)
    audit.record(
        session,
        actor=actor,
        action="entity.import",
        object_type="import",
        object_id=summary.batch,
        details={k: v for k, v in summary.as_dict().items() if k != "examples"},
    )
    return summary
