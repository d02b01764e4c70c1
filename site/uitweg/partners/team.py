"""The team (coordinators grant colleagues access), the partner's audit log, and the
administrators' overview of every partner and account."""

from __future__ import annotations

from collections import Counter

from flask import abort, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from .. import audit, db, maintenance
from ..context import content, now
from ..models import AuditEvent, PartnerKeyGrant, Role, StaffMember
from . import accounts, bp
from .access import staff_page
from .forms import ActionForm, DisableForm, InviteForm, role_labels

AUDIT_PAGE = 200


@bp.get("/team")
@staff_page(Role.COORDINATES)
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
        roles=role_labels(),
        action=ActionForm(),
        can_grant=current_user.partner_private_key() is not None,
    )


@bp.post("/team/<member_id>/grant")
@staff_page(Role.COORDINATES)
def grant_access(member_id: str) -> ResponseReturnValue:
    private_key = current_user.partner_private_key()
    with db.session() as db_session:
        member = db_session.get(StaffMember, member_id[:32])
        if member is None or member.partner != current_user.partner:
            abort(404)
        if ActionForm().validate() and private_key is not None and member.disabled_at is None:
            accounts.grant(db_session, member, private_key, current_user.member.id, now())
    return redirect(url_for("partners.team"), 303)


@bp.get("/audit")
@staff_page(Role.COORDINATES)
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
    return [(slug, p.name["nl"]) for slug, p in content().routing.partners.items()]


def _admin_page(
    form: InviteForm,
    link: str | None = None,
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
        link=link,
        last_holder=last_holder,
        roles=role_labels(),
        action=ActionForm(),
    ), status


@bp.get("/admin")
@staff_page([Role.ADMIN])
def admin() -> ResponseReturnValue:
    return _admin_page(InviteForm(formdata=None, partners=_partners()))


@bp.post("/admin/invite")
@staff_page([Role.ADMIN])
def admin_invite() -> ResponseReturnValue:
    form = InviteForm(partners=_partners())
    if not form.validate():
        return _admin_page(form, status=400)
    with db.session() as db_session:
        token = accounts.invite(
            db_session, form.partner.data, form.email.data, form.role.data, now()
        )
        audit.record(
            db_session,
            form.partner.data,
            current_user.member.id,
            audit.INVITED,
            detail=form.role.data,
        )
    link = current_app.config["SITE_URL"].rstrip("/") + url_for("partners.enrol", token=token)
    return _admin_page(InviteForm(formdata=None, partners=_partners()), link=link)


@bp.post("/admin/members/<member_id>/disable")
@staff_page([Role.ADMIN])
def admin_disable(member_id: str) -> ResponseReturnValue:
    form = DisableForm()
    with db.session() as db_session:
        member = db_session.get(StaffMember, member_id[:32])
        if member is None:
            abort(404)
        if not form.validate() or member.id == current_user.member.id or member.disabled_at:
            return redirect(url_for("partners.admin"), 303)
        if (
            accounts.key_holders(db_session, member.partner) == [member.id]
            and not form.confirm.data
        ):
            # The last copy of the partner key: disabling loses every sealed contact detail.
            return _admin_page(
                InviteForm(formdata=None, partners=_partners()), last_holder=member, status=409
            )
        member.disabled_at = now()
        accounts.remove_access(db_session, member)
        audit.record(
            db_session,
            member.partner,
            current_user.member.id,
            audit.ACCOUNT_DISABLED,
            detail=member.id,
        )
    maintenance.scrub_soon()  # the member's copy of the partner key is gone from the files too
    return redirect(url_for("partners.admin"), 303)
