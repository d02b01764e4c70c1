"""no server-readable copy of contact details: escrow sealed to key holders, then dropped

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:40:00

Requests whose data key was kept under the server key (escrow, while a partner in the chain had
nobody enrolled) and blocks from before partner keys are sealed to every partner of the chain
that holds a key pair. A request whose own partner holds none moves to the first partner along
its chain, or the default partner's chain, that does (audited as "rerouted"). When nobody along
either chain holds a key, the upgrade stops and says what to do, because dropping the escrow
would leave the request unreadable for everyone: enrol someone at one of those partners first,
or set UITWEG_MIGRATE_CLOSE_UNREADABLE=1 to close and wipe such requests.
"""

import datetime as dt
import os
import secrets
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SERVER_KEY_SCHEME = 1
SEALED_SCHEME = 2

requests = sa.table(
    "callback_request",
    sa.column("id", sa.String),
    sa.column("partner", sa.String),
    sa.column("status", sa.String),
    sa.column("contact", sa.LargeBinary),
    sa.column("contact_scheme", sa.Integer),
    sa.column("contact_escrow", sa.LargeBinary),
    sa.column("instead_of", sa.String),
    sa.column("outcome", sa.String),
    sa.column("closed_at", sa.DateTime),
    sa.column("wiped_at", sa.DateTime),
)
partner_keys = sa.table(
    "partner_key", sa.column("partner", sa.String), sa.column("public_key", sa.LargeBinary)
)
sealed_keys = sa.table(
    "sealed_data_key",
    sa.column("request_id", sa.String),
    sa.column("partner", sa.String),
    sa.column("sealed", sa.LargeBinary),
)
audit_events = sa.table(
    "audit_event",
    sa.column("id", sa.String),
    sa.column("at", sa.DateTime),
    sa.column("partner", sa.String),
    sa.column("actor", sa.String),
    sa.column("request_id", sa.String),
    sa.column("action", sa.String),
    sa.column("detail", sa.String),
)


def _audit(connection, partner: str, request_id: str, action: str, detail: str, at) -> None:
    connection.execute(
        audit_events.insert().values(
            id=secrets.token_hex(16),
            at=at,
            partner=partner,
            actor=None,
            request_id=request_id,
            action=action,
            detail=detail,
        )
    )


def _seal_waiting_requests(connection, look_only: bool = False) -> None:
    from uitweg.context import content
    from uitweg.intake import sealing
    from uitweg.privacy import vault

    waiting = connection.execute(
        sa.select(
            requests.c.id,
            requests.c.partner,
            requests.c.status,
            requests.c.contact,
            requests.c.contact_scheme,
            requests.c.contact_escrow,
        ).where(
            requests.c.contact.is_not(None),
            requests.c.contact_escrow.is_not(None)
            | (requests.c.contact_scheme == SERVER_KEY_SCHEME),
        )
    ).all()
    if not waiting:
        return
    routing = content().routing
    keys = {
        partner: bytes(public_key)
        for partner, public_key in connection.execute(
            sa.select(partner_keys.c.partner, partner_keys.c.public_key)
        ).all()
    }
    close_unreadable = os.environ.get("UITWEG_MIGRATE_CLOSE_UNREADABLE") == "1"
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    stuck = []
    for request_id, partner, status, contact, scheme, escrow in waiting:
        chain = [p.slug for p in routing.chain(partner)] if routing else [partner]
        receivers = (
            [p.slug for p in routing.receiving_chain(partner, keys)]
            if routing
            else [p for p in chain if p in keys]
        )
        if not receivers:
            if not close_unreadable:
                stuck.append(partner)
                continue
            if look_only:
                continue
            values: dict[str, Any] = {"contact": None, "contact_escrow": None, "wiped_at": at}
            if status in ("received", "in-progress"):
                values.update(status="closed", outcome="expired", closed_at=at)
            connection.execute(requests.update().where(requests.c.id == request_id).values(values))
            _audit(connection, partner, request_id, "wiped", "unreadable", at)
            continue
        if look_only:
            continue
        if scheme == SERVER_KEY_SCHEME:
            data_key = sealing.new_data_key()
            contact = sealing.encrypt_block(data_key, vault().open(contact))
        else:
            data_key = vault().unlock(escrow)
        have = set(
            connection.scalars(
                sa.select(sealed_keys.c.partner).where(sealed_keys.c.request_id == request_id)
            )
        )
        # The routed partner's chain, and the partner it moves to when it must move.
        target = partner if partner in keys else receivers[0]
        wanted = [p for p in dict.fromkeys([*chain, target]) if p in keys and p not in have]
        for slug in wanted:
            connection.execute(
                sealed_keys.insert().values(
                    request_id=request_id,
                    partner=slug,
                    sealed=sealing.seal_to(keys[slug], data_key),
                )
            )
        values = {"contact": contact, "contact_scheme": SEALED_SCHEME, "contact_escrow": None}
        if target != partner:
            values.update(partner=target, instead_of=partner)
            _audit(connection, partner, request_id, "rerouted", target, at)
        connection.execute(requests.update().where(requests.c.id == request_id).values(values))
    if stuck:
        raise RuntimeError(
            f"{len(stuck)} callback request(s) are readable only with the server key, for "
            f"partners where nobody holds a key ({', '.join(sorted(set(stuck)))}) and nobody "
            "along their fallback chain or the default partner's does either. Dropping that "
            "copy would leave them unreadable for everyone. Enrol a person at one of those "
            "partners first (`flask partners invite`, with the release you run now), or set "
            "UITWEG_MIGRATE_CLOSE_UNREADABLE=1 to close and wipe them, then upgrade again."
        )


def upgrade() -> None:
    # First only look: SQLite commits the DDL below at once, so a stop must come before it.
    _seal_waiting_requests(op.get_bind(), look_only=True)
    with op.batch_alter_table("callback_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("instead_of", sa.String(length=64), nullable=True))
    _seal_waiting_requests(op.get_bind())
    # Not batch mode: on SQLite that copies the table and drops the old one, and the drop
    # cascades to sealed_data_key, deleting every partner's sealed copy of every data key.
    # SQLite has dropped columns in place since 3.35.
    op.execute("ALTER TABLE callback_request DROP COLUMN contact_escrow")


def downgrade() -> None:
    with op.batch_alter_table("callback_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_escrow", sa.LargeBinary(), nullable=True))
        batch_op.drop_column("instead_of")
