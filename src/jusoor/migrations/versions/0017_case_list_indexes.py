"""Keyset pages of the case list and the identification queue (issue 18, item 3).

The case list reads the next page after `(opened_at, id)`, newest first, within an agency (a
case worker's scope), or within an agency and one owner's cases there (the owner filter and the
search by username: with the agency first, both equalities lead to the ordered range, where an
owner-only index made PostgreSQL's generic plan intersect bitmaps and sort); the identification queue reads a
country's completed screenings oldest first by `(completed_at, id)`. Each index below lets one
of them seek straight to its position and stop after a page (bench/list_queries.py gives the
plans and times at 1,000,000 cases on PostgreSQL). The queue's index needs to skip the years of
screenings already decided for good, which only `identifications` knew: `screenings` gains
`decided_final`, filled here from the final decisions and kept by `identification.decide`.

Revision ID: 0017_case_list_indexes
Revises: 0015_case_period_indexes
Create Date: 2026-12-06 21:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_case_list_indexes"
down_revision: str | None = "0015_case_period_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0005_screening",)

INDEXES = {
    "ix_cases_agency_opened_id": ("cases", ["agency_id", "opened_at", "id"]),
    "ix_cases_agency_owner_opened_id": ("cases", ["agency_id", "owner_id", "opened_at", "id"]),
    "ix_screenings_queue": (
        "screenings",
        ["country", "status", "decided_final", "completed_at", "id"],
    ),
}


def upgrade() -> None:
    with op.batch_alter_table("screenings") as batch:
        batch.add_column(
            sa.Column("decided_final", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        "UPDATE screenings SET decided_final = TRUE WHERE id IN (SELECT screening_id FROM"
        " identifications WHERE status IN ('actual', 'not_a_victim'))"
    )
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _columns) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("decided_final")
