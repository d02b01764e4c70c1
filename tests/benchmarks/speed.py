"""Speed budget, measured in one run. Prints figures and exits non-zero when a budget is missed.

    .venv/bin/python tests/benchmarks/speed.py               (needs wrk: apt-get install wrk)
    .venv/bin/python tests/benchmarks/speed.py --lighthouse  (Lighthouse too, via npm)

1. Throughput of the home page, a story page, the directory (plain and filtered) and the SMS
   landing under gunicorn (gunicorn.conf.py, 2 workers),
   against a minimal Flask app serving a constant page of the same size with the same settings:
   the ratio must be at least 0.9.
2. Every public page: HTML + CSS + JavaScript at most 30 KB uncompressed and at most 3 requests on
   first load; static files fingerprinted and cached for a year.
3. With --lighthouse: Lighthouse (mobile) on the home page, a story, the directory, the callback
   form and the SMS landing: performance >= 95, accessibility 100, best practices 100, SEO >= 95
   (the last two keep noindex, so SEO is not counted there).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "browser")]

from legs import production_env  # noqa: E402

from browser.server import gunicorn  # noqa: E402
from pagecheck import parse  # noqa: E402

MIN_RATIO = 0.9
MAX_BYTES = 30 * 1024
MAX_REQUESTS = 3
LIGHTHOUSE_MIN = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 95}
NOINDEX_PAGES = ("/nl/callback", "/s/vs2610")
CHROMIUM = os.environ.get("UITWEG_CHROMIUM", "/usr/bin/chromium")


def fetch(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url) as response:
        return response.read(), dict(response.headers)


def wrk(url: str, seconds: int, connections: int) -> float:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"wrk saw errors for {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def throughput(site_url: str, paths: list[str], workdir: Path, seconds: int, rounds: int) -> bool:
    ok = True
    print(
        f"\n== Throughput (req/s, gunicorn 2 workers, wrk -t2 -c16 -d{seconds}s, best of {rounds})"
    )
    for path in paths:
        page, _ = fetch(site_url + path)
        page_file = workdir / "constant.html"
        page_file.write_bytes(page)
        with gunicorn(
            "constant_app:app",
            {"BENCH_PAGE_FILE": str(page_file), "PYTHONPATH": str(Path(__file__).parent)},
        ) as constant:
            wrk(constant + path, 2, 16)  # warm up both
            wrk(site_url + path, 2, 16)
            ours, baseline = [], []
            for _ in range(rounds):  # interleaved, so both see the same machine load
                ours.append(wrk(site_url + path, seconds, 16))
                baseline.append(wrk(constant + path, seconds, 16))
        ratio = max(ours) / max(baseline)
        verdict = "ok" if ratio >= MIN_RATIO else f"BELOW {MIN_RATIO}"
        ok &= ratio >= MIN_RATIO
        print(
            f"{path:45} uitweg {max(ours):8.0f}  constant {max(baseline):8.0f}  "
            f"ratio {ratio:.2f}  ({len(page)} bytes) {verdict}"
        )
    return ok


def page_weight(site_url: str, paths: list[str]) -> bool:
    ok = True
    heaviest = (0, "")
    most_requests = (0, "")
    print(f"\n== Page weight ({len(paths)} public pages): HTML + CSS + JS, requests on first load")
    for path in paths:
        html, _ = fetch(site_url + path)
        root = parse(html.decode())
        resources = [
            el.get("href")
            for el in root.iter("link")
            if {"stylesheet", "icon"} & set((el.get("rel") or "").split())
        ]
        resources += [el.get("src") for el in root.iter("script") if el.get("src")]
        resources += [el.get("src") for el in root.iter("img") if el.get("src")]
        total = len(html)
        for resource in resources:
            body, headers = fetch(site_url + resource)
            if resource.endswith((".css",)) or ".css?" in resource or ".js" in resource:
                total += len(body)
            if resource.startswith("/static/"):
                cached = "max-age=31536000" in headers.get("Cache-Control", "")
                if "?v=" not in resource or not cached:
                    print(f"  {path}: {resource} is not fingerprinted and cached for a year")
                    ok = False
        requests = 1 + len(set(resources))
        heaviest = max(heaviest, (total, path))
        most_requests = max(most_requests, (requests, path))
        if total > MAX_BYTES or requests > MAX_REQUESTS:
            print(f"  {path}: {total} bytes, {requests} requests: over budget")
            ok = False
    print(f"heaviest page: {heaviest[1]} {heaviest[0]} bytes (budget {MAX_BYTES})")
    print(f"most requests: {most_requests[1]} {most_requests[0]} (budget {MAX_REQUESTS})")
    return ok


def lighthouse(site_url: str, paths: list[str], workdir: Path) -> bool:
    tools = Path(__file__).parent / "node_modules" / ".bin" / "lighthouse"
    if not tools.exists():
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(Path(__file__).parent),
                "lighthouse@13",
            ],
            check=True,
            capture_output=True,
        )
    ok = True
    print("\n== Lighthouse (mobile)")
    for path in paths:
        report = workdir / "lighthouse.json"
        # Lighthouse sometimes loses its trace ("NO_NAVSTART") and asks to be run again.
        for attempt in range(3):
            done = subprocess.run(
                [
                    str(tools),
                    site_url + path,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    "--only-categories=performance,accessibility,best-practices,seo",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic "
                    "--disable-background-networking --disable-component-update --disable-sync",
                ],
                check=attempt == 2,
                env={**os.environ, "CHROME_PATH": CHROMIUM},
            )
            if done.returncode == 0:
                break
        categories = json.loads(report.read_text())["categories"]
        scores = {name: round(categories[name]["score"] * 100) for name in LIGHTHOUSE_MIN}
        # The callback form and the SMS landing keep noindex on purpose: SEO does not count there.
        exempt = {"seo"} if path in NOINDEX_PAGES else set()
        misses = [
            n for n, minimum in LIGHTHOUSE_MIN.items() if scores[n] < minimum and n not in exempt
        ]
        ok &= not misses
        print(
            f"{path:45} "
            + "  ".join(f"{n} {s}" for n, s in scores.items())
            + ("" if not misses else f"  BELOW: {', '.join(misses)}")
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved wrk runs per server")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    from conftest import migrate, unmigrated_app
    from keyholders import give_keys
    from public_urls import public_urls

    workdir = Path(tempfile.mkdtemp(prefix="uitweg-bench-"))
    # Nothing is sent (the benchmark posts no form): mail goes to a closed port.
    env = production_env(f"sqlite:///{workdir / 'bench.sqlite3'}", "smtp://127.0.0.1:1")
    os.environ.update(env)
    app = unmigrated_app(workdir, DATABASE_URL=env["DATABASE_URL"])
    migrate(app)
    # The callback form takes requests only where a partner holds a key (else it answers 503).
    give_keys(app)
    pages = [
        p for p in public_urls(app) if app.test_client().get(p).mimetype == "text/html" and p != "/"
    ]
    story = next(p for p in pages if p.startswith("/nl/stories/") and p != "/nl/stories/")

    with gunicorn("app:app", env) as site_url:
        # The directory (its "open now" kept until the next opening or closing) and the SMS
        # landing (its visit counted in the worker) too: the pages an SMS sends thousands to.
        measured = ["/nl/", story, "/nl/help/", "/nl/help/?topic=debt&open=1", "/s/vs2610"]
        ok = throughput(site_url, measured, workdir, args.seconds, args.rounds)
        ok &= page_weight(site_url, pages)
        if args.lighthouse:
            ok &= lighthouse(site_url, ["/nl/", story, "/nl/help/", *NOINDEX_PAGES], workdir)
    shutil.rmtree(workdir, ignore_errors=True)
    print("\nall budgets met" if ok else "\nSOME BUDGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
