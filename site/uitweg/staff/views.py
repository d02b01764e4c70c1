"""The staff blueprint: log in, log out, enrol from an invitation, and the account page. Its
URLs are under /partner, like the inbox's, so links people were given keep working."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from .. import db, ratelimit
from ..context import content, now
from ..forms import ButtonForm
from ..i18n import current_language
from ..intake import audit
from ..models import StaffMember
from ..vocabulary import ROLE_LABELS, Role, label
from . import accounts, organisations, sessions
from .access import staff_page
from .forms import EnrolForm, LanguageForm, LoginForm

bp = Blueprint("staff", __name__, url_prefix="/partner")


@bp.before_request
def choose_language() -> None:
    sessions.choose_language()


@bp.context_processor
def helpers() -> dict[str, object]:
    return {
        "partner_name": lambda slug: organisations.name(slug, current_language()),
        "role_name": lambda code: label(ROLE_LABELS, code),
    }


def home_for(user) -> str:
    if user.role in Role.HANDLES_REQUESTS:
        return url_for("partners.inbox")
    if user.role in Role.EDITS_CONTENT:
        return url_for("editor.index")
    return url_for("partners.stats")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if request.method == "GET" or not form.validate():
        status = 400 if request.method == "POST" else 200
        return render_template("staff/login.html", form=form), status
    if not ratelimit.count("partner-login", current_app.config["LOGIN_RATE_LIMIT"]):
        return render_template("staff/login.html", form=form, problem="locked"), 429
    at = now()
    cookie = current_app.config["DEVICE_COOKIE_NAME"]
    device = accounts.read_device(request.cookies.get(cookie), form.email.data)
    with db.session() as db_session:
        result = accounts.login(
            db_session, form.email.data, form.password.data, form.code.data, at, device
        )
    if result.problem:
        form.password.data = form.code.data = ""
        status = 429 if result.problem == "locked" else 401
        return render_template(
            "staff/login.html", form=form, problem=result.problem, until=result.locked_until
        ), status
    assert result.member is not None  # a login without a problem names its member
    sessions.start(result.member, result.partner_private_key)
    response = redirect(home_for(current_user), 303)
    if device is None:
        # This browser now counts as the member's own: strangers' wrong guesses elsewhere do
        # not lock it out. Random and signed; nothing about the browser or its address.
        response.set_cookie(
            cookie,
            accounts.new_device(form.email.data),
            max_age=DEVICE_COOKIE_DAYS * 24 * 3600,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
        )
    return response


DEVICE_COOKIE_DAYS = 180


def _logged_out(everywhere: bool = False) -> ResponseReturnValue:
    response = make_response(redirect(url_for("staff.login"), 303))
    # The browser drops what it stored for this site, and the session cookie (logout_user and
    # an empty session delete it). The device cookie stays after a plain logout, so that this
    # browser still counts as the member's own; "everywhere" (a lost phone) drops it too.
    clear = '"cache", "cookies", "storage"' if everywhere else '"cache", "storage"'
    response.headers["Clear-Site-Data"] = clear
    return response


@bp.post("/logout")
@staff_page()
def logout() -> ResponseReturnValue:
    if not ButtonForm().validate():
        return redirect(url_for("staff.account"), 303)
    sessions.end()
    return _logged_out()


@bp.post("/logout-everywhere")
@staff_page()
def logout_everywhere() -> ResponseReturnValue:
    if not ButtonForm().validate():
        return redirect(url_for("staff.account"), 303)
    with db.session() as db_session:
        member = current_user.member
        audit.record(db_session, member.partner, member.id, audit.LOGOUT_EVERYWHERE)
    sessions.end(everywhere=True)
    return _logged_out(everywhere=True)


@bp.route("/account", methods=["GET", "POST"])
@staff_page()
def account() -> ResponseReturnValue:
    form = LanguageForm(language=current_user.member.language)
    if request.method == "POST" and form.validate():
        with db.session() as db_session:
            db_session.get_one(StaffMember, current_user.member.id).language = form.language.data
        return redirect(url_for("staff.account"), 303)
    return render_template(
        "staff/account.html",
        form=form,
        action=ButtonForm(),
        has_key=current_user.partner_private_key() is not None,
    )


def _totp_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="enrol-totp")


@bp.route("/enrol/<token>", methods=["GET", "POST"])
def enrol(token: str) -> ResponseReturnValue:
    at = now()
    with db.session() as db_session:
        invitation = accounts.find_invitation(db_session, token[:100])
    if invitation is None or not accounts.invitation_usable(invitation, at):
        return render_template("staff/enrol-refused.html"), 410 if invitation else 404
    form = EnrolForm(email=invitation.email)
    # The secret the QR code showed comes back signed, so a retyped password or code keeps
    # the authenticator entry the person already made.
    secret = _read_totp(form.totp.data, invitation.id) if request.method == "POST" else None
    secret = secret or accounts.new_totp_secret()
    if request.method == "POST" and form.validate():
        step = accounts.totp_step(secret, form.code.data, 0, at)
        if step is None:
            form.code.errors.append(_code_error())
        else:
            with db.session() as db_session:
                member = accounts.enrol(
                    db_session, invitation, form.password.data, secret, step, form.language.data, at
                )
            if member is None:
                return render_template("staff/enrol-refused.html"), 410
            flash("enrolled")
            return redirect(url_for("staff.login"), 303)
    form.totp.data = _totp_serializer().dumps([invitation.id, secret])
    form.password.data = form.repeat.data = form.code.data = ""
    uri = accounts.totp_uri(secret, invitation.email, content().site.short_name)
    return render_template(
        "staff/enrol.html",
        form=form,
        invitation=invitation,
        secret=secret,
        totp_uri=uri,
        qr=_qr_svg(uri),
    ), 400 if request.method == "POST" else 200


def _read_totp(value: str | None, invitation_id: str) -> str | None:
    try:
        bound, secret = _totp_serializer().loads(value or "")
    except (BadSignature, ValueError, TypeError):
        return None
    return secret if bound == invitation_id else None


def _code_error() -> str:
    from flask_babel import gettext

    return gettext("This code is not right. Type the code your app shows now.")


def _qr_svg(uri: str) -> str:
    import segno

    # Inline SVG: no image request, nothing to load from elsewhere.
    return segno.make(uri, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")
