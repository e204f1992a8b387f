"""What the fuzz tests send and how they keep score: hostile strings, impossible dates, JSON of every wrong type,
malformed bodies, form values built from a form's own field description, and a tally of every request made."""

from __future__ import annotations

import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# The cases each fuzz test must send per run; together at least the 10,000 the suite promises.
TARGETS = {"openapi": 600, "api_json": 5_400, "forms": 4_000}
TOTAL = 10_000

XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>']
NASTY = [
    *XSS, "", " ", "\t\r\n", "\x00", "a\x00b", "\ud800", "x\udfffy", "\u202eevil\u202c", "\u200f\u200e\u061c",
    "\ufeff", "\u200b", "e\u0301", "👍🏽", "𝕏𝕐", "\x1b[31m", "\x7f\x08", "line\r\nBcc: x@example.org", "%00", "%s%n",
    "{{7*7}}", "${7*7}", "' OR 1=1 --", '"; DROP TABLE complaint; --', "../../../etc/passwd", "CF-2027-000001",
    "null", "None", "NaN", "Infinity", "sNaN", "-inf", "-1", "0", "99999999999999999999999", "1e400", "²", "٣",
    "1_000", " 7 ", "y", "on", "true", "[]", "{}",
    "a" * 201, "b" * 255, "c" * 2001, "d" * 5001, "e" * 20_001, "ü" * 40_000,
]
DATES = [
    "0000-01-01", "0001-01-01", "9999-12-31", "99999-01-01", "2026-02-30", "2027-02-29", "2028-02-29",
    "2027-13-01", "2027-00-10", "2027-03-00", "-2027-03-01", "2027-3-1", "27-03-01", "2027/03/01", "01/03/2027",
    "2027-03-01T25:00", "2027-03-01T10:00:60", "2027-03-01T10:00+99:00", "0001-01-01T00:00+00:01",
    "0001-01-01T00:00:00+23:59", "9999-12-31T23:59-00:01", "9999-12-31T23:59:59.999999-23:59", "2027-03-01T10:00Z",
    "2027-03-01Z", "2027-W09-1", "20270301", "2027-03-01 ", " 2027-03-01", "2027-03-01\x00", "２０２７-０３-０１",
    "2027-03-01T10:00:00.0000000001", "1e9", "", "today", "2027-03-01", "2027-02-26", "2000-01-01", "1999-12-31",
]
NOT_A_FIELD = "fuzz_not_a_field"
BIG_NUMBERS = [2**31, 2**63, -(2**63) - 1, 10**30, -1, 0]

# Text of every awkward kind: the list above, arbitrary text, and control, format and surrogate characters.
texts = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=12),
    st.text(st.characters(categories=["Cc", "Cf", "Cs", "Co", "Zl", "Zp", "Mn"]), min_size=1, max_size=6),
)
dates = st.one_of(
    st.sampled_from(DATES),
    st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(-1, 100_000), st.integers(0, 13), st.integers(0, 32)),
    st.dates().map(lambda day: day.isoformat()),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from(BIG_NUMBERS),
                    st.floats(allow_nan=True, allow_infinity=True), texts, dates)
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                            st.dictionaries(texts, inner, max_size=3)), max_leaves=4)

