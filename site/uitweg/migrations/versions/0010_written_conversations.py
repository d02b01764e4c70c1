"""written conversations: a request kind, the visitor's code-derived key, and the messages;
a visitor's address for a notice, held in the outbox only until sent

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Not batch mode: on SQLite a batch copies the table and drops the old one, and the drop
# cascades to sealed_data_key, deleting every partner's sealed copy of every data key (see
# 0004). Added columns and a unique index change the table in place on both databases.
NEW_COLUMNS = (
    sa.Column("kind", sa.String(length=16), nullable=False, server_default="callback"),
    sa.Column("code_digest", sa.String(length=64), nullable=True),
    sa.Column("code_cost", sa.String(length=40), nullable=True),
    sa.Column("visitor_key", sa.LargeBinary(), nullable=True),
    sa.Column("visitor_box", sa.LargeBinary(), nullable=True),
    sa.Column("waiting_for", sa.String(length=16), nullable=True),
    sa.Column("answered_at", sa.DateTime(), nullable=True),
)


def upgrade() -> None:
    for column in NEW_COLUMNS:
        op.add_column("callback_request", column)
    op.create_index(
        "ix_callback_request_code_digest", "callback_request", ["code_digest"], unique=True
    )
    op.add_column("outbox", sa.Column("recipient", sa.LargeBinary(), nullable=True))
    op.create_table(
        "conversation_message",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.String(length=32), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["callback_request.id"],
            name=op.f("fk_conversation_message_request_id_callback_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_message")),
        sa.UniqueConstraint("request_id", "seq", name=op.f("uq_conversation_message_request_id")),
    )


def downgrade() -> None:
    op.execute("DELETE FROM outbox WHERE recipient IS NOT NULL")
    op.execute("ALTER TABLE outbox DROP COLUMN recipient")
    op.drop_table("conversation_message")
    # Written conversations cannot survive the older schema; their sealed keys go with them.
    op.execute(
        "DELETE FROM sealed_data_key WHERE request_id IN "
        "(SELECT id FROM callback_request WHERE kind = 'written')"
    )
    op.execute("DELETE FROM callback_request WHERE kind = 'written'")
    op.drop_index("ix_callback_request_code_digest", table_name="callback_request")
    for column in reversed(NEW_COLUMNS):
        op.execute(f"ALTER TABLE callback_request DROP COLUMN {column.name}")
