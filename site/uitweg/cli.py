"""flask commands: content check/new, translate extract/update/compile, db upgrade."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .content import load_content
from .content.problems import error_count
from .content.schema import SLUG_RE

content_cli = AppGroup("content", help="Check and create content in content/.")
translate_cli = AppGroup("translate", help="Translation catalogs (wraps Babel).")
db_cli = AppGroup("db", help="Database migrations (wraps Alembic).")

ROOT = Path(__file__).resolve().parents[2]


def init_app(app: Flask) -> None:
    app.cli.add_command(content_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(db_cli)


@content_cli.command("check")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="The content folder to check (default: the app's content folder).",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def content_check(folder: Path | None, strict: bool) -> None:
    """List every problem as file:line: message; exit 1 when there are errors."""
    folder = folder or Path(current_app.config["CONTENT_DIR"])
    content, problems = load_content(folder)
    for problem in problems:
        click.echo(problem.format(relative_to=Path.cwd()), err=problem.is_error)
    errors = error_count(problems)
    warnings = len(problems) - errors
    if errors or (strict and warnings):
        click.echo(f"{errors} error(s), {warnings} warning(s) in {folder}", err=True)
        sys.exit(1)
    kinds = ("stories", "pages", "services", "groups")
    counts = ", ".join(f"{len(getattr(content, kind))} {kind}" for kind in kinds)
    click.echo(f"OK: {counts}, {warnings} warning(s) in {folder}")


STORY_TEMPLATE = """---
title: {title}
summary: Een of twee zinnen die vertellen waar het verhaal over gaat.
alias: {alias}
place: {place}
age_band: "{age_band}"
themes: [{theme}]
substances: []
date: {today}
draft: true
---

Schrijf hier het verhaal. Gebruik korte zinnen en gewone woorden.

## Een tussenkop

Een lege regel begint een nieuwe alinea.
"""

PAGE_TEMPLATE = """---
title: {title}
summary: Een of twee zinnen die zeggen wat de lezer hier vindt.
draft: true
---

Schrijf hier de tekst van de pagina.
"""


@content_cli.command("new")
@click.argument("kind", type=click.Choice(["story", "page"]))
@click.argument("slug")
def content_new(kind: str, slug: str) -> None:
    """Create a draft story or page (Dutch) to start from."""
    if not SLUG_RE.match(slug):
        raise click.BadParameter("use lower-case letters, digits and dashes, e.g. sanne-stopt")
    folder = Path(current_app.config["CONTENT_DIR"]) / ("stories" if kind == "story" else "pages")
    path = folder / f"{slug}.nl.md"
    if path.exists():
        raise click.ClickException(f"{path} already exists")
    site = current_app.extensions["content"].content.site
    template = STORY_TEMPLATE if kind == "story" else PAGE_TEMPLATE
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(
        template.format(
            title=slug.replace("-", " ").capitalize(),
            alias="Naam (verzonnen)",
            place=site.municipalities[0],
            age_band=site.age_bands[0],
            theme=next(iter(site.themes)),
            today=dt.date.today().isoformat(),
        ),
        encoding="utf-8",
    )
    click.echo(f"Created {path}. It is a draft: set 'draft: false' to publish it.")


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", *args])


@translate_cli.command("extract")
def translate_extract() -> None:
    """Collect translatable strings into translations/messages.pot."""
    _pybabel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "--omit-header",
        "-o",
        str(ROOT / "translations" / "messages.pot"),
        str(ROOT / "site"),
    )


@translate_cli.command("update")
def translate_update() -> None:
    """Extract, then merge new strings into every language's .po file."""
    translate_extract.callback()
    _pybabel(
        "update",
        "-i",
        str(ROOT / "translations" / "messages.pot"),
        "-d",
        str(ROOT / "translations"),
        "--no-fuzzy-matching",
        "--omit-header",
        "--ignore-obsolete",
    )


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile .po files (the app also does this by itself at start-up)."""
    from .i18n import compile_catalogs

    target = compile_catalogs(ROOT / "translations", Path(current_app.instance_path))
    click.echo(f"compiled into {target}")


def alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", current_app.config["DATABASE_URL"])
    return config


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from alembic import command

    command.upgrade(alembic_config(), revision)
    click.echo(f"database at {revision}")
