"""Editing field by field: the form is built from the content schemas, offers site.yaml's
choices in the editor's words, writes files in content/'s own format, keeps what it does not
ask, shows each check beside its field, and never loses what was typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from conftest import SAMPLE_CONTENT, make_app
from editor.test_editor_area import SLUG
from pagecheck import parse
from partners.staff import START, staff_member
from uitweg import db
from uitweg.content import editing
from uitweg.content.frontmatter import parse_document
from uitweg.models import ContentVersion


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=START)


@pytest.fixture
def editor(app):
    return staff_member(app, "owner", "eva@example.org", "editor", admitted=False)


def sent_as_is(html: str, action: str) -> list[tuple[str, str]]:
    """What a browser would send for the form with `action`, nothing changed."""
    [form] = [f for f in parse(html).iter("form") if f.get("action") == action]
    sent = []
    for field in form.iter("input"):
        kind = field.get("type") or "text"
        if kind in ("checkbox", "radio") and field.get("checked") is None:
            continue
        sent.append((field.get("name"), field.get("value") or ""))
    for area in form.iter("textarea"):
        sent.append((area.get("name"), (area.text or "").removeprefix("\n")))
    for menu in form.iter("select"):
        chosen = [o for o in menu.iter("option") if o.get("selected") is not None]
        sent.append((menu.get("name"), (chosen or list(menu.iter("option")))[0].get("value")))
    return sent


def replaced(sent: list[tuple[str, str]], **changes: str | list[str]) -> list[tuple[str, str]]:
    kept = [(name, value) for name, value in sent if name not in changes]
    for name, value in changes.items():
        kept += [(name, v) for v in (value if isinstance(value, list) else [value])]
    return kept


def newest_files(app, kind: str, slug: str) -> dict[str, str] | None:
    with app.app_context(), db.session() as session:
        return session.scalars(
            select(ContentVersion.files)
            .where(ContentVersion.kind == kind, ContentVersion.slug == slug)
            .order_by(ContentVersion.id.desc())
            .limit(1)
        ).first()


def edit_page(editor, kind: str = "stories", slug: str = SLUG) -> tuple[str, str]:
    path = f"/beheer/{kind}/{slug}/edit"
    response = editor.client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True), path


def post(editor, path: str, sent: list[tuple[str, str]]):
    from werkzeug.datastructures import MultiDict

    return editor.client.post(path, data=MultiDict(sent))


def test_the_form_asks_each_field_in_the_editors_words(app, editor) -> None:
    html, _ = edit_page(editor)
    # Choices from site.yaml, as words, with what the file says already chosen.
    assert re.search(r'value="debt" checked>\s*<label[^>]*>Schulden</label>', html)
    assert re.search(r'type="radio" value="26–35" checked>', html)
    assert 'type="date" value="2025-12-03"' in html
    assert "Naam in het verhaal" in html and "<legend>Thema's</legend>" in html
    assert "Kies er minstens één." in html
    # The markdown text, with the help beside it, in each language.
    assert 'name="nl_body"' in html and 'name="en_body"' in html
    assert "Een regel die begint met ## is een tussenkop." in html


@pytest.mark.parametrize("kind", editing.FORM_KINDS)
def test_sending_the_form_unchanged_changes_no_field_of_any_sample_item(
    app, editor, kind: str
) -> None:
    folder = kind
    for source in sorted((SAMPLE_CONTENT / folder).glob("*.nl.md")):
        slug = source.name.removesuffix(".nl.md")
        html, path = edit_page(editor, kind, slug)
        assert post(editor, path, sent_as_is(html, path)).status_code == 303, slug
        saved = newest_files(app, kind, slug)
        for lang in ("nl", "en"):
            file = SAMPLE_CONTENT / folder / f"{slug}.{lang}.md"
            if not file.exists():
                assert lang not in saved, slug
                continue
            before = parse_document(file, [])
            after = parse_document(Path(f"x.{lang}.md"), [], saved[lang])
            assert after is not None and before is not None
            assert after.fields == before.fields, (slug, lang)
            assert after.body.strip() == before.body.strip(), (slug, lang)


def test_changed_answers_are_written_as_the_file_format(app, editor) -> None:
    html, path = edit_page(editor)
    sent = replaced(
        sent_as_is(html, path),
        nl_title="Mijn schuld was geen schuld",
        nl_themes=["debt", "family"],
        nl_date="4-1-2026",  # typed where a browser has no date picker
        nl_body="Eerste alinea.\r\n\r\n## Daarna\r\n\r\nTweede alinea.",
    )
    assert post(editor, path, sent).status_code == 303
    text = newest_files(app, "stories", SLUG)["nl"]
    assert text.startswith("---\ntitle: Mijn schuld was geen schuld\nsummary: Ahmed wilde")
    assert "\nthemes: [debt, family]\n" in text and "\ndate: 2026-01-04\n" in text
    assert text.endswith("---\n\nEerste alinea.\n\n## Daarna\n\nTweede alinea.\n")


def test_fields_the_form_does_not_ask_are_kept(app, editor) -> None:
    files = {"nl": (SAMPLE_CONTENT / "stories" / f"{SLUG}.nl.md").read_text()}
    files["nl"] = files["nl"].replace("---\n", "---\npublish: 2025-12-04\n", 1)
    with app.app_context(), db.session() as session:
        from uitweg.content import versions

        newest = versions.head(session, "stories", SLUG)
        versions.save(
            session, "stories", SLUG, files, "eva@example.org", newest and newest.id, START
        )
    html, path = edit_page(editor)
    assert 'name="en_title" type="text" value=""' in html  # no English version now
    assert (
        post(editor, path, replaced(sent_as_is(html, path), nl_place="Vaartstad")).status_code
        == 303
    )
    saved = newest_files(app, "stories", SLUG)
    assert "\npublish: 2025-12-04\n" in saved["nl"] and "\nplace: Vaartstad\n" in saved["nl"]
    assert "en" not in saved  # an empty translation makes no file


def test_a_check_is_shown_beside_the_field_it_concerns(app, editor) -> None:
    html, path = edit_page(editor)
    sent = replaced(sent_as_is(html, path), nl_title="", nl_themes=[])
    response = post(editor, path, sent)
    # Saved all the same (work is never lost), and back to the form with what is wrong.
    assert response.status_code == 303 and response.headers["Location"].endswith("/edit#checks")
    html = editor.client.get(path).get_data(as_text=True)
    assert "Bewaard als concept" in html or "bewaard als concept" in html
    title_error = re.search(r'<p class="field-error" id="nl_title-error">(.*?)</p>', html, re.S)
    themes_error = re.search(r'<p class="field-error" id="nl_themes-error">(.*?)</p>', html, re.S)
    assert title_error and "Vul „Titel” in" in title_error[1]
    assert themes_error and "Vul „Thema&#39;s” in" in themes_error[1]
    assert 'href="#nl_title"' in html  # the summary at the top links to the field


def test_a_date_or_number_that_cannot_be_read_is_refused_and_kept_as_typed(app, editor) -> None:
    before = newest_files(app, "campaigns", "heideveen-juni-2026")
    html, path = edit_page(editor, "campaigns", "heideveen-juni-2026")
    sent = replaced(sent_as_is(html, path), nl_sent="31-02-2026", nl_recipients="veel")
    response = post(editor, path, sent)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="31-02-2026"' in html and 'value="veel"' in html
    assert "Schrijf de datum als dag, maand en jaar" in html
    assert "Schrijf een heel getal" in html
    assert newest_files(app, "campaigns", "heideveen-juni-2026") == before  # nothing saved


def test_two_editors_saving_one_item_at_once_the_second_keeps_their_answers(app) -> None:
    first = staff_member(app, "owner", "ali@example.org", "editor", admitted=False)
    second = staff_member(app, "owner", "bo@example.org", "editor", admitted=False)
    html_a, path = edit_page(first, "pages", "about")
    html_b, _ = edit_page(second, "pages", "about")
    assert (
        post(first, path, replaced(sent_as_is(html_a, path), nl_title="Over ons")).status_code
        == 303
    )
    late = post(second, path, replaced(sent_as_is(html_b, path), nl_title="Over deze site!"))
    assert late.status_code == 409
    html = late.get_data(as_text=True)
    assert "ali@example.org" in html and 'value="Over deze site!"' in html
    assert "title: Over ons" in newest_files(app, "pages", "about")["nl"]


def test_every_asked_field_is_one_the_loader_checks() -> None:
    from uitweg.content.loader import SCHEMAS

    for kind in editing.FORM_KINDS:
        for lang, asked in editing.questions(kind).items():
            schema = editing.schema_for(kind, lang)
            assert {q.name for q in asked} - {editing.BODY} <= set(schema), (kind, lang)
    assert set(editing.FORM_KINDS) <= set(SCHEMAS)


SERVICE = "geldpunt-heideveen"


def test_opening_hours_are_rows_added_and_removed_without_javascript(app, editor) -> None:
    html, path = edit_page(editor, "services", SERVICE)
    assert 'name="nl_hours-0-days" type="checkbox" value="TU" checked' in html
    assert 'value="09:00"' in html and "Openingstijden 1" in html
    typed = replaced(sent_as_is(html, path), nl_hours_note="Ook op afspraak", rows="add:nl_hours")
    added = post(editor, path, typed)
    assert added.status_code == 200  # the same form again, one row longer, nothing saved
    html = added.get_data(as_text=True)
    assert "Openingstijden 2" in html and 'value="Ook op afspraak"' in html
    assert newest_files(app, "services", SERVICE) is None
    sent = replaced(
        sent_as_is(html, path),
        **{
            "nl_hours-1-days": ["MO", "FR"],
            "nl_hours-1-repeat": "month--1",
            "nl_hours-1-opens_at": "13:30",
            "nl_hours-1-closes_at": "16:00",
        },
    )
    assert post(editor, path, sent).status_code == 303
    text = newest_files(app, "services", SERVICE)["nl"]
    assert "hours:\n  - {byday: [TU, TH], opens_at: '09:00', closes_at: '12:00'}\n" in text
    assert "  - {byday: [-1MO, -1FR], freq: MONTHLY, opens_at: '13:30', closes_at: '16:00'}" in text
    # The last Monday and Friday reach the service's page, as the directory shows them.
    page = editor.client.get(f"/beheer/services/{SERVICE}/preview/nl").get_data(as_text=True)
    assert "13:30" in page

    html, _ = edit_page(editor, "services", SERVICE)
    removed = post(editor, path, replaced(sent_as_is(html, path), rows="remove:nl_hours:0"))
    assert removed.status_code == 200
    html = removed.get_data(as_text=True)
    assert "Openingstijden 2" not in html and 'value="13:30"' in html
    assert post(editor, path, sent_as_is(html, path)).status_code == 303
    text = newest_files(app, "services", SERVICE)["nl"]
    assert "'09:00'" not in text and "'13:30'" in text


def test_a_time_that_is_no_time_is_refused_beside_its_row(app, editor) -> None:
    html, path = edit_page(editor, "groups", "na-vaartstad")
    sent = replaced(sent_as_is(html, path), **{"nl_meetings-1-time": "acht uur"})
    response = post(editor, path, sent)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="acht uur"' in html
    assert re.search(
        r'href="#nl_meetings-1-time">Bijeenkomsten 2, Begint om: Schrijf de tijd', html
    )
    assert newest_files(app, "groups", "na-vaartstad") is None


def test_a_row_button_that_names_nothing_changes_nothing(app, editor) -> None:
    html, path = edit_page(editor, "groups", "na-vaartstad")
    for action in ("add:nl_title", "remove:nl_meetings:99", "remove:nl_meetings:x", "zap"):
        response = post(editor, path, replaced(sent_as_is(html, path), rows=action))
        assert response.status_code == 200
        assert response.get_data(as_text=True).count('class="row"') == 2
    assert newest_files(app, "groups", "na-vaartstad") is None


def test_an_item_the_form_cannot_show_as_it_is_opens_as_file_text(app, editor) -> None:
    text = (SAMPLE_CONTENT / "services" / f"{SERVICE}.nl.md").read_text()
    text = text.replace('closes_at: "12:00"}', 'closes_at: "12:00", valid_to: 2027-01-01}')
    with app.app_context(), db.session() as session:
        from uitweg.content import versions

        versions.save(session, "services", SERVICE, {"nl": text}, "eva@example.org", None, START)
    response = editor.client.get(f"/beheer/services/{SERVICE}/edit")
    assert response.status_code == 302 and response.headers["Location"].endswith("?as=text")
    page = editor.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "valid_to: 2027-01-01" in page and "het formulier niet goed kan laten zien" in page


@pytest.mark.parametrize("kind", editing.FORM_KINDS)
def test_every_sample_item_of_every_kind_previews_in_both_languages(app, editor, kind) -> None:
    for source in sorted((SAMPLE_CONTENT / kind).glob("*.nl.md")):
        slug = source.name.removesuffix(".nl.md")
        for lang in ("nl", "en"):
            response = editor.client.get(f"/beheer/{kind}/{slug}/preview/{lang}")
            assert response.status_code == 200, (kind, slug, lang)
            assert "kan nog niet getoond worden" not in response.get_data(as_text=True)
