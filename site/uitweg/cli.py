"""flask commands: content check/new, routing explain, outbox send, translate, db upgrade."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from .content import load_content, routing
from .content.model import SUPPORTED_LANGUAGES
from .content.problems import N_, error_count
from .content.schema import SLUG_RE
from .vocabulary import ASKING, TOPICS, Role

content_cli = AppGroup("content", help="Check and create content in content/.")
translate_cli = AppGroup("translate", help="Translation catalogs (wraps Babel).")
db_cli = AppGroup("db", help="Database migrations (wraps Alembic).")
routing_cli = AppGroup("routing", help="Which care partner gets a callback request.")
outbox_cli = AppGroup("outbox", help="Notification mails waiting to be sent.")
keys_cli = AppGroup("keys", help="The keys that encrypt contact details (UITWEG_DATA_KEY).")
partners_cli = AppGroup("partners", help="Staff accounts of care partners.")
directory_cli = AppGroup("directory", help="The directory of help: services from elsewhere.")

ROOT = Path(__file__).resolve().parents[2]


CHECKED_KINDS = ("stories", "pages", "services", "groups", "campaigns", "selftests")


def init_app(app: Flask) -> None:
    app.cli.add_command(content_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(db_cli)
    app.cli.add_command(routing_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(keys_cli)
    app.cli.add_command(partners_cli)
    app.cli.add_command(directory_cli)
    app.cli.add_command(maintenance_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(demo_cli)


@content_cli.command("check")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="The content folder to check (default: the app's content folder).",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--lang",
    default="en",
    show_default=True,
    type=click.Choice(SUPPORTED_LANGUAGES),
    help="The language of the messages (nl: Nederlands).",
)
def content_check(folder: Path | None, strict: bool, lang: str) -> None:
    """List every problem as file:line: message; exit 1 when there are errors."""
    from .i18n import translator

    folder = folder or Path(current_app.config["CONTENT_DIR"])
    content, problems = load_content(folder)
    translate = translator(lang) if lang != "en" else None
    for problem in problems:
        click.echo(problem.format(Path.cwd(), translate), err=problem.is_error)
    errors = error_count(problems)
    warnings = len(problems) - errors
    say = translate or (lambda text: text)
    if errors or (strict and warnings):
        summary = say(N_("{errors} error(s), {warnings} warning(s) in {folder}"))
        click.echo(summary.format(errors=errors, warnings=warnings, folder=folder), err=True)
        sys.exit(1)
    counts = {kind: len(getattr(content, kind)) for kind in CHECKED_KINDS}
    rules = content.routing if content is not None else None
    counts["partners"] = len(rules.partners) if rules is not None else 0
    counts["rules"] = len(rules.rules) if rules is not None else 0
    line = say(
        N_(
            "OK: {stories} stories, {pages} pages, {services} services, {groups} groups, "
            "{campaigns} campaigns, {selftests} self-tests, {partners} partners, {rules} rules, "
            "{warnings} warning(s) in {folder}"
        )
    )
    click.echo(line.format(**counts, warnings=warnings, folder=folder))


@content_cli.command("export")
@click.option(
    "--to",
    "target",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write into this folder (made as a copy of the content folder when it does not exist "
    "yet; default: the content folder itself).",
)
def content_export(target: Path | None) -> None:
    """Write what editors published in the editors' area as files, in content/'s own format,
    so a team that keeps content in git can commit it. A published item's files replace the
    deployed ones; an item taken off the site loses its files."""
    import shutil

    from . import db
    from .content import versions
    from .context import now

    source = Path(current_app.config["CONTENT_DIR"])
    target = target or source
    if not target.exists():
        shutil.copytree(source, target)
    with db.session() as session:
        laid = versions.overlay_at(session, target, now())
    changed = 0
    for path, text in sorted(laid.items()):
        if text is None:
            if path.exists():
                path.unlink()
                click.echo(f"removed {path}")
                changed += 1
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            click.echo(f"wrote {path}")
            changed += 1
    click.echo(f"{changed} file(s) changed in {target}")


def _read_hsds(source: str) -> list[dict]:
    """Services from an HSDS 3 JSON file (one service, a list, a page of the API, or ndjson)
    or from the API of another directory (its address, e.g. https://example.org/api/hsds/)."""
    import json
    import urllib.parse
    import urllib.request

    def parsed(text: str) -> list[dict]:
        text = text.strip()
        if text.startswith("{") and "\n{" in text:  # ndjson: one service a line
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        data = json.loads(text)
        if isinstance(data, dict) and isinstance(data.get("contents"), list):
            return data["contents"]
        return data if isinstance(data, list) else [data]

    if not source.startswith(("https://", "http://")):
        return parsed(Path(source).read_text(encoding="utf-8"))

    def fetched(url: str) -> str:
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (http(s) only)
            return answer.read().decode("utf-8")

    base = source.rstrip("/") + "/"
    services: list[dict] = []
    for number in range(1, 10_000):  # an importer reads until an empty page
        page = json.loads(fetched(f"{base}services?full=true&per_page=100&page={number}"))
        contents = page.get("contents") or []
        if not contents:
            break
        for service in contents:
            # An API without `full` lists one-to-one fields only: ask for each service.
            if "schedules" not in service and service.get("id"):
                service = json.loads(
                    fetched(base + "services/" + urllib.parse.quote(service["id"]))
                )
            services.append(service)
        if page.get("last_page"):
            break
    return services


@directory_cli.command("remind")
def directory_remind() -> None:
    """Mail the owner of every listing checked longer ago than stale_after_days (site.yaml) a
    link to confirm it or propose changes; answers wait in the editors' area."""
    from . import maintenance

    click.echo(f"{maintenance.remind_listing_owners()} reminder(s) sent")


@directory_cli.command("stale")
def directory_stale() -> None:
    """List the listings checked longer ago than stale_after_days, oldest first."""
    from .content import freshness
    from .context import content, today

    for entry in freshness.stale(content(), today()):
        owner = entry.owner or "-"
        click.echo(f"{entry.verified}  {freshness.kind_of(entry)}/{entry.slug}  {owner}")


@directory_cli.command("import")
@click.argument("source")
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    help="The content folder to write into (default: the app's content folder).",
)
@click.option(
    "--live",
    is_flag=True,
    help="Write the services without draft: true (for data that was checked already, such "
    "as this site's own export).",
)
def directory_import(source: str, into: Path | None, live: bool) -> None:
    """Write each service of an HSDS 3 export (a JSON file, or another directory's API) as a
    service file for review: drafts, unless --live, and what HSDS does not say (kind of help,
    topics) left for an editor, which `flask content check` then names."""
    from zoneinfo import ZoneInfo

    from .content import hsds
    from .context import content, today

    target = into or Path(current_app.config["CONTENT_DIR"])
    folder = target / "services"
    folder.mkdir(parents=True, exist_ok=True)
    taken = {path.name.split(".")[0] for path in folder.glob("*.md")}
    zone = ZoneInfo(content().site.timezone)
    written = hsds.import_services(_read_hsds(source), zone, today(), taken, draft=not live)
    for item in written:
        (folder / f"{item.slug}.nl.md").write_text(item.text, encoding="utf-8")
        click.echo(f"wrote {folder / item.slug}.nl.md ({item.name})")
    click.echo(f"{len(written)} service(s) written; `flask content check` says what to fill in")


