"""Reading content files: UTF-8 text, YAML front matter and a markdown body, with line numbers.

Every field keeps the line it was written on, so that a schema error can say `file:line`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import N_, Problem, problem

DELIMITER = "---"
# libyaml (bundled with PyYAML's wheels) parses an order of magnitude faster, with the same marks.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    path: Path
    fields: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1

    def line(self, name: str) -> int:
        """The line of a field; nested parts are named like "hours.0.opens_at". An unknown part
        falls back to the nearest enclosing one that has a line."""
        while name:
            if name in self.lines:
                return self.lines[name]
            name = name.rpartition(".")[0]
        return 1


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """The file as text, or None with a problem when it is not valid UTF-8."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            problem(path, line, N_("this file is not UTF-8 text; save it as UTF-8 in your editor"))
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def parse_mapping(
    path: Path, text: str, first_line: int, problems: list[Problem]
) -> tuple[dict[str, Any], dict[str, int]] | None:
    """Parse YAML that must be a mapping; `first_line` is the file line the YAML starts on."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError:
        try:
            # Rare, so parse again with the pure-Python parser: it points closer to the mistake.
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = first_line + (mark.line if mark else 0)
            template = N_(
                "the YAML cannot be read: {reason} (check for a quote or bracket that is not "
                "closed on this line or above)"
            )
            problems.append(problem(path, line, template, reason=str(exc.problem or exc)))
            return None
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        problems.append(
            problem(path, first_line + node.start_mark.line, N_("expected fields as `name: value`"))
        )
        return None

    constructor = Loader("")
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = first_line + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(problem(path, line, N_("a field name must be plain text")))
            continue
        key = key_node.value
        if key in values:
            problems.append(problem(path, line, N_("field '{name}' is given twice"), name=key))
            continue
        lines[key] = line  # kept even when the value fails, so it is not reported as missing
        _nested_lines(value_node, key, first_line, lines)
        try:
            values[key] = constructor.construct_object(value_node, deep=True)
        except (ValueError, TypeError, yaml.YAMLError) as exc:
            problems.append(
                problem(
                    path,
                    line,
                    N_("field '{name}': the value cannot be read ({reason})"),
                    name=key,
                    reason=str(exc),
                )
            )
    return values, lines


def _nested_lines(node: yaml.Node, path: str, first_line: int, lines: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = f"{path}.{key_node.value}"
            lines[child] = first_line + key_node.start_mark.line
            _nested_lines(value_node, child, first_line, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = f"{path}.{index}"
            lines[child] = first_line + item.start_mark.line
            _nested_lines(item, child, first_line, lines)


def parse_document(path: Path, problems: list[Problem], text: str | None = None) -> Document | None:
    """Split a markdown file into front matter and body; None (with problems) on failure. With
    `text`, that is the file's content (an editor's version from the database), named `path`."""
    if text is None:
        text = read_text(path, problems)
        if text is None:
            return None
    else:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    all_lines = text.split("\n")
    if not all_lines or all_lines[0].strip() != DELIMITER:
        problems.append(
            problem(path, 1, N_("the file must start with a line '---' (front matter)"))
        )
        return None
    try:
        end = next(i for i in range(1, len(all_lines)) if all_lines[i].strip() == DELIMITER)
    except StopIteration:
        problems.append(
            problem(
                path, 1, N_("the front matter is not closed: add a line '---' after the fields")
            )
        )
        return None
    parsed = parse_mapping(path, "\n".join(all_lines[1:end]), 2, problems)
    if parsed is None:
        return None
    fields, lines = parsed
    body = "\n".join(all_lines[end + 1 :])
    return Document(path=path, fields=fields, lines=lines, body=body, body_line=end + 2)
