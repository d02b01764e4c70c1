"""A thief's view: a copy of the database files (SQLite's main file, write-ahead log and shared
memory; PostgreSQL's live tables) and the whole server environment, taken after requests went to
partners with and without key holders, were forwarded, escalated, cancelled and purged. No
contact detail can be read from it, and a cancelled request's ciphertext is gone from the files.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

import databases
from callback.forms import reference_on, submit
from conftest import make_app
from partners.staff import PASSWORD, START, request_ids, staff_member, tick
from uitweg import db
from uitweg.config import TEST_DATA_KEY
from uitweg.intake import sealing
from uitweg.models import CallbackRequest, SealedDataKey
from uitweg.privacy import InvalidToken, Vault

# Each request has its own alias and number, to find any of them anywhere.
REQUESTS = {
    # alias: (answers, what happens to it)
    "Merel": ({"topics": ["debt"], "municipality": "Heideveen"}, "kept at a key holder"),
    "Kievit": ({"topics": ["getting-out"], "municipality": "Vaartstad"}, "rerouted"),
    "Gaai": ({"topics": ["debt"], "municipality": "Heideveen"}, "forwarded"),
    "Spreeuw": ({"topics": ["debt"], "municipality": "Heideveen"}, "escalated"),
    "Vink": ({"topics": ["debt"], "municipality": "Heideveen"}, "cancelled"),
    "Reiger": ({"topics": ["debt"], "municipality": "Heideveen"}, "purged"),
}
FERNET_TOKEN = re.compile(rb"gAAAAA[A-Za-z0-9_\-]{40,}={0,2}")


def _phone(index: int) -> str:
    return f"06 1234 56{index:02d}"


def _secrets() -> list[bytes]:
    found = []
    for index, alias in enumerate(REQUESTS):
        found += [alias.encode(), f"+316123456{index:02d}".encode()]
    return found


def _live_blobs(url: str) -> list[bytes]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    blobs: list[bytes] = []
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                blobs += [bytes(v) for v in row if isinstance(v, bytes | memoryview)]
    engine.dispose()
    return blobs


def _server_cannot_read(blobs: list[bytes], raw: bytes = b"") -> None:
    """Everything the environment holds (the data key, the secret key) opens nothing but the
    staff's TOTP secrets: not in a live value, not in a token left anywhere in the raw files."""
    server = Vault([TEST_DATA_KEY.encode()])
    candidates = blobs + FERNET_TOKEN.findall(raw)
    opened = []
    for blob in candidates:
        try:
            opened.append(server.unlock(blob))
        except (InvalidToken, TypeError, ValueError):
            continue
    assert opened, f"the TOTP secrets should be readable with the server key ({len(candidates)})"
    assert all(re.fullmatch(rb"[A-Z2-7]{32}", value) for value in opened), opened
    # Not even those open a contact block as a key.
    blocks = [b for b in blobs if len(b) > 100]
    for value in opened:
        for block in blocks:
            try:
                sealing.decrypt_block(value[:32], block)
            except sealing.SealError:
                continue
            raise AssertionError("a TOTP secret opened a contact block")


def _show(staff, request_id: str) -> str:
    path = f"/partner/requests/{request_id}"
    return staff.post(f"{path}/contact", page=path).get_data(as_text=True)


