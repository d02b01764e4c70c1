"""The editors' area in a real browser: an editor and a publisher enrol and log in with the
keyboard, write, propose, review and publish a story, and every editors' page, in each state it
can be in, passes the gates the partner pages pass."""

from __future__ import annotations

import re

from browser.conftest import visit
from browser.keyboard import complete_form
from browser.test_every_page import report
from browser.test_partner_pages import (
    enrol_with_keyboard,
    every_gate,
    log_in_with_keyboard,
)
from partners.staff import invite

SLUG = "lisa-en-ghb"
ITEM = f"/beheer/stories/{SLUG}"


def member_page(open_page, site, email: str, role: str):
    page = open_page("about:blank", bypass_csp=True, wait=False)
    path = invite(site.app, "owner", email, role=role)
    visit(page, site.url(path))
    secret = enrol_with_keyboard(page, site, path)
    log_in_with_keyboard(page, email, secret)
    assert page.url == site.url("/beheer/")
    return page


def test_write_propose_publish_and_every_editors_page_passes(site, open_page) -> None:
    states: dict[str, list[str]] = {}
    editor = member_page(open_page, site, "eva@gemeente.example", "editor")
    states["overview"] = every_gate(editor, site.base_url)
    visit(editor, site.url(ITEM))
    states["item, as delivered"] = every_gate(editor, site.base_url)

    visit(editor, site.url(ITEM + "/edit"))
    states["edit"] = every_gate(editor, site.base_url)
    text = editor.input_value("#nl")
    changed = re.sub(r"(?m)^title: .*$", 'title: "Lisa vertelt"', text, count=1)
    editor.fill("#nl", changed)
    editor.fill("#note", "Nieuwe titel")
    with editor.expect_navigation():
        editor.click("form.edit-form button[type=submit]")
    assert editor.url.startswith(site.url(ITEM))
    states["item, draft saved"] = every_gate(editor, site.base_url)
    complete_form(editor, {}, action=f"{ITEM}/propose")
    states["item, proposed"] = every_gate(editor, site.base_url)
    version = editor.get_attribute(".history li a", "href")
    visit(editor, site.url(version))
    assert "Lisa vertelt" in editor.inner_text("ol.diff")
    states["version with its changes"] = every_gate(editor, site.base_url)
    visit(editor, site.url("/beheer/new"))
    complete_form(editor, {"kind": "stories", "slug": "Fout Adres"}, action="/beheer/new")
    states["new, with an error"] = every_gate(editor, site.base_url, 400)

    publisher = member_page(open_page, site, "piet@gemeente.example", "publisher")
    visit(publisher, site.url(ITEM))
    states["item, to review"] = every_gate(publisher, site.base_url)
    complete_form(publisher, {}, action=f"{ITEM}/return")  # sent back without saying why
    assert "Zeg wat er moet veranderen" in publisher.inner_text("#error-summary")
    states["item, sending back refused"] = every_gate(publisher, site.base_url, 400)
    complete_form(publisher, {}, action=f"{ITEM}/approve")
    assert "Gepubliceerd" in publisher.inner_text("main")
    states["item, published"] = every_gate(publisher, site.base_url)
    visit(publisher, site.url(f"/nl/stories/{SLUG}"))
    assert publisher.inner_text("h1") == "Lisa vertelt"

    assert not any(states.values()), report(states)
