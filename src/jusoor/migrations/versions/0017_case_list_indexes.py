"""Keyset pages of the case list and the identification queue (issue 18, item 3).

The case list reads the next page after `(opened_at, id)`, newest first, within an agency (a
case worker's scope) or an owner's cases (the owner filter); the identification queue reads a
country's completed screenings oldest first by `(completed_at, id)`. Each index below lets one
of them seek straight to its position and stop after a page (bench/list_queries.py gives the
plans and times at 1,000,000 cases on PostgreSQL).

Revision ID: 0017_case_list_indexes
Revises: 0015_case_period_indexes
Create Date: 2026-12-06 21:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017_case_list_indexes"
down_revision: str | None = "0015_case_period_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0005_screening",)

INDEXES = {
    "ix_cases_agency_opened_id": ("cases", ["agency_id", "opened_at", "id"]),
    "ix_cases_owner_opened_id": ("cases", ["owner_id", "opened_at", "id"]),
    "ix_screenings_country_status_completed": (
        "screenings",
        ["country", "status", "completed_at", "id"],
    ),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _columns) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)
