"""Content held in memory, and reloaded when files change (development only)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from .loader import load_content
from .media import MediaIndex
from .model import SUPPORTED_LANGUAGES, Content
from .problems import ContentInvalid, Problem
from .versions import PublishedVersions, file_path

log = logging.getLogger(__name__)


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every file: cheap to compute, changes on any edit."""
    entries = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            stat = os.stat(os.path.join(root, name))
            entries.append((os.path.join(root, name), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(entries))


# Loaded content is immutable, so every store of one folder whose files (and published
# versions) have not changed shares one load: the last per folder, in this process. Loading
# renders every markdown body, which is most of an app's start-up (a test run makes hundreds of
# apps from the same folder).
_loads: dict[Path, tuple[tuple, Content | None, list[Problem]]] = {}
_loads_lock = threading.Lock()


def _load_once(
    folder: Path, signature: tuple, overlay: Mapping[Path, str | None], images: MediaIndex
) -> tuple[Content | None, list[Problem]]:
    laid = tuple(sorted((str(path), text or "") for path, text in overlay.items()))
    key = (signature, laid, tuple(sorted(images.items())))
    with _loads_lock:
        last = _loads.get(folder)
        if last is not None and last[0] == key:
            return last[1], list(last[2])
    content, problems = load_content(folder, overlay=overlay, media=images)
    with _loads_lock:
        _loads[folder] = (key, content, list(problems))
    return content, problems


class ContentStore:
    """The content every request reads: the files of one folder, with the editors' published
    versions laid over them once `follow` connects the store to the database."""

    def __init__(self, folder: Path, strict: bool) -> None:
        self.folder = folder
        self.strict = strict
        self.problems: list[Problem] = []
        self._content: Content | None = None
        self._signature: tuple = ()
        self._overlay: dict[Path, str | None] = {}
        self._images: MediaIndex = {}
        self.version = 0  # bumped on every load: cached pages of older content are not served
        self._lock = threading.Lock()
        self._published: PublishedVersions | None = None
        self._clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self._poll = dt.timedelta(seconds=30)
        self._next_poll: dt.datetime | None = None
        self._fingerprint: tuple | None = None
        self._next_change: dt.datetime | None = None
        # When each item published through the editors' area took its present form (items
        # only in files have no such history here).
        self.changed: dict[tuple[str, str], dt.datetime] = {}
        self.load()

    @property
    def content(self) -> Content:
        assert self._content is not None
        return self._content

    def load(self) -> None:
        signature = _signature(self.folder)
        # The folder as given: the published versions name their files below it.
        content, problems = _load_once(self.folder, signature, self._overlay, self._images)
        errors = [p for p in problems if p.is_error]
        if content is None or (self.strict and errors):
            raise ContentInvalid(problems)
        if problems:
            log.warning(
                "content/ has %d error(s) and %d warning(s); `flask content check` lists them",
                len(errors),
                len(problems) - len(errors),
            )
        self._content, self.problems, self._signature = content, problems, signature
        self.version += 1

    def reload_if_changed(self) -> None:
        if _signature(self.folder) == self._signature:
            return
        with self._lock:
            if _signature(self.folder) == self._signature:
                return
            try:
                self.load()
            except ContentInvalid as exc:
                # Keep serving the last good content while an editor is mid-edit.
                log.error("content not reloaded: %s", exc)
                self._signature = _signature(self.folder)

    def check(self, kind: str, slug: str, files: Mapping[str, str]) -> list[Problem]:
        """Every problem the loader finds in one item's files as `files` would make them,
        with everything else as the site has it now (published versions included)."""
        return self.preview(kind, slug, files)[1]

    def preview(
        self, kind: str, slug: str, files: Mapping[str, str]
    ) -> tuple[Content | None, list[Problem]]:
        """The site as it would be with one item's files as `files`, and that item's problems."""
        laid = {
            file_path(self.folder, kind, slug, lang): files.get(lang)
            for lang in SUPPORTED_LANGUAGES
        }
        # Read afresh, not this worker's last poll: an image just uploaded through another
        # worker must count.
        published, images = self._overlay, self._images
        if self._published is not None:
            now = self._published.overlay(self._clock())
            published, images = now.files, now.images
        content, problems = load_content(self.folder, overlay={**published, **laid}, media=images)
        return content, [problem for problem in problems if problem.path in laid]

    def follow(
        self,
        published: PublishedVersions,
        clock: Callable[[], dt.datetime],
        poll_seconds: int,
    ) -> None:
        """Lay the published versions over the files, and look again at most every
        `poll_seconds` (and at the moment a scheduled version starts or stops): so every host
        sharing the database serves a publication within that time, without a restart."""
        self._published, self._clock = published, clock
        self._poll = dt.timedelta(seconds=poll_seconds)
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        """Reload when the published versions changed; cheap when it is not yet time to look."""
        if self._published is None:
            return
        at = self._clock()
        due = self._next_poll is None or at >= self._next_poll
        scheduled = self._next_change is not None and at >= self._next_change
        if not (force or due or scheduled):
            return
        with self._lock:
            self._next_poll = at + self._poll
            fingerprint = self._published.fingerprint()
            if not (force or scheduled) and fingerprint == self._fingerprint:
                return
            now = self._published.overlay(at)
            overlay, images, self._next_change = now.files, now.images, now.next_change
            self._fingerprint = fingerprint
            self.changed = now.changed
            if overlay == self._overlay and images == self._images:
                return
            previous = self._overlay, self._images
            self._overlay, self._images = overlay, images
            try:
                self.load()
            except ContentInvalid as exc:
                # Checked before approval, so this means the files changed under a version:
                # keep serving what was good, and say so.
                log.error("published versions not applied: %s", exc)
                self._overlay, self._images = previous
