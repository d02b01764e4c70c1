"""Partners that can receive requests in tests: a key pair each, held by a stand-in member.

A request is only ever sealed to a partner someone holds the key of, and the callback form
takes no requests while nobody does. Most tests are about something else, so `make_app` gives
every sample partner a key holder; tests of the first enrolment ask for none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import Flask
from sqlalchemy import select

from uitweg import db
from uitweg.context import content
from uitweg.intake import sealing
from uitweg.models import PartnerKey, PartnerKeyGrant, StaffMember
from uitweg.privacy import vault
from uitweg.vocabulary import Role

AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
# The stand-in holders' private keys by database URL, for a second app over the same database.
_BY_DATABASE: dict[str, dict[str, bytes]] = {}


def holder_email(partner: str) -> str:
    return f"sleutel@{partner}.test"


def give_keys(app: Flask, partners: Iterable[str] | None = None) -> None:
    """A key pair for each partner (all of them by default), sealed to a stand-in coordinator
    who never logs in. The private keys stay in app.extensions so that tests can admit
    colleagues (partner_private_key)."""
    keys = app.extensions.setdefault("test_partner_keys", {})
    shared = _BY_DATABASE.setdefault(app.config["DATABASE_URL"], {})
    with app.app_context(), db.session() as session:
        have = set(session.scalars(select(PartnerKey.partner)))
        for slug in partners if partners is not None else content().routing.partners:
            if slug in have:
                # A second app over the same database (the PostgreSQL leg shares one).
                if slug in shared:
                    keys[slug] = shared[slug]
                continue
            public, private = sealing.new_key_pair()
            member_public, _ = sealing.new_key_pair()
            member = StaffMember(
                partner=slug,
                email=holder_email(slug),
                role=Role.COORDINATOR,
                password_hash="!",  # no password opens this account
                totp_secret=vault().lock(b"A" * 32),
                public_key=member_public,
                private_key_wrapped=b"{}",
                created_at=AT,
            )
            session.add(member)
            session.add(PartnerKey(partner=slug, public_key=public, created_at=AT))
            session.flush()
            session.add(
                PartnerKeyGrant(
                    member_id=member.id,
                    partner=slug,
                    sealed_private_key=sealing.seal_to(member_public, private),
                    granted_at=AT,
                )
            )
            keys[slug] = shared[slug] = private


def partner_private_key(app: Flask, partner: str) -> bytes | None:
    own = app.extensions.get("test_partner_keys", {})
    return own.get(partner) or _BY_DATABASE.get(app.config["DATABASE_URL"], {}).get(partner)


def ensure_keys(app: Flask) -> None:
    """Give a key holder to every partner that has none: for an app that outlives a test, whose
    tables the PostgreSQL leg empties after each one."""
    with app.app_context(), db.session() as session:
        have = set(session.scalars(select(PartnerKey.partner)))
    missing = [
        slug for slug in app.extensions["content"].content.routing.partners if slug not in have
    ]
    if missing:
        give_keys(app, missing)
