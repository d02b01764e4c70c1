"""Staff accounts: invitations, enrolment, passwords, TOTP, and login with back-off.

Every way a login can fail gives the same answer, and the back-off is kept per account name
whether or not the account exists, so the login form tells nobody which addresses have one.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from .. import db, mail
from ..context import setting
from ..intake import audit, sealing
from ..models import (
    Invitation,
    LoginThrottle,
    PartnerKey,
    PartnerKeyGrant,
    SealedDataKey,
    StaffMember,
    StaffSession,
)
from ..privacy import vault
from ..vocabulary import OWNER

TOTP_STEP = 30
# Failures before the first wait, the first wait, and the longest.
FREE_FAILURES = 3
FIRST_WAIT = dt.timedelta(seconds=15)
LONGEST_WAIT = dt.timedelta(hours=24)


def normalise_email(value: str) -> str:
    return value.strip().lower()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def kdf_cost() -> sealing.KdfCost:
    return sealing.KdfCost(
        setting("ARGON2_TIME_COST"), setting("ARGON2_MEMORY_KIB"), setting("ARGON2_PARALLELISM")
    )


def password_hasher() -> PasswordHasher:
    cost = kdf_cost()
    return PasswordHasher(
        time_cost=cost.time_cost, memory_cost=cost.memory_kib, parallelism=cost.parallelism
    )


# -- passwords ---------------------------------------------------------------------------------

# Dutch words that belong on any list of passwords people pick; the English list is zxcvbn's.
DUTCH_COMMON = (
    "wachtwoord",
    "welkom",
    "geheim",
    "voetbal",
    "zomer",
    "winter",
    "lente",
    "herfst",
    "nederland",
    "amsterdam",
    "ajax",
    "feyenoord",
    "psv",
)


@functools.cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(DUTCH_COMMON)


def password_problem(password: str, email: str) -> str | None:
    """Why a new password is refused, as a code the form translates; None when it is fine."""
    if len(password) < setting("PASSWORD_MIN_LENGTH"):
        return "too-short"
    folded = password.lower()
    # "Welkom2026!" is "welkom" with decoration: strip digits and symbols at the ends.
    core = folded.strip("0123456789!@#$%^&*()-_=+.?,;: ")
    common = _common_passwords()
    if folded in common or core in common or len(set(folded)) < 5:
        return "common"
    local = normalise_email(email).split("@")[0]
    if len(local) >= 4 and local in folded:
        return "like-email"
    return None


# -- invitations -------------------------------------------------------------------------------


def invite(session: Session, partner: str, email: str, role: str, at: dt.datetime) -> str:
    """A one-time enrolment token (returned once; only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    hours = setting("INVITATION_HOURS")
    session.add(
        Invitation(
            token_hash=token_hash(token),
            partner=partner,
            email=normalise_email(email),
            role=role,
            created_at=at,
            expires_at=at + dt.timedelta(hours=hours),
        )
    )
    return token


def invitation_refused(session: Session, partner: str, email: str) -> str | None:
    """Why staff may not invite `email` to `partner` from the web, as a code the page
    translates; None when they may. The first key holder of a partner is made only from the
    command line, and an account of another partner is never moved by someone outside it."""
    if partner != OWNER and session.get(PartnerKey, partner) is None:
        return "no-key-holder"
    existing = session.scalars(
        select(StaffMember.partner).where(StaffMember.email == normalise_email(email))
    ).first()
    if existing is not None and existing != partner:
        return "other-partner"
    return None


def invite_by_mail(
    session: Session,
    partner: str,
    email: str,
    role: str,
    by: str,
    link: Callable[[str], str],
    organisation: str,
    at: dt.datetime,
) -> str | None:
    """Invite `email` from the web: the link goes to the invitee only, by mail, so nobody who
    invites sees it (and cannot enrol an address of their own). Returns why not, as a code
    (invitation_refused), or None. Mailed inside the caller's transaction: an invitation
    whose mail failed (OSError, SMTPException) is not kept."""
    refused = invitation_refused(session, partner, email)
    if refused is not None:
        return refused
    token = invite(session, partner, email, role, at)
    audit.record(session, partner, by, audit.INVITED, detail=role, at=at)
    mail.send_invitation(email, link(token), organisation, setting("INVITATION_HOURS"))
    return None


def find_invitation(session: Session, token: str) -> Invitation | None:
    return session.scalars(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    ).first()


def invitation_usable(invitation: Invitation | None, at: dt.datetime) -> bool:
    return invitation is not None and invitation.used_at is None and invitation.expires_at > at


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def totp_step(secret: str, code: str, after_step: int, at: dt.datetime) -> int | None:
    """The time step `code` belongs to (this one, or one either side for clock drift), if it is
    later than `after_step`: a code that was used once is refused."""
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=TOTP_STEP)
    current = int(at.timestamp()) // TOTP_STEP
    for step in (current - 1, current, current + 1):
        if step > after_step and hmac.compare_digest(totp.at(step * TOTP_STEP), code):
            return step
    return None


