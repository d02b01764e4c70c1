"""Uitweg: a calm, private website for people who want a way out of drugs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from . import config as settings
from . import logs

__version__ = "0.1.0"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app. `test_config` wins over everything read from the environment."""
    values = settings.load("test" if test_config and test_config.get("TESTING") else None)
    values.update(test_config or {})
    instance = Path(str(values["INSTANCE_DIR"]))
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=False)
    app.config.update(values)
    logs.configure()
    instance.mkdir(parents=True, exist_ok=True)

    from . import (
        assets,
        cli,
        context,
        counts,
        db,
        hosts,
        i18n,
        mail,
        maintenance,
        pagecache,
        privacy,
        security,
    )
    from .content import ContentStore
    from .extensions import csrf, limiter
    from .outreach import counting

    if not app.config["DATA_KEY"]:  # only development gets here: production refuses to start
        app.config["DATA_KEY"] = privacy.development_key(instance)

    app.extensions["content"] = ContentStore(
        Path(app.config["CONTENT_DIR"]), strict=app.config["ENV_NAME"] == "production"
    )
    i18n.init_app(app)
    context.init_app(app)
    db.init_app(app)
    privacy.init_app(app)
    mail.init_app(app)
    maintenance.init_app(app)
    counts.init_app(app, counting.write)
    csrf.init_app(app)
    limiter.init_app(app)
    pagecache.init_app(app)  # inside ProxyFix: keys use the visitor's scheme and host
    production = app.config["ENV_NAME"] == "production"
    # Before the page cache: a foreign Host costs nothing.
    guard = hosts.HostGuard(app.wsgi_app, app.config["SITE_URL"] if production else None)
    app.wsgi_app = guard  # type: ignore[method-assign]
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        proxied = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
        app.wsgi_app = proxied  # type: ignore[method-assign]
    security.init_app(app)
    assets.init_app(app)
    register_blueprints(app)
    cli.init_app(app)
    if app.config.get("MIGRATE_AT_START"):
        # A fresh checkout runs at once; production migrates on each release (Procfile).
        with app.app_context():
            cli.upgrade_database()
    follow_published_versions(app)
    if app.config["ENV_NAME"] == "production":
        warn_if_closed(app)
    # gunicorn --preload forks the workers from this process: a pooled connection opened above
    # would be shared by all of them (a hang on SQLite, crossed replies on PostgreSQL).
    app.extensions["db_engine"].dispose()
    return app


def follow_published_versions(app: Flask) -> None:
    """Content is the files plus the versions editors published: the store looks for new ones
    every CONTENT_POLL_SECONDS, on the app's clock (a test's fixed NOW included)."""
    import datetime as dt

    from .content.versions import PublishedVersions

    store = app.extensions["content"]
    store.follow(
        PublishedVersions(app.extensions["db_sessionmaker"], store.folder),
        clock=lambda: app.config.get("NOW") or dt.datetime.now(dt.UTC),
        poll_seconds=app.config["CONTENT_POLL_SECONDS"],
    )


def warn_if_closed(app: Flask) -> None:
    """Say at start-up when the callback form cannot take requests (nobody holds a key)."""
    from sqlalchemy.exc import SQLAlchemyError

    from . import db
    from .intake import contact

    with app.app_context():
        try:
            with db.session() as session:
                accepting = contact.accepts_requests(session)
        except SQLAlchemyError:
            return  # not migrated yet: the release step (flask db upgrade) comes first
        if not accepting:
            app.logger.warning("uitweg: %s", contact.CLOSED_REASON)


def register_blueprints(app: Flask) -> None:
    from .callback import bp as callback_bp
    from .campaigns import bp as campaigns_bp
    from .directory import bp as directory_bp
    from .directory.api import api as api_bp
    from .editor import bp as editor_bp
    from .errors import init_app as init_errors
    from .partners import bp as partners_bp
    from .public import bp as public_bp
    from .public import root_bp
    from .selftests import bp as selftests_bp
    from .staff import sessions
    from .staff.views import bp as staff_bp

    sessions.init_app(app)
    app.register_blueprint(root_bp)
    app.register_blueprint(callback_bp)
    app.register_blueprint(campaigns_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(selftests_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(partners_bp)
    app.register_blueprint(editor_bp)
    init_errors(app)
    register_template_helpers(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and names every template may use (a blueprint adds only its own pages' names)."""
    from . import vocabulary
    from .directory import describe
    from .forms import printable
    from .i18n import current_language

    app.add_template_filter(printable, "printable")

    @app.context_processor
    def directory_words() -> dict[str, object]:
        return {
            "kind_labels": vocabulary.KIND_LABELS,
            "audience_labels": vocabulary.AUDIENCE_LABELS,
            "fellowship_labels": vocabulary.FELLOWSHIP_LABELS,
            "meeting_type_label": vocabulary.meeting_type_label,
            "language_name": vocabulary.language_name,
            "describe_rule": lambda rule: describe.rule_text(rule, current_language()),
            "describe_span": describe.span_text,
            "describe_place": describe.meeting_place,
            "describe_access": lambda entry: describe.access_line(entry, current_language()),
            "describe_waiting": lambda entry: describe.waiting_text(entry, current_language()),
            "way_labels": vocabulary.WAY_LABELS,
        }
