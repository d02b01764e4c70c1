"""Every form in every state: empty, sent empty (errors), sent with valid answers (confirmed);
in each, no WCAG violation and nothing wider than a 320 or 375 px phone."""

from __future__ import annotations

from fnmatch import fnmatch

from browser.gates import axe_violations, sideways_scroll
from browser.keyboard import complete_form
from pagecheck import parse


def post_forms(site, path: str) -> list[str]:
    """Actions of the POST forms on a page, read from its HTML (no browser needed to find them)."""
    html = site.app.test_client().get(path).get_data(as_text=True)
    root = parse(html)
    return [f.get("action") for f in root.iter("form") if (f.get("method") or "").lower() == "post"]


def sample_for(samples, action: str):
    """The sample for a form's action; a key with * stands for every path it matches (the
    report form of each listing, an owner's link)."""
    if action in samples:
        return samples[action]
    return next((v for k, v in samples.items() if "*" in k and fnmatch(action, k)), None)


def form_state_problems(
    site, open_page, samples, paths: list[str] | None = None
) -> tuple[dict[str, list[str]], list[str]]:
    """Problems per form state (of every page, or of `paths`), and the states checked."""
    problems: dict[str, list[str]] = {}
    checked: list[str] = []
    for path in site.pages() if paths is None else paths:
        for action in post_forms(site, path):
            sample = sample_for(samples, "/" + action.split("/", 2)[-1])
            states = [("empty", None), ("errors", {})]
            if sample is None:
                problems[f"{path} -> {action}"] = ["no sample in tests/browser/form_samples.py"]
            else:
                states.append(("confirmed", sample))
            for state, values in states:
                page = open_page(site.url(path), bypass_csp=True)
                if values is not None:
                    complete_form(page, values, action=action)
                found = axe_violations(page)
                for width in (320, 375):
                    page.set_viewport_size({"width": width, "height": 640})
                    found += [f"at {width} px: {p}" for p in sideways_scroll(page)]
                problems[f"{path} -> {action} ({state})"] = found
                checked.append(f"{path} ({state})")
                page.context.close()
    return problems, checked
