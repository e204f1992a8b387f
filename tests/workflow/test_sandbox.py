"""The sandbox every diagram expression runs in: each escape route refused, each exhaustion stopped fast, and the
shipped procedure still running in it."""

import time
from datetime import date

import pytest

from service.domain.policy import load_policy
from service.workflow import sandbox
from service.workflow.engine import SCRIPT_FUNCTIONS, script_engine

HELPERS = {"policy": sandbox.read_only(load_policy("code-2024").params), **SCRIPT_FUNCTIONS}

# Each refused when compiled: the diagram is never stored.
COMPILE_REFUSED = {
    "helper __globals__": "add_working_days.__globals__['builtins'].__import__('os').system('id')",
    "__subclasses__": "().__class__.__base__.__subclasses__()",
    "gi_frame / f_globals": "(x for x in [1]).gi_frame.f_globals",
    "__import__": "__import__('os').system('id')",
    "dunder name": "__builtins__",
    "format spec padding": "f'{received_on:>1000000000}'",
}
# Each compiles (no underscore in sight) but is refused when it runs.
RUN_REFUSED = {
    "str.format attribute walk": ("'{0.__globals__}'.format(add_working_days)", "no attribute 'format'"),
    "format on a helper's name": ("'{0.__globals__[os]}'.format", "no attribute 'format'"),
    "getattr": ("getattr(add_working_days, 'x')", "name 'getattr' is not defined"),
    "vars": ("vars(add_working_days)", "name 'vars' is not defined"),
    "type": ("type(add_working_days)", "name 'type' is not defined"),
    "open": ("open('/etc/passwd').read()", "name 'open' is not defined"),
    "attribute of a helper": ("add_working_days.func_globals", "no attribute 'func_globals'"),
    "profile is read-only": ("policy['stage1'].update({'response_days': 25})", "no attribute 'update'"),
    "range(10**9)": ("range(10**9)", "a range of more than 100,000"),
    "'x' * 10**10": ("'x' * 10**10", "more than 100,000 characters"),
    "10**10**10": ("10**10**10", "larger than 4096 bits"),
    "1 << 10**9": ("1 << 10**9", "larger than 4096 bits"),
    "nested comprehension": ("len([x for x in range(100000) for y in range(100000)])", "more than 100,000 steps"),
    "sum of lists": ("sum([[1] * 50000] * 50000, [])", "sum() adds numbers only"),
    "join blow-up": ("'-'.join(['x' * 90000] * 10)", "more than 100,000 characters"),
    "replace blow-up": ("('x' * 1000).replace('x', 'x' * 1000)", "more than 100,000 characters"),
    "%-formatting": ("'%s' % 'a'", "'%' formatting"),
}
SCRIPTS_STOPPED = {
    "endless loop": ("while True:\n    pass", "more than 100,000 steps"),
    "deep recursion": ("def f(n):\n    return f(n + 1)\nf(1)", "called itself too deeply"),
    "doubling string": ("s = 'x'\nwhile True:\n    s = s + s", "more than 100,000 characters"),
    "swallowed stop": ("try:\n    while True:\n        pass\nexcept ValueError:\n    pass\nx = 1", "steps"),
    "growing list": ("a = [1] * 1000\nwhile True:\n    a.extend(a)", "more than 100,000"),
    "policy written": ("policy['stage1']['response_days'] = 25", "read-only"),
}


@pytest.mark.parametrize("case", sorted(COMPILE_REFUSED))
def test_escape_routes_are_refused_when_compiled(case):
    with pytest.raises(sandbox.SandboxError) as refused:
        sandbox.compile_expression(COMPILE_REFUSED[case], "eval")
    assert "line 1" in str(refused.value)


@pytest.mark.parametrize("case", sorted(RUN_REFUSED))
def test_escape_and_exhaustion_routes_are_refused_when_run(case):
    text, message = RUN_REFUSED[case]
    started = time.monotonic()
    with pytest.raises((sandbox.SandboxError, NameError)) as refused:
        sandbox.evaluate(text, dict(HELPERS))
    assert message in str(refused.value)
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("case", sorted(SCRIPTS_STOPPED))
def test_scripts_that_would_run_away_are_stopped_fast(case):
    text, message = SCRIPTS_STOPPED[case]
    started = time.monotonic()
    with pytest.raises(sandbox.SandboxError) as stopped:
        sandbox.execute(text, dict(HELPERS))
    assert message in str(stopped.value)
    assert time.monotonic() - started < 1.0
    assert load_policy("code-2024").params["stage1"]["response_days"] == 10


def test_what_the_procedure_needs_still_works():
    scope = {**HELPERS, "received_on": "2026-12-24", "stage1_commitments": [{"due": "2027-01-05", "delivered": True}]}
    sandbox.execute("stage1_received_on = receipt_day(received_on)\n"
                    "due = add_working_days(stage1_received_on, policy['stage1']['acknowledge_days'])\n"
                    "done = all(c['delivered'] for c in stage1_commitments)\n"
                    "n = 0\nfor i in range(3):\n    n += i\n"
                    "label = f'{due} ({n})'.upper()", scope)
    # 24 Dec 2026 is a Thursday: Christmas, Boxing Day (substitute Mon 28) and New Year are not working days.
    assert scope["due"] == "2027-01-05" and scope["done"] is True and scope["label"] == "2027-01-05 (3)"
    assert sandbox.evaluate('"icp" in policy["after_stage2"]["routes"] or policy["informal"].get("kind")',
                            dict(HELPERS)) == "none"


def test_the_engine_runs_every_expression_through_the_sandbox():
    engine = script_engine(load_policy("code-2024").params, today=lambda: date(2027, 1, 4).isoformat())
    environment = engine.environment
    with pytest.raises(sandbox.SandboxError):
        environment.evaluate("().__class__", {})
    data = {"received_on": "2027-01-04"}
    environment.execute("escalation_requested_on = today()", data)
    assert data == {"received_on": "2027-01-04", "escalation_requested_on": "2027-01-04"}  # no helper or guard left
