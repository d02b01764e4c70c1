"""Editors' versions in the database, laid over content/ files: the workflow rules, scheduled
publishing on a fixed clock, withdrawing, restoring, conflicts, and a second host that shares
the database."""

from __future__ import annotations

import datetime as dt

import pytest

import databases
from conftest import SAMPLE_CONTENT, make_app
from uitweg import db
from uitweg.content import versions
from uitweg.content.versions import VersionError
from uitweg.vocabulary import ContentState

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
SLUG = "ahmed-en-de-schuld"
STORY = "/nl/stories/" + SLUG
EDITOR, PUBLISHER, OTHER_PUBLISHER = "eva@example.org", "piet@example.org", "pam@example.org"


def story_text(title: str) -> dict[str, str]:
    """The sample story with another Dutch title; English as it is."""
    folder = SAMPLE_CONTENT / "stories"
    files = {lang: (folder / f"{SLUG}.{lang}.md").read_text() for lang in ("nl", "en")}
    first, rest = files["nl"].split("\n", 2)[1], files["nl"].split("\n", 2)[2]
    assert first.startswith("title:")
    files["nl"] = f'---\ntitle: "{title}"\n{rest}'
    return files


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=T0, PAGE_CACHE_ENTRIES=64)


def _do(app, step, *args, **kwargs):
    with app.app_context(), db.session() as session:
        result = step(session, *args, **kwargs)
        return result.id if hasattr(result, "id") else result


def proposed(app, title: str, author: str = EDITOR, base_id: int | None = None) -> int:
    version_id = _do(app, versions.save, "stories", SLUG, story_text(title), author, base_id, T0)
    _do(app, versions.propose, version_id)
    return version_id


def title_on_site(app) -> str | None:
    response = app.test_client().get(STORY)
    if response.status_code == 404:
        return None
    html = response.get_data(as_text=True)
    return html.split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_an_approved_version_replaces_the_file_at_once_and_the_cached_page_follows(app) -> None:
    before = title_on_site(app)
    assert before and "Nieuwe titel" not in before  # now in the page cache too
    version_id = proposed(app, "Nieuwe titel")
    assert title_on_site(app) == before  # a proposal is not published
    _do(app, versions.approve, version_id, PUBLISHER, T0)
    app.extensions["content"].refresh(force=True)  # what the editors' area does after approving
    assert title_on_site(app) == "Nieuwe titel"
    assert app.test_client().get("/en/stories/" + SLUG).status_code == 200


def test_a_scheduled_version_appears_at_its_time_and_goes_at_its_end(app) -> None:
    start, end = T0 + dt.timedelta(days=2, hours=3), T0 + dt.timedelta(days=9)
    version_id = proposed(app, "Straks online")
    _do(app, versions.approve, version_id, PUBLISHER, T0, publish_at=start, unpublish_at=end)
    app.extensions["content"].refresh(force=True)
    assert title_on_site(app) != "Straks online"
    app.config["NOW"] = start - dt.timedelta(seconds=1)
    assert title_on_site(app) != "Straks online"
    app.config["NOW"] = start
    assert title_on_site(app) == "Straks online"
    feed = app.test_client().get("/nl/stories/feed.xml").get_data(as_text=True)
    assert "Straks online" in feed
    app.config["NOW"] = end
    assert title_on_site(app) is None  # the end date takes the item off the site


def test_nobody_approves_their_own_change(app) -> None:
    version_id = proposed(app, "Eigen werk", author=PUBLISHER)
    with pytest.raises(VersionError) as error:
        _do(app, versions.approve, version_id, PUBLISHER, T0)
    assert error.value.code == "own-change"
    _do(app, versions.approve, version_id, OTHER_PUBLISHER, T0)


def test_only_a_proposal_is_approved_and_never_into_the_past(app) -> None:
    draft = _do(app, versions.save, "stories", SLUG, story_text("Concept"), EDITOR, None, T0)
    with pytest.raises(VersionError) as error:
        _do(app, versions.approve, draft, PUBLISHER, T0)
    assert error.value.code == "wrong-state"
    _do(app, versions.propose, draft)
    with pytest.raises(VersionError) as error:
        _do(app, versions.approve, draft, PUBLISHER, T0, publish_at=T0 - dt.timedelta(days=1))
    assert error.value.code == "publish-in-past"
    with pytest.raises(VersionError) as error:
        _do(app, versions.approve, draft, PUBLISHER, T0, unpublish_at=T0 - dt.timedelta(hours=1))
    assert error.value.code == "unpublish-before-publish"


def test_two_editors_saving_one_item_conflict_and_the_second_is_told(app) -> None:
    first = _do(app, versions.save, "stories", SLUG, story_text("Eerste"), EDITOR, None, T0)
    # Someone else started from the same (empty) history: their save is refused, not merged.
    with pytest.raises(VersionError) as error:
        _do(app, versions.save, "stories", SLUG, story_text("Tweede"), PUBLISHER, None, T0)
    assert error.value.code == "conflict"
    with app.app_context(), db.session() as session:
        assert [v.id for v in versions.history(session, "stories", SLUG)] == [first]
    # Starting again from the newest version works.
    _do(app, versions.save, "stories", SLUG, story_text("Tweede"), PUBLISHER, first, T0)


