"""Content that scales: the sample content with thousands of generated stories added.

    .venv/bin/python tests/benchmarks/content_scale.py [--stories 5000] [--profile]

Each story is written in Dutch and English, with one to three themes and up to three
substances drawn at random (seeded, so every run makes the same site) and a body of ordinary
length. In a fresh interpreter the script measures how long the content takes to load and how
much memory the worker holds after building the app, then renders the stories list (first and
last page), a story, the feed and every sitemap file through the test client.

Exits non-zero when the load takes 10 s or more, or when a list page or sitemap file is
50 KB or more. With --profile it prints the load's 25 costliest functions instead.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "site")]

MAX_LOAD_SECONDS = 10.0
MAX_BYTES = 50 * 1024
THEMES = ["getting-out", "debt", "family", "work", "relapse", "mental-health", "help"]
SUBSTANCES = ["cannabis", "cocaine", "alcohol", "xtc", "speed", "ghb"]
NAMES = ["Sam", "Noor", "Daan", "Iris", "Milan", "Sara", "Jesse", "Lotte", "Youssef", "Eva"]
PLACES = ["Vaartstad", "Zwolle", "Utrecht", "Deventer", "Kampen", "Amersfoort"]

PARAGRAPH = {
    "nl": (
        "Ik dacht lang dat ik het zelf kon oplossen. Elke week nam ik me voor om te stoppen, en "
        "elke week lukte het weer niet. Pas toen ik met iemand ging praten, zag ik wat er echt "
        "speelde. Dat gesprek was moeilijk, maar het hielp me om een eerste stap te zetten."
    ),
    "en": (
        "For a long time I thought I could sort it out myself. Every week I meant to stop, and "
        "every week it did not work. Only when I started talking to someone did I see what was "
        "really going on. That talk was hard, but it helped me take a first step."
    ),
}
HEADINGS = {
    "nl": ["Hoe het begon", "Het keerpunt", "Nu"],
    "en": ["How it began", "The turn", "Now"],
}


def story_text(lang: str, number: int, rng: random.Random, date: dt.date) -> str:
    name = rng.choice(NAMES)
    themes = rng.sample(THEMES, rng.randint(1, 3))
    substances = rng.sample(SUBSTANCES, rng.randint(0, 3))
    title = {"nl": f"{name} vertelt, deel {number}", "en": f"{name} tells, part {number}"}[lang]
    summary = {
        "nl": f"{name} gebruikte jarenlang en vond hulp in de buurt.",
        "en": f"{name} used for years and found help nearby.",
    }[lang]
    body = []
    for heading in HEADINGS[lang]:
        body.append(f"## {heading}\n\n{PARAGRAPH[lang]}\n\n{PARAGRAPH[lang]}\n")
    front = [
        "---",
        f'title: "{title}"',
        f"summary: {summary}",
        f"alias: {name}",
        f"place: {rng.choice(PLACES)}",
        'age_band: "21–25"',
        f"themes: [{', '.join(themes)}]",
        f"substances: [{', '.join(substances)}]",
        f"date: {date.isoformat()}",
        "---",
        "",
    ]
    return "\n".join(front) + "\n".join(body)


def generate(folder: Path, stories: int) -> None:
    shutil.copytree(ROOT / "content", folder)
    start = dt.date(2015, 1, 1)
    for number in range(1, stories + 1):
        # One random stream per story, so both languages get the same themes and date.
        date = start + dt.timedelta(days=number % 4000)
        for lang in ("nl", "en"):
            rng = random.Random(number)
            text = story_text(lang, number, rng, date)
            (folder / "stories" / f"generated-{number:05d}.{lang}.md").write_text(text)


def rss_mib() -> float:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else float("nan")


def measure(folder: Path, profile: bool) -> int:
    os.environ.setdefault("UITWEG_ENV", "test")
    from uitweg import create_app
    from uitweg.content.loader import load_content

    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        load_content(folder)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return 0

    before = rss_mib()
    started = time.perf_counter()
    app = create_app(
        {
            "TESTING": True,
            "CONTENT_DIR": str(folder),
            "INSTANCE_DIR": str(folder.parent / "instance"),
            "DATABASE_URL": f"sqlite:///{folder.parent / 'db.sqlite3'}",
        }
    )
    load_seconds = time.perf_counter() - started
    after = rss_mib()
    stories = len(app.extensions["content"].content.stories)
    print(f"{stories} stories: app built (content loaded) in {load_seconds:.2f} s")
    print(f"worker memory: {after:.0f} MiB resident ({after - before:.0f} MiB for the app)")
    ok = load_seconds < MAX_LOAD_SECONDS

    client = app.test_client()

    def get(path: str) -> bytes:
        started = time.perf_counter()
        response = client.get(path)
        took = (time.perf_counter() - started) * 1000
        size = len(response.data)
        print(f"  {path}: {response.status_code}, {size / 1024:.1f} KB, {took:.0f} ms")
        assert response.status_code == 200, path
        return response.data

    print("pages (first render):")
    first = get("/nl/stories/")
    pages = [int(n) for n in re.findall(rb"[?&amp;]page=(\d+)", first)]
    listed = [first]
    if pages:
        listed.append(get(f"/nl/stories/?page={max(pages)}"))
    listed.append(get("/nl/stories/?theme=debt"))
    get("/nl/stories/generated-00001")
    get("/nl/stories/feed.xml")
    index = get("/sitemap.xml")
    parts = re.findall(rb"<loc>https?://[^/<]+(/[^<]*)</loc>", index)
    sizes = []
    for part in parts:
        response = client.get(part.decode())
        assert response.status_code == 200, part
        sizes.append(len(response.data))
    urls = sum(client.get(p.decode()).data.count(b"<url>") for p in parts)
    if sizes:
        print(
            f"  sitemap: an index of {len(parts)} files, {len(index) / 1024:.1f} KB; files "
            f"{min(sizes) / 1024:.1f}–{max(sizes) / 1024:.1f} KB, {urls} URLs in all"
        )
    biggest = max([len(page) for page in listed] + [len(index)] + sizes)
    if biggest >= MAX_BYTES:
        print(f"FAILED: a list page or sitemap file is {biggest / 1024:.1f} KB (budget 50 KB)")
        ok = False
    if load_seconds >= MAX_LOAD_SECONDS:
        print(f"FAILED: content load took {load_seconds:.1f} s (budget 10 s)")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="uitweg-scale-") as tmp:
        folder = Path(tmp) / "content"
        started = time.perf_counter()
        generate(folder, args.stories)
        print(
            f"generated {args.stories} stories in two languages in "
            f"{time.perf_counter() - started:.1f} s"
        )
        code = measure(folder, args.profile)
    return code


if __name__ == "__main__":
    sys.exit(main())