MALFORMED_JSON = [
    b"", b"{", b"}", b'{"a":', b'{"a":1,}', b"{'a': 1}", b"NaN", b"-", b"\xff\xfe{\x00}\x00", b"\xef\xbb\xbf{}",
    b'{"a":"\\ud800"}', b'{"data":{"x":"\\u0000"}}', b'"\\udc00"', b"[" * 50_000, b'{"a":' * 50_000,
    b"1" * 5_000, b'{"a": 1e999}', b"null", b"true", b"[]", b"123", b'"x"', b"{}", b'{"a":"\x00"}', b"\x00",
    b"<xml/>", b"a=1&b=2", b'{"__proto__": {"admin": true}}', b'{"a":1}{"b":2}', b'{"channel":"phone","channel":1}',
    b'{"data": {"a": [' + b"[" * 5_000 + b"]" * 5_000 + b"]}}",
]
CONTENT_TYPES = ["application/json", "application/json; charset=utf-16", "application/json; charset=latin-1",
                 "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                 "application/xml", "application/merge-patch+json"]


# Requests per Hypothesis example: its fixed cost per example (about 2 ms) is shared by this many cases.
BATCH = 16


def batches(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    """BATCH draws of `strategy` at once."""
    return st.lists(strategy, min_size=BATCH, max_size=BATCH)


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of `choices`, each drawn in proportion to its weight (the costly requests less often)."""
    slots = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.integers(0, len(slots) - 1).flatmap(lambda index: slots[index])


def fuzz_settings(cases: int, batch: int = BATCH) -> settings:
    """Enough examples for `cases` requests sent `batch` per example, deterministic
    (derandomized, no example database), no deadline, and no shrinking: a failure is kept in the tally, not
    raised, so that one run lists every 5xx rather than the first."""
    return settings(max_examples=-(-cases // batch) + 1, derandomize=True, database=None, deadline=None,
                    phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


def form_body(fields: list[tuple[str, str]]) -> bytes:
    """A urlencoded form body; lone surrogates go as their CESU-8 bytes (what a broken client would send)."""
    return urlencode(fields, encoding="utf-8", errors="surrogatepass").encode("ascii")


def _plausible(description: dict[str, Any]) -> list[str]:
    """Values a person filling the field in might give, the first of them the most ordinary."""
    kind = description.get("type")
    if kind == "date":
        return ["2027-03-01", "2027-02-26"]
    if kind == "boolean":
        return ["y", ""]
    if description.get("choices"):
        return [choice["value"] for choice in description["choices"]] or [""]
    return ["Damp in the bedroom", "Repair"]


def _flat(fields: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """(name, plausible values) of every input of a described form; a list's rows as name-0-field."""
    out = []
    for description in fields:
        if description.get("type") == "list":
            out += [(f"{description['name']}-0-{sub['name']}", _plausible(sub)) for sub in description.get("fields", [])]
        else:
            out.append((description["name"], _plausible(description)))
    return out


def form_values(fields: list[dict[str, Any]]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """A form as a browser might post it, from its field description (`{name, type, choices?, fields?}` as
    GET /api/v1/tasks/<id> gives it): every field plausible, then one to three of them changed (to another of
    the form's choices, a hostile string or an impossible date), repeated or left out, or a field the form does
    not have added (a list row at an odd index, say). Seven times in eight a field no form has comes too: every
    value is still validated, but the use case stores nothing (storing is what costs)."""
    flat = _flat(fields) or [("x", [""])]
    choices = sorted({value for _, values in flat for value in values})
    value = st.one_of(st.none(), st.sampled_from(choices), texts, dates)
    extra_name = st.one_of(texts, st.sampled_from(flat).map(lambda item: item[0].replace("-0-", "-99999-")))
    patch = st.tuples(st.integers(0, len(flat)), value, st.booleans(), extra_name)

    def apply(drawn: tuple[list[tuple[int, str | None, bool, str]], int]) -> list[tuple[str, str]]:
        patches, spoil = drawn
        values = {name: [plausible[0]] for name, plausible in flat}
        if spoil:
            values[NOT_A_FIELD] = ["x"]
        for index, new, repeat, extra in patches:
            name = flat[index][0] if index < len(flat) else extra
            if new is None:
                values.pop(name, None)
            else:
                values[name] = [*values.get(name, []), new] if repeat else [new]
        return [(name, item) for name, items in values.items() for item in items]

    return st.tuples(st.lists(patch, min_size=1, max_size=3), st.integers(0, 7)).map(apply)


@dataclass
class Tally:
    """Every request a fuzz test sends, its status, and each answer of 500 or more (or exception, which the app
    under TESTING raises instead of answering 500), with what was sent."""

    count: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    cpu_started: float = field(default_factory=time.process_time)
    seconds: Counter[str] = field(default_factory=Counter)  # time spent per kind of request
    kinds: Counter[str] = field(default_factory=Counter)  # requests per kind

    def send(self, kind: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Make one request, `call(*args, **kwargs)`, and read the whole answer (so streamed ones run too)."""
        self.count += 1
        self.kinds[kind] += 1
        began = time.perf_counter()
        try:
            response = call(*args, **kwargs)
            response.get_data()
        except Exception as error:  # noqa: BLE001 - every exception here is a 500 the app would have sent
            frames = traceback.extract_tb(error.__traceback__)
            ours = [frame for frame in frames if "/service/" in frame.filename or "/forms/" in frame.filename]
            where = f"{ours[-1].filename.split('/main/')[-1]}:{ours[-1].lineno}" if ours else "?"
            self.server_errors.append(f"{_label(args, kwargs)}\n    -> {type(error).__name__}: {str(error)[:300]} at {where}")
            self.statuses[500] += 1
            return None
        finally:
            self.seconds[kind] += time.perf_counter() - began
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.server_errors.append(f"{_label(args, kwargs)}\n    -> {response.status_code}: {response.get_data()[:300]!r}")
        return response

    def report(self, name: str) -> str:
        """One line for the test log: how many cases, how long (in all, of CPU, and inside the app), which
        statuses came back, and the costliest kinds of request (seconds/count)."""
        elapsed, cpu = time.perf_counter() - self.started, time.process_time() - self.cpu_started
        costliest = ", ".join(f"{kind} {spent:.1f} s/{self.kinds[kind]}" for kind, spent in self.seconds.most_common(8))
        return (f"{name}: {self.count} cases in {elapsed:.1f} s ({cpu:.1f} s CPU, "
                f"{sum(self.seconds.values()):.1f} s in the app); statuses {dict(sorted(self.statuses.items()))}; "
                f"costliest: {costliest}")

    def check(self, name: str, target: int) -> None:
        """Fail when any 5xx came back, or when fewer cases ran than promised."""
        print(self.report(name))
        unique = list(dict.fromkeys(self.server_errors))
        assert not unique, f"{len(self.server_errors)} server errors:\n" + "\n".join(unique[:40])
        assert self.count >= target, f"only {self.count} of {target} cases ran"


def _label(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """What a failing request sent (the token aside), for the report; built only when one fails."""
    sent = {key: value for key, value in kwargs.items() if key != "headers"}
    return f"{' '.join(map(str, args))} {shown(sent, 800)}"


def shown(value: Any, limit: int = 160) -> str:
    """A sent value for an error report, cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"...({len(text)} chars)"