def enrol(
    session: Session,
    invitation: Invitation,
    password: str,
    totp_secret: str,
    first_step: int,
    language: str,
    at: dt.datetime,
) -> StaffMember | None:
    """Create the account (or renew it, for someone who forgot their password). Returns None
    when the invitation was used meanwhile (two tabs, a double click)."""
    taken = db.changed(
        session,
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=at),
    )
    if taken != 1:
        return None
    public_key, private_key = sealing.new_key_pair()
    member = session.scalars(
        select(StaffMember).where(StaffMember.email == invitation.email)
    ).first()
    if member is None:
        member = StaffMember(email=invitation.email, created_at=at)
        session.add(member)
    else:
        # A new password means a new key pair: the old grant cannot be opened any more, and
        # every session of the old credentials ends.
        remove_access(session, member)
    member.partner = invitation.partner
    member.role = invitation.role
    member.language = language
    member.password_hash = password_hasher().hash(password)
    member.totp_secret = vault().lock(totp_secret.encode())
    member.totp_last_step = first_step
    member.public_key = public_key
    member.private_key_wrapped = sealing.wrap_with_password(private_key, password, kdf_cost())
    member.disabled_at = None
    session.flush()
    if session.get(PartnerKey, invitation.partner) is None:
        # The partner's first member: the partner's key pair is made now, for them.
        partner_public, partner_private = sealing.new_key_pair()
        session.add(
            PartnerKey(partner=invitation.partner, public_key=partner_public, created_at=at)
        )
        grant(session, member, partner_private, None, at)
    # Every join is in the partner's audit log, where its coordinators see it. Anyone but the
    # first member sees nothing of the partner's requests until one of them admits them.
    audit.record(session, invitation.partner, member.id, audit.JOINED, detail=member.role, at=at)
    return member


def key_holders(session: Session, partner: str) -> list[str]:
    """Ids of the active members who can open the partner's private key."""
    return list(
        session.scalars(
            select(PartnerKeyGrant.member_id)
            .join(StaffMember, StaffMember.id == PartnerKeyGrant.member_id)
            .where(PartnerKeyGrant.partner == partner, StaffMember.disabled_at.is_(None))
        )
    )


def remove_access(session: Session, member: StaffMember) -> None:
    """End the member's sessions and drop their copy of the partner key. When that was the last
    copy, the partner key is gone for good: its public key is dropped too, so that new requests
    go to a partner that can open them (and late ones escalate to one), and the next member to
    enrol makes a new key pair, instead of requests being sealed to a key nobody holds."""
    session.execute(delete(StaffSession).where(StaffSession.member_id == member.id))
    session.execute(delete(PartnerKeyGrant).where(PartnerKeyGrant.member_id == member.id))
    session.flush()
    if member.partner and not key_holders(session, member.partner):
        session.execute(delete(SealedDataKey).where(SealedDataKey.partner == member.partner))
        session.execute(delete(PartnerKey).where(PartnerKey.partner == member.partner))