def test_a_proposal_that_is_no_longer_the_newest_cannot_be_approved(app) -> None:
    old = proposed(app, "Oud")
    _do(app, versions.save, "stories", SLUG, story_text("Nieuw"), EDITOR, old, T0)
    with pytest.raises(VersionError) as error:
        _do(app, versions.approve, old, PUBLISHER, T0)
    assert error.value.code == "not-newest"


def test_withdrawing_takes_a_file_item_off_the_site_and_restoring_brings_a_draft(app) -> None:
    assert title_on_site(app) is not None
    _do(app, versions.unpublish, "stories", SLUG, PUBLISHER, T0)
    app.extensions["content"].refresh(force=True)
    assert title_on_site(app) is None
    assert SLUG not in app.test_client().get("/nl/stories/").get_data(as_text=True)

    published = proposed(app, "Terug", base_id=_head_id(app))
    _do(app, versions.approve, published, PUBLISHER, T0)
    _do(app, versions.save, "stories", SLUG, story_text("Later"), EDITOR, published, T0)
    restored = _do(app, versions.restore, published, EDITOR, T0)
    with app.app_context(), db.session() as session:
        row = versions.head(session, "stories", SLUG)
        assert row.id == restored and row.state == ContentState.DRAFT
        assert 'title: "Terug"' in row.files["nl"]
        states = [v.state for v in versions.history(session, "stories", SLUG)]
    # Every version is kept: draft (restored), draft, approved, withdrawal, newest first.
    draft, approved = ContentState.DRAFT, ContentState.APPROVED
    assert states == [draft, draft, approved, approved]


def _head_id(app) -> int:
    with app.app_context(), db.session() as session:
        return versions.head(session, "stories", SLUG).id


def test_a_second_host_sharing_the_database_serves_a_publication_within_its_poll(
    tmp_path,
) -> None:
    with databases.fresh_database(tmp_path) as url:
        first = make_app(tmp_path / "one", DATABASE_URL=url, NOW=T0, PAGE_CACHE_ENTRIES=64)
        second = make_app(tmp_path / "two", DATABASE_URL=url, NOW=T0, PAGE_CACHE_ENTRIES=64)
        before = title_on_site(second)
        version_id = proposed(first, "Op alle servers")
        _do(first, versions.approve, version_id, PUBLISHER, T0)
        # The second host looks again only when its poll is due: until then it serves what
        # it had (from its page cache, even), then the publication.
        poll = second.config["CONTENT_POLL_SECONDS"]
        assert 0 < poll <= 60
        second.config["NOW"] = T0 + dt.timedelta(seconds=poll - 1)
        assert title_on_site(second) == before
        second.config["NOW"] = T0 + dt.timedelta(seconds=poll)
        assert title_on_site(second) == "Op alle servers"
        for app in (first, second):
            app.extensions["db_engine"].dispose()


def test_a_version_the_loader_refuses_is_not_applied_and_the_site_keeps_its_files(app) -> None:
    broken = {"nl": "---\ntitle: [unclosed\n---\nTekst\n"}
    version_id = _do(app, versions.save, "stories", SLUG, broken, EDITOR, None, T0)
    _do(app, versions.propose, version_id)
    _do(app, versions.approve, version_id, PUBLISHER, T0)
    store = app.extensions["content"]
    store.strict = True  # as in production
    store.refresh(force=True)
    assert title_on_site(app) not in (None, "")


def test_export_writes_what_is_published_as_files_the_loader_reads(app, tmp_path) -> None:
    from uitweg.content.loader import load_content

    version_id = proposed(app, "Uit de database")
    _do(app, versions.approve, version_id, PUBLISHER, T0)
    _do(app, versions.unpublish, "stories", "lisa-en-ghb", PUBLISHER, T0)
    target = tmp_path / "export"
    result = app.test_cli_runner().invoke(args=["content", "export", "--to", str(target)])
    assert result.exit_code == 0, result.output
    assert 'title: "Uit de database"' in (target / "stories" / f"{SLUG}.nl.md").read_text()
    assert not list((target / "stories").glob("lisa-en-ghb.*"))
    assert (target / "site.yaml").is_file()  # the rest of the folder came along
    exported, problems = load_content(target)
    assert not [p for p in problems if p.is_error]
    assert exported.stories[SLUG]["nl"].title == "Uit de database"
    assert "lisa-en-ghb" not in exported.stories
    # Nothing left to write the second time.
    again = app.test_cli_runner().invoke(args=["content", "export", "--to", str(target)])
    assert "0 file(s) changed" in again.output
