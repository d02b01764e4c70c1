"""The baseline for the throughput benchmark: a minimal Flask app returning a constant page.

BENCH_PAGE_FILE names a file holding the page; its bytes are served as they are."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

PAGE = Path(os.environ["BENCH_PAGE_FILE"]).read_bytes()

app = Flask(__name__)


@app.get("/<path:anything>")
@app.get("/")
def constant(anything: str = "") -> Response:
    return Response(PAGE, mimetype="text/html")