def test_a_copy_of_the_files_and_the_environment_reads_no_contact_detail(tmp_path) -> None:
    db_file = tmp_path / "live.sqlite3"
    url = None if databases.on_postgres() else f"sqlite:///{db_file}"
    relaxed = {"CALLBACK_RATE_LIMIT": "100 per hour"}
    app = make_app(tmp_path, False, NOW=START, **relaxed, **({"DATABASE_URL": url} if url else {}))
    anna = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example", "coordinator")
    bram = staff_member(app, "kompas", "bram@kompas.example")
    ids = {}
    references = {}
    for index, (alias, (answers, _fate)) in enumerate(REQUESTS.items()):
        sent = submit(app.test_client(), alias=alias, phone=_phone(index), **answers)
        assert sent.status_code == 200
        references[alias] = reference_on(sent)
        with app.app_context(), db.session() as session:
            ids[alias] = session.scalars(
                select(CallbackRequest.id).where(CallbackRequest.id.not_in(list(ids.values())))
            ).one()
    with app.app_context(), db.session() as session:
        kievit = session.get(CallbackRequest, ids["Kievit"])
        # Jong Vaartstad has nobody yet: the request went to kompas and says why.
        assert (kievit.partner, kievit.instead_of) == ("kompas", "jong-vaartstad")
        vink_ciphertext = session.get(CallbackRequest, ids["Vink"]).contact
        vink_sealed = session.scalars(
            select(SealedDataKey.sealed).where(SealedDataKey.request_id == ids["Vink"])
        ).all()

    # Forwarded by staff; a forward to a partner without a key holder is refused.
    path = f"/partner/requests/{ids['Gaai']}"
    refused = anna.post(
        f"{path}/forward", page=path, partner="jong-heideveen", reason="other-topic"
    )
    assert refused.status_code == 400 and "nooit gebeld" in refused.get_data(as_text=True)
    moved = anna.post(f"{path}/forward", page=path, partner="kompas", reason="other-topic")
    assert moved.status_code == 303
    # Everything else is claimed, so that only Spreeuw escalates.
    for alias in ("Merel", "Vink", "Reiger"):
        path = f"/partner/requests/{ids[alias]}"
        assert anna.post(f"{path}/claim", page=path).status_code == 303
    with app.app_context(), db.session() as session:
        due = session.get(CallbackRequest, ids["Spreeuw"]).escalate_at
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["maintenance"]).exit_code == 0
    app.config["NOW"] = due + dt.timedelta(minutes=1)
    assert app.test_cli_runner().invoke(args=["maintenance"]).output.count("escalated 1") == 1

    # Cancelled by the visitor; closed and then purged after the retention time.
    client = app.test_client()
    status = client.get("/nl/callback/status").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', status)
    cancel = {
        "code": references["Vink"],
        "confirm": "y",
        **({"csrf_token": csrf[1]} if csrf else {}),
    }
    assert client.post("/nl/callback/cancel", data=cancel).status_code == 200
    tick(app)
    path = f"/partner/requests/{ids['Reiger']}"
    from partners.staff import login

    assert login(app, anna.client, anna.email, anna.secret).status_code == 303
    assert anna.post(f"{path}/close", page=path, outcome="helped").status_code == 303
    app.config["NOW"] += dt.timedelta(days=31)
    purged = app.test_cli_runner().invoke(args=["maintenance"]).output
    assert "wiped 1" in purged  # Reiger; the cancel wiped Vink at once

    # The partners still read what is theirs, so there was something to find.
    for staff in (anna, bram):
        assert login(app, staff.client, staff.email, staff.secret).status_code == 303
    assert "Merel" in _show(anna, ids["Merel"])
    assert {ids["Kievit"], ids["Gaai"], ids["Spreeuw"]} <= set(
        request_ids(bram.client.get("/partner/").get_data(as_text=True))
    )
    assert "Spreeuw" in _show(bram, ids["Spreeuw"]) and "Gaai" in _show(bram, ids["Gaai"])

    if databases.on_postgres():
        live = app.config["DATABASE_URL"]
        _server_cannot_read(_live_blobs(live))
        raw = b""
    else:
        # The files as a thief would take them, the write-ahead log included.
        copy = tmp_path / "stolen.sqlite3"
        raw = b""
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{db_file}{suffix}")
            if source.exists():
                shutil.copy(source, f"{copy}{suffix}")
                raw += source.read_bytes()
        _server_cannot_read(_live_blobs(f"sqlite:///{copy}"), raw)
        # Deleted means gone from the files: the cancelled request's ciphertext and its sealed
        # keys, and the purged one's.
        assert vink_ciphertext not in raw
        assert not any(sealed in raw for sealed in vink_sealed)
    for secret in _secrets():
        assert secret not in raw
    # Nor are the reference codes (only their Argon2id-derived digests).
    for reference in references.values():
        assert reference.encode() not in raw
        assert reference.encode() not in b" ".join(_live_blobs(app.config["DATABASE_URL"]))


