"""Settings from environment variables, with safe defaults for development.

Production refuses to start without its secrets: there is no fallback key in the code.
"""

from __future__ import annotations

import os
from pathlib import Path

from .hosts import site_host, valid_host

# The checkout: app.py, content/ and translations/ live here (site/uitweg/config.py -> ../../).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


# Partner inbox settings a host may change with UITWEG_<name>.
WHOLE_NUMBER_SETTINGS = (
    "PARTNER_IDLE_MINUTES",
    "PARTNER_SESSION_HOURS",
    "PASSWORD_MIN_LENGTH",
    "INVITATION_HOURS",
    "ARGON2_TIME_COST",
    "ARGON2_MEMORY_KIB",
    "VISITOR_CODE_TIME_COST",
    "VISITOR_CODE_MEMORY_KIB",
    "MAINTENANCE_SECONDS",
    "CONTENT_POLL_SECONDS",
)


class ConfigError(RuntimeError):
    """The environment does not hold what this configuration needs."""


class Config:
    ENV_NAME = "base"
    DEBUG = False
    TESTING = False

    CONTENT_DIR = Path(os.environ.get("UITWEG_CONTENT_DIR") or PROJECT_ROOT / "content")
    TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
    INSTANCE_DIR = PROJECT_ROOT / "instance"
    # Reload content/ when a file changes (development) and show drafts with a banner.
    CONTENT_AUTO_RELOAD = False
    CONTENT_PREVIEW = False
    # How often a host looks for versions published in the editors' area (on any host).
    CONTENT_POLL_SECONDS = 30

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"

    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "uitweg_session"
    # Staff only: marks a browser a member logged in from (partners/accounts.py, back-off).
    DEVICE_COOKIE_NAME = "uitweg_device"
    PREFERRED_URL_SCHEME = "https"
    WTF_CSRF_TIME_LIMIT = 3600
    # Static files carry a content hash in their URL, so they may be cached for a year.
    STATIC_MAX_AGE = 365 * 24 * 3600
    MAX_CONTENT_LENGTH = 64 * 1024
    # Rendered public pages kept per worker (see pagecache.py); 0 turns the cache off.
    PAGE_CACHE_ENTRIES = 512
    PAGE_CACHE_BYTES = 32 * 1024 * 1024
    # Each sitemap file at most this size (the protocol allows 50 MB; a small file is quick
    # to render on a cache miss and to fetch), listed by the index at /sitemap.xml.
    SITEMAP_FILE_BYTES = 45 * 1024

    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = "uitweg"
    RATELIMIT_HEADERS_ENABLED = False
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_COUNT = 0

    # Key(s) for contact details at rest (see privacy.py); comma-separated, the first encrypts.
    DATA_KEY: str | None = None
    # smtp://user:pass@host:port (STARTTLS when offered), smtp+starttls:// (STARTTLS required)
    # or smtps:// (TLS from the start). Unset: mail is written to the log (development only).
    MAIL_URL: str | None = None
    MAIL_FROM = "Uitweg <noreply@localhost>"
    # The site's public address, for the link to the partner inbox in notification mails.
    SITE_URL = "http://localhost:5000"
    # Deliver the outbox from a thread in each worker, besides `flask outbox send` from cron.
    OUTBOX_WORKER = True
    OUTBOX_POLL_SECONDS = 30.0

    # The callback form: a person needs a few seconds; a form older than this is sent again.
    CALLBACK_MIN_FILL_SECONDS = 3.0
    CALLBACK_MAX_FORM_AGE = 24 * 3600
    # Accepted requests per client (key: salted hash, see ratelimit.py), and form posts in all.
    CALLBACK_RATE_LIMIT = "5 per hour;10 per day"
    CALLBACK_POST_LIMIT = "60 per hour"
    STATUS_RATE_LIMIT = "10 per 10 minutes;30 per day"
    # Written conversations: wrong codes per client, and for all clients together (guessing
    # spread over many addresses); conversations started per client; and every use of a
    # code per client (each costs an Argon2id derivation).
    CODE_FAILURE_LIMIT = "10 per 10 minutes;30 per day"
    CODE_FAILURE_GLOBAL_LIMIT = "300 per hour"
    WRITTEN_RATE_LIMIT = "5 per hour;10 per day"
    CONVERSATION_POST_LIMIT = "120 per hour"
    # A visitor's "something is wrong" reports about listings, per client.
    REPORT_RATE_LIMIT = "5 per hour;20 per day"

    # The partner inbox. A login ends after this much inactivity, and after a working day.
    PARTNER_IDLE_MINUTES = 30
    PARTNER_SESSION_HOURS = 12
    PASSWORD_MIN_LENGTH = 12
    INVITATION_HOURS = 72
    # Argon2id for staff passwords and the keys derived from them (OWASP's suggested minimum
    # is 19 MiB with 2 passes; this is well above it).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_KIB = 64 * 1024
    ARGON2_PARALLELISM = 1
    # Argon2id for visitors' codes (a callback's reference, a conversation's code), paid on
    # every submit and every use of a code. OWASP's 19 MiB and 2 passes are for passwords a
    # person chose; these codes are 80 random bits, so a stolen copy needs about 2^80 runs
    # per code (2^70 to hit one of a thousand): one pass over 4 MiB (2.6 ms here, a tenth) puts
    # that far beyond any attacker while a submit stays cheap.
    VISITOR_CODE_TIME_COST = 1
    VISITOR_CODE_MEMORY_KIB = 4 * 1024
    # Login attempts per client, on top of the back-off per account name (partners/accounts.py).
    LOGIN_RATE_LIMIT = "30 per 10 minutes"
    # Escalation, retention and key upkeep (`flask maintenance`), also run by a thread in each
    # worker every few minutes.
    # Campaign and self-test counts: kept in each worker and written this often (counts.py);
    # 0 writes each count at once.
    COUNT_FLUSH_SECONDS = 2.0
    MAINTENANCE_WORKER = True
    MAINTENANCE_SECONDS = 300.0

    @classmethod
    def from_environ(cls) -> dict[str, object]:
        """Collect the settings that come from the environment at start-up time."""
        values: dict[str, object] = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        if os.environ.get("UITWEG_CONTENT_DIR"):
            values["CONTENT_DIR"] = Path(os.environ["UITWEG_CONTENT_DIR"])
        if os.environ.get("SECRET_KEY"):
            values["SECRET_KEY"] = os.environ["SECRET_KEY"]
        values["DATABASE_URL"] = os.environ.get("DATABASE_URL") or cls.default_database_url()
        values["RATELIMIT_STORAGE_URI"] = (
            os.environ.get("RATELIMIT_STORAGE_URI") or cls.RATELIMIT_STORAGE_URI
        )
        # Several sites (or test runs) may share one Redis: each counts under its own prefix.
        values["RATELIMIT_KEY_PREFIX"] = (
            os.environ.get("RATELIMIT_KEY_PREFIX") or cls.RATELIMIT_KEY_PREFIX
        )
        values["PROXY_COUNT"] = int(os.environ.get("UITWEG_PROXY_COUNT") or 0)
        for key, variable in (
            ("DATA_KEY", "UITWEG_DATA_KEY"),
            ("MAIL_URL", "MAIL_URL"),
            ("MAIL_FROM", "MAIL_FROM"),
            ("SITE_URL", "UITWEG_SITE_URL"),
        ):
            if os.environ.get(variable):
                values[key] = os.environ[variable]
        # Relaxed only for load tests and browser tests; the defaults suit a real site.
        for key in (
            "CALLBACK_RATE_LIMIT",
            "CALLBACK_POST_LIMIT",
            "STATUS_RATE_LIMIT",
            "REPORT_RATE_LIMIT",
            "CODE_FAILURE_LIMIT",
            "CODE_FAILURE_GLOBAL_LIMIT",
            "WRITTEN_RATE_LIMIT",
            "CONVERSATION_POST_LIMIT",
        ):
            if os.environ.get(f"UITWEG_{key}"):
                values[key] = os.environ[f"UITWEG_{key}"]
        if os.environ.get("UITWEG_CALLBACK_MIN_FILL_SECONDS"):
            values["CALLBACK_MIN_FILL_SECONDS"] = float(
                os.environ["UITWEG_CALLBACK_MIN_FILL_SECONDS"]
            )
        if os.environ.get("UITWEG_COUNT_FLUSH_SECONDS"):
            values["COUNT_FLUSH_SECONDS"] = float(os.environ["UITWEG_COUNT_FLUSH_SECONDS"])
        if os.environ.get("UITWEG_LOGIN_RATE_LIMIT"):
            values["LOGIN_RATE_LIMIT"] = os.environ["UITWEG_LOGIN_RATE_LIMIT"]
        for key in WHOLE_NUMBER_SETTINGS:
            raw = os.environ.get(f"UITWEG_{key}")
            if raw:
                if not raw.isdigit() or int(raw) < 1:
                    raise ConfigError(f"UITWEG_{key} must be a whole number above 0, not {raw!r}")
                values[key] = int(raw)
        return values

    @classmethod
    def default_database_url(cls) -> str:
        return f"sqlite:///{cls.INSTANCE_DIR / 'uitweg.sqlite3'}"


