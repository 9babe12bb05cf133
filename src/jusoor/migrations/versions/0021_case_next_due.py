"""Each case keeps the due date of its first open task (issue 18: the overdue case list).

"Overdue" filtered the case list with an EXISTS over case_tasks for every case of the reader's
scope, and counted them the same way: at 1,000,000 cases, 150-240 ms warm and 1.7 s cold for an
agency. `cases.next_due_on` (the earliest due date among the case's open tasks, NULL when none)
is kept by the task services (cases.entries) and indexed with the agency, so the filter is a
comparison on the rows the list already reads and the count a range of one index.

Revision ID: 0021_case_next_due
Revises: 0020_screener_history_index
Create Date: 2026-12-07 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_case_next_due"
down_revision: str | None = "0020_screener_history_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_cases_agency_next_due"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("next_due_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE cases SET next_due_on = (SELECT min(t.due_on) FROM case_tasks t "
        "WHERE t.case_id = cases.id AND t.done_at IS NULL) "
        "WHERE EXISTS (SELECT 1 FROM case_tasks t WHERE t.case_id = cases.id "
        "AND t.done_at IS NULL AND t.due_on IS NOT NULL)"
    )
    op.create_index(INDEX, "cases", ["agency_id", "next_due_on"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("next_due_on")