def test_a_copy_taken_mid_conversation_reads_nothing_without_the_code_or_a_password(
    tmp_path,
) -> None:
    """A written conversation copied between the partner's answer and the visitor's next one:
    neither side's words are in the files, the server's keys open none of them, and what the
    database keeps of the code (its digest, the form's hashed nonce) does not give the code.
    The code itself, or a staff member's password, does open it (so the test can fail). An
    ended conversation leaves no ciphertext in the files."""
    from callback.written import ask_for_code
    from uitweg.intake import codes, conversation
    from uitweg.models import ConversationMessage, StaffMember

    db_file = tmp_path / "live.sqlite3"
    url = None if databases.on_postgres() else f"sqlite:///{db_file}"
    app = make_app(tmp_path, NOW=START, **({"DATABASE_URL": url} if url else {}))
    anna = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example", "coordinator")
    visitor = app.test_client()
    words = {"question": "Zilvermeeuw", "answer": "Kraanvogel", "again": "Roerdomp"}
    code = ask_for_code(visitor, message=f"Mijn vraag over {words['question']}")
    ended = ask_for_code(visitor, message="Een vraag die ik weer wis")
    with app.app_context(), db.session() as session:
        row_id, digest = session.execute(
            select(CallbackRequest.id, CallbackRequest.code_digest).where(
                CallbackRequest.code_digest.is_not(None)
            )
        ).first()
        gone = session.scalars(
            select(ConversationMessage.body).where(ConversationMessage.request_id != row_id)
        ).all()
    # The visitor asked for a notice: once it is sent, the address is gone from the outbox.
    notice = {"code": code, "route": "written", "notify": "roerdomp@voorbeeld.nl"}
    assert visitor.post("/nl/callback/conversation/preferences", data=notice).status_code == 200
    path = f"/partner/requests/{row_id}"
    answered = anna.post(f"{path}/reply", page=path, message=f"Antwoord: {words['answer']}")
    with app.app_context():
        from uitweg import mail

        assert mail.deliver_due().failed == 0
    assert words["answer"] in answered.get_data(as_text=True)
    again = {"code": code, "message": f"Nog iets over {words['again']}"}
    assert visitor.post("/nl/callback/conversation/reply", data=again).status_code == 200
    assert (
        visitor.post(
            "/nl/callback/conversation/end", data={"code": ended, "confirm": "y"}
        ).status_code
        == 200
    )

    if databases.on_postgres():
        live = app.config["DATABASE_URL"]
        blobs, raw, copy_url = _live_blobs(live), b"", live
    else:
        copy = tmp_path / "stolen.sqlite3"
        raw = b""
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{db_file}{suffix}")
            if source.exists():
                shutil.copy(source, f"{copy}{suffix}")
                raw += source.read_bytes()
        copy_url = f"sqlite:///{copy}"
        blobs = _live_blobs(copy_url)
        assert not any(body in raw for body in gone), "an ended conversation left ciphertext"
    for word in [*words.values(), "roerdomp@"]:
        assert word.encode() not in raw
    _server_cannot_read(blobs, raw)

    engine = create_engine(copy_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        row = connection.execute(
            select(CallbackRequest.__table__).where(CallbackRequest.id == row_id)
        ).one()
        bodies = (
            connection.execute(
                select(ConversationMessage.body)
                .where(ConversationMessage.request_id == row_id)
                .order_by(ConversationMessage.seq)
            )
            .scalars()
            .all()
        )
        wrapped = connection.execute(
            select(StaffMember.private_key_wrapped).where(StaffMember.email == anna.email)
        ).scalar_one()
        grant = connection.execute(text("SELECT sealed_private_key FROM partner_key_grant")).all()
        sealed = (
            connection.execute(
                select(SealedDataKey.sealed).where(SealedDataKey.request_id == row_id)
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert len(bodies) == 3 and digest == row.code_digest

    def opens(data_key: bytes) -> list[str]:
        return [sealing.decrypt_text(data_key, body) for body in bodies]

    cost = sealing.KdfCost(*(int(part) for part in row.code_cost.split(",")))
    # What the copy and the environment hold, tried as the code: the stored nonce hash as a
    # nonce, the placeholder reference, and codes that are not this one.
    with app.app_context():
        guesses = [conversation.code_for(row.submission), codes.normalise("0" * 16)]
        guesses += [conversation.code_for(row.reference), codes.new_code()]
    for guess in guesses:
        keys = sealing.visitor_keys(guess, cost)
        assert keys.digest != row.code_digest
        with pytest.raises(sealing.SealError):
            sealing.open_sealed(keys.private_key, row.visitor_box)

    # The code opens everything, both sides' words in order; so does the staff password.
    keys = sealing.visitor_keys(codes.normalise(code), cost)
    assert keys.digest == row.code_digest
    read = opens(sealing.open_sealed(keys.private_key, row.visitor_box))
    assert all(
        [words["question"] in read[0], words["answer"] in read[1], words["again"] in read[2]]
    )
    own = sealing.unwrap_with_password(wrapped, PASSWORD)
    partner_key = next(
        opened for (box,) in grant for opened in [_try_open(own, box)] if opened is not None
    )
    by_staff = [_try_open(partner_key, box) for box in sealed]
    assert opens(next(k for k in by_staff if k is not None)) == read


def _try_open(private_key: bytes, box: bytes) -> bytes | None:
    try:
        return sealing.open_sealed(private_key, box)
    except sealing.SealError:
        return None
