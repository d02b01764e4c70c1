"""The editors' area in a real browser: an editor and a publisher enrol and log in with the
keyboard, write, propose, review and publish a story, and every editors' page, in each state it
can be in, passes the gates the partner pages pass."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

from PIL import Image

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


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def save_text(page, site, change) -> None:
    visit(page, site.url(ITEM + "/edit?as=text"))
    page.fill("#nl", change(page.input_value("#nl")))
    with page.expect_navigation():
        page.click("form.edit-form button[type=submit]")
    assert page.url.startswith(site.url(ITEM))


def test_write_check_preview_propose_schedule_restore_and_every_page_passes(
    site, open_page
) -> None:
    states: dict[str, list[str]] = {}
    editor = member_page(open_page, site, "eva@gemeente.example", "editor")
    states["overview"] = every_gate(editor, site.base_url)
    visit(editor, site.url(ITEM))
    states["item, as delivered"] = every_gate(editor, site.base_url)
    visit(editor, site.url(ITEM + "/edit?as=text"))
    states["edit"] = every_gate(editor, site.base_url)

    # A first draft with a mistake: the checks say so, next to nothing else to do.
    save_text(editor, site, lambda text: re.sub(r"(?m)^themes: .*$", "themes: [fout]", text))
    assert "onbekende themes fout" in editor.inner_text(".checks")  # in her language
    states["item, draft with an error"] = every_gate(editor, site.base_url)
    save_text(
        editor,
        site,
        lambda text: re.sub(
            r"(?m)^title: .*$", 'title: "Lisa vertelt"', text.replace("[fout]", "[help]")
        ),
    )
    assert editor.locator(".checks").count() == 0
    states["item, draft saved"] = every_gate(editor, site.base_url)

    editor.set_input_files(
        "#image", {"name": "IMG_0007.jpg", "mimeType": "image/jpeg", "buffer": photo()}
    )
    editor.fill("#alt", "Lisa op een bankje in het park")
    with editor.expect_navigation():
        editor.click("form[action$='/image'] button[type=submit]")
    assert "De foto staat in een nieuw concept" in editor.inner_text("main")
    states["item, photo added"] = every_gate(editor, site.base_url)

    # The preview, at phone width, with the real templates.
    visit(editor, site.url(ITEM + "/preview"))
    states["preview frames"] = every_gate(editor, site.base_url)
    visit(editor, site.url(ITEM + "/preview/nl"))
    assert editor.inner_text("h1") == "Lisa vertelt"
    assert editor.get_attribute("img.story-image", "alt") == "Lisa op een bankje in het park"
    states["preview page"] = every_gate(editor, site.base_url)

    visit(editor, site.url(ITEM))
    complete_form(editor, {}, action=f"{ITEM}/propose")
    states["item, proposed"] = every_gate(editor, site.base_url)
    version = editor.get_attribute(".history li a", "href")
    visit(editor, site.url(version))
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
    zone = ZoneInfo("Europe/Amsterdam")
    tomorrow = dt.datetime.now(zone).date() + dt.timedelta(days=1)
    publisher.fill("#publish_date", tomorrow.isoformat())
    publisher.fill("#publish_time", "09:00")
    with publisher.expect_navigation():
        publisher.click("form.approve-form button[type=submit]")
    assert "Goedgekeurd. Het komt online" in publisher.inner_text("main")
    states["item, scheduled"] = every_gate(publisher, site.base_url)
    visit(publisher, site.url(f"/nl/stories/{SLUG}"))
    assert publisher.inner_text("h1") != "Lisa vertelt"  # not yet
    visit(publisher, site.url("/beheer/team"))
    states["team, to invite editors"] = every_gate(publisher, site.base_url)
    visit(publisher, site.url(ITEM + "/erase"))  # asked first; erasing is tested over HTTP
    assert "Voorgoed wissen" in publisher.inner_text("main form button")
    states["erase, asked first"] = every_gate(publisher, site.base_url)

    # At the scheduled time, on another app instance that shares the database (fixed clock).
    at = dt.datetime.combine(tomorrow, dt.time(9, 0), zone).astimezone(dt.UTC)
    other = site.app
    try:
        other.config["NOW"] = at - dt.timedelta(minutes=1)
        assert "Lisa vertelt" not in other.test_client().get(f"/nl/stories/{SLUG}").get_data(True)
        other.config["NOW"] = at
        story = other.test_client().get(f"/nl/stories/{SLUG}").get_data(as_text=True)
        assert "<h1>Lisa vertelt</h1>" in story and "Lisa op een bankje" in story
        assert "Lisa vertelt" in other.test_client().get("/nl/stories/feed.xml").get_data(True)
    finally:
        other.config.pop("NOW", None)
        other.extensions["content"].refresh(force=True)

    # Restoring an older version (the first draft): it becomes the newest draft.
    visit(editor, site.url(ITEM))
    oldest = editor.locator(".history li a").last.get_attribute("href")
    visit(editor, site.url(oldest))
    complete_form(editor, {}, action=f"{oldest}/restore")
    assert "De oude tekst is nu het nieuwste concept" in editor.inner_text("main")
    visit(editor, site.url(ITEM + "/edit?as=text"))
    assert "themes: [fout]" in editor.input_value("#nl")  # the first draft, as it was

    # Field by field: the unknown theme is kept and offered, and each check sits by its field.
    visit(editor, site.url(ITEM + "/edit"))
    assert editor.is_checked("#nl_themes-fout")
    states["edit, field by field"] = every_gate(editor, site.base_url)
    editor.fill("#nl_title", "")
    with editor.expect_navigation():
        editor.click("form.fields-form button[type=submit]")
    assert "Vul „Titel” in" in editor.inner_text("#nl_title-error")
    assert "fout" in editor.inner_text("#nl_themes-error")
    states["edit, field by field, with checks"] = every_gate(editor, site.base_url)
    editor.fill("#nl_title", "Lisa vertelt verder")
    editor.uncheck("#nl_themes-fout")
    editor.check("#nl_themes-help")
    with editor.expect_navigation():
        editor.click("form.fields-form button[type=submit]")
    assert editor.url.startswith(site.url(ITEM)) and "/edit" not in editor.url
    assert "Lisa vertelt verder" in editor.inner_text("h1")

    # A service's opening hours are rows: one more is added by a button, the page comes back.
    visit(editor, site.url("/beheer/services/geldpunt-heideveen/edit"))
    states["edit a service, with rows"] = every_gate(editor, site.base_url)
    with editor.expect_navigation():
        editor.click("button[value='add:nl_hours']")
    assert editor.locator("#nl_hours-1-days").count() == 1
    states["edit a service, a row added"] = every_gate(editor, site.base_url)

    # A listing owner's proposal and a visitor's report wait on the overview and the item.
    listing = "/beheer/services/woonloket-vaartstad"
    propose_and_report(site.app, "woonloket-vaartstad")
    visit(publisher, site.url("/beheer/"))
    assert "Voorstellen en meldingen" in publisher.inner_text("main")
    states["overview, with proposals"] = every_gate(publisher, site.base_url)
    visit(publisher, site.url(listing))
    assert "Accepteren en publiceren" in publisher.inner_text("main")
    states["item, with proposals"] = every_gate(publisher, site.base_url)
    visit(editor, site.url(listing))
    states["item, with proposals, as an editor"] = every_gate(editor, site.base_url)

    assert not any(states.values()), report(states)


def propose_and_report(app, slug: str) -> None:
    from uitweg import db
    from uitweg.content import freshness, versions

    at = dt.datetime.now(dt.UTC)
    with app.app_context(), db.session() as session:
        live = versions.live_files(session, app.extensions["content"].folder, "services", slug, at)
        files = {**live, "nl": freshness.with_changes(live["nl"], {"waiting_weeks": 2})}
        freshness.propose(session, "services", slug, freshness.OWNER, live, files, "Korter.", at)
        freshness.propose(session, "services", slug, freshness.VISITOR, live, None, "Dicht?", at)
