"""What the sandbox costs a task completion: the engine as the app runs it (spec parsed once, state without
the spec: runtime.complete_task on triage, then serialize), with the sandboxed script engine against the same
with SpiffWorkflow's plain TaskDataEnvironment (the engine before the sandbox), interleaved in one run.

    .venv/bin/python -m bench.sandbox [--n 300] [--runs 3]
"""

from __future__ import annotations

import argparse
import builtins
import statistics
import time
from unittest import mock

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from service.domain.policy import PROCESSES_DIR, load_policy
from service.workflow import runtime
from service.workflow.engine import SCRIPT_FUNCTIONS
from service.workflow.specs import compile_process, load_process_files

POLICY = load_policy("code-2024").params
PLAIN_BUILTINS = {name: getattr(builtins, name) for name in ("abs", "all", "any", "bool", "dict", "len", "list",
                                                                "max", "min", "range", "str", "sum", "True", "False")}


def plain_engine(policy: dict, today=None) -> PythonScriptEngine:  # noqa: ANN001 - the signature it replaces
    return PythonScriptEngine(environment=TaskDataEnvironment({"__builtins__": PLAIN_BUILTINS, "policy": policy,
                                                               **SCRIPT_FUNCTIONS}))


def cycle(process, state: str) -> float:  # noqa: ANN001
    started = time.perf_counter()
    snapshot = runtime.complete_task(process, state, _TRIAGE[state], {"triage_decision": "accept"}, POLICY)
    assert snapshot.ready
    return time.perf_counter() - started


_TRIAGE: dict[str, str] = {}  # the triage task's id in each starting state


def main() -> None:
    """Print p50/p95 of each engine and the ratio, for each run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    process = compile_process("complaint", load_process_files(PROCESSES_DIR, "complaint"))
    start = runtime.start(process, {"received_on": "2027-03-01", "complaint_reference": "B", "channel": "phone"},
                          POLICY)
    _TRIAGE[start.state] = start.ready[0].id
    for run in range(1, args.runs + 1):
        sandboxed, plain = [], []
        for _ in range(args.n):
            sandboxed.append(cycle(process, start.state))
            with mock.patch.object(runtime, "script_engine", plain_engine):
                plain.append(cycle(process, start.state))
        p50s, p50p = statistics.median(sandboxed) * 1000, statistics.median(plain) * 1000
        p95s = statistics.quantiles(sandboxed, n=20)[-1] * 1000
        p95p = statistics.quantiles(plain, n=20)[-1] * 1000
        print(f"run {run}: sandboxed p50 {p50s:.2f} ms p95 {p95s:.2f} ms | plain p50 {p50p:.2f} ms p95 {p95p:.2f} ms"
              f" | sandboxed / plain p50 {p50s / p50p:.2f}x")


if __name__ == "__main__":
    main()
