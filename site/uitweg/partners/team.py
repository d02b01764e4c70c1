"""The team (coordinators grant colleagues access), the partner's audit log, and the
administrators' overview of every partner and account."""

from __future__ import annotations

import smtplib
from collections import Counter

from flask import abort, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from .. import db, maintenance
from ..context import content, now
from ..forms import ButtonForm
from ..models import AuditEvent, PartnerKeyGrant, StaffMember
from ..staff import accounts
from ..staff.access import staff_page
from ..vocabulary import ROLE_LABELS, Role
from . import bp
from .forms import DisableForm, InviteForm
from .texts import partner_name

AUDIT_PAGE = 200


@bp.get("/team")
@staff_page(Role.COORDINATES, admitted=True)
def team() -> ResponseReturnValue:
    with db.session() as db_session:
        members = db_session.scalars(
            select(StaffMember)
            .where(StaffMember.partner == current_user.partner)
            .order_by(StaffMember.email)
        ).all()
        granted = set(
            db_session.scalars(
                select(PartnerKeyGrant.member_id).where(
                    PartnerKeyGrant.partner == current_user.partner
                )
            )
        )
    return render_template(
        "partners/team.html",
        members=members,
        granted=granted,
        roles=ROLE_LABELS,
        action=ButtonForm(),
        can_grant=current_user.partner_private_key() is not None,
    )


@bp.post("/team/<member_id>/grant")
@staff_page(Role.COORDINATES, admitted=True)
def grant_access(member_id: str) -> ResponseReturnValue:
    private_key = current_user.partner_private_key()
    with db.session() as db_session:
        member = db_session.get(StaffMember, member_id[:32])
        if member is None or member.partner != current_user.partner:
            abort(404)
        if ButtonForm().validate() and private_key is not None and member.disabled_at is None:
            accounts.grant(db_session, member, private_key, current_user.member.id, now())
    return redirect(url_for("partners.team"), 303)


@bp.get("/audit")
@staff_page(Role.COORDINATES, admitted=True)
def audit_log() -> ResponseReturnValue:
    with db.session() as db_session:
        events = db_session.scalars(
            select(AuditEvent)
            .where(AuditEvent.partner == current_user.partner)
            .order_by(AuditEvent.at.desc())
            .limit(AUDIT_PAGE)
        ).all()
        names = dict(
            db_session.execute(
                select(StaffMember.id, StaffMember.email).where(
                    StaffMember.partner == current_user.partner
                )
            ).all()
        )
    return render_template("partners/audit.html", events=events, names=names)


def _partners() -> list[tuple[str, str]]:
    routing = content().routing
    return [(slug, p.name["nl"]) for slug, p in routing.partners.items()] if routing else []


def _admin_page(
    form: InviteForm,
    sent_to: str | None = None,
    problem: str | None = None,
    last_holder: StaffMember | None = None,
    status: int = 200,
):
    with db.session() as db_session:
        members = db_session.scalars(
            select(StaffMember).order_by(StaffMember.partner, StaffMember.email)
        ).all()
        granted = set(db_session.scalars(select(PartnerKeyGrant.member_id)))
    counts = Counter(member.partner for member in members)
    return render_template(
        "partners/admin.html",
        members=members,
        granted=granted,
        counts=counts,
        partners=_partners(),
        form=form,
        sent_to=sent_to,
        problem=problem,
        last_holder=last_holder,
        roles=ROLE_LABELS,
        action=ButtonForm(),
    ), status


@bp.get("/admin")
@staff_page([Role.ADMIN], admitted=True)
def admin() -> ResponseReturnValue:
    return _admin_page(InviteForm(formdata=None))


@bp.post("/admin/invite")
@staff_page([Role.ADMIN], admitted=True)
def admin_invite() -> ResponseReturnValue:
    """Invite someone to the admin's own partner. The link goes only to the invitee, by mail:
    nobody who invites sees it, so nobody can enrol an address of their own somewhere. The
    new member then waits until a coordinator admits them."""
    form = InviteForm()
    if not form.validate():
        return _admin_page(form, status=400)
    partner = current_user.partner
    site = current_app.config["SITE_URL"].rstrip("/")
    try:
        with db.session() as db_session:
            problem = accounts.invite_by_mail(
                db_session,
                partner,
                form.email.data,
                form.role.data,
                current_user.member.id,
                lambda token: site + url_for("staff.enrol", token=token),
                partner_name(partner),
                now(),
            )
            if problem is not None:
                return _admin_page(form, problem=problem, status=409)
    except (OSError, smtplib.SMTPException):
        return _admin_page(form, problem="mail-failed", status=503)
    return _admin_page(InviteForm(formdata=None), sent_to=form.email.data)


@bp.post("/admin/members/<member_id>/disable")
@staff_page([Role.ADMIN], admitted=True)
def admin_disable(member_id: str) -> ResponseReturnValue:
    form = DisableForm()
    with db.session() as db_session:
        member = db_session.get(StaffMember, member_id[:32])
        if member is None:
            abort(404)
        if not form.validate() or member.id == current_user.member.id or member.disabled_at:
            return redirect(url_for("partners.admin"), 303)
        try:
            accounts.disable(db_session, member, current_user.member.id, now())
        except accounts.LastKeyHolder:
            # The last copy of the partner key: disabling would lose every sealed contact
            # detail. An admin may not take that from a partner (an admin of the same partner
            # holds the key too, so the last holder is always someone else's).
            return _admin_page(InviteForm(formdata=None), last_holder=member, status=409)
    maintenance.scrub_soon()  # the member's copy of the partner key is gone from the files too
    return redirect(url_for("partners.admin"), 303)