class Development(Config):
    ENV_NAME = "development"
    DEBUG = True
    CONTENT_AUTO_RELOAD = True
    CONTENT_PREVIEW = True
    MIGRATE_AT_START = True
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"

    @classmethod
    def from_environ(cls) -> dict[str, object]:
        values = super().from_environ()
        # A development key is generated per process: sessions do not survive a restart,
        # which is fine on a laptop and impossible to copy into production by accident.
        values["SECRET_KEY"] = values.get("SECRET_KEY") or os.urandom(32).hex()
        return values


# A fixed key for tests only: what tests store is thrown away.
TEST_DATA_KEY = "dGVzdC1kYXRhLWtleS1ub3QtZm9yLXByb2R1Y3Rpb24="


class Test(Config):
    ENV_NAME = "test"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    SERVER_NAME = None

    @classmethod
    def from_environ(cls) -> dict[str, object]:
        values = super().from_environ()
        values["SECRET_KEY"] = "test-secret-key-not-for-production"  # noqa: S105
        values["DATABASE_URL"] = os.environ.get("DATABASE_URL") or "sqlite://"
        values["DATA_KEY"] = TEST_DATA_KEY
        values["MAIL_URL"] = None
        values["OUTBOX_WORKER"] = False  # tests deliver explicitly, or turn the worker on
        values["MAINTENANCE_WORKER"] = False
        values["COUNT_FLUSH_SECONDS"] = 0.0  # a test reads a count right after the visit
        # Cheap hashing: the tests log in hundreds of times; the cost is not what they test.
        values["ARGON2_TIME_COST"] = 1
        values["ARGON2_MEMORY_KIB"] = 1024
        values["VISITOR_CODE_TIME_COST"] = 1
        values["VISITOR_CODE_MEMORY_KIB"] = 1024
        values["CALLBACK_MIN_FILL_SECONDS"] = float(
            os.environ.get("UITWEG_CALLBACK_MIN_FILL_SECONDS") or 0
        )
        return values


