"""Directory benchmark: a generated directory of 5,000 services and 1,000 groups.

    .venv/bin/python tests/benchmarks/directory.py [--services 5000] [--groups 1000]

Budgets: content loads in under 5 s; the directory page answers any filter combination in
under 20 ms median server time (measured around the WSGI call, as gunicorn would see it).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "site")]

from uitweg.vocabulary import AUDIENCES, KINDS  # noqa: E402

LOAD_BUDGET_S = 5.0
PAGE_BUDGET_MS = 20.0
TOPICS = ["drugs", "alcohol", "getting-out", "debt", "family", "mental-health", "housing", "work"]
PLACES = ["Vaartstad", "Heideveen", "Lindewaard"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
LANGUAGES = ["nl", "en", "ar", "tr", "pl"]


def pick(rng: random.Random, items: list[str], most: int = 3) -> str:
    return "[" + ", ".join(rng.sample(items, rng.randint(1, most))) + "]"


def generate(folder: Path, services: int, groups: int) -> None:
    rng = random.Random(42)  # the same directory every run
    shutil.copy(ROOT / "content" / "site.yaml", folder / "site.yaml")
    for sub in ("services", "groups", "stories", "pages"):
        (folder / sub).mkdir()
    for name in ("using", "parents", "professionals", "about", "privacy"):
        (folder / "pages" / f"{name}.nl.md").write_text(
            f"---\ntitle: {name}\nsummary: {name}\n---\n\nTekst.\n", encoding="utf-8"
        )
    for i in range(services):
        area = "national" if i % 25 == 0 else pick(rng, PLACES, 2)
        start = rng.choice([8, 9, 10, 13])
        hours = (
            f'  - {{byday: {pick(rng, DAYS, 5)}, opens_at: "{start:02d}:00", '
            f'closes_at: "{start + rng.choice([3, 4, 8]):02d}:00"}}'
        )
        if i % 7 == 0:
            hours += '\n  - {byday: [-1FR], freq: MONTHLY, opens_at: "19:00", closes_at: "21:00"}'
        (folder / "services" / f"dienst-{i}.nl.md").write_text(
            f"""---
name: Dienst {i:05d}
summary: Een gegenereerde dienst voor de meting.
organization: Organisatie {i % 300}
kind: {rng.choice(list(KINDS))}
topics: {pick(rng, TOPICS)}
audiences: {pick(rng, list(AUDIENCES), 2)}
area: {area}
phone: 038 2{i % 100:02d} {1000 + i % 9000:04d}
hours:
{hours}
languages: {pick(rng, LANGUAGES, 2).replace("[", "[nl, ").replace("nl, nl", "nl")}
free: {str(rng.random() < 0.6).lower()}
anonymous: {str(rng.random() < 0.3).lower()}
referral: {str(rng.random() < 0.3).lower()}
verified: 2026-10-01
---

Beschrijving van dienst {i}.
""",
            encoding="utf-8",
        )
    for i in range(groups):
        (folder / "groups" / f"groep-{i}.nl.md").write_text(
            f"""---
name: Groep {i:05d}
summary: Een gegenereerde groep.
fellowship: {rng.choice(["NA", "CA", "AA", "SMART", "Nar-Anon"])}
topics: {pick(rng, TOPICS, 2)}
audiences: {pick(rng, list(AUDIENCES), 2)}
area: {pick(rng, PLACES, 1)}
verified: 2026-10-01
meetings:
  - {{byday: {rng.choice(DAYS)}, time: "19:30", end_time: "21:00", online: "https://meet.example/{i}"}}
---

Groep {i}.
""",
            encoding="utf-8",
        )


def combinations() -> list[str]:
    """Every filter alone, and a fixed sample of combinations of several."""
    options = {
        "topic": TOPICS,
        "audience": AUDIENCES,
        "municipality": PLACES,
        "kind": [*KINDS, "group"],
        "language": LANGUAGES,
        "open": ["1"],
        "free": ["1"],
        "anonymous": ["1"],
        "noreferral": ["1"],
    }
    queries = [""] + [f"{k}={v}" for k, values in options.items() for v in values]
    rng = random.Random(7)
    for _ in range(150):
        names = rng.sample(list(options), rng.randint(2, 5))
        queries.append("&".join(f"{n}={rng.choice(options[n])}" for n in names))
    return queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--groups", type=int, default=1000)
    args = parser.parse_args()

    from uitweg import create_app
    from uitweg.content import load_content

    folder = Path(tempfile.mkdtemp(prefix="uitweg-directory-bench-"))
    generate(folder, args.services, args.groups)

    started = time.perf_counter()
    content, problems = load_content(folder)
    load_seconds = time.perf_counter() - started
    errors = [p for p in problems if p.is_error]
    if errors:
        raise SystemExit(
            "generated content is invalid:\n" + "\n".join(p.format() for p in errors[:5])
        )
    print(
        f"content load: {len(content.services)} services, {len(content.groups)} groups in "
        f"{load_seconds:.2f} s (budget {LOAD_BUDGET_S} s)"
    )

    app = create_app({"TESTING": True, "CONTENT_DIR": folder, "INSTANCE_DIR": folder / "instance"})
    client = app.test_client()
    client.get("/nl/help/")  # the first request builds the index and today's opening table
    timings = []
    slowest = (0.0, "")
    for query in combinations():
        for lang in ("nl", "en"):
            begin = time.perf_counter()
            response = client.get(f"/{lang}/help/?{query}")
            elapsed = (time.perf_counter() - begin) * 1000
            assert response.status_code == 200, query
            timings.append(elapsed)
            slowest = max(slowest, (elapsed, query))
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(
        f"directory page: {len(timings)} requests over {len(timings) // 2} filter combinations:"
        f" median {median:.1f} ms, p95 {p95:.1f} ms, slowest {slowest[0]:.1f} ms "
        f"({slowest[1] or 'no filter'}) (budget: median {PAGE_BUDGET_MS} ms)"
    )
    shutil.rmtree(folder, ignore_errors=True)
    ok = load_seconds < LOAD_BUDGET_S and median < PAGE_BUDGET_MS
    print("all budgets met" if ok else "SOME BUDGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
