"""Static files' hashed URLs: looked up once per process outside debug mode, at once in it."""

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
