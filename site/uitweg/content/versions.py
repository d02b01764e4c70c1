"""Editors' versions of content items, kept in the database, and how they reach the site.

An item (a story, page, service, group or campaign) is the set of files `slug.<lang>.md` in one
folder of content/. Every save in the editors' area writes a new version of the whole item, all
languages at once, in exactly the file format; nothing is ever overwritten. A version moves
draft -> proposed -> approved (or back to the editor, "returned"); an approved version is
published from its `publish_at` until its `unpublish_at` (if any), and then replaces the item's
files on the site. Taking an item off the site is an approved version without files.

What is published at a moment is a pure function of the approved rows and that moment, so every
host sharing the database computes the same site; `PublishedVersions` lets the content store ask
cheaply whether anything changed (see store.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..models import ContentVersion, MediaFile
from ..vocabulary import ContentState
from . import media
from .frontmatter import parse_document
from .model import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, Content

# The folders of content/ that editors own, in the order the editors' area lists them.
KINDS = ("stories", "pages", "services", "groups", "campaigns", "selftests")
# A publication time this far in the past is a mistake, not "now".
PAST_TOLERANCE = dt.timedelta(minutes=5)


class VersionError(Exception):
    """A workflow step that is not allowed; `code` names which, for a translated message."""

    def __init__(self, code: str, version: ContentVersion | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.version = version


# Ids are 32-bit on every database; a larger number from an address or a form names nothing.
MAX_ID = 2**31 - 1


def get(session: Session, version_id: int | None) -> ContentVersion | None:
    """A version by its id; None for an id that cannot exist (also one too large to look up)."""
    if version_id is None or not 0 < version_id <= MAX_ID:
        return None
    return session.get(ContentVersion, version_id)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise VersionError("unknown-kind")


def head(session: Session, kind: str, slug: str) -> ContentVersion | None:
    """The newest version of an item: the one every next step builds on."""
    return session.scalars(
        select(ContentVersion)
        .where(ContentVersion.kind == kind, ContentVersion.slug == slug)
        .order_by(ContentVersion.id.desc())
        .limit(1)
    ).first()


def history(session: Session, kind: str, slug: str) -> list[ContentVersion]:
    """Every version of an item, newest first."""
    return list(
        session.scalars(
            select(ContentVersion)
            .where(ContentVersion.kind == kind, ContentVersion.slug == slug)
            .order_by(ContentVersion.id.desc())
        )
    )


def heads(session: Session) -> dict[tuple[str, str], ContentVersion]:
    """The newest version of every item that has one."""
    newest = (
        select(func.max(ContentVersion.id))
        .group_by(ContentVersion.kind, ContentVersion.slug)
        .scalar_subquery()
    )
    rows = session.scalars(select(ContentVersion).where(ContentVersion.id.in_(newest)))
    return {(row.kind, row.slug): row for row in rows}


def save(
    session: Session,
    kind: str,
    slug: str,
    files: Mapping[str, str],
    author: str,
    base_id: int | None,
    at: dt.datetime,
    note: str = "",
) -> ContentVersion:
    """A new draft of an item. `base_id` is the version the editor started from (None for an
    item without versions): when someone saved in between, nothing is written and the newer
    version comes with the error, so the editor can compare and keep their text."""
    _check_kind(kind)
    current = head(session, kind, slug)
    if (current.id if current else None) != base_id:
        raise VersionError("conflict", current)
    version = ContentVersion(
        kind=kind,
        slug=slug,
        files={lang: text for lang, text in files.items() if lang in SUPPORTED_LANGUAGES},
        state=ContentState.DRAFT,
        base_id=base_id,
        author=author,
        created_at=at,
        note=note,
    )
    session.add(version)
    session.flush()
    return version


def _newest(session: Session, version_id: int, states: tuple[str, ...]) -> ContentVersion:
    version = get(session, version_id)
    if version is None:
        raise VersionError("unknown-version")
    current = head(session, version.kind, version.slug)
    if current is None or current.id != version.id:
        raise VersionError("not-newest", current)
    if version.state not in states:
        raise VersionError("wrong-state", version)
    return version


def propose(session: Session, version_id: int) -> ContentVersion:
    version = _newest(session, version_id, (ContentState.DRAFT, ContentState.RETURNED))
    version.state = ContentState.PROPOSED
    return version


def send_back(
    session: Session, version_id: int, reviewer: str, at: dt.datetime, note: str
) -> ContentVersion:
    version = _newest(session, version_id, (ContentState.PROPOSED,))
    version.state = ContentState.RETURNED
    version.reviewer, version.reviewed_at, version.note = reviewer, at, note
    return version


def approve(
    session: Session,
    version_id: int,
    reviewer: str,
    at: dt.datetime,
    publish_at: dt.datetime | None = None,
    unpublish_at: dt.datetime | None = None,
) -> ContentVersion:
    """Approve a proposed version: published at `publish_at` (now when not given), taken off
    the site at `unpublish_at`. Nobody approves a version they wrote themselves."""
    version = _newest(session, version_id, (ContentState.PROPOSED,))
    if version.author == reviewer:
        raise VersionError("own-change", version)
    publish_at = publish_at or at
    if publish_at < at - PAST_TOLERANCE:
        raise VersionError("publish-in-past", version)
    if unpublish_at is not None and unpublish_at <= publish_at:
        raise VersionError("unpublish-before-publish", version)
    version.state = ContentState.APPROVED
    version.reviewer, version.reviewed_at = reviewer, at
    version.publish_at, version.unpublish_at = max(publish_at, at), unpublish_at
    return version


def unpublish(session: Session, kind: str, slug: str, by: str, at: dt.datetime) -> ContentVersion:
    """Take an item off the site now. One person may do this alone: it only ever hides."""
    _check_kind(kind)
    current = head(session, kind, slug)
    version = ContentVersion(
        kind=kind,
        slug=slug,
        files=None,
        state=ContentState.APPROVED,
        base_id=current.id if current else None,
        author=by,
        created_at=at,
        note="",
        reviewer=by,
        reviewed_at=at,
        publish_at=at,
    )
    session.add(version)
    session.flush()
    return version


def restore(session: Session, version_id: int, author: str, at: dt.datetime) -> ContentVersion:
    """A new draft with the text of an older version, on top of the newest one."""
    old = get(session, version_id)
    if old is None or old.files is None:
        raise VersionError("unknown-version")
    current = head(session, old.kind, old.slug)
    return save(
        session,
        old.kind,
        old.slug,
        old.files,
        author,
        current.id if current else None,
        at,
        note=f"#{old.id}",
    )


@dataclass(frozen=True)
class Erased:
    versions: int
    images: int
    stays_hidden: bool  # files deployed with the code exist: a withdrawal keeps them off the site


def images_in(files: Mapping[str, str]) -> set[str]:
    """The uploaded images an item's files use (their `image: {src: ...}`)."""
    found = set()
    for lang, text in files.items():
        doc = parse_document(Path(f"item.{lang}.md"), [], text)
        image = doc.fields.get("image") if doc else None
        src = image.get("src") if isinstance(image, dict) else None
        if isinstance(src, str):
            found.add(src)
    return found


