"""The sandbox letter templates render in. An admin's template is untrusted input: it runs in Jinja's immutable
sandbox (no underscored attributes, no mutating lists or dicts) and, on top of it, within a budget.

Why a budget: Jinja's sandbox stops a template reaching Python's internals but not from doing unbounded work —
`{{ 'x' * 10**9 }}`, `{{ 9 ** 9 ** 9 }}`, nested loops over `range`, or `{% set s = s ~ s %}` repeated. So each render
gets STEPS steps (loop turns, calls, attribute reads) and SECONDS of time, every string or list it builds is at
most CHARS long — checked *before* building it where the size is known in advance — and only filters and methods
that cannot multiply their input are offered.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import markup_join
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

STEPS = 1_000_000
SECONDS = 1.0
CHARS = 1_000_000
# Filters that give back at most what they are given (plus `replace` and `join`, checked before they run).
_FILTERS = {
    "abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float", "forceescape",
    "groupby", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr",
    "replace", "reverse", "round", "safe", "select", "selectattr", "sort", "string", "striptags", "sum", "title",
    "trim", "truncate", "unique", "upper", "wordcount",
}
# Methods a template may call on text, dicts and lists: none makes its result bigger than its input.
_METHODS = {
    "capitalize", "count", "endswith", "find", "get", "index", "isalpha", "isdigit", "items", "keys", "lower",
    "lstrip", "rstrip", "split", "startswith", "strip", "title", "upper", "values",
}


class TooMuchWork(SecurityError):
    """The template went over its budget of steps, time or size."""


class _Budget:
    __slots__ = ("steps", "deadline")

    def __init__(self) -> None:
        self.steps = STEPS
        self.deadline = time.monotonic() + SECONDS

    def spend(self, steps: int = 1) -> None:
        self.steps -= steps
        if self.steps < 0:
            raise TooMuchWork(f"the template does too much work (over {STEPS:,} steps)")
        if time.monotonic() > self.deadline:
            raise TooMuchWork(f"the template takes too long (over {SECONDS:g} s)")


_budget: ContextVar[_Budget] = ContextVar("template_budget")


def _spend(steps: int = 1) -> None:
    _budget.get().spend(steps)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple | dict) else 0


def _check_size(value: Any) -> Any:
    if _size(value) > CHARS:
        raise TooMuchWork(f"the template builds a value over {CHARS:,} long")
    return value


def _ensure_fits(size: int) -> None:
    if size > CHARS:
        raise TooMuchWork(f"the template would build a value over {CHARS:,} long")


def _counted(iterable: Iterable[Any]) -> Iterator[Any]:
    # Every loop of the template iterates through this: each turn is a step.
    for item in iterable:
        _spend()
        yield item


def _concat(parts: list[Any]) -> str:
    # `a ~ b`: the joined length is known before joining.
    _ensure_fits(sum(len(str(part)) for part in parts))
    return markup_join(parts)


def _range(*args: int) -> range:
    numbers = range(*args)
    try:
        length = len(numbers)
    except OverflowError:  # longer than the machine can count
        length = MAX_RANGE + 1
    if length > MAX_RANGE:
        raise TooMuchWork(f"range() of more than {MAX_RANGE:,} numbers")
    _spend(length)
    return numbers


def _checked_replace(replace: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(replace)
    def checked(eval_ctx: Any, text: Any, old: Any, new: Any, count: int | None = None) -> Any:
        text, old, new = str(text), str(old), str(new)
        times = text.count(old) if old else len(text) + 1
        _ensure_fits(len(text) + times * max(0, len(new) - len(old)))
        return replace(eval_ctx, text, old, new, count)
    return checked


def _checked_join(join: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(join)
    def checked(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> Any:
        items = list(value)
        _spend(len(items))
        _ensure_fits(sum(len(str(item)) for item in items) + len(str(d)) * len(items))
        return join(eval_ctx, items, d, attribute)
    return checked


def _metered(function: Callable[..., Any]) -> Callable[..., Any]:
    # functools.wraps keeps Jinja's pass_context / pass_eval_context marker on the wrapper.
    @functools.wraps(function)
    def metered(*args: Any, **kwargs: Any) -> Any:
        _spend()
        return _check_size(function(*args, **kwargs))
    return metered


class _Guards(NodeTransformer):
    """Rewrites a parsed template so its loops and `~` joins go through the budget."""

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802 (Jinja's visitor naming)
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, "_counted", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        return nodes.Filter(nodes.List(node.nodes, lineno=node.lineno), "_concat", [], [], None, None,
                            lineno=node.lineno)


class LetterSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with autoescaping, a budget per render, and only size-safe filters and methods."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(autoescape=True, **options)
        builtin = self.filters
        self.filters = {name: _metered(builtin[name]) for name in _FILTERS - {"replace", "join"}}
        self.filters |= {"replace": _checked_replace(builtin["replace"]), "join": _checked_join(builtin["join"]),
                         "_counted": _counted, "_concat": _concat}
        self.globals = {"range": _range, "dict": dict}  # no lipsum, cycler or joiner

    def wrap_str_format(self, value: Any) -> None:
        """No `str.format`: a format spec can pad text to any width before anything could check it."""
        return None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Attributes as Jinja's sandbox allows them; of text, dicts and lists, only the size-safe methods."""
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if callable(value) and isinstance(obj, str | dict | list | tuple):
            return attr in _METHODS
        return True

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """`* ** + %` with their result's size checked before it is built."""
        _spend()
        if operator == "%" and isinstance(left, str):
            raise SecurityError("text formatting with % is not allowed in letters: use ~ to join text")
        if operator == "**" and isinstance(left, int | float) and isinstance(right, int | float):
            if abs(right) > 1000 or (isinstance(left, int) and abs(left).bit_length() * abs(right) > 100_000):
                raise TooMuchWork("the template raises a number to too high a power")
        if operator == "*":
            for text, times in ((left, right), (right, left)):
                if _size(text) and isinstance(times, int):
                    _ensure_fits(_size(text) * times)
        if operator == "+" and _size(left) and _size(right):
            _ensure_fits(_size(left) + _size(right))
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        """A call from the template: a step, and its result no bigger than the limit."""
        _spend()
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`a.b`: a step."""
        _spend()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """`a[b]`: a step."""
        _spend()
        return super().getitem(obj, argument)

    @functools.lru_cache(maxsize=64)  # noqa: B019 (one environment per process; the cache is its templates)
    def _compiled(self, text: str) -> Any:
        return self.from_string(_Guards().visit(self.parse(text)))

    def render(self, text: str, context: dict[str, Any]) -> str:
        """`text` rendered with `context` within the budget; raises a TemplateError (TooMuchWork among them)."""
        template = self._compiled(text)
        token = _budget.set(_Budget())
        try:
            parts: list[str] = []
            length = 0
            for part in template.generate(context):
                length += len(part)
                _ensure_fits(length)
                parts.append(part)
            return "".join(parts)
        finally:
            _budget.reset(token)
