"""Contact details sealed to care partners, after the model GlobaLeaks uses for its reports.

- A request's contact block is encrypted with its own random data key (XSalsa20-Poly1305,
  PyNaCl's SecretBox).
- Each partner has a Curve25519 key pair. The data key is sealed (PyNaCl's SealedBox) to the
  public key of the routed partner and of every partner in its fallback chain, so escalation
  needs nobody to unlock anything.
- Each staff member has a key pair of their own. Their private key is stored only encrypted with
  a key derived from their password (Argon2id); the partner's private key is stored sealed to each
  member's public key. A coordinator can therefore grant a colleague access without knowing the
  colleague's password, and a forgotten password loses one person's access, not the partner's.

- A visitor's code (a callback's reference code, a written conversation's code) gives a key
  pair of its own (visitor_keys, Argon2id): the data key is sealed to its public key as well, so
  the visitor reads what the partner wrote back with nothing but the code.

The server's own key (UITWEG_DATA_KEY, privacy.py) never opens a sealed block and never holds a
data key: a request goes only to a partner that holds a key pair (contact.receivers), and is
sealed only to the partners of its chain that hold one.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

DATA_KEY_BYTES = SecretBox.KEY_SIZE


class SealError(ValueError):
    """A key or box that does not open: wrong password, wrong key, or tampered data."""


@dataclass(frozen=True)
class KdfCost:
    """Argon2id cost. Stored beside every wrapped key, so raising the cost later keeps old
    wraps readable."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 1


def derive_key(password: str, salt: bytes, cost: KdfCost) -> bytes:
    return hash_secret_raw(
        password.encode(),
        salt,
        time_cost=cost.time_cost,
        memory_cost=cost.memory_kib,
        parallelism=cost.parallelism,
        hash_len=SecretBox.KEY_SIZE,
        type=Type.ID,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def wrap_with_password(secret: bytes, password: str, cost: KdfCost) -> bytes:
    salt = secrets.token_bytes(16)
    box = SecretBox(derive_key(password, salt, cost)).encrypt(secret)
    record = {
        "v": 1,
        "t": cost.time_cost,
        "m": cost.memory_kib,
        "p": cost.parallelism,
        "salt": _b64(salt),
        "box": _b64(box),
    }
    return json.dumps(record).encode()


def unwrap_with_password(wrapped: bytes, password: str) -> bytes:
    try:
        record = json.loads(wrapped)
        cost = KdfCost(record["t"], record["m"], record["p"])
        key = derive_key(password, base64.b64decode(record["salt"]), cost)
        return SecretBox(key).decrypt(base64.b64decode(record["box"]))
    except (CryptoError, ValueError, KeyError, TypeError) as exc:
        raise SealError("wrong password or damaged key") from exc


def new_key_pair() -> tuple[bytes, bytes]:
    """(public, private) as raw bytes."""
    private = PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def seal_to(public_key: bytes, secret: bytes) -> bytes:
    return SealedBox(PublicKey(public_key)).encrypt(secret)


def open_sealed(private_key: bytes, sealed: bytes) -> bytes:
    try:
        return SealedBox(PrivateKey(private_key)).decrypt(sealed)
    except (CryptoError, ValueError, TypeError) as exc:
        raise SealError("this key does not open that box") from exc


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def encrypt_block(data_key: bytes, block: dict[str, Any]) -> bytes:
    return SecretBox(data_key).encrypt(json.dumps(block, ensure_ascii=False).encode())


def decrypt_block(data_key: bytes, ciphertext: bytes) -> dict[str, Any]:
    try:
        return json.loads(SecretBox(data_key).decrypt(ciphertext))
    except (CryptoError, ValueError, TypeError) as exc:
        raise SealError("the data key does not open this block") from exc


def lock(secret: bytes, key: bytes) -> bytes:
    """Symmetric encryption of a key under another key (a staff session's secret, say)."""
    return SecretBox(key).encrypt(secret)


def unlock(box: bytes, key: bytes) -> bytes:
    try:
        return SecretBox(key).decrypt(box)
    except (CryptoError, ValueError, TypeError) as exc:
        raise SealError("wrong key") from exc


# A visitor's code (intake/codes.py) is their only key. One Argon2id run turns it into a
# master secret; two BLAKE2b derivations of that give the row's lookup digest (stored, so the
# code finds its conversation) and the seed of the visitor's Curve25519 key pair (never stored).
# Knowing the digest gives nothing towards the seed. The salt is fixed because the row must be
# found from the code alone; with 80 bits of code nothing can be precomputed over it.
VISITOR_SALT = b"uitweg/visitor-code/v1"


@dataclass(frozen=True)
class VisitorKeys:
    digest: str  # hex: what the database keeps to find the row
    private_key: bytes
    public_key: bytes


def visitor_keys(code: str, cost: KdfCost) -> VisitorKeys:
    master = hash_secret_raw(
        code.encode(),
        VISITOR_SALT,
        time_cost=cost.time_cost,
        memory_cost=cost.memory_kib,
        parallelism=cost.parallelism,
        hash_len=32,
        type=Type.ID,
    )
    digest = blake2b(master, digest_size=32, person=b"uitweg-lookup", encoder=RawEncoder)
    seed = blake2b(master, digest_size=32, person=b"uitweg-box", encoder=RawEncoder)
    private = PrivateKey(seed)
    return VisitorKeys(digest.hex(), bytes(private), bytes(private.public_key))


def encrypt_text(data_key: bytes, text: str) -> bytes:
    return SecretBox(data_key).encrypt(text.encode())


def decrypt_text(data_key: bytes, box: bytes) -> str:
    try:
        return SecretBox(data_key).decrypt(box).decode()
    except (CryptoError, ValueError, TypeError) as exc:
        raise SealError("the data key does not open this message") from exc