def erase(
    session: Session, content_dir: Path, kind: str, slug: str, by: str, at: dt.datetime
) -> Erased:
    """Remove every version of an item and the uploaded images only it used, for good (the
    caller scrubs the database files afterwards, see db.scrub). What was written about a
    person must be removable, not only hidden. Files deployed with the code cannot be erased
    from here: where they exist, one withdrawal (no text) is written so they stay off the site
    until someone removes them from content/."""
    _check_kind(kind)
    rows = history(session, kind, slug)
    mine: set[str] = set()
    for row in rows:
        mine |= images_in(row.files or {})
    others: set[str] = set()
    for row in session.scalars(
        select(ContentVersion).where((ContentVersion.kind != kind) | (ContentVersion.slug != slug))
    ):
        others |= images_in(row.files or {})
    erased_images = 0
    for name in mine - others:
        # An image's smaller copies are named after it: `<stem>-<width>.jpg`.
        stem = name.removesuffix(".jpg")
        copies = session.scalars(
            select(MediaFile).where(MediaFile.name.like(f"{_like(stem)}%", escape="\\"))
        )
        for copy in copies:
            if copy.name == name or re.fullmatch(re.escape(stem) + r"-\d+\.jpg", copy.name):
                session.delete(copy)
                erased_images += 1
    for row in rows:
        session.delete(row)
    session.flush()
    deployed = bool(files_on_disk(content_dir, kind, slug))
    if deployed:
        unpublish(session, kind, slug, by, at)
    return Erased(len(rows), erased_images, deployed)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def live(session: Session, at: dt.datetime) -> dict[tuple[str, str], ContentVersion | None]:
    """Per item with an approved version in force at `at`: that version, or None where the
    item is off the site (withdrawn, or past its unpublish time)."""
    rows = session.scalars(
        select(ContentVersion)
        .where(ContentVersion.state == ContentState.APPROVED, ContentVersion.publish_at <= at)
        .order_by(ContentVersion.publish_at, ContentVersion.id)
    )
    in_force: dict[tuple[str, str], ContentVersion] = {}
    for row in rows:
        in_force[(row.kind, row.slug)] = row  # later publication times win
    return {
        key: (
            None
            if row.files is None or (row.unpublish_at is not None and row.unpublish_at <= at)
            else row
        )
        for key, row in in_force.items()
    }


