"""The possible-matches panel's lookups answered from indexes alone (issue 18).

Every possible-matches panel asks who holds a digest (`entities.matching.suggestions`): how many
people hold each of the case's keys, and which people hold the rare ones. `ix_entity_keys_digest`
(0007) held the digest alone, so each holder's kind and entity were read from the table, one
random page per holder: at a million cases, 300 to 800 pages per case page, most from disk on a
node that had not read them yet (p95 40 ms for that query alone, single user). The key's kind and
entity are now in the index, which replaces the old one (its leading column serves what it did).

Then the people found are kept to those in cases the reader may open: each person's schema and
case were read from the entities table, one random page per person (a case page with 470 people
sharing its rarest key: 81 ms, 269 pages from disk). `ix_entities_id_schema_case` answers it from
the index (730 people: 24 ms).

Revision ID: 0024_entity_key_lookup_index
Revises: 0008_judgements
Create Date: 2026-12-07 14:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0024_entity_key_lookup_index"
down_revision: str | None = "0008_judgements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "ix_entity_keys_digest"
NEW = "ix_entity_keys_digest_kind_entity"
PERSONS = "ix_entities_id_schema_case"


def upgrade() -> None:
    op.create_index(NEW, "entity_keys", ["digest", "kind", "entity_id"])
    op.drop_index(OLD, table_name="entity_keys")
    op.create_index(PERSONS, "entities", ["id", "schema", "case_id"])


def downgrade() -> None:
    op.drop_index(PERSONS, table_name="entities")
    op.create_index(OLD, "entity_keys", ["digest"])
    op.drop_index(NEW, table_name="entity_keys")
