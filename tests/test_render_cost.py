"""What a render no longer repeats: static files are hashed once per process outside debug mode
(at once in it), and WTForms' own messages are read once per language."""

from __future__ import annotations

from conftest import make_app
from uitweg import assets


def _counting(monkeypatch) -> list[str]:
    looked_up: list[str] = []
    real = assets._current_hash

    def count(filename: str) -> str | None:
        looked_up.append(filename)
        return real(filename)

    monkeypatch.setattr(assets, "_current_hash", count)
    return looked_up


def test_each_static_file_is_hashed_once_per_process(tmp_path, monkeypatch) -> None:
    app = make_app(tmp_path)
    looked_up = _counting(monkeypatch)
    client = app.test_client()
    first = client.get("/nl/help/").get_data(as_text=True)  # never kept by the page cache
    assert looked_up and len(looked_up) == len(set(looked_up))
    again = client.get("/nl/help/?topic=debt").get_data(as_text=True)
    assert len(looked_up) == len(set(looked_up))  # nothing looked up twice
    for filename in set(looked_up):
        url = f"/static/{filename}?v="
        assert url in first and url in again


def test_in_debug_mode_an_edited_file_gets_its_new_hash_at_once(tmp_path, monkeypatch) -> None:
    app = make_app(tmp_path)
    app.debug = True
    looked_up = _counting(monkeypatch)
    with app.test_request_context("/nl/"):
        assets.asset_url("css/site.css")
        assets.asset_url("css/site.css")
    assert looked_up == ["css/site.css", "css/site.css"]


def test_wtforms_own_messages_are_read_once_per_language_and_still_translated(
    tmp_path, monkeypatch
) -> None:
    from babel import support

    from partners.staff import csrf
    from uitweg import forms

    forms._wtforms_messages.cache_clear()
    loads: list[list[str]] = []
    real = support.Translations.load

    def load(dirname=None, locales=None, domain=None):
        if domain == "wtforms":
            loads.append([str(locale) for locale in locales])
        return real(dirname, locales, domain)

    monkeypatch.setattr(support.Translations, "load", load)
    app = make_app(tmp_path)
    client = app.test_client()
    for _ in range(3):
        # The login form's empty fields get WTForms' own "This field is required."
        page = client.get("/partner/login").get_data(as_text=True)
        answer = client.post("/partner/login", data={"csrf_token": csrf(page), "email": ""})
        assert answer.status_code in (200, 400)
    assert "Dit veld is vereist." in answer.get_data(as_text=True)
    assert loads == [["nl"]]