def next_change(session: Session, at: dt.datetime) -> dt.datetime | None:
    """The first moment after `at` at which an approved version starts or stops."""
    starts = session.scalar(
        select(func.min(ContentVersion.publish_at)).where(
            ContentVersion.state == ContentState.APPROVED, ContentVersion.publish_at > at
        )
    )
    stops = session.scalar(
        select(func.min(ContentVersion.unpublish_at)).where(
            ContentVersion.state == ContentState.APPROVED, ContentVersion.unpublish_at > at
        )
    )
    moments = [m for m in (starts, stops) if m is not None]
    return min(moments) if moments else None


def published_times(
    in_force: Mapping[tuple[str, str], ContentVersion | None],
) -> dict[tuple[str, str], dt.datetime]:
    """When each item in force (`live`) took its present form through the editors' area: the
    moment its version was published (or approved, if that came later)."""
    return {
        key: max(
            version.publish_at or version.created_at, version.reviewed_at or version.created_at
        )
        for key, version in in_force.items()
        if version is not None
    }


def file_path(content_dir: Path, kind: str, slug: str, lang: str) -> Path:
    return content_dir / kind / f"{slug}.{lang}.md"


def overlay_at(session: Session, content_dir: Path, at: dt.datetime) -> dict[Path, str | None]:
    """What the published versions lay over the files at `at` (see loader.Overlay): every
    language of a published item takes the version's text, or disappears where the version
    has none; a withdrawn item loses all its files."""
    return _laid(live(session, at), content_dir)


def _laid(
    in_force: Mapping[tuple[str, str], ContentVersion | None], content_dir: Path
) -> dict[Path, str | None]:
    laid: dict[Path, str | None] = {}
    for (kind, slug), version in in_force.items():
        files = version.files if version is not None else {}
        for lang in SUPPORTED_LANGUAGES:
            laid[file_path(content_dir, kind, slug, lang)] = (files or {}).get(lang)
    return laid


@dataclass
class PublishedVersions:
    """The store's window on the versions table: a cheap fingerprint to poll, and the overlay.

    A database without the table yet (before `flask db upgrade`) has no versions: the site
    then shows its files, as before editors existed."""

    sessions: Callable[[], Session]
    content_dir: Path

    def fingerprint(self) -> tuple | None:
        """Changes whenever a version is approved or withdrawn, or an image uploaded."""
        try:
            with self.sessions() as session:
                row = session.execute(
                    select(
                        func.count(ContentVersion.id),
                        func.max(ContentVersion.id),
                        func.max(ContentVersion.reviewed_at),
                    ).where(ContentVersion.state == ContentState.APPROVED)
                ).one()
                images = session.scalar(select(func.count(MediaFile.name)))
        except SQLAlchemyError:
            return None
        return (*row, images)

    def overlay(self, at: dt.datetime) -> Published:
        """The published versions at `at`, the uploaded images, when the next scheduled
        version starts or stops, and when each published item last changed."""
        try:
            with self.sessions() as session:
                in_force = live(session, at)  # read once for the files and their times
                return Published(
                    _laid(in_force, self.content_dir),
                    media.index(session),
                    next_change(session, at),
                    published_times(in_force),
                )
        except SQLAlchemyError:
            return Published({}, {}, None, {})


@dataclass(frozen=True)
class Published:
    files: dict[Path, str | None]
    images: media.MediaIndex
    next_change: dt.datetime | None
    changed: dict[tuple[str, str], dt.datetime]


@dataclass(frozen=True)
class Row:
    """One item as the editors' overview lists it."""

    kind: str
    slug: str
    title: str
    on_site: bool  # loaded from a file or a published version (its own dates may still hide it)
    newest: ContentVersion | None  # the newest version written in the editors' area


