"""`flask directory import`: HSDS 3 data, this site's own export or another directory's, becomes
service files for review."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from conftest import SAMPLE_CONTENT, make_app
from pagecheck import check_html, text_of
from uitweg.content import load_content
from uitweg.content.hsds import import_services

AMS = ZoneInfo("Europe/Amsterdam")
# A Monday in winter, with services open and closed (and an exception day in the same month).
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=AMS)
LISTS = (
    "/nl/help/",
    "/nl/help/?open=1",
    "/nl/help/?topic=drugs",
    "/nl/help/?audience=professional",
)


def _without_ids(data: Any) -> Any:
    """HSDS data with its identifiers left out: they are made from the file names, which an
    import chooses anew from the services' names."""
    if isinstance(data, dict):
        return {
            k: _without_ids(v)
            for k, v in data.items()
            if not (k == "id" or k.endswith("_id")) or k == "taxonomy_term_id"
        }
    if isinstance(data, list):
        return [_without_ids(v) for v in data]
    return data


def _cards(client, path: str) -> list[str]:
    root = check_html(client.get(path).get_data(as_text=True))
    return [text_of(card) for card in root.iter("li") if card.get("class") == "card"]


def test_an_export_imports_back_as_the_same_services(tmp_path: Path) -> None:
    exporter = make_app(tmp_path / "a", NOW=NOW)
    exported = exporter.test_client().get("/api/hsds/services?format=ndjson&full=true")
    export = tmp_path / "export.ndjson"
    export.write_bytes(exported.get_data())
    folder = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, folder, ignore=shutil.ignore_patterns("services"))
    result = exporter.test_cli_runner().invoke(
        args=["directory", "import", str(export), "--into", str(folder), "--live"]
    )
    assert result.exit_code == 0, result.output
    assert "21 service(s) written" in result.output
    content, problems = load_content(folder, today=NOW.date())
    assert content is not None
    assert [p for p in problems if p.is_error] == []
    importer = make_app(tmp_path / "b", NOW=NOW, CONTENT_DIR=folder)
    client, original = importer.test_client(), exporter.test_client()
    for path in LISTS:
        cards = _cards(client, path)
        assert cards and cards == _cards(original, path), path
    again = client.get("/api/hsds/services?full=true&per_page=100").get_json()["contents"]
    first = original.get("/api/hsds/services?full=true&per_page=100").get_json()["contents"]
    by_name = {s["name"]: s for s in _without_ids(first)}
    for service in _without_ids(again):
        assert service == by_name[service["name"]]
    assert sorted(map(json.dumps, _without_ids(again))) == sorted(
        map(json.dumps, _without_ids(first))
    )


def test_data_from_elsewhere_becomes_drafts_that_the_check_explains(tmp_path: Path) -> None:
    foreign = {
        "total_items": 1,
        "contents": [
            {
                "id": "x1",
                "name": "Inloop De Brug",
                "description": "Koffie en een gesprek, zonder afspraak.",
                "organization": {"id": "o1", "name": "Stichting De Brug", "description": "-"},
                "phones": [{"id": "p", "number": "+31 38 123 4567"}],
                "schedules": [
                    {
                        "id": "s",
                        "freq": "WEEKLY",
                        "byday": "MO,WE",
                        "opens_at": "09:00:00Z",
                        "closes_at": "12:00:00Z",
                    },
                ],
                "service_areas": [{"id": "a", "name": "Vaartstad"}],
                "status": "active",
            },
            {"id": "x2", "name": "", "status": "active"},  # no name: nothing to write
        ],
    }
    written = import_services(foreign["contents"], AMS, dt.date(2026, 12, 7), {"inloop-de-brug"})
    assert [w.slug for w in written] == ["inloop-de-brug-2"]  # the name was taken
    text = written[0].text
    assert "draft: true" in text and "phone: 038 123 4567" in text
    # A time without an offset is UTC: 09:00Z is 10:00 in Vaartstad in winter.
    assert 'opens_at: "10:00"' in text or "opens_at: '10:00'" in text
    folder = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, folder, ignore=shutil.ignore_patterns("services"))
    (folder / "services").mkdir()
    (folder / "services" / "inloop-de-brug-2.nl.md").write_text(text, encoding="utf-8")
    _content, problems = load_content(folder, today=dt.date(2026, 12, 7))
    # HSDS has no kind of help, topics or audiences: the check names what to fill in.
    said = " ".join(p.message for p in problems if p.is_error)
    assert "kind" in said
