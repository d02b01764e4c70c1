"""The directory from the page cache: a page that depends on the clock is kept until the first
moment its output can change (an opening or closing, a meeting's start or end, midnight), and
turns at exactly that minute, on both sides of a change of the clocks."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import template_rendered

from conftest import make_app

UTC = dt.UTC
SERVICE = "/nl/help/services/geldpunt-heideveen"  # Tuesdays and Thursdays 09:00-12:00


def _renders(app) -> list[str]:
    seen: list[str] = []

    def record(sender, template, context, **extra) -> None:
        seen.append(template.name)

    template_rendered.connect(record, app, weak=False)
    return seen


def _at(app, moment: dt.datetime, path: str) -> str:
    app.config["NOW"] = moment
    response = app.test_client().get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("opening", "label"),
    [
        # Summer time (UTC+2) the week before the clocks go back on 25 October 2026 ...
        (dt.datetime(2026, 10, 20, 7, 0, tzinfo=UTC), "summer time"),
        # ... and winter time (UTC+1) the week after: 09:00 in Heideveen is an hour later.
        (dt.datetime(2026, 10, 27, 8, 0, tzinfo=UTC), "winter time"),
        # The same in spring: the clocks go forward on 28 March 2027.
        (dt.datetime(2027, 3, 23, 8, 0, tzinfo=UTC), "winter time, spring"),
        (dt.datetime(2027, 3, 30, 7, 0, tzinfo=UTC), "summer time, spring"),
    ],
)
def test_a_service_page_is_kept_until_it_opens_and_turns_at_that_minute(
    tmp_path, opening, label
) -> None:
    app = make_app(tmp_path)
    renders = _renders(app)
    before = _at(app, opening - dt.timedelta(minutes=30), SERVICE)
    assert "Nu gesloten" in before, label
    assert _at(app, opening - dt.timedelta(seconds=1), SERVICE) == before
    assert renders.count("directory/service.html") == 1  # the second one came from the cache
    after = _at(app, opening, SERVICE)
    assert renders.count("directory/service.html") == 2
    assert "Nu open, tot 12:00" in after, label
    # Open until noon: kept until then, rendered again at 12:00 local.
    closing = opening + dt.timedelta(hours=3)
    assert _at(app, closing - dt.timedelta(seconds=1), SERVICE) == after
    assert renders.count("directory/service.html") == 2
    assert "Nu open" not in _at(app, closing, SERVICE)


def test_the_list_and_its_filters_are_kept_until_anything_in_them_changes(tmp_path) -> None:
    app = make_app(tmp_path)
    renders = _renders(app)
    start = dt.datetime(2026, 10, 27, 7, 30, tzinfo=UTC)  # a Tuesday, 08:30 in Heideveen
    with app.app_context():
        from uitweg.context import content
        from uitweg.directory.search import index_for

        app.config["NOW"] = start
        turn = index_for(content(), start.date()).next_change(start)
    assert start < turn <= dt.datetime(2026, 10, 27, 23, 0, tzinfo=UTC)  # by local midnight
    for path in ("/nl/help/", "/nl/help/?open=1", "/nl/help/?topic=debt&open=1"):
        first = _at(app, start, path)
        assert _at(app, turn - dt.timedelta(seconds=1), path) == first
    assert renders.count("directory/index.html") == 3
    for path in ("/nl/help/", "/nl/help/?open=1", "/nl/help/?topic=debt&open=1"):
        _at(app, turn, path)
    assert renders.count("directory/index.html") == 6


def test_the_open_filter_turns_when_a_service_opens(tmp_path) -> None:
    app = make_app(tmp_path)
    opening = dt.datetime(2026, 10, 27, 8, 0, tzinfo=UTC)  # Geldpunt Heideveen opens
    path = "/nl/help/?topic=debt&municipality=Heideveen&open=1"
    assert "Geldpunt Heideveen" not in _at(app, opening - dt.timedelta(minutes=1), path)
    assert "Geldpunt Heideveen" in _at(app, opening, path)
