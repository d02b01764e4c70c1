"""Load and faults for the callback form, on SQLite and on PostgreSQL.

    .venv/bin/python tests/benchmarks/callback_load.py [--database sqlite|postgres|both]

gunicorn (2 workers) serves the site on loopback with production settings, the rate limit and
the minimum fill time relaxed for the run; a real SMTP server (aiosmtpd) listens beside it.

1. Load: 500 requests from 50 concurrent clients (each opens the form, then sends it). Every
   request must be stored exactly once and its notification must reach the SMTP server.
2. A worker killed with SIGKILL in the middle of a second run: a client whose connection breaks
   sends the same form again, as a browser retry would. Every form the server accepted is stored,
   none twice.
3. (PostgreSQL) The database stopped: the form answers 503 with a translated "try again, or call"
   page that keeps what was typed; after the restart the next submit succeeds.

Needs PostgreSQL at TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test) for
the PostgreSQL leg, and root (or the postgres user) to stop and start the cluster.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from legs import CHOICES, production_env, run_legs  # noqa: E402

from browser.server import gunicorn  # noqa: E402
from callback.forms import VALID  # noqa: E402
from callback.smtp import smtp_server  # noqa: E402

CLUSTER = ["pg_ctlcluster", "--skip-systemctl-redirect"]


class Client:
    """One visitor: opens the form and sends it (no cookie is needed; one is kept if set)."""

    def __init__(self, base_url: str) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookie = ""

    def _request(self, method: str, path: str, body: str | None = None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            cookie = response.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            return response.status, text
        finally:
            connection.close()

    def open_form(self) -> dict[str, str]:
        status, html = self._request("GET", "/nl/callback")
        assert status == 200, status
        return dict(re.findall(r'name="([^"]+)" type="hidden" value="([^"]*)"', html))

    def send(self, hidden: dict[str, str], **changes) -> tuple[int, str]:
        body = urllib.parse.urlencode({**VALID, **hidden, **changes}, doseq=True)
        return self._request("POST", "/nl/callback", body)


def submission_of(token: str) -> str:
    """The digest the server stores for a form, from the nonce inside its signed token."""
    payload = token.split(".")[0]
    nonce = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return hashlib.sha256(nonce.encode()).hexdigest()


RETRIES = Counter()


def one_visitor(base_url: str, retries: int = 5) -> tuple[str, int | str]:
    """Open and send a form; on a broken connection send the same form again."""
    broken = (ConnectionError, http.client.HTTPException, TimeoutError)
    client = Client(base_url)
    for _ in range(retries):
        try:
            hidden = client.open_form()
            break
        except broken:
            RETRIES["form"] += 1
            continue  # nothing was sent yet: open the form again
    outcome: int | str = "no answer"
    for _ in range(retries):
        try:
            outcome, _html = client.send(hidden)
            break
        except broken as exc:
            RETRIES["send"] += 1
            outcome = type(exc).__name__
    return submission_of(hidden["token"]), outcome


def run_load(base_url: str, requests: int, clients: int, during=None):
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(one_visitor, base_url) for _ in range(requests)]
        if during is not None:
            during()
        results = [f.result() for f in futures]
    return results, time.perf_counter() - started


def database_rows(url: str) -> tuple[Counter, int]:
    from sqlalchemy import text

    from uitweg.db import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:
        submissions = Counter(
            row[0] for row in connection.execute(text("SELECT submission FROM callback_request"))
        )
        sent = connection.execute(
            text("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL")
        ).scalar()
    engine.dispose()
    return submissions, sent


def settled(url: str, expected_sent: int, seconds: float = 10.0) -> tuple[Counter, int]:
    """Rows, once the senders have marked what the SMTP server already has (a moment later)."""
    deadline = time.monotonic() + seconds
    while True:
        submissions, sent = database_rows(url)
        if sent >= expected_sent or time.monotonic() > deadline:
            return submissions, sent
        threading.Event().wait(0.05)


def workers_of(master_pid: int) -> list[int]:
    output = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True)
    return [int(pid) for pid in output.stdout.split()]


def cpu_seconds(pids: list[int]) -> float:
    """User and system time of these processes so far (utime and stime in /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def leg(name: str, url: str, folder: Path, requests: int, clients: int) -> bool:
    ok = True
    with smtp_server() as (inbox, mail_url):
        env = production_env(
            url,
            mail_url,
            UITWEG_CALLBACK_RATE_LIMIT="1000000 per hour",
            UITWEG_CALLBACK_POST_LIMIT="1000000 per hour",
            UITWEG_CALLBACK_MIN_FILL_SECONDS="0",
            GUNICORN_THREADS="4",
        )
        with gunicorn("app:app", env, workers=2, master=True) as (base_url, master):
            # 1. Load. Where the CPU went: the workers, and this process (the clients and the
            # SMTP server), which shares the machine's two cores with them.
            workers_before = cpu_seconds(workers_of(master.pid))
            own_before = time.process_time()
            results, seconds = run_load(base_url, requests, clients)
            worker_cpu = cpu_seconds(workers_of(master.pid)) - workers_before
            own_cpu = time.process_time() - own_before
            statuses = Counter(outcome for _s, outcome in results)
            inbox.wait_for(requests, timeout=120)
            submissions, sent = settled(url, requests)
            print(
                f"[{name}] load: {requests} requests from {clients} clients in {seconds:.1f} s "
                f"= {requests / seconds:.0f} requests/s (form GET + POST each); answers "
                f"{dict(statuses)}; rows {sum(submissions.values())}; mails sent {sent}, "
                f"received {len(inbox.messages)}"
            )
            print(
                f"[{name}] CPU per submit: {worker_cpu / requests * 1000:.1f} ms in the workers, "
                f"{own_cpu / requests * 1000:.1f} ms in the clients and SMTP server"
            )
            ok &= statuses == Counter({200: requests})
            ok &= sum(submissions.values()) == requests and max(submissions.values()) == 1
            ok &= sent == requests and len(inbox.messages) == requests

            # 2. A worker killed mid-run.
            RETRIES.clear()

            def kill_one() -> None:
                while len(database_rows(url)[0]) < requests + requests // 5:
                    threading.Event().wait(0.02)  # a benchmark may poll; tests never do
                victim = workers_of(master.pid)[0]
                os.kill(victim, signal.SIGKILL)
                print(f"[{name}] killed worker {victim} with SIGKILL")

            results, seconds = run_load(base_url, requests, clients, during=kill_one)
            statuses = Counter(outcome for _s, outcome in results)
            accepted = {s for s, outcome in results if outcome == 200}
            submissions, _sent = database_rows(url)
            lost = accepted - set(submissions)
            doubles = [s for s, count in submissions.items() if count > 1]
            rows = sum(submissions.values())
            # A mail claimed by the killed worker goes out when its lease ends (mail.LEASE).
            inbox.wait_for(rows, timeout=300)
            repeated = len(inbox.messages) - len({m["Message-ID"] for m in inbox.messages})
            print(
                f"[{name}] kill: answers {dict(statuses)}; accepted {len(accepted)}, lost "
                f"{len(lost)}, stored twice {len(doubles)}; rows {rows}; mails received "
                f"{len(inbox.messages)} ({repeated} repeated); broken connections retried: "
                f"{RETRIES['form']} form, {RETRIES['send']} send"
            )
            ok &= not lost and not doubles
            ok &= all(outcome == 200 for _s, outcome in results)

            # 3. The database stopped (PostgreSQL only: SQLite is a file inside the app).
            if name == "postgres":
                ok &= database_down(base_url)
    return ok


def database_down(base_url: str) -> bool:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run([*CLUSTER, version, "main", "stop"], check=True)
    try:
        client = Client(base_url)
        hidden = client.open_form()
        status, html = client.send(hidden, alias="Robin")
        kept = 'value="Robin"' in html and "Probeer het over een minuut opnieuw" in html
        print(f"[postgres] database stopped: status {status}, answers kept and explained: {kept}")
    finally:
        subprocess.run([*CLUSTER, version, "main", "start"], check=True)
    retry_hidden = dict(re.findall(r'name="([^"]+)" type="hidden" value="([^"]*)"', html))
    retry, _html = client.send(retry_hidden, alias="Robin")
    print(f"[postgres] after the restart the same visitor sends again: status {retry}")
    return status == 503 and kept and retry == 200


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=CHOICES, default="both")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    return run_legs(
        args.database,
        "load",
        lambda name, url, folder: leg(name, url, folder, args.requests, args.clients),
    )


if __name__ == "__main__":
    raise SystemExit(main())
