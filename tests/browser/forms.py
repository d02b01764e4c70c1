"""Every form in every state: empty, sent empty (errors), sent with valid answers (confirmed)."""

from __future__ import annotations

from browser.gates import axe_violations
from browser.keyboard import complete_form
from pagecheck import parse


def post_forms(site, path: str) -> list[str]:
    """Actions of the POST forms on a page, read from its HTML (no browser needed to find them)."""
    html = site.app.test_client().get(path).get_data(as_text=True)
    root = parse(html)
    return [f.get("action") for f in root.iter("form") if (f.get("method") or "").lower() == "post"]


def form_state_problems(site, open_page, samples) -> tuple[dict[str, list[str]], list[str]]:
    """Axe violations per form state, and the states that were checked."""
    problems: dict[str, list[str]] = {}
    checked: list[str] = []
    for path in site.pages():
        for action in post_forms(site, path):
            sample = samples.get("/" + action.split("/", 2)[-1])
            states = [("empty", None), ("errors", {})]
            if sample is None:
                problems[f"{path} -> {action}"] = ["no sample in tests/browser/form_samples.py"]
            else:
                states.append(("confirmed", sample))
            for state, values in states:
                page = open_page(site.url(path), bypass_csp=True)
                if values is not None:
                    complete_form(page, values, action=action)
                problems[f"{path} -> {action} ({state})"] = axe_violations(page)
                checked.append(f"{path} ({state})")
                page.context.close()
    return problems, checked
