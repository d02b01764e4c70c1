"""Drafts stay hidden, publish and expiry dates are honoured, and development reloads edits."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import make_app
from public_urls import sitemap_entries

TODAY = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def set_field(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", f"---\n{line}\n", 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("field", "visible"),
    [
        ("draft: true", False),
        (f"publish: {TODAY + dt.timedelta(days=1)}", False),
        (f"publish: {TODAY}", True),
        (f"expires: {TODAY}", False),
        (f"expires: {TODAY + dt.timedelta(days=1)}", True),
    ],
)
def test_publishing_fields_decide_whether_a_story_is_shown(
    tmp_path: Path, content_dir: Path, field: str, visible: bool
) -> None:
    set_field(content_dir / "stories" / "anna.nl.md", field)
    client = make_app(tmp_path, CONTENT_DIR=content_dir).test_client()

    status = client.get("/nl/stories/anna").status_code
    listed = "/nl/stories/anna" in client.get("/nl/stories/").get_data(as_text=True)
    in_feed = "/nl/stories/anna" in client.get("/nl/stories/feed.xml").get_data(as_text=True)
    in_sitemap = any(
        "/nl/stories/anna" in ET.tostring(entry, encoding="unicode")
        for entry in sitemap_entries(client)
    )

    assert (status == 200, listed, in_feed, in_sitemap) == (visible,) * 4


def test_a_draft_translation_falls_back_to_dutch(tmp_path: Path, content_dir: Path) -> None:
    set_field(content_dir / "stories" / "anna.en.md", "draft: true")
    client = make_app(tmp_path, CONTENT_DIR=content_dir).test_client()

    html = client.get("/en/stories/anna").get_data(as_text=True)

    assert "Anna vertelt" in html and "Anna tells" not in html


def test_preview_mode_shows_drafts_with_a_banner(tmp_path: Path, content_dir: Path) -> None:
    set_field(content_dir / "stories" / "anna.nl.md", "draft: true")
    client = make_app(tmp_path, CONTENT_DIR=content_dir, CONTENT_PREVIEW=True).test_client()

    response = client.get("/nl/stories/anna")

    assert response.status_code == 200
    assert "notice-preview" in response.get_data(as_text=True)
    assert "/nl/stories/anna" not in client.get("/nl/stories/feed.xml").get_data(as_text=True)


def test_development_reloads_content_when_a_file_changes(tmp_path: Path, content_dir: Path) -> None:
    client = make_app(tmp_path, CONTENT_DIR=content_dir, CONTENT_AUTO_RELOAD=True).test_client()
    story = content_dir / "stories" / "anna.nl.md"
    assert "Anna vertelt" in client.get("/nl/stories/anna").get_data(as_text=True)

    story.write_text(story.read_text().replace("Anna vertelt", "Anna vertelt opnieuw"))

    assert "Anna vertelt opnieuw" in client.get("/nl/stories/anna").get_data(as_text=True)


def test_a_broken_edit_keeps_the_last_good_content_in_development(
    tmp_path: Path, content_dir: Path
) -> None:
    client = make_app(tmp_path, CONTENT_DIR=content_dir, CONTENT_AUTO_RELOAD=True).test_client()
    client.get("/nl/")

    (content_dir / "site.yaml").write_text("name: [", encoding="utf-8")

    assert client.get("/nl/stories/anna").status_code == 200


def test_content_is_not_reloaded_outside_development(tmp_path: Path, content_dir: Path) -> None:
    client = make_app(tmp_path, CONTENT_DIR=content_dir).test_client()
    story = content_dir / "stories" / "anna.nl.md"
    story.write_text(story.read_text().replace("Anna vertelt", "Gewijzigd"))

    assert "Anna vertelt" in client.get("/nl/stories/anna").get_data(as_text=True)
