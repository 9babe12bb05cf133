"""Audit events name the audit key that sealed their hash (HMAC-SHA256).

Existing rows keep key_id NULL: they are the legacy, plain SHA-256 prefix of the chain, which
`jusoor init` verifies once and seals with a signed checkpoint (jusoor.audit.verification).

Revision ID: 0009_audit_keys
Revises: 0001
Create Date: 2026-12-06 08:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_audit_keys"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("key_id")
