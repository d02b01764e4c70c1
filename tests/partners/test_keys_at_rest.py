"""Sealed contact details: a copy of the database and the server's environment reveals none;
a password does. Grants, forgotten passwords, the closed form before anyone enrolled."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import create_engine, select, text

from callback.forms import PHONE_E164, submit
from conftest import make_app
from keyholders import give_keys
from partners.staff import START, csrf, request_ids, staff_member
from uitweg import db
from uitweg.config import TEST_DATA_KEY
from uitweg.intake import sealing
from uitweg.models import CallbackRequest, ContactScheme, StaffMember
from uitweg.privacy import InvalidToken, Vault

ALIAS = "Zwaluwstaart"


@pytest.fixture
def app(tmp_path):
    """Partners with nobody enrolled: these tests are about the first key holders."""
    return make_app(tmp_path, key_holders=False)


def _every_blob(path) -> list[bytes]:
    engine = create_engine(f"sqlite:///{path}")
    blobs = []
    with engine.connect() as connection:
        tables = connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        for (table,) in tables.all():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                blobs += [value for value in row if isinstance(value, bytes)]
    engine.dispose()
    return blobs


def test_a_copy_of_the_database_and_the_environment_opens_no_contact_details(tmp_path) -> None:
    path = tmp_path / "live.sqlite3"
    app = make_app(tmp_path, key_holders=False, DATABASE_URL=f"sqlite:///{path}", NOW=START)
    # Every partner in the chain has enrolled staff.
    staff = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    staff_member(app, "kompas", "bram@kompas.example")
    assert submit(app.test_client(), alias=ALIAS).status_code == 200

    # The file and its write-ahead log, as a thief would take them (on both legs a file of
    # its own, so the copy is exact).
    copy = tmp_path / "stolen.sqlite3"
    raw = b""
    for suffix in ("", "-wal"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            shutil.copy(source, copy.with_name(copy.name + suffix))
            raw += source.read_bytes()
    assert PHONE_E164.encode() not in raw and ALIAS.encode() not in raw
    assert b"612345678" not in raw

    # Everything the server's environment holds: the data key(s) and the secret key.
    server = Vault([TEST_DATA_KEY.encode()])
    blobs = _every_blob(copy)
    assert blobs
    readable = []
    for blob in blobs:
        try:
            readable.append(server.unlock(blob))
        except (InvalidToken, TypeError):
            continue
    # The server key opens TOTP secrets (a second factor, no data) and nothing else.
    assert all(len(value) == 32 and value.isalnum() for value in readable)
    with app.app_context(), db.session() as session:
        row = session.scalars(select(CallbackRequest)).one()
        assert row.contact_scheme == ContactScheme.SEALED
        for candidate in readable:  # not even a TOTP secret opens the block
            with pytest.raises(sealing.SealError):
                sealing.decrypt_block(candidate[:32].ljust(32, b"0"), row.contact)

    # The staff member's password does open it.
    [request_id] = request_ids(staff.client.get("/partner/").get_data(as_text=True))
    path_ = f"/partner/requests/{request_id}"
    shown = staff.post(f"{path_}/contact", page=path_).get_data(as_text=True)
    assert PHONE_E164 in shown and ALIAS in shown


def _show(staff, request_id: str):
    path = f"/partner/requests/{request_id}"
    return staff.post(f"{path}/contact", page=path)


def test_before_anyone_can_open_a_request_the_form_takes_none_and_gives_phone_numbers(
    app,
) -> None:
    app.config["NOW"] = START
    client = app.test_client()
    closed = client.get("/nl/callback")
    html = closed.get_data(as_text=True)
    assert closed.status_code == 503
    assert "kan deze site geen vraag om teruggebeld te worden aannemen" in html
    assert 'name="phone"' not in html and "113" in html
    # A form opened earlier and sent now stores nothing either, and says so.
    sent = submit(client, hidden={"csrf_token": "x", "token": "y"})
    assert sent.status_code == 503 and "niet bewaard" in sent.get_data(as_text=True)
    with app.app_context(), db.session() as session:
        assert session.scalars(select(CallbackRequest)).all() == []

    # Geldpunt's first member is not enough: requests that go nowhere else would still fall
    # back to kompas, the default partner, where nobody could open them.
    staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    assert client.get("/nl/callback").status_code == 503
    staff_member(app, "kompas", "bram@kompas.example")
    assert client.get("/nl/callback").status_code == 200
    assert submit(client).status_code == 200


def test_a_new_colleague_sees_contact_details_only_after_a_coordinator_grants_access(app) -> None:
    app.config["NOW"] = START
    give_keys(app, ["kompas"])  # the default partner can receive
    coordinator = staff_member(app, "geldpunt-heideveen", "cor@geldpunt.example", "coordinator")
    assert submit(app.test_client()).status_code == 200
    colleague = staff_member(app, "geldpunt-heideveen", "dirk@geldpunt.example", admitted=False)
    # Until admitted, the new member sees nothing of the partner's requests: not the list, not
    # a request, not its contact details, even with the request's id.
    waiting = colleague.client.get("/partner/")
    assert waiting.status_code == 403 and "Wachten op toegang" in waiting.get_data(as_text=True)
    assert request_ids(waiting.get_data(as_text=True)) == []
    [request_id] = request_ids(coordinator.client.get("/partner/").get_data(as_text=True))
    assert colleague.client.get(f"/partner/requests/{request_id}").status_code == 403
    html = colleague.client.get("/partner/account").get_data(as_text=True)
    refused = colleague.client.post(
        f"/partner/requests/{request_id}/contact", data={"csrf_token": csrf(html)}
    )
    assert refused.status_code == 403 and PHONE_E164 not in refused.get_data(as_text=True)
    # The coordinator sees that someone joined.
    assert "is begonnen met een uitnodiging" in coordinator.client.get("/partner/audit").get_data(
        as_text=True
    )

    with app.app_context(), db.session() as session:
        member_id = session.scalars(
            select(StaffMember.id).where(StaffMember.email == "dirk@geldpunt.example")
        ).one()
    granted = coordinator.post(f"/partner/team/{member_id}/grant", page="/partner/team")
    assert granted.status_code == 303
    # The key reaches the colleague's session at the next login.
    from partners.staff import login

    # A logout without its CSRF token is refused; with it, the session ends.
    assert colleague.client.post("/partner/logout", data={}).status_code == 400
    assert colleague.client.get("/partner/account").status_code == 200
    logout = colleague.post("/partner/logout", page="/partner/account")
    assert logout.status_code == 303 and '"storage"' in logout.headers["Clear-Site-Data"]
    assert "uitweg_session=;" in logout.headers["Set-Cookie"]  # the login cookie is gone
    assert colleague.client.get("/partner/").status_code == 302
    assert login(app, colleague.client, colleague.email, colleague.secret).status_code == 303
    assert PHONE_E164 in _show(colleague, request_id).get_data(as_text=True)


def test_a_forgotten_password_loses_that_persons_access_not_the_partners(app) -> None:
    from partners.staff import enrol, invite, login

    app.config["NOW"] = START
    give_keys(app, ["kompas"])  # the default partner can receive
    anna = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example", "coordinator")
    bas = staff_member(
        app, "geldpunt-heideveen", "bas@geldpunt.example", "coordinator", admitted=False
    )
    two_please = "Geef minstens twee mensen toegang"
    assert two_please in anna.client.get("/partner/team").get_data(as_text=True)
    assert anna.post(f"/partner/team/{_member_id(app, bas.email)}/grant", page="/partner/team")
    assert two_please not in anna.client.get("/partner/team").get_data(as_text=True)
    assert bas.relogin(app).status_code == 303
    assert submit(app.test_client()).status_code == 200
    [request_id] = request_ids(bas.client.get("/partner/").get_data(as_text=True))

    # Anna forgot her password: a new invitation renews her account, and ends her old logins.
    client = app.test_client()
    new_password = "rode kater op het dak 42"
    secret = enrol(app, client, invite(app, "geldpunt-heideveen", anna.email), new_password)
    assert anna.client.get("/partner/").status_code == 302
    assert login(app, client, anna.email, secret, new_password).status_code == 303
    anna.client = client
    assert _show(anna, request_id).status_code == 403
    # The partner has not lost anything: Bas still opens it, and gives Anna access again.
    assert PHONE_E164 in _show(bas, request_id).get_data(as_text=True)
    assert bas.post(f"/partner/team/{_member_id(app, anna.email)}/grant", page="/partner/team")
    anna.secret = secret
    assert anna.relogin(app, new_password).status_code == 303
    assert PHONE_E164 in _show(anna, request_id).get_data(as_text=True)


def test_when_the_only_key_holder_forgets_the_password_the_partner_starts_a_new_key(app) -> None:
    from partners.staff import enrol, invite, login

    app.config["NOW"] = START
    anna = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example", "coordinator")
    # Kompas (the fallback) holds a copy of that request, but Anna's partner's old key is gone.
    staff_member(app, "kompas", "bram@kompas.example")
    assert submit(app.test_client()).status_code == 200
    [before] = request_ids(anna.client.get("/partner/").get_data(as_text=True))

    new_password = "rode kater op het dak 42"
    secret = enrol(app, anna.client, invite(app, "geldpunt-heideveen", anna.email), new_password)
    assert login(app, anna.client, anna.email, secret, new_password).status_code == 303
    # The old key is lost with her password, as the enrolment page warned; the new one works.
    lost = _show(anna, before)
    assert lost.status_code == 403
    assert "Niemand kan de contactgegevens van deze vraag nog openen" in lost.get_data(as_text=True)
    assert submit(app.test_client(), alias=ALIAS).status_code == 200
    after = request_ids(anna.client.get("/partner/").get_data(as_text=True))
    [new] = [i for i in after if i != before]
    assert ALIAS in _show(anna, new).get_data(as_text=True)


def _member_id(app, email: str) -> str:
    with app.app_context(), db.session() as session:
        return session.scalars(select(StaffMember.id).where(StaffMember.email == email)).one()
