"""Fill in and send a form with the keyboard alone, as a person without a mouse would.

Later tests (the callback form) use `complete_form` with JavaScript on and off."""

from __future__ import annotations

from collections.abc import Mapping

_ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return {tag: el.tagName.toLowerCase(), type: (el.type || '').toLowerCase(), name: el.name || '',
          value: el.value || '', checked: !!el.checked, inForm: !!el.form,
          formAction: el.form ? el.form.getAttribute('action') : null};
}"""


def complete_form(
    page, values: Mapping[str, str | bool], action: str, max_stops: int = 300
) -> None:
    """Tab from the top of the page to the form posting to `action`, fill every field named in
    `values` (text is typed, True ticks a checkbox, a radio or select gets the given value) and send
    it by pressing Enter on its submit button. Fails when a field cannot be reached."""
    # A blurred element stays the browser's starting point for Tab; a focused and removed marker
    # at the top of the body moves that point to the top of the page.
    page.evaluate(
        """() => { const mark = document.createElement('span'); mark.tabIndex = -1;
                   document.body.prepend(mark); mark.focus(); mark.remove(); }"""
    )
    remaining = dict(values)
    for _ in range(max_stops):
        page.keyboard.press("Tab")
        el = page.evaluate(_ACTIVE)
        if el is None:
            break
        if not el["inForm"] or el["formAction"] != action:
            continue
        # Inputs and buttons say what they are in `type` (a <button> is "submit" by default).
        name, kind = el["name"], el["type"] or el["tag"]
        if kind == "submit":
            if remaining:
                raise AssertionError(f"reached the submit button before {sorted(remaining)}")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
        if name not in remaining:
            continue
        wanted = remaining.pop(name)
        if kind == "checkbox":
            if bool(wanted) != el["checked"]:
                page.keyboard.press("Space")
        elif kind == "radio":
            _choose_radio(page, str(wanted))
        elif kind == "select-one":
            _choose_option(page, str(wanted))
        else:
            page.keyboard.type(str(wanted))
    raise AssertionError(f"could not reach the submit button of the form posting to {action}")


def _choose_radio(page, wanted: str) -> None:
    # Arrow keys move through a radio group and select as they go.
    for _ in range(50):
        if page.evaluate(_ACTIVE)["value"] == wanted:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no radio button with value {wanted!r}")


def _choose_option(page, wanted: str) -> None:
    page.keyboard.press("Home")
    for _ in range(100):
        if page.evaluate(_ACTIVE)["value"] == wanted:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option with value {wanted!r}")
