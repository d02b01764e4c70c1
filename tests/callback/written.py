"""Asking in writing through HTTP, as a browser would, and reading the code off the page."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from callback.forms import hidden_fields

WRITTEN: dict[str, Any] = {
    "asking": "myself",
    "topics": ["debt"],
    "municipality": "Heideveen",
    "language": "nl",
    "message": "Ik heb schulden bij iemand die ik niet vertrouw. Wat kan ik doen?",
    "alias": "Noor",
    "consent": "y",
    "website": "",
}
_CODE = re.compile(r'class="reference code-groups" translate="no">(.*?)</strong>')
_TEXTS = re.compile(r'<p class="text">(.*?)</p>', re.S)


def ask(client: FlaskClient, lang: str = "nl", hidden: dict | None = None, **changes: Any):
    """Open the written form (unless `hidden` is given) and send it; returns the response."""
    if hidden is None:
        hidden = hidden_fields(client.get(f"/{lang}/callback/write").get_data(as_text=True))
    data = {k: v for k, v in {**WRITTEN, **hidden, **changes}.items() if v is not None}
    return client.post(f"/{lang}/callback/write", data=data)


def code_on(response) -> str:
    """The code as the page shows it (groups of four with dashes)."""
    found = _CODE.search(response.get_data(as_text=True))
    assert found, "no code on the page"
    return re.sub(r"<[^>]+>", "", found[1])


def ask_for_code(client: FlaskClient, **changes: Any) -> str:
    response = ask(client, **changes)
    assert response.status_code == 200, response.get_data(as_text=True)
    return code_on(response)


def messages(response) -> list[str]:
    """The messages on a conversation page (visitor's or staff), in order, as HTML text."""
    return _TEXTS.findall(response.get_data(as_text=True))


def open_conversation(client: FlaskClient, code: str, lang: str = "nl"):
    return client.post(f"/{lang}/callback/conversation", data={"code": code})
