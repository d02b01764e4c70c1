"""The shape of the code, checked like its behaviour. import-linter (in .ci/run) keeps the
direction of imports; this keeps every change of a request's status in intake/lifecycle.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "site" / "uitweg"
LIFECYCLE = PACKAGE / "intake" / "lifecycle.py"


def status_writes(source: str) -> list[tuple[int, str]]:
    """Where `source` writes a status or makes a request: `x.status = ...`, a `status=`
    keyword to a query's values() or update(), or `CallbackRequest(...)`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status":
                found.append((node.lineno, "assigns .status"))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "CallbackRequest":
                found.append((node.lineno, "makes a CallbackRequest"))
            if name in {"values", "update"} and any(k.arg == "status" for k in node.keywords):
                found.append((node.lineno, f"passes status= to {name}()"))
            if name == "setattr" and len(node.args) > 1:
                attr = node.args[1]
                if isinstance(attr, ast.Constant) and attr.value == "status":
                    found.append((node.lineno, "setattr(..., 'status')"))
    return found


def test_no_status_is_written_outside_the_lifecycle_module() -> None:
    # Migrations rewrite stored history once, as it was; they are not transitions.
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line}: {what}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != LIFECYCLE and "migrations" not in path.parts
        for line, what in status_writes(path.read_text())
    ]
    assert offenders == []


def test_the_lifecycle_module_holds_every_transition() -> None:
    writes = status_writes(LIFECYCLE.read_text())
    assert len([w for w in writes if w[1] == "assigns .status"]) >= 5
    assert any(w[1] == "makes a CallbackRequest" for w in writes)


@pytest.mark.parametrize(
    "source",
    [
        "row.status = 'closed'",
        "row.status: str = 'closed'",
        "session.execute(update(CallbackRequest).values(status='closed'))",
        "CallbackRequest(reference='x')",
        "models.CallbackRequest(reference='x')",
        "setattr(row, 'status', 'closed')",
    ],
)
def test_each_way_of_writing_a_status_is_found(source: str) -> None:
    assert status_writes(source) != []


def test_reading_a_status_is_not_a_write() -> None:
    assert status_writes("if row.status == 'closed':\n    print(row.status)") == []
