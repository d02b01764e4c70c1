from __future__ import annotations

from flask import render_template

from . import bp


@bp.get("")
def form() -> str:
    return render_template("callback/coming-soon.html")
