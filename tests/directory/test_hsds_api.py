"""The HSDS API against its published description: schemathesis generates requests from
../shared/standards/hsds/openapi.json for every path the site implements and checks each answer
against the compiled schemas; and the parts of the API a generator cannot judge (what a filter
finds, when a listing changed) are tested by hand."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import STANDARDS, make_app

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    positive_data_acceptance,
    status_code_conformance,
)

HSDS = STANDARDS / "hsds"
PUBLISHED = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
AMS = ZoneInfo("Europe/Amsterdam")


def _local(name: str, folder: Path, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """A schema of the standards folder with the files it names put in place, so nothing is
    fetched: the published description points at raw.githubusercontent.com."""
    schema = json.loads((folder / name).read_text(encoding="utf-8"))

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#") and ref not in seen:
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return {**inline(rest), **_local(ref, folder, (*seen, ref))}
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(schema)


def published_description() -> dict[str, Any]:
    """The published OpenAPI description, limited to the paths the site implements, with the
    schemas it names read from the standards folder, and served below /api/hsds."""
    path = HSDS / "openapi.json"
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared standards folder is not beside the repo)")
    raw = json.loads(path.read_text(encoding="utf-8"))
    missing: set[str] = set()

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(PUBLISHED):
                name = ref[len(PUBLISHED) :]
                if not (HSDS / name).exists():
                    missing.add(name)
                    return node
                return _local(Path(name).name, (HSDS / name).parent)
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    paths = {}
    for name, operations in raw["paths"].items():
        missing.clear()
        done = inline(copy.deepcopy(operations))
        # Service-at-location lists have no schema in the standards folder, and the site
        # does not offer them.
        if not missing and not name.startswith("/service_at_locations"):
            paths[name] = done
    raw["paths"] = paths
    raw["servers"] = [{"url": "/api/hsds"}]
    return raw


IMPLEMENTED = (
    "/",
    "/services",
    "/services/{id}",
    "/organizations",
    "/organizations/{id}",
    "/taxonomies",
    "/taxonomies/{id}",
    "/taxonomy_terms",
    "/taxonomy_terms/{id}",
)


def test_the_site_implements_every_path_the_standards_folder_can_judge() -> None:
    assert sorted(published_description()["paths"]) == sorted(IMPLEMENTED)


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("hsds"))
    loaded = schemathesis.openapi.from_dict(published_description())
    loaded.app = app
    return loaded


@pytest.fixture(scope="module")
def known_ids(api_schema) -> dict[str, list[str]]:
    """The ids the API has, per path that takes one: a generated id is almost never one of
    them, and an answer about a thing that exists must follow the description too."""
    client = api_schema.app.test_client()

    def ids(path: str) -> list[str]:
        return [item["id"] for item in client.get(f"{path}?per_page=100").get_json()["contents"]]

    return {
        f"/{name}/{{id}}": ids(f"/api/hsds/{name}")
        for name in ("services", "organizations", "taxonomies", "taxonomy_terms")
    }


# Hostile requests (wrong types) exist only where a parameter has a type other than text.
TYPED = ("/services", "/organizations", "/organizations/{id}", "/taxonomies", "/taxonomy_terms")
CASES = [(path, GenerationMode.POSITIVE) for path in IMPLEMENTED] + [
    (path, GenerationMode.NEGATIVE) for path in TYPED
]


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_the_api_follows_its_published_description(api_schema, known_ids, path, mode) -> None:
    operation = api_schema.find_operation_by_path("GET", path)
    assert operation is not None, path
    cases = operation.as_strategy(generation_mode=mode)
    if path in known_ids and mode is GenerationMode.POSITIVE:
        cases = st.one_of(
            cases,
            st.sampled_from(known_ids[path]).flatmap(
                lambda known: operation.as_strategy(path_parameters={"id": known})
            ),
        )

    # Two checks do not apply: the description documents only the 200 answer, while the API
    # must say 404 for an unknown id and 400 for a page below 1 (which the description's
    # "integer" allows, and which has no meaning); every other check runs, the schemas too.
    @given(case=cases)
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    def answers(case) -> None:
        # Uncompressed: schemathesis reads the WSGI answer's bytes as they come.
        case.call_and_validate(
            headers={"Accept-Encoding": "identity"},
            excluded_checks=[status_code_conformance, positive_data_acceptance],
        )

    answers()


# ---- what a generator cannot judge


def test_lists_give_one_to_one_fields_and_full_gives_the_nested_service(client) -> None:
    listed = client.get("/api/hsds/services").get_json()["contents"]
    full = client.get("/api/hsds/services?full=true").get_json()["contents"]
    assert [s["id"] for s in listed] == [s["id"] for s in full]
    assert all("schedules" not in s and "phones" not in s for s in listed)
    assert any(s["schedules"] for s in full) and any(s["phones"] for s in full)
    assert {k: v for k, v in full[0].items() if k in listed[0]} == listed[0]
    minimal = client.get("/api/hsds/services?minimal=true").get_json()["contents"]
    assert [set(s) for s in minimal] == [{"id", "name", "status", "last_modified"}] * len(listed)
    # ndjson: every service, one a line, without pages.
    streamed = client.get("/api/hsds/services?format=ndjson&full=true&per_page=1")
    assert streamed.mimetype == "application/x-ndjson"
    assert [json.loads(line) for line in streamed.get_data(as_text=True).splitlines()] == full
    for query in ("format=xml", "full=yes", "minimal=1", "modified_after=gisteren"):
        answer = client.get(f"/api/hsds/services?{query}")
        assert answer.status_code == 400 and answer.mimetype == "application/json", query


def test_last_modified_is_the_day_checked_or_the_publication(tmp_path) -> None:
    app = make_app(tmp_path, NOW=dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
    client = app.test_client()
    services = client.get("/api/hsds/services?per_page=100").get_json()["contents"]
    kompas = next(s for s in services if s["name"] == "Kompas Verslavingszorg Vaartstad")
    # A listing only in a file changed, as far as the site knows, when it was last checked:
    # verified 2026-10-15, local midnight.
    assert kompas["last_modified"] == "2026-10-14T22:00:00.000Z"
    assert kompas["assured_date"] == "2026-10-15"
    # Access facts: the waiting time in words and as terms with values, and how to get a
    # referral.
    assert kompas["wait_time"] == "Ongeveer 6 weken (stand 2026-10-15)"
    assert "ZorgDomein" in kompas["application_process"]
    after = client.get("/api/hsds/services?per_page=100&modified_after=2026-10-14T22:00:00Z")
    names = {s["name"] for s in after.get_json()["contents"]}
    assert "Kompas Verslavingszorg Vaartstad" in names  # on or after
    later = client.get("/api/hsds/services?per_page=100&modified_after=2026-10-14T22:00:01Z")
    assert "Kompas Verslavingszorg Vaartstad" not in {
        s["name"] for s in later.get_json()["contents"]
    }
    # Published through the editors' area: the moment of publication.
    from uitweg.content import versions
    from uitweg.content.versions import files_on_disk

    at = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)
    with app.app_context():
        session = app.extensions["db_sessionmaker"]()
        files = files_on_disk(app.extensions["content"].folder, "services", "kompas-vaartstad")
        files["nl"] = files["nl"].replace("Havenkade 12", "Havenkade 14")
        version = versions.save(session, "services", "kompas-vaartstad", files, "a@x", None, at)
        versions.propose(session, version.id)
        versions.approve(session, version.id, "b@x", at, publish_at=at)
        session.commit()
    app.extensions["content"].refresh(force=True)
    services = client.get("/api/hsds/services?per_page=100&after=edit").get_json()["contents"]
    kompas = next(s for s in services if s["name"] == "Kompas Verslavingszorg Vaartstad")
    assert kompas["last_modified"] == "2026-11-20T10:30:00.000Z"
    changed = client.get("/api/hsds/services?modified_after=2026-11-20T11:00:00%2B01:00")
    assert [s["name"] for s in changed.get_json()["contents"]] == [kompas["name"]]


def test_organizations_and_taxonomies_answer_with_their_services_and_terms(client) -> None:
    services = client.get("/api/hsds/services?per_page=100").get_json()["contents"]
    organizations = client.get("/api/hsds/organizations?per_page=100").get_json()
    assert organizations["total_items"] == len({s["organization_id"] for s in services})
    first = services[0]["organization_id"]
    one = client.get(f"/api/hsds/organizations/{first}").get_json()
    assert {s["id"] for s in one["services"]} == {
        s["id"] for s in services if s["organization_id"] == first
    }
    nested = client.get(f"/api/hsds/organizations/{first}?full_service=true").get_json()
    assert all("schedules" in s for s in nested["services"])
    assert client.get("/api/hsds/organizations/nobody").status_code == 404
    taxonomies = client.get("/api/hsds/taxonomies").get_json()["contents"]
    assert [t["name"] for t in taxonomies] == [
        "uitweg-topics",
        "uitweg-audiences",
        "uitweg-kinds",
        "uitweg-facts",
        "uitweg-ways",
    ]
    terms = client.get("/api/hsds/taxonomy_terms?per_page=100").get_json()["contents"]
    used = {a["taxonomy_term_id"] for s in services for a in _attributes(client, s["id"])}
    assert used <= {t["id"] for t in terms}
    debts = client.get("/api/hsds/taxonomy_terms?search=debt").get_json()["contents"]
    assert {(t["taxonomy"], t["code"]) for t in debts} == {
        ("uitweg-topics", "debt"),
        ("uitweg-kinds", "debt-help"),
    }
    topics = taxonomies[0]["id"]
    debt = client.get(f"/api/hsds/taxonomy_terms?search=debt&taxonomy_id={topics}").get_json()
    debt = debt["contents"]
    assert [t["code"] for t in debt] == ["debt"]
    kinds = {t["code"]: t for t in terms if t["taxonomy"] == "uitweg-kinds"}
    assert (kinds["gp"]["name"], kinds["gp"]["description"]) == (
        "Huisarts en huisartsenpost",
        "GP and out-of-hours GP",
    )
    assert client.get(f"/api/hsds/taxonomy_terms/{debt[0]['id']}").get_json() == debt[0]
    assert client.get(f"/api/hsds/taxonomies/{debt[0]['taxonomy_id']}").status_code == 200
    assert client.get("/api/hsds/taxonomy_terms?parent_id=x").get_json()["empty"] is True


def _attributes(client, service_id: str) -> list[dict]:
    return client.get(f"/api/hsds/services/{service_id}").get_json()["attributes"]
