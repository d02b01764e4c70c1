"""The server's own key (UITWEG_DATA_KEY), for what the server itself must be able to read.

Contact details are sealed to care partners (sealing.py, contact.py), and this key cannot open
them or their data keys. It encrypts only the staff's TOTP secrets, with Fernet (AES-128-CBC with
HMAC-SHA256, from `cryptography`); migration 0004 also reads the server copies that older releases
kept, to seal them to partners before it drops them. The variable may hold
several keys separated by commas: the first encrypts, all decrypt, so a key can be replaced
without losing what was stored under the old one (`flask keys rotate`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app


class DataKeyError(ValueError):
    """UITWEG_DATA_KEY holds something that is not a Fernet key."""


def parse_keys(value: str) -> list[bytes]:
    keys = [part.strip().encode() for part in value.replace("\n", ",").split(",") if part.strip()]
    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            raise DataKeyError(
                "UITWEG_DATA_KEY must hold one or more keys made by `flask keys new`, "
                "separated by commas"
            ) from None
    return keys


def development_key(instance: Path) -> str:
    """A key kept in instance/ so that data written on a laptop survives a restart."""
    path = instance / "data-key"
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(Fernet.generate_key().decode())
    return path.read_text().strip()


class Vault:
    def __init__(self, keys: list[bytes]) -> None:
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def seal(self, block: dict[str, Any]) -> bytes:
        return self._fernet.encrypt(json.dumps(block, ensure_ascii=False).encode())

    def open(self, token: bytes) -> dict[str, Any]:
        return json.loads(self._fernet.decrypt(token))

    def lock(self, secret: bytes) -> bytes:
        return self._fernet.encrypt(secret)

    def unlock(self, token: bytes) -> bytes:
        return self._fernet.decrypt(token)

    def rotate(self, token: bytes) -> bytes:
        return self._fernet.rotate(token)


def init_app(app: Flask) -> None:
    app.extensions["vault"] = Vault(parse_keys(app.config["DATA_KEY"]))


def vault() -> Vault:
    return current_app.extensions["vault"]


__all__ = ["DataKeyError", "InvalidToken", "Vault", "development_key", "parse_keys", "vault"]
