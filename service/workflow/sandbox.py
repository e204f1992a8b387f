"""The sandbox every expression of a diagram runs in: scripts, gateway conditions, timer expressions.

A diagram is written by a process owner in the browser, so its Python is untrusted input. It is compiled by
RestrictedPython (no names or attributes starting with `_`, no imports, no frame or code attributes) with a
policy of our own on top, and runs with guards we supply:

- attributes: only an allow-list of plain methods of `str`, `dict` and `list` (nothing of functions, types or
  modules, no `format`), so a helper exposes nothing of its module;
- builtins: an allow-list of pure functions; no `getattr`, `vars`, `type`, `open`, `__import__`;
- work: every loop turn, comprehension item and function call counts against a budget of steps and of time,
  and `+ * ** << %` and the growing methods refuse results past a size, so `range(10**9)`, `'x' * 10**10` or
  `while True: pass` fail at once with a clear message instead of taking a worker down;
- the profile's parameters are read-only.

Nothing else in the application calls `eval` or `exec`. Code is compiled once per distinct text.
"""

from __future__ import annotations

import ast
import operator
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from types import CodeType, MappingProxyType
from typing import Any

from RestrictedPython import RestrictingNodeTransformer, compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence

MAX_STEPS = 100_000  # loop turns, comprehension items and calls one evaluation may take
MAX_SECONDS = 0.5  # wall time one evaluation may take
MAX_SIZE = 100_000  # characters of a string, items of a list, that an operation may build
MAX_INT_BITS = 4_096  # about 1,200 decimal digits


class SandboxError(Exception):
    """An expression was refused or stopped by the sandbox; the message says why, in plain words."""


class SandboxLimit(SandboxError):
    """An expression did more work, or built something larger, than the sandbox allows."""


# -- compiling ---------------------------------------------------------------------------------------------


class _Policy(RestrictingNodeTransformer):
    """RestrictedPython's policy, plus: a step counted at each loop turn and call, guarded growing operators,
    and none of the constructs a procedure's expression has no use for."""

    _GROWING = {ast.Add: "_add_", ast.Mult: "_mul_", ast.Pow: "_pow_", ast.LShift: "_lshift_", ast.Mod: "_mod_"}

    @staticmethod
    def _at(new: Any, node: ast.AST) -> Any:
        # New nodes take the line of the node they replace, so errors point at the process owner's line.
        for child in ast.walk(new):
            if "lineno" in child._attributes and not hasattr(child, "lineno"):
                ast.copy_location(child, node)
        return new

    def _tick(self, node: ast.AST) -> ast.stmt:
        return self._at(ast.Expr(ast.Call(func=ast.Name("_tick_", ast.Load()), args=[], keywords=[])), node)

    def visit_While(self, node: ast.While) -> Any:
        """A loop counts a step on every turn."""
        node = self.node_contents_visit(node)
        node.body.insert(0, self._tick(node))
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> Any:
        """A function counts a step on every call (recursion is bounded by the budget too)."""
        visited: Any = super().visit_FunctionDef(node)
        visited.body.insert(0, self._tick(node))
        return visited

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        """`a + b`, `a * b`, `a ** b`, `a << b` and `a % b` go through guards that refuse huge results."""
        node = self.node_contents_visit(node)
        guard = self._GROWING.get(type(node.op))
        if guard is None:
            return node
        return self._at(ast.Call(func=ast.Name(guard, ast.Load()), args=[node.left, node.right], keywords=[]), node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> Any:
        """f-strings may insert values but not format them: a format spec can pad a string to any width."""
        if node.format_spec is not None:
            self.error(node, "format specifications in f-strings are not allowed")
        return self.node_contents_visit(node)

    def _refuse(self, what: str) -> Callable[[ast.AST], Any]:
        def refuse(node: ast.AST) -> Any:
            self.error(node, f"{what} are not allowed in a diagram's expressions")
        return refuse

    def visit_ClassDef(self, node: ast.ClassDef) -> Any:
        """No classes."""
        return self._refuse("class definitions")(node)

    def visit_Yield(self, node: ast.Yield) -> Any:
        """No generator functions."""
        return self._refuse("generator functions")(node)

    def visit_YieldFrom(self, node: ast.YieldFrom) -> Any:
        """No generator functions."""
        return self._refuse("generator functions")(node)

    def visit_Global(self, node: ast.Global) -> Any:
        """No global statements."""
        return self._refuse("global statements")(node)

    def visit_With(self, node: ast.With) -> Any:
        """No with statements."""
        return self._refuse("with statements")(node)


@lru_cache(maxsize=4096)
def compile_expression(text: str, mode: str) -> CodeType:
    """Compile `text` ("eval": an expression, "exec": a script) under the sandbox's policy, once per text.

    Raises SandboxError naming the line and what is not allowed (or the syntax error)."""
    compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    result = compiler(text, filename="<diagram>", policy=_Policy)
    if result.errors:
        raise SandboxError("; ".join(_plain(error) for error in result.errors))
    assert result.code is not None
    return result.code


def _plain(error: str) -> str:
    # RestrictedPython writes 'Line 1: "__globals__" is an invalid attribute name because it starts with "_".'
    return error.rstrip(".").replace("Line ", "line ", 1)


# -- running -----------------------------------------------------------------------------------------------

_ALLOWED_METHODS: dict[type, frozenset[str]] = {
    str: frozenset({"capitalize", "casefold", "count", "endswith", "find", "isalnum", "isalpha", "isdigit",
                    "islower", "isspace", "isupper", "join", "lower", "lstrip", "partition", "replace", "rfind",
                    "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "title",
                    "upper"}),
    dict: frozenset({"get", "keys", "values", "items", "copy", "setdefault", "pop", "update"}),
    MappingProxyType: frozenset({"get", "keys", "values", "items"}),
    list: frozenset({"append", "count", "copy", "extend", "index", "insert", "pop", "remove", "reverse", "sort"}),
    tuple: frozenset({"count", "index"}),
}


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple, dict, set, bytes)) else 0


