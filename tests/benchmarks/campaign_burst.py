"""A burst on an SMS link: every landing counted, and the site still answers meanwhile.

    .venv/bin/python tests/benchmarks/campaign_burst.py [--database sqlite|postgres|both]
                                                       [--landings 10000] [--clients 50]

gunicorn (2 workers, 4 threads) serves the site with production settings on loopback. The
clients open /s/vs2610 (the sample Vaartstad campaign) `--landings` times, over kept-alive
connections; meanwhile one more client opens the home page every half second and notes how long
it waits. Passes when the campaign's visit count equals the number of landings answered 200,
within a minute, and no home page took longer than 2 seconds.

Needs PostgreSQL at TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test) for
the PostgreSQL leg.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, func, select

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from legs import CHOICES, production_env, run_legs  # noqa: E402

from browser.server import gunicorn  # noqa: E402

CODE = "vs2610"


def land(base_url: str, times: int) -> Counter:
    parts = urllib.parse.urlsplit(base_url)
    statuses: Counter = Counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    for _ in range(times):
        try:
            connection.request("GET", f"/s/{CODE}", headers={"User-Agent": "Mozilla/5.0"})
            response = connection.getresponse()
            response.read()
            statuses[response.status] += 1
        except (OSError, http.client.HTTPException):
            statuses["broken"] += 1
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.close()
    return statuses


def probe(base_url: str, stop: threading.Event, waits: list[float]) -> None:
    parts = urllib.parse.urlsplit(base_url)
    while not stop.is_set():
        started = time.perf_counter()
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        connection.request("GET", "/nl/")
        connection.getresponse().read()
        connection.close()
        waits.append(time.perf_counter() - started)
        stop.wait(0.5)  # a benchmark may pace itself; tests never wait


def counted(url: str) -> int:
    from uitweg.models import CampaignCount

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        total = connection.scalar(
            select(func.sum(CampaignCount.count)).where(
                CampaignCount.campaign == CODE, CampaignCount.event == "visit"
            )
        )
    engine.dispose()
    return int(total or 0)


def leg(name: str, url: str, folder: Path, landings: int, clients: int) -> bool:
    env = production_env(url, GUNICORN_THREADS="4")
    with gunicorn("app:app", env, workers=2) as base_url:
        stop, waits = threading.Event(), []
        watcher = threading.Thread(target=probe, args=(base_url, stop, waits))
        watcher.start()
        started = time.perf_counter()
        share = [landings // clients + (i < landings % clients) for i in range(clients)]
        with ThreadPoolExecutor(clients) as pool:
            statuses = sum(pool.map(lambda n: land(base_url, n), share), Counter())
        seconds = time.perf_counter() - started
        stop.set()
        watcher.join()
    total = counted(url)
    slowest = max(waits) if waits else 0.0
    print(
        f"[{name}] {landings} landings from {clients} clients in {seconds:.1f} s "
        f"({landings / seconds:.0f}/s); answers {dict(statuses)}; counted {total}; home page "
        f"opened {len(waits)} times meanwhile, slowest {slowest * 1000:.0f} ms"
    )
    return total == statuses[200] == landings and seconds < 60 and slowest < 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=CHOICES, default="both")
    parser.add_argument("--landings", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    return run_legs(
        args.database,
        "burst",
        lambda name, url, folder: leg(name, url, folder, args.landings, args.clients),
    )


if __name__ == "__main__":
    raise SystemExit(main())