class LastKeyHolder(Exception):
    """Disabling this member would lose the partner's key, and every sealed contact detail."""


def disable(session: Session, member: StaffMember, by: str | None, at: dt.datetime) -> None:
    """Close an account: its sessions end at once, its copy of the partner key is dropped, and
    the partner's audit log says who did it (`by`: a member's id, None for the server's
    operator at the command line). The last key holder of a care partner is refused."""
    # The site owner receives no requests: its key (if any) seals nothing worth keeping.
    if member.partner != OWNER and key_holders(session, member.partner) == [member.id]:
        raise LastKeyHolder
    member.disabled_at = at
    remove_access(session, member)
    audit.record(session, member.partner, by, audit.ACCOUNT_DISABLED, detail=member.id, at=at)


def grant(
    session: Session,
    member: StaffMember,
    partner_private_key: bytes,
    granted_by: str | None,
    at: dt.datetime,
) -> None:
    """Give a member the partner's private key, sealed to their own public key."""
    session.merge(
        PartnerKeyGrant(
            member_id=member.id,
            partner=member.partner,
            sealed_private_key=sealing.seal_to(member.public_key, partner_private_key),
            granted_by=granted_by,
            granted_at=at,
        )
    )
    if granted_by is not None:
        audit.record(session, member.partner, granted_by, audit.ACCESS_GRANTED, detail=member.id)


# -- login -------------------------------------------------------------------------------------


def _throttle_key(email: str, device: str | None = None) -> str:
    """The back-off bucket of an account name: one for every browser it has not logged in from
    before, and one per browser that it has (device cookie). A stranger's wrong guesses slow
    down strangers, not the staff member on their own phone."""
    secret = setting("SECRET_KEY").encode()
    message = b"login:" + email.encode() + (b"|device:" + device.encode() if device else b"")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(setting("SECRET_KEY"), salt="login-device")


def new_device(email: str) -> str:
    """A device cookie's value for this account: random, signed, bound to the account name (by
    an HMAC, so the cookie does not show the address)."""
    tag = _throttle_key(normalise_email(email))[:16]
    return _device_serializer().dumps([tag, secrets.token_urlsafe(16)])


def read_device(value: str | None, email: str) -> str | None:
    """The device id in a cookie made for this account name; None for any other cookie."""
    try:
        tag, device = _device_serializer().loads(value or "")
    except (BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(tag, str) and isinstance(device, str)):
        return None
    return device if hmac.compare_digest(tag, _throttle_key(normalise_email(email))[:16]) else None


def locked_until(
    session: Session, email: str, at: dt.datetime, device: str | None = None
) -> dt.datetime | None:
    row = session.get(LoginThrottle, _throttle_key(email, device))
    if row is not None and row.locked_until is not None and row.locked_until > at:
        return row.locked_until
    return None


def _failed(session: Session, email: str, at: dt.datetime, device: str | None = None) -> None:
    key = _throttle_key(email, device)
    row = session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        row = LoginThrottle(key=key, failures=0, last_failure_at=at)
        session.add(row)
    row.failures += 1
    row.last_failure_at = at
    if row.failures >= FREE_FAILURES:
        wait = min(FIRST_WAIT * 2 ** (row.failures - FREE_FAILURES), LONGEST_WAIT)
        row.locked_until = at + wait


# Hashes verified in place of an account's: one per Argon2 cost in use.
_DUMMY: dict[sealing.KdfCost, str] = {}
# A cost beyond these is not imitated (a hash written by hand must not slow every login down).
MOST_MEMORY_KIB = 1024 * 1024
MOST_PASSES = 16


