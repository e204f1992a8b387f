"""Which names a diagram's expressions read and set, so an unknown one is refused before it is stored.

A name an expression reads must come from somewhere: the data the process starts with, a field of a form one
of its user tasks names, a script's assignment, the profile's parameters (`policy`), or a helper. Whether each
is set on *every* path is the scenario runner's to prove (service.workflow.explore); this finds the names that
are set on none, with the nearest known ones ("did you mean ...").
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class NameUse:
    """A name an expression reads, and the line of the expression it is on (1-based)."""

    name: str
    line: int


def _bound(tree: ast.AST) -> set[str]:
    # Names the expression binds itself: assignments, loop and comprehension targets, function arguments.
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.FunctionDef):
            bound.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound


def reads(text: str, mode: str) -> list[NameUse]:
    """The names `text` reads that it does not bind itself (unparseable text reads nothing: the syntax check
    reports it)."""
    try:
        tree = ast.parse(text, mode=mode)
    except SyntaxError:
        return []
    bound = _bound(tree)
    seen: dict[str, NameUse] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in bound:
            seen.setdefault(node.id, NameUse(node.id, node.lineno))
    return sorted(seen.values(), key=lambda use: (use.line, use.name))


def assigns(text: str) -> set[str]:
    """The names a script sets for the steps after it (its top-level assignments)."""
    try:
        tree = ast.parse(text, mode="exec")
    except SyntaxError:
        return set()
    names: set[str] = set()
    for statement in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets = list(statement.targets)
        elif isinstance(statement, (ast.AugAssign, ast.AnnAssign, ast.For)):
            targets = [statement.target]
        for target in targets:
            names |= {node.id for node in ast.walk(target) if isinstance(node, ast.Name)}
    return names


def unknown_message(what: str, name: str, known: set[str]) -> str:
    """What to tell a process owner about a name nothing sets, with the nearest known names."""
    close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.75)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else \
        "no form field, script, complaint field, profile parameter or helper sets it"
    return f"the {what} reads {name!r}, which is not known here: {hint}"
