"""listing freshness: single-use links for listing owners, and proposals waiting for editors

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "listing_check",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_listing_check")),
        sa.UniqueConstraint("kind", "slug", "issued_on", name=op.f("uq_listing_check_kind")),
    )
    op.create_index(op.f("ix_listing_check_slug"), "listing_check", ["slug"])
    op.create_table(
        "listing_proposal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("files", sa.JSON(), nullable=True),
        sa.Column("base", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
        sa.Column("handled_by", sa.String(length=254), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_proposal")),
    )
    op.create_index(op.f("ix_listing_proposal_slug"), "listing_proposal", ["slug"])
    op.create_index(op.f("ix_listing_proposal_handled_at"), "listing_proposal", ["handled_at"])


def downgrade() -> None:
    op.drop_table("listing_proposal")
    op.drop_table("listing_check")
