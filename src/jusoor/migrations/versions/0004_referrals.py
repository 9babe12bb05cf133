"""Referrals: the service directory, referrals (transitions), their moves and services delivered.

Revision ID: 0004_referrals
Revises: 0003_cases (its tables refer to cases; a child rather than `depends_on`, which the
    platform's "schema current" check reads as a missing head)
Create Date: 2026-11-27 16:49:40.465758
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_referrals"
down_revision: str | None = "0003_cases"
branch_labels: str | Sequence[str] | None = ("referrals",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "services",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "shelter",
                "medical",
                "psychosocial",
                "legal_aid",
                "interpretation",
                "education",
                "vocational_training",
                "financial_support",
                "family_tracing",
                "child_protection",
                "return_reintegration",
                name="servicekind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("capacity_total", sa.Integer(), nullable=True),
        sa.Column("capacity_free", sa.Integer(), nullable=True),
        sa.Column("capacity_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("hours", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_services_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
    )
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_services_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_services_country"), ["country"], unique=False)

    op.create_table(
        "service_languages",
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_languages_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "language", name=op.f("pk_service_languages")),
    )
    with op.batch_alter_table("service_languages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_languages_language"), ["language"], unique=False
        )

    op.create_table(
        "transitions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("referral", name="transitionkind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("from_agency_id", sa.Uuid(), nullable=False),
        sa.Column("to_agency_id", sa.Uuid(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("shared_fields", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_transitions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_transitions_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["from_agency_id"], ["agencies.id"], name=op.f("fk_transitions_from_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_transitions_service_id_services")
        ),
        sa.ForeignKeyConstraint(
            ["to_agency_id"], ["agencies.id"], name=op.f("fk_transitions_to_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transitions")),
    )
    with op.batch_alter_table("transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transitions_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transitions_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_transitions_deadline"), ["deadline"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_transitions_from_agency_id"), ["from_agency_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_transitions_service_id"), ["service_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transitions_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_transitions_to_agency_id"), ["to_agency_id"], unique=False
        )

    op.create_table(
        "service_deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("transition_id", sa.Uuid(), nullable=False),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("delivered_by", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_service_deliveries_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["transition_id"],
            ["transitions.id"],
            name=op.f("fk_service_deliveries_transition_id_transitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_deliveries")),
    )
    with op.batch_alter_table("service_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_deliveries_transition_id"), ["transition_id"], unique=False
        )

    op.create_table(
        "transition_moves",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("transition_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("by_user_id", sa.Uuid(), nullable=True),
        sa.Column("by_username", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_user_id"], ["users.id"], name=op.f("fk_transition_moves_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["transition_id"],
            ["transitions.id"],
            name=op.f("fk_transition_moves_transition_id_transitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transition_moves")),
    )
    with op.batch_alter_table("transition_moves", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transition_moves_transition_id"), ["transition_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("transition_moves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transition_moves_transition_id"))

    op.drop_table("transition_moves")
    with op.batch_alter_table("service_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_deliveries_transition_id"))

    op.drop_table("service_deliveries")
    with op.batch_alter_table("transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transitions_to_agency_id"))
        batch_op.drop_index(batch_op.f("ix_transitions_status"))
        batch_op.drop_index(batch_op.f("ix_transitions_service_id"))
        batch_op.drop_index(batch_op.f("ix_transitions_from_agency_id"))
        batch_op.drop_index(batch_op.f("ix_transitions_deadline"))
        batch_op.drop_index(batch_op.f("ix_transitions_country"))
        batch_op.drop_index(batch_op.f("ix_transitions_case_id"))

    op.drop_table("transitions")
    with op.batch_alter_table("service_languages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_languages_language"))

    op.drop_table("service_languages")
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_services_country"))
        batch_op.drop_index(batch_op.f("ix_services_agency_id"))

    op.drop_table("services")
