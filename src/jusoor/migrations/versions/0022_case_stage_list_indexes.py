"""The case list filtered by stage, newest first, within the reader's agency or country (issue 18).

"Cases at the assistance stage" was answered by intersecting two bitmaps, every case of the
agency (77,000 of a million for the busiest demo agency) and every case at that stage (180,000),
before the page could be sorted and its bounded count taken: 70 ms for the count alone, about
370 ms at p95 for the page under fifty people. With these indexes the page reads its rows in
order and the count is an index-only range of at most 1,001 entries.

Revision ID: 0022_case_stage_list_indexes
Revises: 0021_case_next_due
Create Date: 2026-12-07 13:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0022_case_stage_list_indexes"
down_revision: str | None = "0021_case_next_due"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_cases_agency_stage_opened_id": ["agency_id", "stage", "opened_at", "id"],
    "ix_cases_country_stage_opened_id": ["country", "stage", "opened_at", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "cases", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="cases")
