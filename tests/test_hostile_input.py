"""Hostile input never gives a 500, on SQLite and PostgreSQL (Hypothesis, a fixed budget).

Every route of the URL map is tried with every method; every query parameter the code reads
(found by reading the package's source) and every field of every POST form (found in the pages'
HTML, partner pages included, logged in) gets generated text: any Unicode, control characters,
NUL, digits that are not ASCII, overlong strings, file parts instead of text, and repeated keys.
JSON bodies too. No answer is a 5xx, and a refused callback submit stores nothing."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

import uitweg
from callback.forms import VALID, hidden_fields
from callback.written import WRITTEN, ask_for_code
from conftest import SAMPLE_CONTENT, make_app
from pagecheck import parse
from partners.staff import START, csrf, invite, staff_member
from uitweg import db
from uitweg.models import CallbackRequest, ConversationMessage, OutboxMessage

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
NASTY = [
    "\x00",
    "a\x00b",
    "²",
    "٣٤",
    "１２",
    "9" * 40,
    "-1",
    "1e9",
    "0x1f",
    "../../etc/passwd",
    "%00",
    "%0d%0a",
    "\r\nSet-Cookie: x=1",
    "<script>alert(1)</script>",
    "'; DROP TABLE callback_request; --",
    "\u202e\u200b\ufeff",
    "𝟘𝟙",
    "ǅ",
    "x" * 5000,
    "",
    " ",
]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
    st.text(st.characters(max_codepoint=0x1F), max_size=20),
)
FILE_PART = st.builds(lambda data, name: (io.BytesIO(data), name), st.binary(max_size=100), TEXT)
VALUE = st.one_of(TEXT, st.lists(TEXT, min_size=2, max_size=3), FILE_PART)
BUDGET = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def query_parameters() -> list[str]:
    """Every GET parameter the package reads, found in its source."""
    names = set()
    for path in Path(uitweg.__file__).parent.rglob("*.py"):
        source = path.read_text()
        names.update(re.findall(r"(?:args|raw)\.get(?:list)?\(\s*\"([a-z_]+)\"", source))
    from uitweg.directory.search import FLAGS

    return sorted(names | set(FLAGS) | {"page", "per_page", "search", "q", "id"})


@pytest.fixture
def site(tmp_path) -> tuple[Flask, dict]:
    """An app with a request, an admin logged in at its partner, and the ids to aim at."""
    unlimited = "100000 per hour"
    app = make_app(
        tmp_path,
        NOW=START,
        CALLBACK_RATE_LIMIT=unlimited,
        CALLBACK_POST_LIMIT=unlimited,
        STATUS_RATE_LIMIT=unlimited,
        LOGIN_RATE_LIMIT=unlimited,
        WRITTEN_RATE_LIMIT=unlimited,
        CODE_FAILURE_LIMIT=unlimited,
        CODE_FAILURE_GLOBAL_LIMIT=unlimited,
        CONVERSATION_POST_LIMIT=unlimited,
    )
    admin = staff_member(app, "geldpunt-heideveen", "beheer@geldpunt.example", "admin")
    client = app.test_client()
    page = client.get("/nl/callback").get_data(as_text=True)
    assert client.post("/nl/callback", data={**VALID, **hidden_fields(page)}).status_code == 200
    with app.app_context(), db.session() as session:
        request_id = session.scalars(select(CallbackRequest.id)).one()
    # A written conversation at the same partner: its code and its page in the inbox.
    code = ask_for_code(client)
    with app.app_context(), db.session() as session:
        written_id = session.scalars(
            select(CallbackRequest.id).where(CallbackRequest.kind == "written")
        ).one()
    written_page = f"/partner/requests/{written_id}"
    assert admin.post(f"{written_page}/claim", page=written_page).status_code == 303
    html = admin.client.get("/partner/account").get_data(as_text=True)
    enrolment = invite(app, "geldpunt-heideveen", "nieuw@geldpunt.example")
    # A publisher at the site's owner, with one saved version: the editors' area and its forms.
    publisher = staff_member(app, "owner", "piet@gemeente.example", "publisher", admitted=False)
    with app.app_context(), db.session() as session:
        from uitweg.content import versions

        story = (SAMPLE_CONTENT / "stories" / f"{EDITED}.nl.md").read_text()
        version = versions.save(
            session, "stories", EDITED, {"nl": story}, publisher.email, None, START
        )
        version_id = version.id
    return app, {
        "enrolment": enrolment,
        "admin": admin.client,
        "publisher": publisher.client,
        "publisher_csrf": csrf(publisher.client.get("/beheer/new").get_data(as_text=True)),
        "version_id": str(version_id),
        "csrf": csrf(html),
        "request_id": request_id,
        "written_id": written_id,
        "code": code,
        "member_id": re.sub(r"\W", "", admin.email),
    }


def _rules(app: Flask) -> list:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def _aimed(aim: dict) -> dict[str, str]:
    """Path values that reach real things: the request, the edited story and its version."""
    return {
        "lang": "nl",
        "request_id": aim["request_id"],
        "kind": "stories",
        "slug": EDITED,
        "version_id": aim["version_id"],
        "language": "nl",
    }


def _path(rule, values: dict[str, str]) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        return quote(values.get(name, "x"), safe="") or "x"

    return re.sub(r"<([^>]+)>", fill, rule.rule)


def _no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


def _stored(app: Flask) -> int:
    with app.app_context(), db.session() as session:
        return sum(
            session.scalar(select(func.count()).select_from(model))
            for model in (CallbackRequest, OutboxMessage, ConversationMessage)
        )


# The item the editors' pages are tried on.
EDITED = "ahmed-en-de-schuld"


def _client_for(path: str, aim: dict):
    """The client that may see `path`: the partner admin, the publisher, or a visitor."""
    if path.startswith("/beheer"):
        return aim["publisher"]
    if path.startswith("/partner") and not (
        path == "/partner/login" or path.startswith("/partner/enrol/")
    ):
        return aim["admin"]
    return None


PATH_VALUES = ["\x00", "²", "ǅ", "%0d%0a", "../../etc/passwd", "x" * 5000]


def test_every_route_and_method_with_nasty_path_values(site) -> None:
    app, aim = site
    visitor = app.test_client()
    for rule in _rules(app):
        staff = _client_for(rule.rule, aim)
        clients = (visitor, staff) if staff else (visitor,)
        for nasty in [*PATH_VALUES, aim["request_id"]]:
            values = {"lang": "nl", "request_id": nasty, "member_id": nasty, "kind": "stories"}
            values.update({name: nasty for name in rule.arguments if name not in values})
            path = _path(rule, values)
            for method in METHODS:
                for client in clients:
                    token = aim["publisher_csrf"] if client is aim["publisher"] else aim["csrf"]
                    response = client.open(path, method=method, data={"csrf_token": token})
                    _no_server_error(response, f"{method} {path}")


def test_every_query_parameter_with_every_nasty_value(site) -> None:
    app, aim = site
    names = query_parameters()
    for rule in _rules(app):
        if "GET" not in rule.methods:
            continue
        client = _client_for(rule.rule, aim) or app.test_client()
        path = _path(rule, _aimed(aim))
        for nasty in NASTY:
            for query in ({name: nasty for name in names}, [(n, nasty) for n in names] * 2):
                response = client.get(path, query_string=query)
                _no_server_error(response, f"GET {path} {nasty!r}")


@BUDGET
@given(data=st.data())
def test_every_query_parameter_of_every_get_route(site, data) -> None:
    app, aim = site
    rule = data.draw(st.sampled_from([r for r in _rules(app) if "GET" in r.methods]))
    values = {name: data.draw(TEXT) for name in rule.arguments}
    if "lang" in values and data.draw(st.booleans()):
        values["lang"] = "nl"
    names = data.draw(st.lists(st.sampled_from(query_parameters()), max_size=6))
    query = [(name, data.draw(TEXT)) for name in names for _ in range(data.draw(st.integers(1, 2)))]
    client = _client_for(rule.rule, aim) or app.test_client()
    response = client.get(_path(rule, values), query_string=query)
    _no_server_error(response, f"GET {rule.rule} {query!r}"[:300])


def _form_fields(form) -> list[str]:
    names = [f.get("name") for tag in ("input", "select", "textarea") for f in form.iter(tag)]
    return sorted({name for name in names if name})


def _post_forms(app: Flask, aim: dict) -> list[tuple[str, str, list[str]]]:
    """(page, action, field names) of every POST form on the pages a visitor and the admin see."""
    pages = [
        aim["enrolment"],
        "/nl/callback",
        "/nl/callback/status",
        "/nl/callback/write",
        "/nl/callback/conversation",
        "/partner/login",
        "/partner/",
        f"/partner/requests/{aim['request_id']}",
        f"/partner/requests/{aim['written_id']}",
        "/partner/team",
        "/partner/admin",
        "/partner/account",
        "/beheer/new",
        f"/beheer/stories/{EDITED}",
        f"/beheer/stories/{EDITED}/edit",
        f"/beheer/stories/{EDITED}/edit?as=text",
        "/beheer/pages/about/edit",
        "/beheer/campaigns/heideveen-juni-2026/edit",
        "/beheer/selftests/drugs/edit",
        "/nl/selftests/drugs",
        "/en/selftests/worried-about-someone",
        f"/beheer/stories/{EDITED}/versions/{aim['version_id']}",
        f"/beheer/stories/{EDITED}/erase",
        "/beheer/team",
    ]
    found = []
    for page in pages:
        html = (_client_for(page, aim) or app.test_client()).get(page).get_data(as_text=True)
        for form in parse(html).iter("form"):
            action = form.get("action")
            if (form.get("method") or "").lower() != "post" or "logout" in action:
                continue  # logging the admin out would end the rest of the run early
            found.append((page, action, _form_fields(form)))
    # The cancel form, as the status page shows it for a known code.
    found.append(("/nl/callback/status", "/nl/callback/cancel", ["code", "confirm"]))
    # The open conversation's forms, as the conversation page shows them for a known code.
    found.append(
        ("/nl/callback/conversation", "/nl/callback/conversation/reply", ["code", "message"])
    )
    found.append(
        ("/nl/callback/conversation", "/nl/callback/conversation/end", ["code", "confirm"])
    )
    preferences = ["code", "route", "phone", "email", "days", "times", "notify"]
    found.append(
        ("/nl/callback/conversation", "/nl/callback/conversation/preferences", preferences)
    )
    # The partner's answer, as the request page shows it once the conversation is open.
    written = f"/partner/requests/{aim['written_id']}"
    found.append((written, f"{written}/reply", ["csrf_token", "message"]))
    # A self-test's next steps, as its result page shows them.
    found.append(("/nl/selftests/drugs", "/nl/selftests/drugs/next", ["band", "step", "campaign"]))
    assert {action for _page, action, _fields in found} >= {
        aim["enrolment"],
        "/nl/callback",
        "/nl/callback/status",
        "/nl/callback/write",
        "/nl/callback/conversation",
        "/nl/callback/conversation/reply",
        f"/partner/requests/{aim['written_id']}/reply",
        f"/partner/requests/{aim['written_id']}/conversation",
        "/partner/login",
        f"/partner/requests/{aim['request_id']}/forward",
        "/partner/admin/invite",
        "/beheer/new",
        f"/beheer/stories/{EDITED}/edit",
        f"/beheer/stories/{EDITED}/edit?as=text",
        f"/beheer/stories/{EDITED}/image",
        f"/beheer/stories/{EDITED}/erase",
        "/beheer/team/invite",
        "/nl/selftests/drugs",
        "/en/selftests/worried-about-someone",
        "/beheer/selftests/drugs/edit",
    }
    return found


@BUDGET
@given(data=st.data())
def test_every_field_of_every_form(site, data) -> None:
    app, aim = site
    forms = _post_forms(app, aim) if "forms" not in aim else aim["forms"]
    aim["forms"] = forms
    page, action, fields = data.draw(st.sampled_from(forms))
    staff = _client_for(action, aim)
    partner = staff is not None
    client = staff or app.test_client()
    html = client.get(page).get_data(as_text=True)
    form = {name: value for name, value in hidden_fields(html).items()}
    if action == "/nl/callback":
        form.update(VALID)
    elif action == "/nl/callback/write":
        form.update(WRITTEN)
    elif action.startswith("/nl/callback/conversation/"):
        form["code"] = aim["code"]  # so that what is generated reaches the open conversation
    changed = data.draw(st.lists(st.sampled_from([*fields, "extra"]), min_size=1, max_size=4))
    for name in changed:
        form[name] = data.draw(VALUE)
    if partner and data.draw(st.booleans()):
        form["csrf_token"] = aim["publisher_csrf"] if client is aim["publisher"] else aim["csrf"]
    before = _stored(app)
    if data.draw(st.integers(0, 9)) == 0:
        # The same fields as a JSON body, numbers and nulls included.
        body = {
            k: v if isinstance(v, str | list) else data.draw(st.one_of(st.integers(), st.none()))
            for k, v in form.items()
        }
        response = client.post(action, json=body)
    else:
        response = client.post(action, data=form)
    _no_server_error(response, f"POST {action} {sorted(changed)}")
    refusable = ("/nl/callback", "/nl/callback/write", "/nl/callback/conversation/reply")
    if action in refusable and response.status_code >= 400:
        assert _stored(app) == before, "a refused submit stored something"