@routing_cli.command("explain")
@click.option(
    "--topic",
    "topics",
    multiple=True,
    required=True,
    type=click.Choice(TOPICS),
    help="May be given more than once.",
)
@click.option("--municipality", required=True, help=f"A municipality, or {routing.ELSEWHERE}.")
@click.option("--asking", default="myself", show_default=True, type=click.Choice(ASKING))
@click.option("--language", default="nl", show_default=True)
@click.option("--campaign", default=None, help="An SMS campaign code.")
def routing_explain(
    topics: tuple[str, ...], municipality: str, asking: str, language: str, campaign: str | None
) -> None:
    """Print the partner a request would go to, and the rule that sends it there."""
    rules = current_app.extensions["content"].content.routing
    if rules is None:
        raise click.ClickException(
            "content/partners.yaml is missing or invalid; run `flask content check`"
        )
    facts = routing.Facts(topics, municipality, asking, language, campaign)
    decision = rules.route(facts)
    click.echo(f"partner: {decision.partner.slug} ({decision.partner.name['nl']})")
    if decision.rule == routing.DEFAULT_RULE:
        click.echo("rule:    default (no rule matched)")
    else:
        rule = next(r for r in rules.rules if r.name == decision.rule)
        position = rules.rules.index(rule) + 1
        click.echo(f"rule:    {rule.name} (rule {position} of {len(rules.rules)})")
        if rule.note:
            click.echo(f"note:    {rule.note}")
    chain = [p.slug for p in rules.chain(decision.partner.slug)]
    click.echo(f"escalates to: {' -> '.join(chain[1:]) or 'nobody (no fallback)'}")


