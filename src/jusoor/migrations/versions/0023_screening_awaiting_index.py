"""The identification queue's counts: the screenings that await a decision, by outcome (issue 18).

`ix_screenings_queue` (0017) orders every completed screening not finally decided, whatever its
outcome; the queue keeps only presumed and possible victims, so its two bounded counts read the
outcome of every screening in the range from the table and dropped most of them (at a million
cases, 1,709 of 2,710 rows for one count: 5,741 buffers). With the outcome in the key the counts
read the awaiting screenings alone, from the index. The page keeps 0017's index (its order).

Revision ID: 0023_screening_awaiting_index
Revises: 0022_case_stage_list_indexes
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0023_screening_awaiting_index"
down_revision: str | None = "0022_case_stage_list_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_screenings_awaiting"
COLUMNS = ["country", "status", "decided_final", "outcome", "completed_at", "id"]


def upgrade() -> None:
    op.create_index(NAME, "screenings", COLUMNS)


def downgrade() -> None:
    op.drop_index(NAME, table_name="screenings")
