"""Whatever an editor pastes into markdown, no script or foreign resource reaches a page."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, make_app
from pagecheck import check_html, is_own

DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "form",
    "input",
    "svg",
    "math",
    "link",
    "meta",
    "base",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


def test_a_story_full_of_attacks_renders_without_any_of_them(tmp_path: Path, content_dir) -> None:
    shutil.copy(FIXTURES / "attacks.nl.md", content_dir / "stories" / "attacks.nl.md")
    client = make_app(tmp_path, CONTENT_DIR=content_dir).test_client()

    response = client.get("/nl/stories/attacks")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    root = check_html(html)
    for trace in ("alert(", "msgbox", "javascript:", "tracker.example", "evil.example", "onerror"):
        assert trace.lower() not in html.lower(), f"{trace!r} reached the page"
    article = root.find(".//article")
    assert "Gewone tekst blijft staan." in "".join(article.itertext())
    for element in article.iter():
        assert element.tag not in DANGEROUS_TAGS, f"<{element.tag}> survived"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{name}= survived on <{element.tag}>"
            assert name.lower() not in {"style", "srcdoc", "formaction"}
            if name in {"href", "src", "action"}:
                lowered = "".join(value.split()).lower()
                assert not lowered.startswith(DANGEROUS_SCHEMES), f"{name}={value!r} survived"
            if element.tag == "img" and name == "src":
                assert is_own(value), f"remote image {value!r} survived"
    links = [a for a in article.iter("a")]
    assert links, "the safe links in the story are kept"
    assert all(a.get("rel") == "noopener noreferrer" for a in links)
    # The page as a whole carries only the site's own script.
    scripts = list(root.iter("script"))
    assert len(scripts) == 1 and scripts[0].get("src") is None
    assert "data-quick-exit" in scripts[0].text


def test_the_check_warns_about_each_line_that_will_be_dropped(runner, content_dir: Path) -> None:
    shutil.copy(FIXTURES / "attacks.nl.md", content_dir / "stories" / "attacks.nl.md")

    result = runner.invoke(args=["content", "check", "--dir", str(content_dir), "--strict"])

    assert result.exit_code == 1
    assert "attacks.nl.md:13: warning: raw HTML is not shown" in result.output
    assert "attacks.nl.md:21: warning: this link is not allowed" in result.output
