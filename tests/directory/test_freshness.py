"""Fresh listings: owners of old listings get a link that works once, for their listing only,
for two weeks; what they answer, like a visitor's report, waits in the editors' area and the
site does not change until a publisher accepts it."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from callback.smtp import smtp_server
from conftest import SAMPLE_CONTENT, make_app
from pagecheck import check_html, text_of
from partners.staff import staff_member
from uitweg import db
from uitweg.content import freshness
from uitweg.logs import scrub
from uitweg.models import ContentVersion, ListingCheck, ListingProposal

# The sample listings were checked on 2026-10-15 and -20; with stale_after_days 30, all are
# old by December. (A day before the real one: dates are checked against the real clock.)
LATER = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
ORIGIN = {"Origin": "http://localhost"}


def _old_listings(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, folder)
    site = folder / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(re.sub(r"stale_after_days: \d+", "stale_after_days: 30", text))
    return folder


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=LATER, CONTENT_DIR=_old_listings(tmp_path))


def _link(app, slug: str = "kompas-vaartstad", kind: str = "services") -> str:
    with app.app_context(), db.session() as session:
        token = freshness.issue_link(session, kind, slug, app.config["NOW"])
    assert token is not None
    return f"/nl/help/check/{token}"


def _proposals(app) -> list[ListingProposal]:
    with app.app_context(), db.session() as session:
        found = list(session.scalars(select(ListingProposal).order_by(ListingProposal.id)))
        session.expunge_all()
    return found


def _card(client, slug: str) -> str:
    page = client.get(f"/nl/help/services/{slug}")
    assert page.status_code == 200, page.status_code
    return text_of(check_html(page.get_data(as_text=True)).find(".//article"))


def test_owners_of_old_listings_get_one_link_each(app) -> None:
    runner = app.test_cli_runner()
    stale = runner.invoke(args=["directory", "stale"])
    assert stale.exit_code == 0 and "services/kompas-vaartstad" in stale.output
    with smtp_server() as (inbox, url):
        app.config["MAIL_URL"] = url
        result = runner.invoke(args=["directory", "remind"])
        assert result.exit_code == 0, result.output
        assert "29 reminder(s) sent" in result.output
        mails = inbox.wait_for(29)
        again = runner.invoke(args=["maintenance"])
        assert "listing owners reminded: 0" in again.output  # their links are still open
    kompas = next(
        m for m in mails if m["To"] == "vermelding+kompas-vaartstad@voorbeeldregio.example"
    )
    body = kompas.get_payload(decode=True).decode()
    link = re.search(r"https?://[^/\s]+(/nl/help/check/[\w-]+)", body)
    assert link and "Kompas Verslavingszorg Vaartstad" in body
    # Only the hash is kept: the token in the mail is nowhere in the database.
    token = link[1].rsplit("/", 1)[1]
    with app.app_context(), db.session() as session:
        hashes = list(session.scalars(select(ListingCheck.token_hash)))
    assert len(hashes) == 29 and token not in hashes
    page = app.test_client().get(link[1])
    assert page.status_code == 200 and "Kompas Verslavingszorg Vaartstad" in page.get_data(
        as_text=True
    )


def test_fresh_listings_and_listings_without_an_owner_get_nothing(tmp_path) -> None:
    app = make_app(tmp_path, NOW=LATER)  # the sample's stale_after_days: 180
    with app.app_context():
        from uitweg import maintenance

        assert maintenance.remind_listing_owners() == 0


def test_the_link_works_once_and_only_for_its_listing(app) -> None:
    client = app.test_client()
    path = _link(app)
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "same-origin"
    html = page.get_data(as_text=True)
    assert "Kompas Verslavingszorg Vaartstad" in html and "Drugs testen" not in html
    # The listing comes from the link, not from anything sent with the form.
    answer = client.post(
        path, data={"answer": "same", "slug": "drugs-testen-vaartstad"}, headers=ORIGIN
    )
    assert answer.status_code == 200 and "Bedankt" in answer.get_data(as_text=True)
    [proposal] = _proposals(app)
    assert (proposal.kind, proposal.slug, proposal.source) == (
        "services",
        "kompas-vaartstad",
        "owner",
    )
    assert "verified: 2026-12-01" in proposal.files["nl"]
    used = client.get(path)
    assert used.status_code == 410
    assert client.post(path, data={"answer": "same"}, headers=ORIGIN).status_code == 410
    assert len(_proposals(app)) == 1
    # A link that never existed gets the same page as a used one.
    unknown = client.get("/nl/help/check/" + "x" * 43)
    assert unknown.status_code == 410
    assert text_of(check_html(unknown.get_data(as_text=True)).find(".//main")) == text_of(
        check_html(used.get_data(as_text=True)).find(".//main")
    )


def test_the_link_expires_after_two_weeks(app) -> None:
    path = _link(app)
    app.config["NOW"] = LATER + dt.timedelta(days=freshness.LINK_DAYS, seconds=1)
    assert app.test_client().get(path).status_code == 410
    app.config["NOW"] = LATER + dt.timedelta(days=freshness.LINK_DAYS - 1)
    assert app.test_client().get(path).status_code == 200


def test_bad_answers_keep_what_was_typed_and_the_link(app) -> None:
    client = app.test_client()
    path = _link(app)
    wrong = client.post(
        path,
        data={"answer": "changed", "waiting_weeks": "zes", "note": "Nieuwe <b>tijden</b>"},
        headers=ORIGIN,
    )
    assert wrong.status_code == 400
    html = wrong.get_data(as_text=True)
    assert "Schrijf het aantal weken" in html and 'value="zes"' in html
    assert "Nieuwe &lt;b&gt;tijden&lt;/b&gt;" in html  # shown as text
    # A phone number the check refuses: said beside the field, in Dutch.
    phone = client.post(path, data={"answer": "changed", "phone": "12"}, headers=ORIGIN)
    assert phone.status_code == 400 and "geen geldig" in phone.get_data(as_text=True)
    assert client.post(path, data={}, headers=ORIGIN).status_code == 400  # no answer chosen
    other_site = client.post(path, data={"answer": "same"}, headers={"Origin": "https://x.example"})
    assert other_site.status_code == 400
    assert _proposals(app) == [] and client.get(path).status_code == 200  # still usable


def test_a_proposal_changes_nothing_until_a_publisher_accepts_it(app) -> None:
    client = app.test_client()
    path = _link(app)
    answer = client.post(
        path,
        data={
            "answer": "changed",
            "phone": "038 200 1999",
            "website": "https://kompas.example",
            "waiting_weeks": "2",
            "note": "Er is een nieuw team.",
        },
        headers=ORIGIN,
    )
    assert answer.status_code == 200
    assert "ongeveer 6 weken" in _card(client, "kompas-vaartstad")
    assert "038 200 1999" not in _card(client, "kompas-vaartstad")
    editor = staff_member(app, "owner", "eva@example.org", "editor", admitted=False)
    listing = editor.client.get("/beheer/services/kompas-vaartstad").get_data(as_text=True)
    assert "Er is een nieuw team." in listing and "Accepteren en publiceren" not in listing
    [proposal] = _proposals(app)
    refused = editor.post(
        f"/beheer/services/kompas-vaartstad/proposals/{proposal.id}/accept",
        page="/beheer/services/kompas-vaartstad",
    )
    assert refused.status_code == 403
    assert "ongeveer 6 weken" in _card(client, "kompas-vaartstad")
    publisher = staff_member(app, "owner", "piet@example.org", "publisher", admitted=False)
    overview = publisher.client.get("/beheer/").get_data(as_text=True)
    assert "Kompas Verslavingszorg Vaartstad" in overview.split("Vermeldingen om te controleren")[0]
    accepted = publisher.post(
        f"/beheer/services/kompas-vaartstad/proposals/{proposal.id}/accept",
        page="/beheer/services/kompas-vaartstad",
    )
    assert accepted.status_code == 303
    shown = _card(client, "kompas-vaartstad")
    assert "ongeveer 2 weken (stand 1 december)" in shown and "038 200 1999" in shown
    assert "Gecontroleerd op 1 december 2026" in shown
    with app.app_context(), db.session() as session:
        version = session.scalars(select(ContentVersion)).one()
        assert (version.author, version.reviewer) == ("owner of the listing", "piet@example.org")
        assert version.note == "Er is een nieuw team."
    assert _proposals(app)[0].outcome == "accepted"


def test_a_proposal_overtaken_by_an_editor_is_not_applied(app) -> None:
    client = app.test_client()
    path = _link(app)
    client.post(path, data={"answer": "changed", "waiting_weeks": "2"}, headers=ORIGIN)
    [proposal] = _proposals(app)
    editor = staff_member(app, "owner", "eva@example.org", "editor", admitted=False)
    page = editor.client.get("/beheer/services/kompas-vaartstad/edit").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    with app.app_context(), db.session() as session:
        from uitweg.content import versions

        files = versions.files_on_disk(
            app.extensions["content"].folder, "services", "kompas-vaartstad"
        )
        versions.save(
            session,
            "services",
            "kompas-vaartstad",
            files,
            "eva@example.org",
            None,
            app.config["NOW"],
        )
    publisher = staff_member(app, "owner", "piet@example.org", "publisher", admitted=False)
    refused = publisher.post(
        f"/beheer/services/kompas-vaartstad/proposals/{proposal.id}/accept",
        page="/beheer/services/kompas-vaartstad",
    )
    assert refused.status_code == 409 and "veranderd nadat dit voorstel" in refused.get_data(
        as_text=True
    )
    assert "ongeveer 6 weken" in _card(client, "kompas-vaartstad")
    dismissed = publisher.post(
        f"/beheer/services/kompas-vaartstad/proposals/{proposal.id}/dismiss",
        page="/beheer/services/kompas-vaartstad",
    )
    assert dismissed.status_code == 303 and _proposals(app)[0].outcome == "dismissed"


def test_a_visitors_report_waits_for_an_editor_and_says_nothing_about_the_sender(app) -> None:
    client = app.test_client()
    page = check_html(client.get("/nl/help/services/geldpunt-heideveen").get_data(as_text=True))
    report = next(
        a.get("href") for a in page.iter("a") if (a.get("href") or "").endswith("/report")
    )
    assert report == "/nl/help/services/geldpunt-heideveen/report"
    form = client.get(report)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    # Its POST must carry our own origin (same_origin): browsers send "null" under no-referrer.
    assert form.headers["Referrer-Policy"] == "same-origin"
    assert client.post(report, data={"note": ""}, headers=ORIGIN).status_code == 400
    sent = client.post(report, data={"note": "Het nummer werkt niet meer."}, headers=ORIGIN)
    assert sent.status_code == 200
    [proposal] = _proposals(app)
    assert (proposal.source, proposal.files, proposal.note) == (
        "visitor",
        None,
        "Het nummer werkt niet meer.",
    )
    # Nothing about who sent it: the table has no column for it.
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine()).get_columns("listing_proposal")}
    assert columns == {
        "id",
        "kind",
        "slug",
        "source",
        "files",
        "base",
        "note",
        "created_at",
        "handled_at",
        "handled_by",
        "outcome",
    }
    # The live listing is as it was.
    assert "Het nummer werkt niet meer." not in _card(client, "geldpunt-heideveen")
    group = client.get("/nl/help/groups/aa-lindewaard")
    assert "/nl/help/groups/aa-lindewaard/report" in group.get_data(as_text=True)
    assert client.get("/nl/help/groups/aa-lindewaard/report").status_code == 200
    assert client.get("/nl/help/services/no-such-listing/report").status_code == 404


def test_reports_are_rate_limited(tmp_path) -> None:
    app = make_app(tmp_path, NOW=LATER, REPORT_RATE_LIMIT="2 per hour")  # sample content
    client = app.test_client()
    path = "/nl/help/services/geldpunt-heideveen/report"
    codes = [
        client.post(path, data={"note": f"Melding {n}"}, headers=ORIGIN).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
    assert len(_proposals(app)) == 2


def test_the_link_never_reaches_a_log_line() -> None:
    line = '127.0.0.1 "GET /nl/help/check/Abc-123_xyz HTTP/1.1" 200'
    assert "Abc-123_xyz" not in scrub(line) and "/help/check/[hidden]" in scrub(line)


def test_handled_proposals_and_old_links_are_deleted_after_thirty_days(app) -> None:
    from uitweg import maintenance

    path = _link(app)
    client = app.test_client()
    client.post(
        "/nl/help/services/geldpunt-heideveen/report", data={"note": "Dicht."}, headers=ORIGIN
    )
    [proposal] = _proposals(app)
    with app.app_context(), db.session() as session:
        freshness.dismiss(session, proposal.id, "piet@example.org", LATER)
    with app.app_context():
        maintenance.run(LATER + dt.timedelta(days=29))
    assert len(_proposals(app)) == 1
    with app.app_context():
        maintenance.run(LATER + dt.timedelta(days=freshness.LINK_DAYS + 31))
        with db.session() as session:
            assert session.scalars(select(ListingCheck)).all() == []
    assert _proposals(app) == [] and path