@outbox_cli.command("send")
def outbox_send() -> None:
    """Send every notification that is due (run from cron every minute or so)."""
    from . import mail

    total = mail.Report()
    while True:
        report = mail.deliver_due()
        total.sent += report.sent
        total.failed += report.failed
        if report.sent + report.failed < mail.BATCH:
            break
    click.echo(f"sent {total.sent}, failed {total.failed} (they are retried later)")
    if total.failed:
        sys.exit(1)


@keys_cli.command("new")
def keys_new() -> None:
    """Print a new key. To rotate: put it first in UITWEG_DATA_KEY, keep the old one after a
    comma, restart, run `flask keys rotate`, then drop the old key."""
    from cryptography.fernet import Fernet

    click.echo(Fernet.generate_key().decode())


@keys_cli.command("rotate")
def keys_rotate() -> None:
    """Encrypt everything under the server key again with the first key of UITWEG_DATA_KEY:
    the staff's TOTP secrets (contact details are never under the server key)."""
    from sqlalchemy import select

    from . import db
    from .models import StaffMember
    from .privacy import vault

    count = 0
    with db.session() as session:
        for member in session.scalars(select(StaffMember)):
            member.totp_secret = vault().rotate(member.totp_secret)
            count += 1
    click.echo(f"re-encrypted {count} value(s) with the first key")


@partners_cli.command("invite")
@click.argument("partner")
@click.argument("email")
@click.option("--role", default="staff", show_default=True, type=click.Choice(Role.ALL))
def partners_invite(partner: str, email: str, role: str) -> None:
    """Print a one-time enrolment link for EMAIL at PARTNER: a slug from partners.yaml, or
    "owner" for the site owner's analysts. The link works once, for 72 hours. Inviting an
    existing address renews that account (a forgotten password): a colleague must then give
    it access to contact details again."""
    from email_validator import EmailNotValidError, validate_email

    from . import db
    from .context import now
    from .intake import audit
    from .staff import accounts, organisations

    if not organisations.exists(partner):
        known = ", ".join([*organisations.care_partners(), organisations.OWNER])
        raise click.BadParameter(f"unknown partner {partner!r}; known: {known}")
    if role not in organisations.roles(partner):
        allowed = ", ".join(organisations.roles(partner))
        raise click.BadParameter(f"a member of {partner!r} can be: {allowed}")
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc)) from None
    with db.session() as session:
        token = accounts.invite(session, partner, email, role, now())
        audit.record(session, partner, None, audit.INVITED, detail=role)
    base = current_app.config["SITE_URL"].rstrip("/")
    hours = current_app.config["INVITATION_HOURS"]
    click.echo(f"{base}/partner/enrol/{token}")
    click.echo(
        f"Give this link to {email} yourself, by a way only they read. It works once, for "
        f"{hours} hours. Whoever opens it first joins {partner}.",
        err=True,
    )


@partners_cli.command("disable")
@click.argument("email")
def partners_disable(email: str) -> None:
    """Close the account of EMAIL at once: its sessions end and its copy of the partner key
    goes. For the site owner's editors, publishers and analysts (who have no admin of their
    own), and for any member when no admin of the partner can. Refused for a partner's last
    key holder, whose key every sealed contact detail needs."""
    from sqlalchemy import select

    from . import db, maintenance
    from .context import now
    from .models import StaffMember
    from .staff import accounts

    with db.session() as session:
        member = session.scalars(
            select(StaffMember).where(
                StaffMember.email == accounts.normalise_email(email),
                StaffMember.disabled_at.is_(None),
            )
        ).first()
        if member is None:
            raise click.BadParameter(f"no active account for {email!r}")
        try:
            accounts.disable(session, member, None, now())
        except accounts.LastKeyHolder:
            raise click.ClickException(
                f"{email} holds the last copy of {member.partner}'s key: enrol a colleague and "
                "give them access first, or every sealed contact detail is lost"
            ) from None
        partner, email = member.partner, member.email
    maintenance.scrub_soon()
    click.echo(f"disabled {email} at {partner}")


