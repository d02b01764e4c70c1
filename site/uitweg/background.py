"""A thread per worker process that runs a job when kicked, and at least every interval."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, app: Flask, name: str, interval: float, job: Callable[[], None]) -> None:
        self.app = app
        self.name = name
        self.interval = interval
        self.job = job
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def kick(self) -> None:
        self.ensure_running()
        self._wake.set()

    def ensure_running(self) -> None:
        # Started on first use, in the process that uses it: a thread does not survive fork().
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait(timeout=self.interval)
            self._wake.clear()
            try:
                with self.app.app_context():
                    self.job()
            except Exception:  # the database may be down: try again on the next round
                log.exception("%s round failed", self.name)