class Production(Config):
    ENV_NAME = "production"
    # __Host-: only ever sent over HTTPS, to this exact host, for the whole site.
    SESSION_COOKIE_NAME = "__Host-uitweg_session"
    DEVICE_COOKIE_NAME = "__Host-uitweg_device"

    @classmethod
    def from_environ(cls) -> dict[str, object]:
        values = super().from_environ()
        if not values.get("SECRET_KEY"):
            raise ConfigError(
                "SECRET_KEY is not set. Production needs a long random secret, for example "
                "the output of: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        if not values.get("DATA_KEY"):
            raise ConfigError(
                "UITWEG_DATA_KEY is not set. Production encrypts contact details with it; make "
                "one with `flask keys new` and keep a copy somewhere safe"
            )
        if not values.get("MAIL_URL"):
            raise ConfigError(
                "MAIL_URL is not set. Care partners are told of new requests by mail, for "
                "example MAIL_URL=smtp+starttls://user:password@mail.example.org:587"
            )
        if not os.environ.get("UITWEG_SITE_URL"):
            raise ConfigError(
                "UITWEG_SITE_URL is not set. Production answers only at the site's own address "
                "and makes every absolute link from it, for example "
                "UITWEG_SITE_URL=https://www.uitweg.example"
            )
        scheme, host = site_host(str(values["SITE_URL"]))
        loopback = host.split(":")[0] in {"127.0.0.1", "localhost", "[::1]"}
        if not valid_host(host) or not (scheme == "https" or (scheme == "http" and loopback)):
            raise ConfigError(
                f"UITWEG_SITE_URL={values['SITE_URL']!r} must be an https:// address "
                "(plain http only on this machine, for load tests)"
            )
        return values


CONFIGS: dict[str, type[Config]] = {
    "development": Development,
    "test": Test,
    "production": Production,
}


def load(env_name: str | None = None) -> dict[str, object]:
    """Settings for UITWEG_ENV (development by default)."""
    name = env_name or os.environ.get("UITWEG_ENV", "development")
    try:
        config_class = CONFIGS[name]
    except KeyError:
        raise ConfigError(
            f"UITWEG_ENV={name!r} is unknown; use one of {', '.join(CONFIGS)}"
        ) from None
    return config_class.from_environ()
