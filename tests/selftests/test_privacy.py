"""A self-test leaves nothing of its answers: across a complete run through gunicorn (form,
answers, result, next step), no answer or result is in the database, the logs, a URL or a
cookie, and the form comes back empty."""

from __future__ import annotations

import http.client
import logging
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa

import databases
from browser.server import gunicorn
from conftest import SAMPLE_CONTENT, make_app
from selftests.answering import answers_for

SLUG = "drugs"


def _dump(url: str) -> dict[str, set[tuple]]:
    address = sa.make_url(url)
    if address.get_backend_name() == "postgresql":
        address = address.set(drivername="postgresql+psycopg")
    engine = sa.create_engine(address)
    try:
        tables = sa.inspect(engine).get_table_names()
        with engine.connect() as connection:
            return {
                name: set(connection.execute(sa.text(f'SELECT * FROM "{name}"')).all())
                for name in tables
            }
    finally:
        engine.dispose()


def _request(base_url: str, method: str, path: str, form: dict | None = None):
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    body = urlencode(form, doseq=True) if form is not None else None
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    return response, text


def test_a_complete_run_leaves_only_a_count(tmp_path, caplog) -> None:
    with databases.fresh_database(tmp_path) as url:
        _complete_run(tmp_path, caplog, url)


def _complete_run(tmp_path, caplog, url: str) -> None:
    app = make_app(tmp_path, DATABASE_URL=url)
    test = app.extensions["content"].content.selftests[SLUG]["nl"]
    band = test.bands[1]
    answers = answers_for(test, band.low)
    before = _dump(url)
    env = {
        "UITWEG_ENV": "test",
        "UITWEG_CONTENT_DIR": str(SAMPLE_CONTENT),
        "DATABASE_URL": url,
        "PYTHONPATH": str(Path(__file__).parents[1]),
    }
    lines: list[str] = []
    caplog.set_level(logging.DEBUG)
    with gunicorn("app:app", env, workers=1, log=lines) as base_url:
        form, _ = _request(base_url, "GET", f"/nl/selftests/{SLUG}")
        result, result_html = _request(base_url, "POST", f"/nl/selftests/{SLUG}", answers)
        step, _ = _request(
            base_url, "POST", f"/nl/selftests/{SLUG}/next", {"band": band.id, "step": "help"}
        )
        again, again_html = _request(base_url, "GET", f"/nl/selftests/{SLUG}")
    assert result.status == 200 and band.title in result_html
    assert step.status == 303
    location = step.getheader("Location")
    # No cookie is set, and no step of the run may be stored by the browser.
    for response in (form, result, step, again):
        assert response.getheader("Set-Cookie") is None
        assert response.getheader("Cache-Control") == "no-store"
    # The result is not in the address the browser goes on to.
    assert band.id not in location and "q-" not in location and "score" not in location
    # The form opened again (as the back button does) holds none of the answers.
    assert " checked" not in again_html
    # The logs: the access log names the paths, never a field, an answer or a result.
    logged = "".join(lines) + caplog.text
    assert f'"POST /nl/selftests/{SLUG}" 200' in logged  # the access log is there
    for secret in (band.id, band.title, *answers):
        assert secret not in logged, secret
    # The database: one count for the result and one for the step, and nothing else new.
    after = _dump(url)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"selftest_count"}
    rows = after["selftest_count"] - before.get("selftest_count", set())
    assert {(r[0], r[2], r[3], r[4], r[5]) for r in rows} == {
        (SLUG, band.id, "done", "", 1),
        (SLUG, band.id, "help", "", 1),
    }


def test_a_failed_count_logs_no_result_and_still_shows_it(app, caplog, monkeypatch) -> None:
    from sqlalchemy.exc import OperationalError

    from uitweg.outreach import counting

    def broken(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT INTO selftest_count", {"band": "zorgen"}, Exception("x"))

    monkeypatch.setattr(counting, "add_test_event", broken)
    test = app.extensions["content"].content.selftests[SLUG]["nl"]
    band = test.bands[-1]
    response = app.test_client().post(f"/nl/selftests/{SLUG}", data=answers_for(test, band.high))
    assert response.status_code == 200 and band.title in response.get_data(as_text=True)
    assert "self-test count failed: OperationalError" in caplog.text
    assert band.id not in caplog.text
