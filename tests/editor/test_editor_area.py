"""The editors' area through HTTP: who may enter, writing and proposing, reviewing and
publishing (now and at a set time), conflicts, checks, history and restoring."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from conftest import SAMPLE_CONTENT, make_app
from partners.staff import START, csrf, staff_member, tick

SLUG = "ahmed-en-de-schuld"
ITEM = f"/beheer/stories/{SLUG}"
PUBLIC = f"/nl/stories/{SLUG}"


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=START)


@pytest.fixture
def editor(app):
    return staff_member(app, "owner", "eva@example.org", "editor", admitted=False)


@pytest.fixture
def publisher(app):
    return staff_member(app, "owner", "piet@example.org", "publisher", admitted=False)


def story(title: str, theme: str = "debt") -> str:
    text = (SAMPLE_CONTENT / "stories" / f"{SLUG}.nl.md").read_text()
    text = re.sub(r"(?m)^title: .*$", f'title: "{title}"', text, count=1)
    return re.sub(r"(?m)^themes: .*$", f"themes: [{theme}]", text, count=1)


def english() -> str:
    return (SAMPLE_CONTENT / "stories" / f"{SLUG}.en.md").read_text()


def save(member, title: str, theme: str = "debt", base: str | None = None, note: str = ""):
    page = member.client.get(ITEM + "/edit?as=text").get_data(as_text=True)
    if base is None:
        found = re.search(r'name="base" type="hidden" value="(\d*)"', page)
        base = found[1] if found else ""
    return member.client.post(
        ITEM + "/edit?as=text",
        data={
            "csrf_token": csrf(page),
            "nl": story(title, theme),
            "en": english(),
            "note": note,
            "base": base,
        },
    )


def newest_id(member) -> str:
    page = member.client.get(ITEM).get_data(as_text=True)
    return re.search(r'<li id="v(\d+)">', page)[1]  # the history lists the newest first


def propose(member):
    return member.post(ITEM + "/propose", page=ITEM, version=newest_id(member))


def approve(member, **dates):
    return member.post(ITEM + "/approve", page=ITEM, version=newest_id(member), **dates)


def public_title(app) -> str | None:
    response = app.test_client().get(PUBLIC)
    if response.status_code == 404:
        return None
    return re.search(r"<h1>(.*?)</h1>", response.get_data(as_text=True))[1]


def test_editors_enter_their_area_and_nobody_else_does(app, editor) -> None:
    response = editor.client.get("/beheer/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    html = response.get_data(as_text=True)
    assert f'href="{ITEM}"' in html and "Verhalen" in html
    # Editors have no business in the partner inbox, its team pages or the statistics.
    for path in ("/partner/", "/partner/team", "/partner/stats", "/partner/admin"):
        assert editor.client.get(path).status_code in (403, 404), path
    staff = staff_member(app, "geldpunt-heideveen", "sam@example.org", "coordinator")
    analyst = staff_member(app, "owner", "ana@example.org", "analyst", admitted=False)
    for member in (staff, analyst):
        for path in ("/beheer/", ITEM, ITEM + "/edit", "/beheer/new"):
            assert member.client.get(path).status_code == 403, (member.email, path)
    anonymous = app.test_client().get("/beheer/")
    assert anonymous.status_code == 302 and "/partner/login" in anonymous.headers["Location"]
    assert "Disallow: /beheer/" in app.test_client().get("/robots.txt").get_data(as_text=True)


def test_an_editor_logs_in_to_the_editors_area(app, editor) -> None:
    from partners.staff import login

    client = app.test_client()
    response = login(app, client, editor.email, editor.secret)
    assert response.status_code == 303 and response.headers["Location"].endswith("/beheer/")


def test_write_propose_approve_and_the_site_shows_it(app, editor, publisher) -> None:
    before = public_title(app)
    assert save(editor, "Ik dacht dat ik nog geld schuldig was").status_code == 303
    assert public_title(app) == before  # a draft is nobody's business but the editors'
    page = editor.client.get(ITEM).get_data(as_text=True)
    assert "Concept" in page and "eva@example.org" in page
    assert propose(editor).status_code == 303
    # An editor cannot publish: the button is not there, and the address says no.
    assert "Goedkeuren" not in editor.client.get(ITEM).get_data(as_text=True)
    assert approve(editor).status_code == 403
    assert approve(publisher).status_code == 303
    assert public_title(app) == "Ik dacht dat ik nog geld schuldig was"
    assert "Gepubliceerd" in publisher.client.get(ITEM).get_data(as_text=True)


def test_a_publisher_cannot_approve_their_own_change(app, publisher) -> None:
    save(publisher, "Door mij geschreven")
    propose(publisher)
    page = publisher.client.get(ITEM).get_data(as_text=True)
    assert "Een andere publicist moet" in page and "Goedkeuren" not in page
    response = approve(publisher)
    assert response.status_code == 409
    assert "Een andere publicist moet" in response.get_data(as_text=True)
    assert public_title(app) != "Door mij geschreven"


def test_scheduled_publication_appears_at_its_time(app, editor, publisher) -> None:
    save(editor, "Morgen online")
    propose(editor)
    response = approve(publisher, publish_date="2026-11-25", publish_time="09:30")
    assert response.status_code == 303
    assert public_title(app) != "Morgen online"
    app.config["NOW"] = dt.datetime(2026, 11, 25, 8, 29, tzinfo=dt.UTC)  # 09:29 Amsterdam
    assert public_title(app) != "Morgen online"
    app.config["NOW"] = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC)
    assert public_title(app) == "Morgen online"


def test_a_publication_time_in_the_past_and_an_end_before_the_start_are_refused(
    app, editor, publisher
) -> None:
    save(editor, "Gisteren")
    propose(editor)
    response = approve(publisher, publish_date="2026-11-01")
    assert response.status_code == 409
    assert "De publicatietijd is voorbij" in response.get_data(as_text=True)
    response = approve(publisher, publish_date="2026-12-10", unpublish_date="2026-12-09")
    assert response.status_code == 409
    response = approve(publisher, publish_date="morgen")
    assert response.status_code == 400
    assert public_title(app) != "Gisteren"


def test_two_editors_saving_at_once_the_second_keeps_their_text(app, editor, publisher) -> None:
    page = editor.client.get(ITEM + "/edit?as=text").get_data(as_text=True)
    base = re.search(r'name="base" type="hidden" value="(\d*)"', page)[1]
    assert save(publisher, "Eerst opgeslagen", base=base).status_code == 303
    response = save(editor, "Daarna opgeslagen", base=base)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "piet@example.org" in html and "Daarna opgeslagen" in html  # nothing lost
    history = editor.client.get(ITEM).get_data(as_text=True)
    assert "Eerst opgeslagen" in history and "Daarna opgeslagen" not in history


def test_the_item_page_hints_at_how_easy_the_dutch_text_reads(app, editor) -> None:
    page = editor.client.get(ITEM).get_data(as_text=True)
    assert "Leesgemak (Flesch-Douma):" in page and "van de 100" in page
    long = (
        "De gemeentelijke schuldhulpverleningsorganisatie heeft in samenwerking met "
        "verschillende maatschappelijke partners een geïntegreerde aanpak ontwikkeld voor "
        "kwetsbare inwoners met problematische schulden en andere zorgen."
    )
    text = story("Lang") + "\n" + long + "\n"
    page_html = editor.client.get(ITEM + "/edit?as=text").get_data(as_text=True)
    base = re.search(r'name="base" type="hidden" value="(\d*)"', page_html)[1]
    response = editor.client.post(
        ITEM + "/edit?as=text",
        data={"csrf_token": csrf(page_html), "nl": text, "en": english(), "base": base},
    )
    assert response.status_code == 303
    page = editor.client.get(ITEM).get_data(as_text=True)
    assert "meer dan 20 woorden" in page and "schuldhulpverleningsorganisatie" in page
    assert "Voorstellen voor publicatie" in page  # a hint, never a block


def test_errors_are_listed_all_at_once_and_block_proposing(app, editor) -> None:
    response = save(editor, "Met fouten", theme="geen-thema")
    assert response.status_code == 303  # a draft may hold errors: work is never lost
    page = editor.client.get(ITEM).get_data(as_text=True)
    assert "geen-thema" in page and "Propose" not in page
    assert "Voorstellen" not in page
    response = propose(editor)
    assert response.status_code == 409
    assert "Deze versie heeft fouten" in response.get_data(as_text=True)


def test_history_shows_what_changed_and_an_old_version_can_be_restored(
    app, editor, publisher
) -> None:
    save(editor, "Eerste versie")
    first = newest_id(editor)
    tick(app)
    save(editor, "Tweede versie")
    second = newest_id(editor)
    diff = html.unescape(editor.client.get(f"{ITEM}/versions/{second}").get_data(as_text=True))
    assert '<del>title: "Eerste versie"</del>' in diff
    assert '<ins>title: "Tweede versie"</ins>' in diff
    response = editor.post(f"{ITEM}/versions/{first}/restore", page=f"{ITEM}/versions/{first}")
    assert response.status_code == 303
    edit_page = editor.client.get(ITEM + "/edit?as=text").get_data(as_text=True)
    assert "Eerste versie" in edit_page
    assert int(newest_id(editor)) > int(second)


def test_unpublishing_takes_the_item_off_the_site(app, publisher) -> None:
    assert public_title(app) is not None
    response = publisher.post(ITEM + "/unpublish", page=ITEM)
    assert response.status_code == 303
    assert public_title(app) is None
    assert "offline gehaald" in publisher.client.get(ITEM).get_data(as_text=True)


def test_a_new_story_starts_as_a_draft_and_addresses_are_checked(app, editor) -> None:
    def new(**data):
        return editor.post("/beheer/new", **data)

    response = new(kind="stories", slug="sanne-stopt")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/beheer/stories/sanne-stopt/edit")
    page = editor.client.get("/beheer/stories/sanne-stopt").get_data(as_text=True)
    assert "Concept" in page
    # The starter's example texts are errors until replaced, so it cannot be proposed yet.
    assert page.count("de voorbeeldtekst") == 5 and "Voorstellen" not in page
    assert "draft: true" not in page  # the workflow keeps it off the site, not a field
    assert app.test_client().get("/nl/stories/sanne-stopt").status_code == 404
    assert new(kind="stories", slug="sanne-stopt").status_code == 409
    assert new(kind="stories", slug=SLUG).status_code == 409  # a file has it
    assert new(kind="stories", slug="Sanne Stopt!").status_code == 400
    assert new(kind="pages", slug="help").status_code == 400  # the site's own address
    assert new(kind="secrets", slug="nieuw").status_code == 400


def test_unknown_kinds_slugs_and_versions_are_not_found(app, editor) -> None:
    for path in (
        "/beheer/secrets/x",
        "/beheer/stories/bestaat-niet",
        "/beheer/stories/..%2Fsite",
        f"{ITEM}/versions/999999",
    ):
        assert editor.client.get(path).status_code == 404, path


def test_a_draft_is_previewed_with_the_real_templates_and_reaches_nobody_else(app, editor) -> None:
    cached_before = public_title(app)  # the public page, now in the page cache
    save(editor, "Nog geheim")
    frames = editor.client.get(ITEM + "/preview")
    assert frames.status_code == 200
    assert "frame-src 'self'" in frames.headers["Content-Security-Policy"]
    html = frames.get_data(as_text=True)
    page_url = re.search(r'<iframe src="([^"]+)"', html)[1]
    for lang, title in (("nl", "Nog geheim"), ("en", "They said I still owed them money")):
        response = editor.client.get(page_url.replace("/preview/nl", f"/preview/{lang}"))
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        page = response.get_data(as_text=True)
        assert f"<h1>{title}</h1>" in page and f'lang="{lang}"' in page
    # The preview was rendered by the public view, but went to nobody else and into no cache.
    assert public_title(app) == cached_before
    anonymous = app.test_client().get(page_url)
    assert anonymous.status_code == 302
    # And the editor's own pages still speak the editor's language.
    assert "Bewerken" in editor.client.get(ITEM).get_data(as_text=True)


def test_a_version_with_errors_is_previewed_as_its_errors_never_as_not_found(app, editor) -> None:
    save(editor, "Kapot", theme="geen-thema")
    response = editor.client.get(ITEM + "/preview/nl")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "kan nog niet getoond worden" in page and "geen-thema" in page
    # An older version can be previewed too, by its number.
    assert editor.client.get(ITEM + "/preview/nl?version=999").status_code == 404


@pytest.mark.parametrize(
    "kind", ["stories", "pages", "services", "groups", "campaigns", "selftests"]
)
def test_every_kind_starts_from_a_starter_that_only_its_example_texts_keep_offline(
    app, editor, kind: str
) -> None:
    slug = "nieuw-in-de-buurt"
    response = editor.post("/beheer/new", kind=kind, slug=slug)
    assert response.status_code == 303, response.get_data(as_text=True)
    item = f"/beheer/{kind}/{slug}"
    page = editor.client.get(item).get_data(as_text=True)
    checks = re.findall(r'<li class="check-error">(.*?)</li>', page, re.S)
    assert checks and all("de voorbeeldtekst" in check for check in checks), checks
    assert "Er is nog geen versie in het Engels" in page
    # Replace every example text, as an editor would: then nothing stands in the way.
    edit = editor.client.get(item + "/edit?as=text").get_data(as_text=True)
    text = html.unescape(re.search(r'<textarea id="nl"[^>]*>(.*?)</textarea>', edit, re.S)[1])
    replacements = {
        "Een of twee zinnen die": "Twee zinnen over wat",
        "Naam van de organisatie": "Stichting Voorbeeld",
        "Naam van de plek": "Buurthuis De Linde",
        "Straatnaam 1": "Lindelaan 4",
        "Naam (verzonnen)": "Sam",
        "## Een tussenkop": "## Verder",
        "Een lege regel begint een nieuwe alinea.": "Het ging beter.",
    }
    for example, own in replacements.items():
        text = text.replace(example, own)
    text = re.sub(r"Schrijf hier[^\n\"]*", "Hier staat echte tekst.", text)
    base = re.search(r'name="base" type="hidden" value="(\d*)"', edit)[1]
    response = editor.client.post(
        item + "/edit?as=text", data={"csrf_token": csrf(edit), "nl": text, "base": base}
    )
    assert response.status_code == 303
    page = editor.client.get(item).get_data(as_text=True)
    assert 'class="check-error"' not in page, re.findall(r'check-error">(.*?)</li>', page, re.S)
    assert "Voorstellen voor publicatie" in page
