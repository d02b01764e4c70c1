"""Erasing an item for good: every version, in every language, and the photos only it used,
gone from the database and (on SQLite) from its files; the audit log says who and what kind,
never which item."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

import databases
from conftest import make_app
from editor.test_editor_area import ITEM, PUBLIC, SLUG
from editor.test_images import phone_photo, upload
from partners.staff import START, csrf, staff_member
from uitweg import db
from uitweg.models import AuditEvent, ContentVersion, MediaFile

# Words only the erased versions hold, to look for in the database files afterwards.
SECRET_LINE = "Mijn buurman Kees van nummer 17 wist het als eerste"


@pytest.fixture
def db_file(tmp_path) -> Path:
    return tmp_path / "erase.sqlite3"


@pytest.fixture
def app(tmp_path, db_file):
    url = {} if databases.on_postgres() else {"DATABASE_URL": f"sqlite:///{db_file}"}
    return make_app(tmp_path, NOW=START, **url)


@pytest.fixture
def editor(app):
    return staff_member(app, "owner", "eva@example.org", "editor", admitted=False)


@pytest.fixture
def publisher(app):
    return staff_member(app, "owner", "piet@example.org", "publisher", admitted=False)


def rows(app, kind: str, slug: str) -> list[ContentVersion]:
    with app.app_context(), db.session() as session:
        return list(
            session.scalars(
                select(ContentVersion).where(
                    ContentVersion.kind == kind, ContentVersion.slug == slug
                )
            )
        )


def media_names(app) -> set[str]:
    with app.app_context(), db.session() as session:
        return set(session.scalars(select(MediaFile.name)))


def raw_database(db_file: Path) -> bytes:
    return b"".join(
        Path(f"{db_file}{suffix}").read_bytes()
        for suffix in ("", "-wal")
        if Path(f"{db_file}{suffix}").exists()
    )


def test_an_item_only_in_the_database_is_erased_with_every_version(
    app, editor, publisher, db_file
) -> None:
    assert editor.post("/beheer/new", kind="stories", slug="kees-vertelt").status_code == 303
    edit = "/beheer/stories/kees-vertelt/edit?as=text"
    page = editor.client.get(edit).get_data(as_text=True)
    text = re.search(r'<textarea[^>]*name="nl"[^>]*>\n?(.*?)</textarea>', page, re.S)[1]
    base = re.search(r'name="base" type="hidden" value="(\d*)"', page)[1]
    typed = text.replace("&#34;", '"').replace("&amp;", "&") + f"\n{SECRET_LINE}\n"
    saved = editor.client.post(
        edit, data={"csrf_token": csrf(page), "nl": typed, "en": "", "note": "", "base": base}
    )
    assert saved.status_code == 303
    assert len(rows(app, "stories", "kees-vertelt")) == 2

    # Editors write; erasing is for publishers.
    assert editor.client.get("/beheer/stories/kees-vertelt/erase").status_code == 403
    confirm = publisher.client.get("/beheer/stories/kees-vertelt/erase")
    assert confirm.status_code == 200
    assert "niet ongedaan maken" in confirm.get_data(as_text=True)
    done = publisher.post("/beheer/stories/kees-vertelt/erase")
    assert done.status_code == 303 and done.headers["Location"].endswith("/beheer/")

    assert rows(app, "stories", "kees-vertelt") == []
    assert publisher.client.get("/beheer/stories/kees-vertelt").status_code == 404
    assert "kees-vertelt" not in publisher.client.get("/beheer/").get_data(as_text=True)
    with app.app_context(), db.session() as session:
        events = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "content-erased"))
        )
    assert [(e.partner, e.detail) for e in events] == [("owner", "stories")]
    if not databases.on_postgres():
        assert SECRET_LINE.encode() not in raw_database(db_file)
        assert b"kees-vertelt" not in raw_database(db_file)


def test_erasing_a_deployed_story_removes_its_photos_and_keeps_it_off_the_site(
    app, editor, publisher
) -> None:
    assert upload(editor, phone_photo()).status_code == 303
    photos = media_names(app)
    assert len(photos) == 2  # the photo and its smaller copy
    assert app.test_client().get(PUBLIC).status_code == 200

    confirm = publisher.client.get(ITEM + "/erase").get_data(as_text=True)
    assert "content/" in confirm  # the file delivered with the site is not erased from here
    assert publisher.post(ITEM + "/erase").status_code == 303

    assert media_names(app) == set()
    for name in photos:
        assert app.test_client().get(f"/media/{name}").status_code == 404
    left = rows(app, "stories", SLUG)
    assert [(v.files, v.state) for v in left] == [(None, "approved")]
    assert app.test_client().get(PUBLIC).status_code == 404


def test_a_photo_another_item_still_uses_is_kept(app, editor, publisher) -> None:
    from uitweg.content import versions

    assert upload(editor, phone_photo()).status_code == 303
    photos = media_names(app)
    [story] = [v for v in rows(app, "stories", SLUG) if v.files]
    with app.app_context(), db.session() as session:
        versions.save(session, "pages", "met-foto", story.files, "eva@example.org", None, START)
    assert publisher.post(ITEM + "/erase").status_code == 303
    assert media_names(app) == photos
