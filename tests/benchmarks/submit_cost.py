"""What the visitor's code costs a callback submit and a written question.

    .venv/bin/python tests/benchmarks/submit_cost.py [--submits 50]

In one process and one run, sends the callback form and the written form through Flask's test
client (in-memory SQLite, no network) with the visitors' code cost of production
(VISITOR_CODE_*: one Argon2id derivation per submit) and with the cheapest cost Argon2id allows,
and prints the time per submit of each and their ratio. The machine is shared: read the ratio,
not the milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from callback.forms import hidden_fields, open_form, submit  # noqa: E402
from callback.written import ask  # noqa: E402
from conftest import make_app  # noqa: E402
from uitweg.config import Config  # noqa: E402

UNLIMITED = "100000 per hour"


def per_submit(time_cost: int, memory_kib: int, count: int, written: bool) -> float:
    app = make_app(
        Path(tempfile.mkdtemp()),
        CALLBACK_RATE_LIMIT=UNLIMITED,
        CALLBACK_POST_LIMIT=UNLIMITED,
        WRITTEN_RATE_LIMIT=UNLIMITED,
        VISITOR_CODE_TIME_COST=time_cost,
        VISITOR_CODE_MEMORY_KIB=memory_kib,
    )
    client = app.test_client()
    path = "/nl/callback/write" if written else None
    forms = []
    for _ in range(count + 10):
        if written:
            forms.append(hidden_fields(client.get(path).get_data(as_text=True)))
        else:
            forms.append(open_form(client))
    times = []
    for index, hidden in enumerate(forms):
        start = time.perf_counter()
        response = ask(client, hidden=hidden) if written else submit(client, hidden=hidden)
        if index >= 10:  # the first ones warm up caches and the allocator
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=50)
    count = parser.parse_args().submits
    production = (Config.VISITOR_CODE_TIME_COST, Config.VISITOR_CODE_MEMORY_KIB)
    for name, written in (("callback", False), ("written question", True)):
        slow = per_submit(*production, count, written)
        cheap = per_submit(1, 8, count, written)
        print(
            f"{name}: {slow:.1f} ms per submit at t={production[0]}, m={production[1]} KiB; "
            f"{cheap:.1f} ms at the cheapest cost; ratio {slow / cheap:.1f}"
        )


if __name__ == "__main__":
    main()
