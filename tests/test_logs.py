"""Logs without people: after well-formed and malformed requests to gunicorn with the project's
settings, no line holds a client address, a user agent, an enrolment token or a raw control
character. And gunicorn refuses the configurations that would fail people on a server."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser.server import ROOT, gunicorn
from conftest import SAMPLE_CONTENT, make_app
from partners.staff import invite
from test_security import production_settings

USER_AGENT = "Merkteken-Browser/7.7"
FORWARDED = "203.0.113.77"


def _raw(base_url: str, payload: bytes) -> bytes:
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(payload)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def test_no_log_line_holds_an_address_a_browser_a_token_or_a_control_character(
    tmp_path,
) -> None:
    url = f"sqlite:///{tmp_path / 'logs.sqlite3'}"
    app = make_app(tmp_path, DATABASE_URL=url)
    token = invite(app, "kompas", "nieuw@kompas.example").rsplit("/", 1)[1]
    env = {
        "UITWEG_ENV": "test",
        "UITWEG_CONTENT_DIR": str(SAMPLE_CONTENT),
        "DATABASE_URL": url,
        "PYTHONPATH": str(Path(__file__).parent),
    }
    lines: list[str] = []
    with gunicorn("app:app", env, workers=1, log=lines) as base_url:
        host = urlsplit(base_url).netloc.encode()
        requests = [
            b"GET /nl/ HTTP/1.1\r\nHost: "
            + host
            + b"\r\nUser-Agent: "
            + USER_AGENT.encode()
            + b"\r\nX-Forwarded-For: "
            + FORWARDED.encode()
            + b"\r\nConnection: close\r\n\r\n",
            b"GET /partner/enrol/"
            + token.encode()
            + b" HTTP/1.1\r\nHost: "
            + host
            + b"\r\nConnection: close\r\n\r\n",
            b"GET /nl/%0d%0aGET%20/forged%20200 HTTP/1.1\r\nHost: "
            + host
            + b"\r\nConnection: close\r\n\r\n",
            b"GET /nl/%00%1b[31m HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n",
            b"NONSENSE\r\n\r\n",
            b"GET / HTTP/9.9\r\n\r\n",
            b"GET /\x01\x02 HTTP/1.1\r\nHost: " + host + b"\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: " + host + b"\r\nX-Long: " + b"a" * 20000 + b"\r\n\r\n",
        ]
        answers = [_raw(base_url, request) for request in requests]
    assert answers[0].startswith(b"HTTP/1.1 200") and answers[1].startswith(b"HTTP/1.1 200")
    assert any(b" 400 " in answer[:20] for answer in answers[4:])
    assert lines, "gunicorn wrote no log"
    text = "".join(lines)
    assert '"GET /nl/" 200' in text  # the access log is there
    assert "[hidden]" in text  # the enrolment path was logged, masked
    for line in lines:
        body = line.rstrip("\n")
        assert "127.0.0.1" not in body and FORWARDED not in body, line
        assert USER_AGENT not in body and token not in body, line
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", body), repr(line)
        assert not body.startswith("GET /forged"), line


def _start(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
    command += ["--bind", "127.0.0.1:0", *args, "app:app"]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("UITWEG_", "RATELIMIT"))}
    return subprocess.run(
        command, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("environment", [{}, {"UITWEG_ENV": "development"}])
def test_gunicorn_refuses_the_development_configuration(environment, tmp_path) -> None:
    result = _start({**environment, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert result.returncode != 0
    assert "gunicorn serves only UITWEG_ENV=production" in result.stderr


def test_production_refuses_per_worker_rate_limits_with_several_workers(tmp_path) -> None:
    env = production_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = _start(env, "--workers", "2")
    assert result.returncode != 0
    assert "every limit counts 2 times over" in result.stderr
