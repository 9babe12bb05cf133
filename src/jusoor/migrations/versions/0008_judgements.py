"""Judgements of match suggestions: two entities are, or are not, the same.

Revision ID: 0008_judgements
Revises: 0007_entities
Create Date: 2026-11-27 19:15:25.988416
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_judgements"
down_revision: str | None = "0007_entities"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "entity_judgements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity_a_id", sa.Uuid(), nullable=False),
        sa.Column("entity_b_id", sa.Uuid(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum("same", "different", name="decision", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("judged_by_id", sa.Uuid(), nullable=True),
        sa.Column("judged_by", sa.String(length=64), nullable=False),
        sa.Column("judged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["entity_a_id"],
            ["entities.id"],
            name=op.f("fk_entity_judgements_entity_a_id_entities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entity_b_id"],
            ["entities.id"],
            name=op.f("fk_entity_judgements_entity_b_id_entities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["judged_by_id"], ["users.id"], name=op.f("fk_entity_judgements_judged_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_judgements")),
    )
    with op.batch_alter_table("entity_judgements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entity_judgements_entity_b_id"), ["entity_b_id"], unique=False
        )
        batch_op.create_index(
            "ix_entity_judgements_pair", ["entity_a_id", "entity_b_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("entity_judgements", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_judgements_pair")
        batch_op.drop_index(batch_op.f("ix_entity_judgements_entity_b_id"))
    op.drop_table("entity_judgements")
