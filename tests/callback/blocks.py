"""Reading a stored contact block back in tests, the way a partner with no key pair yet would:
through the server's escrow copy of its data key."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from uitweg import contact, db
from uitweg.models import CallbackRequest


def open_stored(app, request_id: str | None = None) -> dict[str, Any]:
    with app.app_context(), db.session() as session:
        if request_id is None:
            row = session.scalars(select(CallbackRequest)).one()
        else:
            row = session.get(CallbackRequest, request_id)
        return contact.open_block(session, row, row.partner, None)
