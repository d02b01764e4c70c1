"""Counts kept in the worker (counts.py): nothing is written per visit, every visit is in the
total after a flush, across threads, workers sharing a database and a failed write, and a worker
that stops writes what it has counted."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import databases
from campaigns.test_landing import NOW, visits
from conftest import make_app
from uitweg import counts

TESTS = Path(__file__).resolve().parents[1]


def _app(tmp_path, name: str = "counts.sqlite3"):
    url = None if databases.on_postgres() else f"sqlite:///{tmp_path / name}"
    extra = {"DATABASE_URL": url} if url else {}
    # A long interval: the flushes below are the test's, not the thread's.
    return make_app(tmp_path, NOW=NOW, COUNT_FLUSH_SECONDS=3600, **extra)


def _flush(app) -> int:
    with app.app_context():
        return counts.flush()


def test_visits_are_counted_in_memory_and_written_exactly_by_a_flush(tmp_path) -> None:
    app = _app(tmp_path)
    client = app.test_client()
    for _ in range(5):
        assert client.get("/s/vs2610").status_code == 200
    assert visits(app) == 0  # no write while the visitor waits
    assert _flush(app) == 1  # one total, for the campaign, day and event
    assert visits(app) == 5
    for _ in range(3):
        client.get("/s/vs2610")
    _flush(app)
    assert visits(app) == 8 and _flush(app) == 0


def test_threads_of_one_worker_lose_no_visit(tmp_path) -> None:
    app = _app(tmp_path)
    start = threading.Barrier(8)

    def visit() -> None:
        client = app.test_client()
        start.wait()
        for _ in range(50):
            client.get("/s/vs2610")

    threads = [threading.Thread(target=visit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _flush(app)
    assert visits(app) == 400


def test_a_failed_write_keeps_the_counts_for_the_next_flush(tmp_path, monkeypatch) -> None:
    app = _app(tmp_path)
    client = app.test_client()
    for _ in range(4):
        client.get("/s/vs2610")
    real = app.extensions["counts_write"]

    def down(totals) -> None:
        raise OSError("database unreachable")

    app.extensions["counts_write"] = down
    with pytest.raises(OSError):
        _flush(app)
    client.get("/s/vs2610")  # counted meanwhile
    app.extensions["counts_write"] = real
    _flush(app)
    assert visits(app) == 5


def test_two_workers_on_one_database_add_up(tmp_path) -> None:
    first = _app(tmp_path)
    url = first.config["DATABASE_URL"]
    second = make_app(tmp_path / "two", NOW=NOW, COUNT_FLUSH_SECONDS=3600, DATABASE_URL=url)
    for app, times in ((first, 3), (second, 4)):
        client = app.test_client()
        for _ in range(times):
            client.get("/s/vs2610")
    _flush(first)
    _flush(second)
    assert visits(first) == 7


def test_a_worker_that_stops_writes_what_it_counted(tmp_path) -> None:
    app = _app(tmp_path, "exit.sqlite3")  # migrates the file (or uses the run's PostgreSQL)
    url = app.config["DATABASE_URL"]
    script = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
from pathlib import Path
from conftest import unmigrated_app
from campaigns.test_landing import NOW
app = unmigrated_app(Path({str(tmp_path / "child")!r}), NOW=NOW, COUNT_FLUSH_SECONDS=3600,
                     DATABASE_URL={url!r})
client = app.test_client()
for _ in range(6):
    assert client.get("/s/vs2610").status_code == 200
"""
    done = subprocess.run(
        [sys.executable, "-c", script], env={**os.environ}, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert visits(app) == 6