def _check_size(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise SandboxLimit(f"a number larger than {MAX_INT_BITS} bits is not allowed")
    if _size(value) > MAX_SIZE:
        raise SandboxLimit(f"a value of more than {MAX_SIZE:,} characters or items is not allowed")
    return value


class _Budget:
    """The work one evaluation may still do; every guard of that evaluation draws on it."""

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS
        self.exhausted: str | None = None

    def tick(self) -> None:
        if self.exhausted is None:
            self.steps += 1
            if self.steps > MAX_STEPS:
                self.exhausted = f"it took more than {MAX_STEPS:,} steps (an endless loop?)"
            elif self.steps % 256 == 0 and time.monotonic() > self.deadline:
                self.exhausted = f"it ran for more than {MAX_SECONDS} seconds"
        if self.exhausted is not None:
            raise SandboxLimit(f"stopped: {self.exhausted}")

    def iterate(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iter(iterable):
            self.tick()
            yield item

    def guards(self) -> dict[str, Any]:
        """The names RestrictedPython's compiled code calls, bound to this budget."""
        return {"_tick_": self.tick, "_getiter_": self.iterate, "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
                "_unpack_sequence_": guarded_unpack_sequence}


def _getattr(obj: Any, name: str, default: Any = None) -> Any:
    allowed = _ALLOWED_METHODS.get(type(obj), frozenset())
    if name not in allowed:
        raise SandboxError(f"{type(obj).__name__} has no attribute {name!r} that a diagram may use")
    method = getattr(obj, name)
    if name == "join":
        return _join(obj)
    if name == "replace":
        return _replace(obj)

    def checked(*args: Any, **kwargs: Any) -> Any:
        result = method(*args, **kwargs)
        _check_size(obj)  # list.extend and dict.update grow the object itself
        return _check_size(result)
    return checked


def _join(separator: str) -> Callable[[Iterable[Any]], str]:
    def join(parts: Iterable[Any]) -> str:
        items = list(parts)
        _check_size(items)
        if sum(_size(item) for item in items) + len(separator) * len(items) > MAX_SIZE:
            raise SandboxLimit(f"a value of more than {MAX_SIZE:,} characters or items is not allowed")
        return separator.join(items)
    return join


def _replace(text: str) -> Callable[..., str]:
    def replace(old: str, new: str, count: int = -1) -> str:
        grows = max(0, len(str(new)) - len(str(old))) * (text.count(old) + 1 if old else len(text) + 1)
        if len(text) + grows > MAX_SIZE:
            raise SandboxLimit(f"a value of more than {MAX_SIZE:,} characters or items is not allowed")
        return text.replace(old, new, count)
    return replace


def _getitem(obj: Any, key: Any) -> Any:
    if not isinstance(obj, (dict, list, tuple, str, MappingProxyType)):
        raise SandboxError(f"a {type(obj).__name__} cannot be indexed in a diagram's expression")
    return obj[key]


def _write(obj: Any) -> Any:
    if isinstance(obj, (dict, list)):
        return obj
    raise SandboxError(f"a {type(obj).__name__} cannot be changed by a diagram's expression"
                       + (" (the profile's parameters are read-only)" if isinstance(obj, MappingProxyType) else ""))


def _mul(left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_INT_BITS + 1:
            raise SandboxLimit(f"a number larger than {MAX_INT_BITS} bits is not allowed")
    elif isinstance(right, int) and _size(left) * max(right, 0) > MAX_SIZE or \
            isinstance(left, int) and _size(right) * max(left, 0) > MAX_SIZE:
        raise SandboxLimit(f"a value of more than {MAX_SIZE:,} characters or items is not allowed")
    return left * right


def _pow(base: Any, exponent: Any) -> Any:
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1 \
            and base.bit_length() * exponent > MAX_INT_BITS + exponent:
        raise SandboxLimit(f"a number larger than {MAX_INT_BITS} bits is not allowed")
    return _check_size(base ** exponent)


def _lshift(value: Any, shift: Any) -> Any:
    if isinstance(value, int) and isinstance(shift, int) and value and value.bit_length() + shift > MAX_INT_BITS:
        raise SandboxLimit(f"a number larger than {MAX_INT_BITS} bits is not allowed")
    return value << shift


def _add(left: Any, right: Any) -> Any:
    if _size(left) + _size(right) > MAX_SIZE:
        raise SandboxLimit(f"a value of more than {MAX_SIZE:,} characters or items is not allowed")
    return left + right


def _mod(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        raise SandboxError("'%' formatting of strings is not allowed: use an f-string")
    return left % right


_INPLACE = {"+=": _add, "-=": operator.sub, "*=": _mul, "/=": operator.truediv, "//=": operator.floordiv,
            "%=": _mod, "**=": _pow, "<<=": _lshift, ">>=": operator.rshift, "&=": operator.and_,
            "|=": operator.or_, "^=": operator.xor}


def _inplacevar(op: str, left: Any, right: Any) -> Any:
    if op not in _INPLACE:
        raise SandboxError(f"the operator {op} is not allowed")
    return _INPLACE[op](left, right)


def _range(*args: int) -> range:
    values = range(*args)
    if len(values) > MAX_SIZE:
        raise SandboxLimit(f"a range of more than {MAX_SIZE:,} numbers is not allowed")
    return values


def _sum(values: Iterable[Any], start: Any = 0) -> Any:
    if not isinstance(start, (int, float)):
        raise SandboxError("sum() adds numbers only")
    return sum(values, start)


SAFE_BUILTINS: dict[str, Any] = {
    "abs": abs, "all": all, "any": any, "bool": bool, "dict": dict, "enumerate": enumerate, "float": float,
    "int": int, "len": len, "list": list, "max": max, "min": min, "range": _range, "round": round, "set": set,
    "sorted": sorted, "str": str, "sum": _sum, "tuple": tuple, "zip": zip, "True": True, "False": False,
    "None": None, "ValueError": ValueError, "KeyError": KeyError,
}

_STATIC_GUARDS: dict[str, Any] = {
    "__builtins__": SAFE_BUILTINS, "_getattr_": _getattr, "_getitem_": _getitem, "_write_": _write,
    "_inplacevar_": _inplacevar, "_apply_": lambda f, *a, **k: f(*a, **k), "_add_": _add, "_mul_": _mul,
    "_pow_": _pow, "_lshift_": _lshift, "_mod_": _mod,
}
GUARD_NAMES = frozenset(_STATIC_GUARDS) | frozenset(_Budget().guards())


def read_only(value: Any) -> Any:
    """`value` (the profile's parameters) as read-only mappings and tuples, so no script can change them."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: read_only(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(read_only(item) for item in value)
    return value


def evaluate(text: str, scope: dict[str, Any]) -> Any:
    """The value of expression `text` with `scope` (helpers, policy and task data: a dict of the caller's own,
    which gains the guards) in scope, in the sandbox."""
    code = compile_expression(text, "eval")
    budget = _Budget()
    scope.update(_STATIC_GUARDS)
    scope.update(budget.guards())
    return _finish(budget, _run(lambda: eval(code, scope)))  # noqa: S307 - compiled by RestrictedPython


def execute(text: str, scope: dict[str, Any]) -> None:
    """Run script `text` in the sandbox; its assignments land in `scope` (the task data with helpers added)."""
    code = compile_expression(text, "exec")
    budget = _Budget()
    scope.update(_STATIC_GUARDS)
    scope.update(budget.guards())
    _finish(budget, _run(lambda: exec(code, scope)))  # noqa: S102 - compiled by RestrictedPython


def _run(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except RecursionError:
        raise SandboxLimit("stopped: it called itself too deeply") from None
    except MemoryError:
        raise SandboxLimit("stopped: it needed too much memory") from None


def _finish(budget: _Budget, value: Any) -> Any:
    # A script that caught the budget's error and carried on is still stopped.
    if budget.exhausted is not None:
        raise SandboxLimit(f"stopped: {budget.exhausted}")
    return value
