"""Reading a stored contact block back in tests, the way the partner that received it does:
with that partner's private key (the stand-in key holders' keys, see keyholders.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from keyholders import partner_private_key
from uitweg import db
from uitweg.intake import contact
from uitweg.models import CallbackRequest


def open_stored(app, request_id: str | None = None) -> dict[str, Any]:
    with app.app_context(), db.session() as session:
        if request_id is None:
            row = session.scalars(select(CallbackRequest)).one()
        else:
            row = session.get(CallbackRequest, request_id)
        key = partner_private_key(app, row.partner)
        return contact.open_block(session, row, row.partner, key)
