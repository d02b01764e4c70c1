"""The statistics page and its CSV: the funnel counted through HTTP, small numbers hidden in both,
and only analysts, coordinators and admins let in."""

from __future__ import annotations

import csv
import io
import re

import pytest

from callback.forms import hidden_fields, submit
from partners.staff import START, request_ids, staff_member, tick


def _campaign_request(app, n: int) -> None:
    # Each visitor from their own address: the form allows a few requests per address.
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n}"
    form = client.get(client.get("/nl/s/vs2610/callback").headers["Location"])
    hidden = hidden_fields(form.get_data(as_text=True))
    response = submit(client, hidden=hidden, topics=["getting-out"], municipality="Vaartstad")
    assert response.status_code == 200


def _facts(html: str) -> dict[str, str]:
    """Each number of a campaign's section, by what it counts: the funnel's steps (each shown
    once, beside its bar) and then the facts below it."""
    section = html.split('id="campaign-vs2610"', 1)[1].split("</section>", 1)[0]
    steps = re.findall(
        r'<span class="funnel-step">([^<]+)</span>.*?<strong>([^<]+)</strong>', section, re.S
    )
    facts = re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", section)
    return {name: value.replace("&lt;", "<") for name, value in steps + facts}


@pytest.fixture
def campaign_history(app):
    """7 landings, 5 clicks on to help, 3 to stories, 6 to the self-tests, 6 to the form, 5
    self-tests completed, 5 requests; staff of Jong Vaartstad try each after 10, 20, ... 50
    minutes and reach 4."""
    app.config["NOW"] = START
    client = app.test_client()
    clicks = (
        ("/s/vs2610", 7),
        ("/nl/s/vs2610/help", 5),
        ("/nl/s/vs2610/stories", 3),
        ("/nl/s/vs2610/selftests", 6),
    )
    for path, times in clicks:
        for _ in range(times):
            assert client.get(path).status_code in (200, 303)
    test = app.extensions["content"].content.selftests["drugs"]["nl"]
    answers = {question.field: "0" for question in test.questions}
    for _ in range(5):
        done = client.post("/nl/selftests/drugs", data={**answers, "campaign": "vs2610"})
        assert done.status_code == 200
    assert client.get("/nl/s/vs2610/callback").status_code == 303  # a click without a request
    for n in range(5):
        _campaign_request(app, n)
    worker = staff_member(app, "jong-vaartstad", "sam@jongvaartstad.example")
    ids = request_ids(worker.client.get("/partner/").get_data(as_text=True))
    assert len(ids) == 5
    for n, request_id in enumerate(ids):
        tick(app, 600)
        path = f"/partner/requests/{request_id}"
        result = "no-answer" if n == 0 else "reached"
        assert worker.post(f"{path}/attempt", page=path, result=result).status_code == 303
    return app


def test_the_funnel_counts_through_http_and_hides_numbers_under_5(campaign_history) -> None:
    analyst = staff_member(campaign_history, "owner", "cijfers@vaartstad.example", "analyst")
    page = analyst.client.get("/partner/stats")
    assert page.status_code == 200
    facts = _facts(page.get_data(as_text=True))
    assert {k: facts[k] for k in list(facts)[:10]} == {
        "Kreeg de sms": "750",
        "Opende de link": "7",
        "Ging verder naar hulp zoeken": "5",
        "Ging verder naar verhalen": "<5",
        "Ging verder naar de tests": "6",
        "Ging verder naar het terugbelformulier": "6",
        "Ging verder naar schriftelijk vragen": "<5",
        "Deed een test": "5",
        "Vroeg om teruggebeld te worden": "5",
        "Bereikt door een hulpverlener": "<5",
    }
    # First attempts 10 (the no-answer), 20, 30, 40 and 50 minutes after the login, which the
    # fixed clock puts 30 seconds after the requests: the median is 30 minutes 30 seconds.
    assert facts["Mediaan tijd tot eerste contact"] == "30 minuten"
    assert "<svg" in page.get_data(as_text=True) and "Trechter van Vaartstad" in page.get_data(
        as_text=True
    )

    exported = analyst.client.get("/partner/stats.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = {
        row["campaign"]: row for row in csv.DictReader(io.StringIO(exported.get_data(as_text=True)))
    }
    vaartstad = rows["vs2610"]
    assert [vaartstad[k] for k in ("recipients", "visits", "help", "stories", "callback")] == [
        "750",
        "7",
        "5",
        "<5",
        "6",
    ]
    assert (vaartstad["requests"], vaartstad["reached"]) == ("5", "<5")
    assert vaartstad["median_minutes_to_first_contact"] == "30"
    # The ended Heideveen campaign is listed with nothing but small numbers.
    assert set(rows["hv2606"].values()) >= {"<5"} and rows["hv2606"]["recipients"] == "420"
    # No cell anywhere holds 1 to 4.
    for row in rows.values():
        assert not {"1", "2", "3", "4"} & set(row.values())


