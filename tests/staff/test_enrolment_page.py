"""What a new colleague and an administrator read: the password rule before any error, the key
in groups of four, a link for an authenticator app on the same phone, and who invited whom."""

from __future__ import annotations

import re

from partners.staff import invite, staff_member


def test_the_enrolment_page_says_the_password_rule_and_offers_the_app_link(app) -> None:
    page = app.test_client().get(invite(app, "kompas", "nieuw@kompas.example"))
    html = page.get_data(as_text=True)
    assert 'id="password-hint"' in html and "Minstens 12 tekens" in html
    key = re.search(r'<code class="totp-key">([A-Z2-7 ]+)</code>', html)[1]
    assert all(len(group) == 4 for group in key.split(" ")[:-1])
    assert re.search(r'<a href="otpauth://totp/[^"]+secret=' + key.replace(" ", ""), html)


def test_the_audit_log_says_who_invited_whom_and_as_what(app) -> None:
    invite(app, "kompas", "eerste@kompas.example", "coordinator")
    admin = staff_member(app, "kompas", "beheer@kompas.example", "admin")
    page = admin.client.get("/partner/admin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    admin.client.post(
        "/partner/admin/invite",
        data={"csrf_token": token, "email": "collega@kompas.example", "role": "staff"},
    )
    log = admin.client.get("/partner/audit").get_data(as_text=True)
    assert "De beheerder van de server heeft iemand uitgenodigd als coördinator" in log
    assert "heeft een nieuwe collega uitgenodigd als medewerker" in log
