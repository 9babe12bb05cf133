"""The audit page filtered by a person within a country's scope (issue 18, item 2).

An auditor sees their country's events; filtered by a username, the page walked that user's
events newest first (`ix_audit_events_actor_seq`) and dropped those of other countries one by
one: 609 ms at p95 on 3,000,000 events for a user whose events are mostly elsewhere
(bench/results/audit_bench-3000000.txt, "user, deep page"). With the country first, the walk
reads only the rows it shows.

Revision ID: 0019_audit_scope_actor_index
Revises: 0016_audit_appender
Create Date: 2026-12-07 00:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0019_audit_scope_actor_index"
down_revision: str | None = "0016_audit_appender"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_audit_events_country_actor_seq"


def upgrade() -> None:
    op.create_index(NAME, "audit_events", ["country", "actor_username", "seq"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="audit_events")
