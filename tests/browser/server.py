"""Serve an app with gunicorn on loopback for the browser tests, the way production runs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(
    app_spec: str,
    env: dict[str, str],
    workers: int = 2,
    master: bool = False,
    log: list[str] | None = None,
) -> Iterator:
    """Start gunicorn with the project's gunicorn.conf.py; yield the base URL (and with
    `master`, also the master process, whose workers are its children); stop it. With `log`,
    the access log is kept too, and every line both logs wrote ends up in `log`."""
    port = free_port()
    env = dict(env)
    if env.get("UITWEG_ENV") == "production":
        # Production answers only at its own address, here plain http on loopback.
        env.setdefault("UITWEG_SITE_URL", f"http://127.0.0.1:{port}")
    else:
        env.setdefault("UITWEG_ALLOW_NON_PRODUCTION", "1")  # gunicorn refuses it otherwise
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--preload",
        "--access-logfile",
        "-" if log is not None else "/dev/null",
        app_spec,
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE if log is not None else None,
        stderr=subprocess.PIPE,
        text=True,
        errors="surrogateescape",
    )
    # With --preload the app is loaded before gunicorn listens, so once it says "Listening",
    # connections queue until a worker takes them: no polling, no sleeping.
    lines = []
    for line in process.stderr:
        lines.append(line)
        if "Listening at" in line:
            break
    else:
        process.wait()
        raise RuntimeError("gunicorn did not start:\n" + "".join(lines))
    try:
        url = f"http://127.0.0.1:{port}"
        yield (url, process) if master else url
    finally:
        process.terminate()
        process.wait(timeout=30)
        if log is not None:
            log += lines + process.stderr.read().splitlines(keepends=True)
            log += process.stdout.read().splitlines(keepends=True)
            process.stdout.close()
        process.stderr.close()