def test_the_tables_by_week_partner_and_topic_hide_small_numbers(campaign_history) -> None:
    analyst = staff_member(campaign_history, "owner", "cijfers@vaartstad.example", "analyst")
    html = analyst.client.get("/partner/stats?campaign=vs2610").get_data(as_text=True)
    tables = html.split("Vragen per week, partner en onderwerp", 1)[1]
    cells = [
        cell.replace("&lt;", "<")
        for cell in re.findall(r'<td data-label="[^"]+">([^<]*)</td>', tables)
    ]
    # Weeks as people say them (the CSV keeps ISO weeks for spreadsheets).
    assert "Stichting Jong Vaartstad" in cells and "week 48 (23–29 nov)" in cells
    assert not {"1", "2", "3", "4"} & set(cells)
    assert "5" in cells and "<5" in cells
    for table in ("weeks", "partners", "topics"):
        exported = analyst.client.get(f"/partner/stats.csv?table={table}&campaign=vs2610")
        rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
        assert rows[0][1:3] == ["requests", "reached"] and len(rows) > 1, table
        values = {value for row in rows[1:] for value in row[1:3]}
        assert values <= {"<5", "5"} and "<5" in values, (table, rows)


@pytest.mark.parametrize(
    ("role", "status"),
    [("analyst", 200), ("coordinator", 200), ("admin", 200), ("staff", 403)],
)
def test_only_analysts_coordinators_and_admins_see_statistics(app, role, status) -> None:
    organisation = "owner" if role == "analyst" else "kompas"
    member = staff_member(app, organisation, f"{role}@kompas.example", role)
    assert member.client.get("/partner/stats").status_code == status
    assert member.client.get("/partner/stats.csv").status_code == status
    menu = member.client.get("/partner/account").get_data(as_text=True)
    assert ('href="/partner/stats"' in menu) == (status == 200)


def test_statistics_need_a_login(app) -> None:
    for path in ("/partner/stats", "/partner/stats.csv"):
        response = app.test_client().get(path)
        assert response.status_code == 302 and "/partner/login" in response.headers["Location"]


def test_an_analyst_lands_on_the_statistics_after_login(app) -> None:
    app.config["NOW"] = START
    from partners.staff import enrol, invite, login

    client = app.test_client()
    secret = enrol(app, client, invite(app, "owner", "ana@kompas.example", "analyst"))
    response = login(app, client, "ana@kompas.example", secret)
    assert response.status_code == 303 and response.headers["Location"] == "/partner/stats"


def test_a_single_small_cell_cannot_be_recovered_from_the_total() -> None:
    from uitweg.outreach.report import shown_column

    # Partner a: 3 requests; the total (27) is known from the funnel: hiding only a's cell
    # would give it away as 27 - 24. The next smallest is hidden with it.
    assert shown_column({"a": 3, "b": 6, "c": 18}) == {"a": "<5", "b": "<5", "c": "18"}
    assert shown_column({"a": 3, "b": 4, "c": 18}) == {"a": "<5", "b": "<5", "c": "18"}
    assert shown_column({"a": 9, "b": 6}) == {"a": "9", "b": "6"}
    assert shown_column({"a": 2}) == {"a": "<5"}


def test_tables_and_csv_hide_a_second_cell_next_to_a_single_small_one(app) -> None:
    app.config["NOW"] = START
    # 6 requests to Jong Vaartstad (getting out, Vaartstad) and 2 to Geldpunt (debt, Heideveen).
    for n in range(6):
        _campaign_request(app, n)
    for n in range(6, 8):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n}"
        assert submit(client, topics=["debt"], municipality="Heideveen").status_code == 200
    analyst = staff_member(app, "owner", "cijfers@vaartstad.example", "analyst")
    exported = analyst.client.get("/partner/stats.csv?table=partners")
    rows = {r["partner"]: r for r in csv.DictReader(io.StringIO(exported.get_data(as_text=True)))}
    assert rows["geldpunt-heideveen"]["requests"] == "<5"
    assert rows["jong-vaartstad"]["requests"] == "<5"  # 6, hidden with its small neighbour
    html = analyst.client.get("/partner/stats").get_data(as_text=True)
    partners = html.split("Per partner", 1)[1].split("</table>", 1)[0]
    assert ">6<" not in partners and partners.count("&lt;5") >= 2
