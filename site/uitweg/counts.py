"""Anonymous counts kept in the worker for a moment, then added to the database in one go.

An SMS sends thousands to the landing page at once; one database write per visit was what
limited it. Each worker now adds one to a number in its memory and a thread writes the totals
every COUNT_FLUSH_SECONDS (and when the worker stops), each total in one atomic upsert that adds
it to the stored count, so counts from several workers and hosts add up exactly. A worker that
crashes loses at most the counts of its last interval; no request waits for the database, and a
count that cannot be written is kept for the next round. COUNT_FLUSH_SECONDS = 0 writes every
count at once (the tests' default, and a choice for a site that prefers it).
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import Counter
from collections.abc import Callable, Hashable

from flask import Flask, current_app

from .background import Worker

log = logging.getLogger(__name__)


class Pending:
    """Counts not written yet, by key; safe to add to from every thread of a worker."""

    def __init__(self) -> None:
        self._counts: Counter[Hashable] = Counter()
        self._lock = threading.Lock()

    def add(self, key: Hashable, amount: int = 1) -> None:
        with self._lock:
            self._counts[key] += amount

    def take(self) -> Counter[Hashable]:
        with self._lock:
            taken, self._counts = self._counts, Counter()
        return taken

    def give_back(self, counts: Counter[Hashable]) -> None:
        with self._lock:
            self._counts.update(counts)

    def __len__(self) -> int:
        with self._lock:
            return len(self._counts)


def init_app(app: Flask, write: Callable[[Counter[Hashable]], None]) -> None:
    """Keep counts for `app` in memory when it is configured to; `write` stores a batch."""
    seconds = float(app.config["COUNT_FLUSH_SECONDS"])
    pending = Pending()
    app.extensions["counts"] = pending
    app.extensions["counts_write"] = write
    if seconds <= 0:
        return
    worker = Worker(app, "counts", seconds, _round)
    app.extensions["counts_worker"] = worker
    app.before_request(worker.ensure_running)

    def at_exit() -> None:
        with app.app_context():
            try:
                flush()
            except Exception:
                log.exception("counts not written at exit")

    atexit.register(at_exit)


def _round() -> None:
    flush()


def buffered() -> bool:
    return float(current_app.config["COUNT_FLUSH_SECONDS"]) > 0


def add(key: Hashable) -> None:
    """One more of `key`, written with the next flush."""
    current_app.extensions["counts"].add(key)


def flush() -> int:
    """Write what this worker has counted; returns how many totals were written. On a failure
    the counts are kept for the next flush."""
    pending: Pending = current_app.extensions["counts"]
    taken = pending.take()
    if not taken:
        return 0
    try:
        current_app.extensions["counts_write"](taken)
    except BaseException:
        pending.give_back(taken)
        raise
    return len(taken)
