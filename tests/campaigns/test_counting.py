"""Counts are exact under load: landings at the same moment never lose an increment (one atomic
upsert each), on SQLite and on PostgreSQL. Days are local days."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import select

import databases
from campaigns.test_landing import NOW
from conftest import make_app
from uitweg import db
from uitweg.models import CampaignCount

THREADS = 8
EACH = 50


def _app(tmp_path):
    # Requests at once need their own connections: a file, not SQLite's in-memory database.
    url = None if databases.on_postgres() else f"sqlite:///{tmp_path / 'counting.sqlite3'}"
    return make_app(tmp_path, NOW=NOW, **({"DATABASE_URL": url} if url else {}))


def _rows(app) -> list[tuple[str, dt.date, str, int]]:
    with app.app_context(), db.session() as session:
        rows = session.execute(
            select(
                CampaignCount.campaign, CampaignCount.day, CampaignCount.event, CampaignCount.count
            ).order_by(CampaignCount.day, CampaignCount.event)
        )
        return [tuple(row) for row in rows]


def test_landings_at_the_same_moment_are_all_counted(tmp_path) -> None:
    app = _app(tmp_path)
    start = threading.Barrier(THREADS)
    statuses: list[int] = []

    def land(door: str | None) -> None:
        client = app.test_client()
        path = "/s/vs2610" if door is None else f"/nl/s/vs2610/{door}"
        start.wait()
        for _ in range(EACH):
            statuses.append(client.get(path).status_code)

    doors = [None] * (THREADS - 2) + ["help", "callback"]
    threads = [threading.Thread(target=land, args=(door,)) for door in doors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(statuses) == THREADS * EACH and set(statuses) <= {200, 303}
    day = dt.date(2026, 11, 24)
    assert _rows(app) == [
        ("vs2610", day, "callback", EACH),
        ("vs2610", day, "help", EACH),
        ("vs2610", day, "visit", (THREADS - 2) * EACH),
    ]


def test_a_visit_counts_on_the_local_day(tmp_path) -> None:
    app = _app(tmp_path)
    # 23:30 UTC on 24 November is 00:30 on 25 November in Amsterdam.
    for moment in (dt.datetime(2026, 11, 24, 22, 59), dt.datetime(2026, 11, 24, 23, 30)):
        app.config["NOW"] = moment.replace(tzinfo=dt.UTC)
        assert app.test_client().get("/s/vs2610").status_code == 200
    assert _rows(app) == [
        ("vs2610", dt.date(2026, 11, 24), "visit", 1),
        ("vs2610", dt.date(2026, 11, 25), "visit", 1),
    ]
