"""The request page as a busy care worker reads it: take it first, then the actions that fit;
every action confirmed; the number ready to tap; an error where it is seen."""

from __future__ import annotations

from callback.forms import submit
from conftest import make_app
from pagecheck import check_html, text_of
from partners.staff import START, request_ids, staff_member


def _request(tmp_path):
    app = make_app(tmp_path, NOW=START)
    staff = staff_member(app, "geldpunt-heideveen", "anna@geldpunt.example")
    assert submit(app.test_client(), topics=["debt"], municipality="Heideveen").status_code == 200
    [request_id] = request_ids(staff.client.get("/partner/").get_data(as_text=True))
    return staff, f"/partner/requests/{request_id}"


def _then(staff, response):
    """The page a POST redirects to, as the browser shows it next."""
    assert response.status_code == 303
    return staff.client.get(response.headers["Location"])


def _actions(html: str) -> list[str]:
    root = check_html(html)
    return [form.get("action").rsplit("/", 1)[-1] for form in root.iter("form")]


def test_an_unclaimed_request_offers_taking_it_first_and_then_the_rest(tmp_path) -> None:
    staff, path = _request(tmp_path)
    before = _actions(staff.client.get(path).get_data(as_text=True))
    assert before[1:3] == ["claim", "forward"]  # after the header's log-out
    assert "contact" not in before and "close" not in before and "attempt" not in before

    claimed = _then(staff, staff.post(f"{path}/claim", page=path))
    html = claimed.get_data(as_text=True)
    assert "Je hebt deze vraag opgepakt" in html
    after = _actions(html)
    assert after.index("contact") < after.index("attempt") < after.index("close")


def test_the_number_is_a_tel_link_written_as_it_is_dialled(tmp_path) -> None:
    staff, path = _request(tmp_path)
    staff.post(f"{path}/claim", page=path)
    root = check_html(staff.post(f"{path}/contact", page=path).get_data(as_text=True))
    link = root.find(".//dl[@id='contact']//a[@class='tel']")
    assert link.get("href") == "tel:+31612345678" and text_of(link) == "06 12345678"


def test_an_empty_close_is_explained_at_the_top_and_every_action_is_confirmed(tmp_path) -> None:
    staff, path = _request(tmp_path)
    staff.post(f"{path}/claim", page=path)
    empty = staff.post(f"{path}/close", page=path)
    assert empty.status_code == 400
    root = check_html(empty.get_data(as_text=True))
    summary = root.find(".//div[@id='error-summary']")
    assert summary is not None and summary.get("autofocus") is not None
    attempt = _then(staff, staff.post(f"{path}/attempt", page=path, result="no-answer"))
    assert "De contactpoging is opgeslagen." in attempt.get_data(as_text=True)
    closed = _then(staff, staff.post(f"{path}/close", page=path, outcome="helped"))
    assert "De vraag is afgesloten." in closed.get_data(as_text=True)
