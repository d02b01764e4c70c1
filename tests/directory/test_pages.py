"""The directory through HTTP, with a fixed clock: every filter alone and combined, detail pages,
calendar, print, CSV, and the open data validated against the published schemas."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest

from conftest import STANDARDS, make_app
from pagecheck import check_html, text_of

AMS = ZoneInfo("Europe/Amsterdam")
# Tuesday 24 November 2026, 14:00 in Amsterdam.
TUESDAY_AFTERNOON = dt.datetime(2026, 11, 24, 14, 0, tzinfo=AMS)


@pytest.fixture
def client(tmp_path, content_dir):
    return make_app(tmp_path, CONTENT_DIR=content_dir, NOW=TUESDAY_AFTERNOON).test_client()


def titles(client, query: str = "", lang: str = "nl") -> list[str]:
    response = client.get(f"/{lang}/help/?{query}")
    assert response.status_code == 200
    root = check_html(response.get_data(as_text=True))
    return [text_of(a) for a in root.findall(".//ul[@class='cards']/li//a")]


# Tuesday 14:00: the debt desk (weekdays 9-17), the chat (always) and the addiction care
# (Tuesday 13-17) are open; no group meets. What is open comes first, then A to Z.
ALL = [
    "Landelijke drugschat",
    "Schuldhulp Aastad",
    "Verslavingszorg Beedorp",
    "NA Aastad",
    "Oudergroep Beedorp",
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("topic=debt", ["Schuldhulp Aastad"]),
        ("topic=drugs", ["Landelijke drugschat", "Verslavingszorg Beedorp", "NA Aastad"]),
        (
            "audience=someone-close",
            ["Landelijke drugschat", "Schuldhulp Aastad", "Oudergroep Beedorp"],
        ),
        # A municipality shows what is open first, its own help before national help in each.
        (
            "municipality=Beedorp",
            ["Verslavingszorg Beedorp", "Landelijke drugschat", "Oudergroep Beedorp"],
        ),
        ("kind=group", ["NA Aastad", "Oudergroep Beedorp"]),
        ("kind=debt-help", ["Schuldhulp Aastad"]),
        ("language=ar", ["Verslavingszorg Beedorp"]),
        ("language=en", ["Schuldhulp Aastad", "NA Aastad"]),
        ("open=1", ["Landelijke drugschat", "Schuldhulp Aastad", "Verslavingszorg Beedorp"]),
        (
            "free=1",
            ["Landelijke drugschat", "Schuldhulp Aastad", "NA Aastad", "Oudergroep Beedorp"],
        ),
        ("anonymous=1", ["Landelijke drugschat", "NA Aastad", "Oudergroep Beedorp"]),
        (
            "noreferral=1",
            ["Landelijke drugschat", "Schuldhulp Aastad", "NA Aastad", "Oudergroep Beedorp"],
        ),
        ("topic=drugs&open=1&noreferral=1", ["Landelijke drugschat"]),
        (
            "municipality=Aastad&audience=myself&free=1",
            ["Schuldhulp Aastad", "Landelijke drugschat", "NA Aastad"],
        ),
        ("topic=family&kind=group&municipality=Beedorp", ["Oudergroep Beedorp"]),
    ],
)
def test_every_filter_alone_and_combined(client, query, expected) -> None:
    assert titles(client, query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "topic=gokken",
        "municipality=Zwolle",
        "kind=<script>",
        "language=xx",
        "open=yes",
        "page=-1",
        "page=99999999999",
        "topic=debt&municipality=nope&page=abc",
        "a=" + "x" * 5000,
    ],
)
def test_unknown_or_malformed_filters_are_ignored_and_the_rest_applies(client, query) -> None:
    found = titles(client, query)
    assert found == (["Schuldhulp Aastad"] if query.startswith("topic=debt") else ALL)


def test_an_empty_result_explains_itself_and_offers_the_callback_and_lines(client) -> None:
    response = client.get("/en/help/?topic=debt&kind=group")
    root = check_html(response.get_data(as_text=True))
    assert text_of(root.find(".//h2[@id='results']")) == "0 results"
    notice = text_of(root.find(".//main//div[@class='notice']"))
    assert "No help matches all of these choices" in notice
    assert root.find(".//main//div[@class='notice']//a[@href='/en/callback']") is not None
    assert root.find(".//footer//a[@href='tel:113']") is not None


def test_filters_are_a_plain_get_form_that_keeps_the_choices(client) -> None:
    root = check_html(client.get("/nl/help/?topic=drugs&open=1").get_data(as_text=True))
    form = root.find(".//form[@class='filters-form']")
    assert form.get("method") == "get" and form.get("action") == "/nl/help/"
    assert form.find(".//option[@value='drugs']").get("selected") is not None
    assert form.find(".//input[@name='open']").get("checked") is not None
    assert text_of(root.find(".//h2[@id='results']")) == "2 resultaten"


def test_each_entry_says_whether_it_is_open_and_when_it_opens(client) -> None:
    root = check_html(client.get("/nl/help/").get_data(as_text=True))
    statuses = {
        text_of(li.find(".//a")): text_of(li.findall("./p")[-1])
        for li in root.findall(".//ul[@class='cards']/li")
    }
    assert statuses["Schuldhulp Aastad"] == "Nu open, tot 17:00"
    assert statuses["Landelijke drugschat"] == "Dag en nacht open"
    assert statuses["NA Aastad"] == "Volgende bijeenkomst donderdag 26 november om 20:00"
    assert statuses["Oudergroep Beedorp"] == "Volgende bijeenkomst vrijdag 27 november om 19:00"


def test_a_service_page_has_everything_to_go_there_or_call(client) -> None:
    root = check_html(client.get("/en/help/services/schuldhulp-aastad").get_data(as_text=True))
    text = text_of(root.find(".//main"))
    assert root.find(".//main//a[@href='tel:+31381234567']") is not None
    assert "Marktplein 1, 1111 AA Aastad" in text
    assert "Monday, Tuesday, Wednesday, Thursday, Friday: 09:00 to 17:00" in text
    assert "Open now, until 17:00" in text
    assert "Checked on October 1, 2026." in text
    assert root.find(".//main//iframe") is None


def test_a_group_page_lists_meetings_and_offers_a_calendar(client) -> None:
    root = check_html(client.get("/nl/help/groups/ouders-beedorp").get_data(as_text=True))
    text = text_of(root.find(".//main"))
    assert "de laatste vrijdag van de maand, 19:00 tot 21:00" in text
    ics = client.get("/nl/help/groups/ouders-beedorp.ics")
    assert ics.mimetype == "text/calendar"
    body = ics.get_data(as_text=True)
    assert "RRULE:FREQ=MONTHLY;BYDAY=-1FR" in body
    assert "DTSTART;TZID=Europe/Amsterdam:20261127T190000" in body
    assert "BEGIN:VTIMEZONE" in body
    # Unique across every site running this code: the site's host is in the event's UID.
    assert "UID:ouders-beedorp-1@localhost" in body
    other = client.get("/nl/help/groups/ouders-beedorp.ics", base_url="https://uitweg.example")
    assert "UID:ouders-beedorp-1@uitweg.example" in other.get_data(as_text=True)


def test_print_and_csv_follow_the_filters(client) -> None:
    printed = client.get("/nl/help/print?topic=drugs")
    root = check_html(printed.get_data(as_text=True))
    assert [text_of(h) for h in root.findall(".//ol/li/h2")] == [
        "Landelijke drugschat",
        "NA Aastad",
        "Verslavingszorg Beedorp",
    ]
    csv_text = client.get("/en/help/export.csv?topic=debt").get_data(as_text=True)
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Name,Kind of help,Organisation")
    assert lines[1].startswith("Debt help Aastad,Debt help,Gemeente Aastad,Aastad,038 123 4567")


def validator(*parts: str):
    jsonschema = pytest.importorskip("jsonschema")
    path = STANDARDS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared standards folder is not beside the repo)")
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_hsds_services_validate_against_the_published_schema_with_paging(client) -> None:
    check = validator("hsds", "compiled", "service.json")
    page = client.get("/api/hsds/services?per_page=2&page=2").get_json()
    assert {
        k: page[k]
        for k in (
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
        )
    } == {
        "total_items": 3,
        "total_pages": 2,
        "page_number": 2,
        "size": 1,
        "first_page": False,
        "last_page": True,
        "empty": False,
    }
    everything = client.get("/api/hsds/services?full=true").get_json()["contents"]
    for service in everything:
        errors = [e.message for e in check.iter_errors(service)]
        assert errors == [], service["name"]
    one = client.get(f"/api/hsds/services/{everything[0]['id']}")
    assert one.get_json() == everything[0]
    assert client.get("/api/hsds/services/not-an-id").status_code == 404


def test_hsds_times_carry_their_offset_and_areas_a_listed_extent_type(client) -> None:
    def schedules(query: str) -> list[dict]:
        services = client.get(f"/api/hsds/services?full=true&per_page=100{query}").get_json()[
            "contents"
        ]
        return [s for service in services for s in service["schedules"]]

    winter = schedules("")
    assert winter
    for schedule in winter:
        for name in ("opens_at", "closes_at"):
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d\+01:00", schedule[name]), schedule
        assert schedule["timezone"] == 1
    # In summer the same hours are an hour further from UTC.
    client.application.config["NOW"] = dt.datetime(2026, 7, 1, 12, tzinfo=AMS)
    summer = schedules("&in=summer")  # another address: the page cache holds the winter one
    weekly = [s for s in summer if "freq" in s]
    assert weekly and {s["opens_at"][-6:] for s in weekly} == {"+02:00"}
    assert [s["opens_at"][:5] for s in summer] == [s["opens_at"][:5] for s in winter]
    # A dated exception carries its own day's offset: 24 December is in winter time.
    dated = [s for s in summer if s.get("valid_from") == "2026-12-24"]
    assert dated and {s["opens_at"][-6:] for s in dated} == {"+01:00"}
    services = client.get("/api/hsds/services?full=true&per_page=100").get_json()["contents"]
    areas = [a for service in services for a in service["service_areas"]]
    assert areas and {a["extent_type"] for a in areas} <= {"geojson", "topojson", "kml", "text"}


def test_the_services_filter_by_search_and_organization(client) -> None:
    everything = client.get("/api/hsds/services?full=true").get_json()["contents"]
    debt = client.get("/api/hsds/services?search=SCHULD").get_json()
    assert debt["total_items"] >= 1
    assert all("schuld" in (s["name"] + s["description"]).lower() for s in debt["contents"])
    assert client.get("/api/hsds/services?search=geen+zulk+woord").get_json()["contents"] == []
    organization = everything[0]["organization_id"]
    same = client.get(f"/api/hsds/services?organization_id={organization}").get_json()
    assert same["contents"] and {s["organization_id"] for s in same["contents"]} == {organization}
    unknown = client.get("/api/hsds/services?organization_id=nobody").get_json()
    assert unknown["total_items"] == 0 and unknown["empty"] is True
    # The directory's topics are taxonomy terms, and the taxonomy filters find them.
    debt_term = next(
        a["taxonomy_term"]
        for s in everything
        for a in s["attributes"]
        if a["taxonomy_term"]["code"] == "debt"
    )
    by_term = client.get(f"/api/hsds/services?taxonomy_term_id={debt_term['id']}").get_json()
    with_debt = [
        s["name"]
        for s in everything
        if any(a["taxonomy_term"]["code"] == "debt" for a in s["attributes"])
    ]
    assert [s["name"] for s in by_term["contents"]] == with_debt and with_debt
    by_taxonomy = client.get(
        f"/api/hsds/services?taxonomy_id={debt_term['taxonomy_id']}"
    ).get_json()
    assert by_taxonomy["total_items"] == len(everything)
    assert client.get("/api/hsds/services?taxonomy_id=other").get_json()["contents"] == []


def test_an_importer_reading_until_an_empty_page_stops(client) -> None:
    pages = []
    for number in range(1, 10):
        page = client.get(f"/api/hsds/services?per_page=2&page={number}").get_json()
        pages.append(page)
        if page["empty"]:
            break
    assert [p["size"] for p in pages] == [2, 1, 0]
    assert pages[-1]["contents"] == [] and pages[-1]["last_page"] is True
    assert pages[-1]["page_number"] == 3 and pages[-1]["total_pages"] == 2


@pytest.mark.parametrize("query", ["per_page=null", "page=0", "page=-1", "per_page=1.5", "page=²"])
def test_a_bad_paging_value_is_a_json_error(client, query) -> None:
    response = client.get(f"/api/hsds/services?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.get_json()["status"] == 400 and "whole number" in response.get_json()["detail"]


def test_the_api_answers_in_json_with_its_root_errors_and_cors(client) -> None:
    root = client.get("/api/hsds/")
    assert root.status_code == 200
    assert root.get_json()["version"] == "3.0" and root.get_json()["openapi_url"].endswith(".json")
    missing = client.get("/api/hsds/services/not-an-id")
    assert missing.mimetype == "application/json" and missing.get_json()["status"] == 404
    assert client.get("/api/nothing-here").get_json()["status"] == 404
    refused = client.post("/api/hsds/services")
    assert refused.status_code == 405 and refused.mimetype == "application/json"
    assert set(refused.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    for path in ("/api/hsds/", "/api/hsds/services", "/api/meetings.json"):
        answer = client.get(path)
        assert answer.headers["Access-Control-Allow-Origin"] == "*", path
        assert answer.headers["Cross-Origin-Resource-Policy"] == "cross-origin", path
    assert client.get("/nl/help/").headers["Cross-Origin-Resource-Policy"] == "same-origin"
    # A person's page keeps its HTML error, and a 405 there names what is allowed too.
    page = client.post("/nl/help/")
    assert (
        page.status_code == 405 and page.mimetype == "text/html" and "GET" in page.headers["Allow"]
    )


def test_the_meeting_guide_feed_lists_weekly_meetings_in_its_format(client) -> None:
    types = (
        json.loads((STANDARDS / "meeting-guide" / "types.json").read_text())
        if (STANDARDS / "meeting-guide" / "types.json").exists()
        else None
    )
    if types is None:
        pytest.skip("the shared standards folder is not beside the repo")
    meetings = client.get("/api/meetings.json").get_json()
    # The monthly parents' group is left out: the format describes weekly meetings only.
    assert [m["slug"] for m in meetings] == ["na-aastad-1", "na-aastad-2"]
    first, online = meetings
    assert (first["day"], first["time"], first["end_time"]) == (1, "19:30", "21:00")
    assert first["address"] == "Lindelaan 4" and first["city"] == "Aastad"
    assert online["conference_url"] == "https://meet.example/na-aastad"
    assert first["notes"] and "<" not in first["notes"]  # the group page's text, plain
    for meeting in meetings:
        assert {"name", "slug", "day", "time"} <= set(meeting)
        assert set(meeting["types"]) <= set(types)
        assert meeting.get("formatted_address") or meeting.get("address")
    page = client.get("/nl/help/").get_data(as_text=True)
    # Meeting Guide's discovery: this exact title and a full address.
    assert (
        '<link rel="alternate" type="application/json" '
        'href="http://localhost/api/meetings.json" title="Meetings Feed">'
    ) in page
