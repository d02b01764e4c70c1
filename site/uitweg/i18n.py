"""Languages: the locale prefix in every URL decides the language; Dutch is the default.

Catalogs are compiled from the committed .po files at start-up when they are newer than the
compiled ones, so a fresh clone serves both languages without a manual pybabel step.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, abort, current_app, g, request, url_for
from flask_babel import format_date, get_locale
from werkzeug.routing import BaseConverter

from .content.model import SUPPORTED_LANGUAGES
from .extensions import babel

log = logging.getLogger(__name__)

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


class LanguageConverter(BaseConverter):
    """Matches only language codes the site has, so /favicon.ico never reaches a page view."""

    regex = "|".join(SUPPORTED_LANGUAGES)


def init_app(app: Flask) -> None:
    app.url_map.converters["lang"] = LanguageConverter
    compiled = compile_catalogs(Path(app.config["TRANSLATIONS_DIR"]), Path(app.instance_path))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    babel.init_app(app, locale_selector=current_language)
    app.url_value_preprocessor(_pull_language)
    app.url_defaults(_add_language)
    app.jinja_env.filters["format_date_long"] = lambda value: format_date(value, "long")
    app.jinja_env.globals.update(
        language_links=language_links,
        t=translated,
        current_language=current_language,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        format_moment=format_moment,
    )


def format_moment(value: dt.datetime) -> str:
    """A day and time in the site's time zone, written out: "maandag 23 november, 14:00"."""
    from babel.dates import format_datetime

    from .context import content

    zone = ZoneInfo(content().site.timezone)
    return format_datetime(value, "EEEE d MMMM, HH:mm", tzinfo=zone, locale=current_language())


# The folder this process last compiled each source into, with the .po files' stamps then: an
# app made again from the same catalogs (tests make hundreds) reuses it while it exists.
_compiled: dict[Path, tuple[tuple[tuple[str, int], ...], Path]] = {}


def _stamps(source: Path) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in source.glob("*/LC_MESSAGES/*.po")))


def compile_catalogs(source: Path, instance: Path) -> Path:
    """Compile translations/<lang>/LC_MESSAGES/messages.po to .mo files; returns their root."""
    stamps = _stamps(source)
    done = _compiled.get(source)
    if done is not None and done[0] == stamps and done[1].is_dir():
        return done[1]
    target = _compile(source, instance)
    _compiled[source] = (stamps, target)
    return target


def _compile(source: Path, instance: Path) -> Path:
    target = instance / "translations"
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError:
        # A read-only instance folder (some container set-ups): compile into a private temp dir.
        target = Path(tempfile.mkdtemp(prefix="uitweg-translations-"))
    for po_path in source.glob("*/LC_MESSAGES/*.po"):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime_ns >= po_path.stat().st_mtime_ns:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3])
        # A name of its own: several processes (gunicorn workers, test runners) may compile
        # into one instance folder at once, and a shared ".tmp" was renamed away under one.
        with tempfile.NamedTemporaryFile(
            "wb", dir=mo_path.parent, prefix=mo_path.name + ".", suffix=".tmp", delete=False
        ) as mo_file:
            write_mo(mo_file, catalog)
        Path(mo_file.name).replace(mo_path)  # atomic: parallel workers never read half a file
        log.info("compiled %s", mo_path)
    return target


def languages() -> tuple[str, ...]:
    """The languages this site offers (site.yaml `locales`), Dutch first."""
    return current_app.extensions["content"].content.site.locales


def negotiated_language() -> str:
    """The best language for the visitor's browser, Dutch when nothing matches."""
    return request.accept_languages.best_match(languages(), default=languages()[0])


def current_language() -> str:
    """The language of this request: from the URL, else (error pages) the path or the browser."""
    if "lang" in g:
        return g.lang
    first = request.path.strip("/").split("/", 1)[0]
    return first if first in languages() else negotiated_language()


def _pull_language(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values is None or "lang" not in values:
        return
    lang = values.pop("lang")
    if lang not in languages():
        abort(404)
    g.lang = lang


def _add_language(endpoint: str, values: dict[str, Any]) -> None:
    if "lang" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = current_language()


def translated(value: dict[str, str] | str | None) -> str:
    """Pick the current language from a {nl: ..., en: ...} text in site.yaml."""
    if value is None or isinstance(value, str):
        return value or ""
    return value.get(str(get_locale())) or value.get(languages()[0], "")


def keep_query(values: Mapping[str, str | None]) -> None:
    """The GET parameters this page understood, to carry into its other languages. Anything
    else in the address (a tag added to a link, say) is never repeated in a link of ours."""
    g.language_query = {key: value for key, value in values.items() if value}


def language_links(external: bool = False) -> list[dict[str, Any]]:
    """The current page in every language (for the switch and hreflang alternates)."""
    links = []
    endpoint = request.endpoint
    view_args = dict(request.view_args or {})
    if "language_endpoint" in g:  # a page without a language in its address names its twin
        endpoint, view_args = g.language_endpoint
    for lang in languages():
        if endpoint is not None and (
            "language_endpoint" in g
            or (request.url_rule is not None and "lang" in request.url_rule.arguments)
        ):
            query = g.get("language_query", {})
            args: dict[str, Any] = {**view_args, **query, "lang": lang}
            url = url_for(endpoint, _external=external, **args)
        else:
            url = url_for("public.home", lang=lang, _external=external)
        links.append(
            {
                "lang": lang,
                "name": LANGUAGE_NAMES[lang],
                "url": url,
                "current": lang == current_language(),
            }
        )
    return links


def translator(lang: str) -> Callable[[str], str]:
    """gettext for `lang` outside a request (the CLI): the app's compiled catalogs."""
    from babel.support import Translations

    folder = current_app.config["BABEL_TRANSLATION_DIRECTORIES"]
    return Translations.load(folder, [lang]).gettext
