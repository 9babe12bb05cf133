"""A screener's own completed screenings, newest first (issue 18, item 3).

"My screenings" filtered by screener and status and sorted by completion through the screener
index alone: at a million cases a demo screener's page read every screening of theirs and sorted
them (300-470 ms per query, its count as much). With this index the page reads its 20 rows in
order and the count is an index-only scan.

Revision ID: 0020_screener_history_index
Revises: 0017_case_list_indexes (which indexes the screenings table too)
Create Date: 2026-12-07 01:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0020_screener_history_index"
down_revision: str | None = "0017_case_list_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_screenings_screener_completed"


def upgrade() -> None:
    op.create_index(NAME, "screenings", ["screener_id", "status", "completed_at", "id"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="screenings")
