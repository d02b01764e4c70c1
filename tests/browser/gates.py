"""The checks every page must pass in a real browser. They take a Playwright page and return a
list of problems (empty when the page is fine), so a failing test can show all of them at once."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

_AXE_RUN = """async (tags) => {
  const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
  const result = await axe.run(document, options);
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ` +
                               v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""

GATES_JS = (Path(__file__).parent / "gates.js").read_text(encoding="utf-8")


def _run(page, check: str):
    return page.evaluate(f"() => ({GATES_JS}).{check}()")


def axe_violations(page) -> list[str]:
    """WCAG 2.2 A/AA violations found by axe-core (the page's context must bypass CSP)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(_AXE_RUN, WCAG_TAGS)


def sideways_scroll(page) -> list[str]:
    return _run(page, "sidewaysScroll")


def cut_off(page) -> list[str]:
    return _run(page, "cutOff")


def exit_in_view(page) -> list[str]:
    """The quick exit on screen at the top, the middle and the bottom of the page."""
    return _run(page, "exitInView")


def heading_in_first_screen(page) -> list[str]:
    """The h1 within the first screen (run at 375 x 667, a small phone)."""
    return _run(page, "headingInFirstScreen")


def foreign_requests(requested: list[str], base_url: str) -> list[str]:
    return [url for url in requested if not url.startswith((base_url + "/", "data:", "about:"))]


def focus_problems(page, max_stops: int = 200) -> tuple[list[str], list[str]]:
    """Tab through the page. Returns (problems, the focus stops in order)."""
    # Tab from the top of the document, wherever the page put the focus (an error summary
    # takes it on purpose): focus a throwaway element at the start of <body>, then remove it.
    page.evaluate(
        """() => {
            const start = document.createElement("span");
            start.tabIndex = -1;
            document.body.prepend(start);
            start.focus();
            start.remove();
        }"""
    )
    problems, stops, seen = [], [], set()
    for _ in range(max_stops):
        page.keyboard.press("Tab")
        focused = _run(page, "focused")
        if focused is None or focused["key"] in seen:
            break
        seen.add(focused["key"])
        stops.append(focused["name"])
        if not focused["visible"]:
            problems.append(f"no visible focus on {focused['name']}")
    return problems, stops


def skip_link_first(stops: list[str]) -> list[str]:
    """The skip link must be the first Tab stop (`stops` as focus_problems returns them)."""
    if stops and stops[0].startswith("a.skip-link"):
        return []
    return [f"the first Tab stop is {stops[:1]}, not the skip link"]
