"""Localized error pages: never a stack trace, always the crisis numbers and a way home."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

# Answered with JSON errors: programs read these addresses, not people.
API_PREFIX = "/api/"


def _answer(error: HTTPException, template: str, **values: object) -> Response | tuple:
    code = error.code or 500
    if request.path.startswith(API_PREFIX):
        response = jsonify({"status": code, "error": error.name, "detail": error.description})
        response.status_code = code
    else:
        response = Response(render_template(template, **values), code, mimetype="text/html")
    # What the error itself says in its headers (a 405's Allow) stays in the answer.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def not_found(error: HTTPException) -> Response | tuple:
        return _answer(error, "errors/404.html")

    @app.errorhandler(HTTPException)
    def other_error(error: HTTPException) -> Response | tuple:
        return _answer(error, "errors/error.html", code=error.code or 500)

    @app.errorhandler(InternalServerError)
    def server_error(error: HTTPException) -> Response | tuple:
        return _answer(error, "errors/500.html")
