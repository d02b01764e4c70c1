"""Static files with a content hash in their URL (cached for a year) and the theme colours.

The theme is a few CSS custom properties from site.yaml, and the quick-exit script a few lines;
both are inlined in the page and allowed by their hash in the CSP, so a page needs no extra
request for them: HTML, one stylesheet and the icon are all a first visit loads.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for
from markupsafe import Markup

DEFAULT_COLOURS = {
    "primary": "#1d5c63",
    "primary_dark": "#123b40",
    "accent": "#f2c14e",
    "background": "#fbfaf7",
}


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(asset_url=asset_url, theme_css=theme_css, inline_js=inline_js)

    @app.after_request
    def cache_static(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200:
            filename = (request.view_args or {})["filename"]
            if filename.endswith(".css"):
                # Sent without comments and spare whitespace: the file stays readable.
                response.direct_passthrough = False
                response.set_data(minified_css(response.get_data()))
            if request.args.get("v") == file_hash(filename):
                max_age = current_app.config["STATIC_MAX_AGE"]
                response.headers["Cache-Control"] = f"public, max-age={max_age}, immutable"
            else:
                response.headers["Cache-Control"] = "public, max-age=300"
        return response


@functools.cache
def _hash_of(path: Path, _mtime: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _current_hash(filename: str) -> str | None:
    static = Path(current_app.static_folder or "static").resolve()
    path = (static / filename).resolve()
    if not path.is_relative_to(static) or not path.is_file():
        return None
    return _hash_of(path, path.stat().st_mtime_ns)


def file_hash(filename: str) -> str | None:
    """The file's content hash. Static files change only with a deploy, which starts new
    processes: outside debug mode each name is looked up once per process (resolving and
    stat-ing it on every `asset_url` was a tenth of a page's render); in debug mode an edited
    file gets its new hash at once."""
    if current_app.debug:
        return _current_hash(filename)
    known: dict[str, str | None] = current_app.extensions.setdefault("asset_hashes", {})
    if filename not in known:
        known[filename] = _current_hash(filename)
    return known[filename]


def asset_url(filename: str) -> str:
    return url_for("static", filename=filename, v=file_hash(filename))


@functools.lru_cache(maxsize=4)
def minified_css(css: bytes) -> bytes:
    """Our own stylesheet without comments and spare whitespace (about a sixth smaller). Only
    safe rewrites: no space is touched inside a selector but around {, }, ;, "," and >."""
    text = re.sub(r"/\*.*?\*/", "", css.decode("utf-8"), flags=re.S)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([{};,>])\s*", r"\1", text)
    text = re.sub(r"([{;][a-z-]+):\s", r"\1:", text)  # "color: red" in a declaration
    text = text.replace(";}", "}")  # the last declaration needs no semicolon
    return text.strip().encode("utf-8")


def inline_js() -> Markup:
    """The quick-exit script, inlined: one request fewer on every page, allowed by its hash."""
    return Markup(_script()[0])  # noqa: S704 - our own file from the package, not input


def script_hash() -> str:
    return _script()[1]


@functools.cache
def _script() -> tuple[str, str]:
    source = (Path(__file__).parent / "static" / "js" / "exit.js").read_text(encoding="utf-8")
    return source, _sha256_b64(source)


def theme_css() -> str:
    colours = {**DEFAULT_COLOURS, **current_app.extensions["content"].content.site.colours}
    return ":root{" + "".join(f"--{k.replace('_', '-')}:{v};" for k, v in colours.items()) + "}"


def theme_style_hash() -> str:
    return _sha256_b64(theme_css())


@functools.lru_cache(maxsize=8)
def _sha256_b64(css: str) -> str:
    return base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
