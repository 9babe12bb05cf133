"""Column mappings for importing tables of entities: which column fills which property, and which
columns make entities of their own, linked to the row's entity.

A mapping is a YAML or JSON file, or the same as a dict:

    schema: Person                 # what each row is
    columns:                       # column → property of the row's entity
      full_name: name
      dob: birthDate
      nationality: nationality
    linked:                        # columns that are entities of their own, linked to the row's
      - {column: phone, schema: Phone, property: number, link: uses_phone}
      - {column: passport, schema: IdentityDocument, property: number, link: holds_document,
         properties: {type: passport}}
    region: MR                     # reads national phone numbers; default: the agency's country
    separator: ";"                 # optional: cells holding several values ("alias1; alias2")
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.entities.schemata import link_rule, schema


@dataclass(frozen=True)
class LinkedColumn:
    """A column whose value is an entity of its own (a phone, a passport) linked to the row's."""

    column: str
    schema: str
    property: str
    link: str
    reverse: bool = False  # the link goes from the column's entity to the row's
    properties: dict[str, str] = field(default_factory=dict)  # fixed values, e.g. type: passport


@dataclass(frozen=True)
class ColumnMapping:
    schema: str
    columns: dict[str, str]
    linked: tuple[LinkedColumn, ...] = ()
    region: str | None = None
    separator: str | None = None

    @property
    def needed_columns(self) -> list[str]:
        return [*self.columns, *(lc.column for lc in self.linked)]


def _property(schema_name: str, prop: str, where: str) -> None:
    if prop not in schema(schema_name).properties:
        raise Invalid(
            "mapping",
            _(
                "The mapping gives column %(column)s to %(property)s, which a %(schema)s does "
                "not have.",
                column=where,
                property=prop,
                schema=schema_name,
            ),
        )


def _linked(entry: Mapping[str, Any], row_schema: str) -> LinkedColumn:
    try:
        linked = LinkedColumn(
            column=str(entry["column"]),
            schema=schema(str(entry["schema"])).name,
            property=str(entry["property"]),
            link=link_rule(str(entry["link"])).type,
            reverse=bool(entry.get("reverse", False)),
            properties={str(k): str(v) for k, v in (entry.get("properties") or {}).items()},
        )
    except KeyError as exc:
        raise Invalid(
            "mapping",
            _("A linked column of the mapping lacks %(key)s.", key=str(exc.args[0])),
        ) from None
    _property(linked.schema, linked.property, linked.column)
    for prop in linked.properties:
        _property(linked.schema, prop, linked.column)
    source, target = (linked.schema, row_schema) if linked.reverse else (row_schema, linked.schema)
    if not link_rule(linked.link).allows(source, target):
        raise Invalid(
            "mapping",
            _(
                "A %(type)s link cannot go from a %(source)s to a %(target)s.",
                type=linked.link,
                source=source,
                target=target,
            ),
        )
    return linked


def parse_mapping(data: Mapping[str, Any]) -> ColumnMapping:
    """A checked mapping; every schema, property and link it names must exist."""
    if not isinstance(data, Mapping) or "schema" not in data:
        raise Invalid("mapping", _("The mapping must name the schema of each row."))
    row_schema = schema(str(data["schema"])).name
    columns = {str(col): str(prop) for col, prop in (data.get("columns") or {}).items()}
    for column, prop in columns.items():
        _property(row_schema, prop, column)
    linked = tuple(_linked(entry, row_schema) for entry in data.get("linked") or [])
    if not columns and not linked:
        raise Invalid("mapping", _("The mapping names no column."))
    region = data.get("region")
    separator = data.get("separator")
    return ColumnMapping(
        schema=row_schema,
        columns=columns,
        linked=linked,
        region=str(region).upper() if region else None,
        separator=str(separator) if separator else None,
    )


def load_mapping(path: Path) -> ColumnMapping:
    """A mapping from a YAML or JSON file (JSON is YAML)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        raise Invalid(
            "mapping", _("The mapping file %(path)s cannot be read.", path=path.name)
        ) from None
    return parse_mapping(data)