def overview(content: Content, newest: Mapping[tuple[str, str], ContentVersion]) -> list[Row]:
    """Every item of every kind editors own: what the site has, and what only exists as a
    version (a new item not yet published), ordered by kind, then title."""
    loaded: dict[tuple[str, str], str] = {}
    for kind in KINDS:
        for versions_by_lang in getattr(content, kind).values():
            primary = versions_by_lang[DEFAULT_LANGUAGE]
            loaded[(kind, primary.slug)] = primary.title
    rows = [
        Row(kind, slug, title, True, newest.get((kind, slug)))
        for (kind, slug), title in loaded.items()
    ]
    for (kind, slug), version in newest.items():
        if (kind, slug) not in loaded:
            rows.append(Row(kind, slug, title_of(version) or slug, False, version))
    return sorted(rows, key=lambda r: (KINDS.index(r.kind), r.title.casefold(), r.slug))


def title_of(version: ContentVersion) -> str | None:
    """The Dutch title (or name) a version gives its item, when it can be read."""
    return title_in(version.files or {})


def title_in(files: Mapping[str, str]) -> str | None:
    """The Dutch title (or name) in an item's files, when it can be read."""
    text = files.get(DEFAULT_LANGUAGE)
    if not text:
        return None
    doc = parse_document(Path(f"item.{DEFAULT_LANGUAGE}.md"), [], text)
    value = (doc.fields.get("title") or doc.fields.get("name")) if doc else None
    return value if isinstance(value, str) else None


def files_on_disk(content_dir: Path, kind: str, slug: str) -> dict[str, str]:
    """An item's files as deployed with the code, per language."""
    found = {}
    for lang in SUPPORTED_LANGUAGES:
        path = file_path(content_dir, kind, slug, lang)
        try:
            if path.is_file():
                found[lang] = path.read_text(encoding="utf-8")
        except (OSError, ValueError):
            continue  # a name no file can have (too long, a NUL): there is no such file
    return found


def live_files(
    session: Session, content_dir: Path, kind: str, slug: str, at: dt.datetime
) -> dict[str, str]:
    """What the site shows of an item at `at`: its version in force, or else the deployed
    files (nothing when it is withdrawn)."""
    laid = live(session, at)
    if (kind, slug) in laid:
        version = laid[(kind, slug)]
        return dict(version.files or {}) if version is not None else {}
    return files_on_disk(content_dir, kind, slug)


def current_files(
    session: Session, content_dir: Path, kind: str, slug: str
) -> tuple[dict[str, str], ContentVersion | None]:
    """What an editor starts from: the newest version's files, or else the deployed files."""
    newest = head(session, kind, slug)
    if newest is not None and newest.files is not None:
        return dict(newest.files), newest
    return files_on_disk(content_dir, kind, slug), newest


def previous(session: Session, version: ContentVersion) -> ContentVersion | None:
    """The version before this one of the same item."""
    return session.scalars(
        select(ContentVersion)
        .where(
            ContentVersion.kind == version.kind,
            ContentVersion.slug == version.slug,
            ContentVersion.id < version.id,
        )
        .order_by(ContentVersion.id.desc())
        .limit(1)
    ).first()


def changes(old: str, new: str, context: int = 2) -> list[tuple[str, str]]:
    """A readable line diff: ("removed" | "added" | "same", line) rows, with at most `context`
    unchanged lines around each change and ("gap", "") where more were left out."""
    import difflib

    before, after = old.split("\n"), new.split("\n")
    rows: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append(("gap", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [("same", line) for line in before[i1:i2]]
                continue
            rows += [("removed", line) for line in before[i1:i2]]
            rows += [("added", line) for line in after[j1:j2]]
    return rows


def with_image(text: str, src: str, alt: str) -> str:
    """A file's text with its `image:` field set to `src` and `alt` (replacing one there was)."""
    import json

    field = f"image: {{src: {src}, alt: {json.dumps(alt, ensure_ascii=False)}}}"
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise VersionError("no-front-matter")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise VersionError("no-front-matter") from None
    for i in range(1, end):
        if lines[i].startswith("image:"):
            following = i + 1
            while following < end and lines[following].startswith((" ", "\t")):
                following += 1  # the old value's own lines (src: and alt: below it)
            lines[i:following] = [field]
            break
    else:
        lines.insert(end, field)
    return "\n".join(lines)
