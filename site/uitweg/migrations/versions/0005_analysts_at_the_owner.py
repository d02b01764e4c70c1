"""analysts work for the site's owner, not for a care partner

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 15:00:00

Analysts read the statistics for the municipality that runs the site; they were made at a care
partner only because there was no other organisation. Their accounts and open invitations move
to the owner (`owner`); they never held a partner's key, so nothing else changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNER = "owner"  # uitweg.vocabulary.OWNER when this was written; a migration keeps its own copy
staff_member = sa.table("staff_member", sa.column("partner", sa.String), sa.column("role"))
invitation = sa.table("invitation", sa.column("partner", sa.String), sa.column("role"))


def upgrade() -> None:
    for table in (staff_member, invitation):
        op.execute(table.update().where(table.c.role == "analyst").values(partner=OWNER))


def downgrade() -> None:
    # Which partner an analyst was made at is not worth keeping: they stay at the owner.
    pass
