"""Statistics: UNODC's published GLOTIP series (public figures, loaded from its data file).

Revision ID: 0013_stats
Revises: 0001
Create Date: 2026-12-06 18:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_stats"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("stats",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stats_published_figures",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("iso2", sa.String(length=2), nullable=True),
        sa.Column("country", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=False),
        sa.Column("subregion", sa.String(length=80), nullable=False),
        sa.Column("indicator", sa.String(length=120), nullable=False),
        sa.Column("dimension", sa.String(length=80), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("sex", sa.String(length=20), nullable=False),
        sa.Column("age", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("small", sa.String(length=4), nullable=True),
        sa.Column("file_date", sa.Date(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_published_figures")),
        sa.UniqueConstraint(
            "iso3", "indicator", "dimension", "category", "sex", "age", "year",
            name="uq_stats_published_figure",
        ),
    )  # fmt: skip
    with op.batch_alter_table("stats_published_figures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stats_published_figures_iso3"), ["iso3"])
        batch_op.create_index(batch_op.f("ix_stats_published_figures_iso2"), ["iso2"])
        batch_op.create_index(batch_op.f("ix_stats_published_figures_subregion"), ["subregion"])
        batch_op.create_index(batch_op.f("ix_stats_published_figures_year"), ["year"])


def downgrade() -> None:
    with op.batch_alter_table("stats_published_figures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stats_published_figures_year"))
        batch_op.drop_index(batch_op.f("ix_stats_published_figures_subregion"))
        batch_op.drop_index(batch_op.f("ix_stats_published_figures_iso2"))
        batch_op.drop_index(batch_op.f("ix_stats_published_figures_iso3"))
    op.drop_table("stats_published_figures")
