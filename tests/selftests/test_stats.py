"""The statistics page shows each self-test's completions and onward steps per result, with
"<5" for small numbers (and the next smallest beside a single hidden one)."""

from __future__ import annotations

import re

from partners.staff import START, staff_member
from selftests.answering import answers_for


def _table(html: str, title: str) -> dict[str, list[str]]:
    """The rows of the self-test table whose caption starts with `title`: result -> cells."""
    table = re.search(rf"<caption>{re.escape(title)}.*?</table>", html, re.S)
    assert table, title
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        if cells:
            rows[cells[0].split(" (")[0]] = [c.replace("&lt;", "<") for c in cells[1:]]
    return rows


def test_completions_and_next_steps_per_result_with_small_numbers_hidden(app) -> None:
    app.config["NOW"] = START
    test = app.extensions["content"].content.selftests["drugs"]["nl"]
    client = app.test_client()
    weinig, let_op, zorgen = test.bands
    for band, times in ((weinig, 3), (let_op, 6), (zorgen, 7)):
        for _ in range(times):
            assert (
                client.post("/nl/selftests/drugs", data=answers_for(test, band.high)).status_code
                == 200
            )
    for _ in range(6):
        client.post("/nl/selftests/drugs/next", data={"band": zorgen.id, "step": "help"})
    client.post("/nl/selftests/drugs/next", data={"band": zorgen.id, "step": "callback"})
    analyst = staff_member(app, "owner", "cijfers@vaartstad.example", "analyst")
    html = analyst.client.get("/partner/stats").get_data(as_text=True)
    rows = _table(html, test.title)
    # Columns: completed, then the steps any band offers in the order of STEPS:
    # callback, help, groups, stories, page.
    assert rows[weinig.title] == ["<5", "–", "–", "–", "<5", "<5"]
    assert rows[let_op.title][0] == "<5"  # the next smallest beside the single hidden count
    assert rows[zorgen.title] == ["7", "<5", "6", "<5", "<5", "–"]
    assert "in totaal 16 keer afgerond" in html
