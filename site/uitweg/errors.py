"""Localized error pages: never a stack trace, always the crisis numbers and a way home."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound


def init_app(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def not_found(_error: HTTPException) -> tuple[str, int]:
        return render_template("errors/404.html"), 404

    @app.errorhandler(HTTPException)
    def other_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return render_template("errors/error.html", code=code), code

    @app.errorhandler(InternalServerError)
    def server_error(_error: HTTPException) -> tuple[str, int]:
        return render_template("errors/500.html"), 500
