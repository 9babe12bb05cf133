"""Investigation entities: entities, their blind-index keys, and the links between them.

Revision ID: 0007_entities
Revises: 0003_cases (entities and links may name the case they came from)
Create Date: 2026-11-27 19:14:07.697147
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_entities"
down_revision: str | None = "0003_cases"
branch_labels: str | Sequence[str] | None = ("entities",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("schema", sa.String(length=32), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("properties", sa.Text(), nullable=False),
        sa.Column(
            "source_kind",
            sa.Enum("case", "report", "import", name="sourcekind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("source_ref", sa.String(length=100), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_entities_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_entities_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_entities_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
    )
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entities_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entities_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entities_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_entities_schema"), ["schema"], unique=False)
        batch_op.create_index(batch_op.f("ix_entities_source_ref"), ["source_ref"], unique=False)

    op.create_table(
        "entity_keys",
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_keys_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entity_id", "kind", "digest", name=op.f("pk_entity_keys")),
    )
    with op.batch_alter_table("entity_keys", schema=None) as batch_op:
        batch_op.create_index("ix_entity_keys_digest", ["digest"], unique=False)

    op.create_table(
        "entity_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("source_entity_id", sa.Uuid(), nullable=False),
        sa.Column("target_entity_id", sa.Uuid(), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("properties", sa.Text(), nullable=False),
        sa.Column(
            "source_kind",
            sa.Enum("case", "report", "import", name="sourcekind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("source_ref", sa.String(length=100), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_entity_links_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_entity_links_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_entity_links_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["source_entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_links_source_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_links_target_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_links")),
    )
    with op.batch_alter_table("entity_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_links_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entity_links_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entity_links_country"), ["country"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_entity_links_source_entity_id"), ["source_entity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entity_links_source_ref"), ["source_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entity_links_target_entity_id"), ["target_entity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_entity_links_type"), ["type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("entity_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_links_type"))
        batch_op.drop_index(batch_op.f("ix_entity_links_target_entity_id"))
        batch_op.drop_index(batch_op.f("ix_entity_links_source_ref"))
        batch_op.drop_index(batch_op.f("ix_entity_links_source_entity_id"))
        batch_op.drop_index(batch_op.f("ix_entity_links_country"))
        batch_op.drop_index(batch_op.f("ix_entity_links_case_id"))
        batch_op.drop_index(batch_op.f("ix_entity_links_agency_id"))

    op.drop_table("entity_links")
    with op.batch_alter_table("entity_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_keys_digest")

    op.drop_table("entity_keys")
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entities_source_ref"))
        batch_op.drop_index(batch_op.f("ix_entities_schema"))
        batch_op.drop_index(batch_op.f("ix_entities_country"))
        batch_op.drop_index(batch_op.f("ix_entities_case_id"))
        batch_op.drop_index(batch_op.f("ix_entities_agency_id"))

    op.drop_table("entities")
