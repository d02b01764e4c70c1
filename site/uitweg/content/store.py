"""Content held in memory, and reloaded when files change (development only)."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from .loader import load_content
from .model import Content
from .problems import ContentInvalid, Problem

log = logging.getLogger(__name__)


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every file: cheap to compute, changes on any edit."""
    entries = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            stat = os.stat(os.path.join(root, name))
            entries.append((os.path.join(root, name), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(entries))


# Loaded content is immutable, so every store of one folder whose files have not changed shares
# one load: the last per folder, in this process. Loading renders every markdown body, which is
# most of an app's start-up (a test run makes hundreds of apps from the same folder).
_loads: dict[Path, tuple[tuple[tuple[str, int, int], ...], Content | None, list[Problem]]] = {}
_loads_lock = threading.Lock()


def _load_once(folder: Path, signature: tuple) -> tuple[Content | None, list[Problem]]:
    with _loads_lock:
        last = _loads.get(folder)
        if last is not None and last[0] == signature:
            return last[1], list(last[2])
    content, problems = load_content(folder)
    with _loads_lock:
        _loads[folder] = (signature, content, list(problems))
    return content, problems


class ContentStore:
    def __init__(self, folder: Path, strict: bool) -> None:
        self.folder = folder
        self.strict = strict
        self.problems: list[Problem] = []
        self._content: Content | None = None
        self._signature: tuple = ()
        self.version = 0  # bumped on every load: cached pages of older content are not served
        self._lock = threading.Lock()
        self.load()

    @property
    def content(self) -> Content:
        assert self._content is not None
        return self._content

    def load(self) -> None:
        signature = _signature(self.folder)
        content, problems = _load_once(self.folder.resolve(), signature)
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
