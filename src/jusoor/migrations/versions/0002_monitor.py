"""monitor: press reports, the facts read from them, events and actors

Revision ID: 0002_monitor
Revises: 0001
Create Date: 2026-11-27 16:48:23.143025
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_monitor"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("monitor",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monitor_actors",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("acronym", sa.String(length=40), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_actors")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_monitor_actors_kind")),
    )
    with op.batch_alter_table("monitor_actors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitor_actors_kind"), ["kind"], unique=False)

    op.create_table(
        "monitor_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=True),
        sa.Column("title", sa.String(length=400), nullable=True),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("city_id", sa.String(length=80), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("themes", sa.String(length=200), nullable=False),
        sa.Column("crime", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_events")),
    )
    with op.batch_alter_table("monitor_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitor_events_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitor_events_start"), ["start"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitor_events_type"), ["type"], unique=False)

    op.create_table(
        "monitor_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=1000), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.Column("title", sa.String(length=1000), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=True),
        sa.Column("event_title", sa.String(length=400), nullable=True),
        sa.Column("event_start", sa.Date(), nullable=True),
        sa.Column("event_end", sa.Date(), nullable=True),
        sa.Column("city_id", sa.String(length=80), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("countries", sa.String(length=200), nullable=False),
        sa.Column("themes", sa.String(length=200), nullable=False),
        sa.Column("crime", sa.String(length=40), nullable=True),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["monitor_events.id"],
            name=op.f("fk_monitor_documents_event_id_monitor_events"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_documents")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_monitor_documents_content_hash")),
    )
    with op.batch_alter_table("monitor_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitor_documents_country"), ["country"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_monitor_documents_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_monitor_documents_event_start"), ["event_start"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_monitor_documents_lang"), ["lang"], unique=False)

    op.create_table(
        "monitor_facts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["monitor_documents.id"],
            name=op.f("fk_monitor_facts_document_id_monitor_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_facts")),
    )
    with op.batch_alter_table("monitor_facts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitor_facts_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "monitor_mentions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("role", sa.String(length=400), nullable=True),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["monitor_actors.id"],
            name=op.f("fk_monitor_mentions_actor_id_monitor_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["monitor_documents.id"],
            name=op.f("fk_monitor_mentions_document_id_monitor_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_mentions")),
        sa.UniqueConstraint("actor_id", "document_id", name=op.f("uq_monitor_mentions_actor_id")),
    )
    with op.batch_alter_table("monitor_mentions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitor_mentions_actor_id"), ["actor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_monitor_mentions_document_id"), ["document_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("monitor_mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitor_mentions_document_id"))
        batch_op.drop_index(batch_op.f("ix_monitor_mentions_actor_id"))

    op.drop_table("monitor_mentions")
    with op.batch_alter_table("monitor_facts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitor_facts_document_id"))

    op.drop_table("monitor_facts")
    with op.batch_alter_table("monitor_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitor_documents_lang"))
        batch_op.drop_index(batch_op.f("ix_monitor_documents_event_start"))
        batch_op.drop_index(batch_op.f("ix_monitor_documents_event_id"))
        batch_op.drop_index(batch_op.f("ix_monitor_documents_country"))

    op.drop_table("monitor_documents")
    with op.batch_alter_table("monitor_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitor_events_type"))
        batch_op.drop_index(batch_op.f("ix_monitor_events_start"))
        batch_op.drop_index(batch_op.f("ix_monitor_events_country"))

    op.drop_table("monitor_events")
    with op.batch_alter_table("monitor_actors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitor_actors_kind"))

    op.drop_table("monitor_actors")
