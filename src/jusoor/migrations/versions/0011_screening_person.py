"""Screening: what the screener learnt of the person (gender, citizenship, languages), encrypted.

Revision ID: 0011_screening_person
Revises: 0005_screening
Create Date: 2026-12-06 14:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_screening_person"
down_revision: str | None = "0005_screening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # EncryptedText columns: the database holds tokens, never the plain values.
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gender", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("citizenship_codes", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("language_codes", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.drop_column("language_codes")
        batch_op.drop_column("citizenship_codes")
        batch_op.drop_column("gender")
