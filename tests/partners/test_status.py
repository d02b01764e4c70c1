"""Operators are told when nobody can receive requests: `flask partners status`, /healthz and
the production start-up log say why the callback form is closed."""

from __future__ import annotations

import logging

from conftest import make_app
from keyholders import give_keys
from partners.staff import staff_member
from test_security import production_environment
from uitweg import create_app


def test_partners_status_and_healthz_say_who_can_receive(tmp_path) -> None:
    app = make_app(tmp_path, key_holders=False)
    runner = app.test_cli_runner()
    closed = runner.invoke(args=["partners", "status"])
    assert closed.exit_code == 1
    assert "kompas [default]: cannot receive (nobody holds a key); 0 key holder(s)" in closed.output
    assert "callback form: closed" in closed.output
    health = app.test_client().get("/healthz")
    assert health.status_code == 200 and "warning: the callback form takes no requests" in (
        health.get_data(as_text=True)
    )

    staff_member(app, "kompas", "bram@kompas.example")
    give_keys(app, ["geldpunt-heideveen"])
    opened = runner.invoke(args=["partners", "status"])
    assert opened.exit_code == 0, opened.output
    assert "kompas [default]: receives requests; 1 key holder(s)  <- keep at least two" in (
        opened.output
    )
    assert "jong-vaartstad: cannot receive" in opened.output
    assert "callback form: takes requests" in opened.output
    assert app.test_client().get("/healthz").get_data(as_text=True) == "ok"


def test_production_start_up_says_when_the_form_is_closed(monkeypatch, tmp_path, caplog) -> None:
    url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    make_app(tmp_path / "migrate", key_holders=False, DATABASE_URL=url)  # the release step
    production_environment(monkeypatch, DATABASE_URL=url)
    with caplog.at_level(logging.WARNING):
        create_app({"INSTANCE_DIR": tmp_path})
    assert "the callback form takes no requests" in caplog.text
