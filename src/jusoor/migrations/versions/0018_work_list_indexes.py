"""Indexes for the lists people page through on a national node (issue 18, item 3): the referral
inbox and overdue lists and the exchange boxes. Each serves a keyset page (newest first, or the
longest overdue first) within the viewer's scope: an agency's referrals received or sent, a
country's, the boxes by direction. The measured plans and times before and after are in
bench/README.md (bench/work_queries.py). The entity list needs none: its scope rule (own records,
or records of a readable case) is an OR that PostgreSQL answers from the existing agency and case
indexes, one agency's entities at a time (an index by agency and date was measured unused).

Revision ID: 0018_work_list_indexes
Revises: 0004_referrals (depends on 0006_exchange, whose table it indexes)
Create Date: 2026-12-06 21:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0018_work_list_indexes"
down_revision: str | None = "0004_referrals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0006_exchange"

# name -> (table, columns); the models declare the same (`__table_args__`).
INDEXES: dict[str, tuple[str, list[str]]] = {
    "ix_transitions_to_created": ("transitions", ["to_agency_id", "created_at", "id"]),
    "ix_transitions_from_created": ("transitions", ["from_agency_id", "created_at", "id"]),
    "ix_transitions_to_status_deadline": (
        "transitions",
        ["to_agency_id", "status", "deadline", "id"],
    ),
    "ix_transitions_from_status_deadline": (
        "transitions",
        ["from_agency_id", "status", "deadline", "id"],
    ),
    "ix_transitions_country_created": ("transitions", ["country", "created_at", "id"]),
    "ix_exchange_messages_box": ("exchange_messages", ["direction", "updated_at", "id"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _columns) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)
