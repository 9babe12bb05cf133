"""Credentials: how each API token's second factor was met at issue, and an exception's reason.

Revision ID: 0010_credentials
Revises: 0001
Create Date: 2026-12-06 08:29:41.007238
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_credentials"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issued_with", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("exception_reason", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("exception_reason")
        batch_op.drop_column("issued_with")
