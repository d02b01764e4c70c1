"""Filling in the callback form through HTTP, as a browser would."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

VALID: dict[str, Any] = {
    "asking": "myself",
    "topics": ["debt"],
    "municipality": "Heideveen",
    "language": "nl",
    "route": "call",
    "phone": "06 1234 5678",
    "email": "",
    "alias": "Sam",
    "days": ["tu", "th"],
    "times": ["evening"],
    "voicemail": "no",
    "say_who": "no",
    "message": "Bel liever na zessen.",
    "consent": "y",
    "website": "",
}
PHONE_E164 = "+31612345678"


def hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input id="[^"]*" name="([^"]+)" type="hidden" value="([^"]*)"', html))


def open_form(client: FlaskClient, lang: str = "nl") -> dict[str, str]:
    """GET the form; return its hidden fields (the one-time token, the campaign)."""
    response = client.get(f"/{lang}/callback")
    assert response.status_code == 200
    fields = hidden_fields(response.get_data(as_text=True))
    assert "token" in fields
    return fields


def submit(client: FlaskClient, lang: str = "nl", hidden: dict | None = None, **changes: Any):
    """Open the form (unless `hidden` is given) and send it with VALID answers plus `changes`."""
    data = {**VALID, **(hidden or open_form(client, lang)), **changes}
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"/{lang}/callback", data=data)


def field_values(html: str) -> dict[str, list[str]]:
    """What the returned form holds: text values, checked boxes and selected options."""
    values: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or not value:
            continue
        if kind and kind.group(1) in {"radio", "checkbox"} and " checked" not in tag:
            continue
        values.setdefault(name.group(1), []).append(value.group(1))
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        values[name] = [text]
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        values[name] = re.findall(r'<option value="([^"]*)" selected>', body)
    return values


def reference_on(response) -> str:
    """The reference code a confirmation page shows, as stored codes were written (no dash):
    the code is not kept in the database, so the page is the only place to read it."""
    found = re.search(
        r'<strong class="reference code-groups" translate="no">(.*?)</strong>',
        response.get_data(as_text=True),
    )
    assert found, "no reference code on the page"
    code = re.sub(r"<[^>]+>|-", "", found[1])
    assert re.fullmatch(r"[0-9A-Z]{16}", code), code
    return code