@partners_cli.command("status")
def partners_status() -> None:
    """Which partners can receive callback requests (someone there holds the partner's key),
    and whether the callback form takes requests at all."""
    from sqlalchemy import func, select

    from . import db
    from .intake import contact
    from .models import PartnerKeyGrant, StaffMember

    rules = current_app.extensions["content"].content.routing
    if rules is None:
        raise click.ClickException("content/partners.yaml is missing or invalid")
    with db.session() as session:
        receivers = contact.receivers(session)
        holders = dict(
            session.execute(
                select(PartnerKeyGrant.partner, func.count())
                .join(StaffMember, StaffMember.id == PartnerKeyGrant.member_id)
                .where(StaffMember.disabled_at.is_(None))
                .group_by(PartnerKeyGrant.partner)
            ).all()
        )
        accepting = contact.accepts_requests(session)
    for slug in rules.partners:
        count = holders.get(slug, 0)
        state = "receives requests" if slug in receivers else "cannot receive (nobody holds a key)"
        default = " [default]" if slug == rules.default else ""
        warning = "  <- keep at least two" if count == 1 else ""
        click.echo(f"{slug}{default}: {state}; {count} key holder(s){warning}")
    if accepting:
        click.echo("callback form: takes requests")
    else:
        click.echo(f"callback form: closed, because {contact.CLOSED_REASON}")
        sys.exit(1)


@click.command("maintenance")
@with_appcontext
def maintenance_command() -> None:
    """Escalate late requests, seal waiting keys, delete expired contact details, end old
    logins. Run from cron every few minutes; safe to run on several hosts at once."""
    from . import maintenance

    click.echo(str(maintenance.run()))
    # Only here, not in the workers' thread: the timer runs it a few times a day at most.
    click.echo(f"listing owners reminded: {maintenance.remind_listing_owners()}")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Delete contact details whose retention period is over (see site.yaml)."""
    from .context import now
    from .intake import retention

    items = retention.due(now()) if dry_run else retention.purge(now())
    for item in items:
        click.echo(f"{item.request_id}  {item.partner}  {item.status}  ({item.reason})")
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{verb} the contact details of {len(items)} request(s)")


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
    from .content.starters import starter

    site = current_app.extensions["content"].content.site
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(
        starter("stories" if kind == "story" else "pages", slug, site, dt.date.today()),
        encoding="utf-8",
    )
    click.echo(f"Created {path}. It is a draft: set 'draft: false' to publish it.")


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", *args])


@translate_cli.command("extract")
def translate_extract() -> None:
    """Collect translatable strings into translations/messages.pot."""
    _extract()


def _extract() -> None:
    _pybabel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "-k",
        "_l",
        "-k",
        "N_",
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
    _extract()
    _pybabel(
        "update",
        "-i",
        str(ROOT / "translations" / "messages.pot"),
        "-d",
        str(ROOT / "translations"),
        "--no-fuzzy-matching",
        "--omit-header",
        "--ignore-obsolete",
        # The width the catalogs are kept at: an update then changes only what changed.
        "--width",
        "100",
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


def upgrade_database(revision: str = "head") -> None:
    """Apply migrations up to `revision`, inside an app context."""
    from alembic import command

    from . import db

    command.upgrade(alembic_config(), revision)
    # A migration may drop values (0004 drops the server's copy of data keys): leave none of
    # them in the files' free space or the write-ahead log.
    db.scrub()


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    upgrade_database(revision)
    click.echo(f"database at {revision}")


demo_cli = AppGroup("demo", help="Made-up campaign history for trying the statistics.")


@demo_cli.command("seed")
def seed_command() -> None:
    """Give the sample campaigns four weeks of made-up visits, clicks and requests."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("demo data is never made in production")
    from .context import today
    from .outreach.demo import seed

    for seeded in seed(today()):
        click.echo(f"{seeded.code}: {seeded.visits} visits, {seeded.requests} requests")