def _cost_of(password_hash: str) -> sealing.KdfCost | None:
    """The cost an Argon2 hash was made with ("$argon2id$v=19$m=65536,t=3,p=1$..."), or None
    for anything else or a cost beyond the limits above."""
    parts = password_hash.split("$")
    if len(parts) < 6 or not parts[1].startswith("argon2"):
        return None
    try:
        values = {
            name: int(value) for name, value in (p.split("=", 1) for p in parts[3].split(","))
        }
        cost = sealing.KdfCost(values["t"], values["m"], values["p"])
    except (KeyError, ValueError):
        return None
    return cost if cost.memory_kib <= MOST_MEMORY_KIB and cost.time_cost <= MOST_PASSES else None


def _dummy_hash(cost: sealing.KdfCost) -> str:
    if cost not in _DUMMY:
        hasher = PasswordHasher(
            time_cost=cost.time_cost, memory_cost=cost.memory_kib, parallelism=cost.parallelism
        )
        _DUMMY[cost] = hasher.hash(secrets.token_hex(16))
    return _DUMMY[cost]


def _costs_in_use(session: Session) -> set[sealing.KdfCost]:
    """Today's cost and every cost an active account's hash was made with."""
    stored = session.scalars(
        select(StaffMember.password_hash).where(StaffMember.disabled_at.is_(None))
    )
    return {kdf_cost()} | {cost for cost in map(_cost_of, stored) if cost is not None}


def _verify_in_constant_time(session: Session, member: StaffMember | None, password: str) -> bool:
    """Whether the password is the member's. One hash of each cost in use is verified every
    time, the member's own among them when there is one: a login takes as long whether the
    address has an account or not, and whatever cost that account's hash was made with."""
    own = _cost_of(member.password_hash) if member else None
    ok = False
    hasher = password_hasher()
    for cost in _costs_in_use(session):
        mine = member is not None and cost == own
        stored = member.password_hash if member is not None and mine else _dummy_hash(cost)
        try:
            hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            continue
        ok = ok or mine
    return ok


@dataclass(frozen=True)
class LoginResult:
    member: StaffMember | None = None
    partner_private_key: bytes | None = None
    # "wrong" (anything), "locked" (wait until locked_until)
    problem: str | None = None
    locked_until: dt.datetime | None = None


def login(
    session: Session,
    email: str,
    password: str,
    code: str,
    at: dt.datetime,
    device: str | None = None,
) -> LoginResult:
    """`device` is the id from this browser's device cookie for this account (read_device), or
    None: it chooses the back-off bucket."""
    # PostgreSQL text cannot hold NUL; no address has one, so it is simply a wrong login.
    email = normalise_email(email).replace("\x00", "")
    until = locked_until(session, email, at, device)
    if until is not None:
        return LoginResult(problem="locked", locked_until=until)
    member = session.scalars(
        select(StaffMember).where(StaffMember.email == email, StaffMember.disabled_at.is_(None))
    ).first()
    hasher = password_hasher()
    password_ok = _verify_in_constant_time(session, member, password)
    step = None
    if password_ok and member is not None:
        secret = vault().unlock(member.totp_secret).decode()
        step = totp_step(secret, code, member.totp_last_step, at)
    if step is None or member is None:
        _failed(session, email, at, device)
        return LoginResult(problem="wrong")
    # Claim the step: of two logins with one code at the same moment, one wins.
    claimed = db.changed(
        session,
        update(StaffMember)
        .where(StaffMember.id == member.id, StaffMember.totp_last_step < step)
        .values(totp_last_step=step),
    )
    if claimed != 1:
        _failed(session, email, at, device)
        return LoginResult(problem="wrong")
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == _throttle_key(email, device)))
    if hasher.check_needs_rehash(member.password_hash):
        member.password_hash = hasher.hash(password)
    private_key = sealing.unwrap_with_password(member.private_key_wrapped, password)
    grant_row = session.get(PartnerKeyGrant, member.id)
    partner_private = None
    if grant_row is not None and grant_row.partner == member.partner:
        partner_private = sealing.open_sealed(private_key, grant_row.sealed_private_key)
    audit.record(session, member.partner, member.id, audit.LOGIN, at=at)
    return LoginResult(member=member, partner_private_key=partner_private)
