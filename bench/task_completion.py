"""Completing one user task through the JSON API versus the raw SpiffWorkflow cycle on the same diagram.

Raw cycle: load the instance JSON (spec included, as SpiffWorkflow stores it) → complete the task →
do_engine_steps → serialize. API: POST /api/v1/tasks/<id>/complete through the whole WSGI app (auth, lock,
form validation, engine, projection, commit). Both complete `triage` on freshly logged complaints.

    .venv/bin/python -m bench.task_completion [--n 200] [--database-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import statistics
import time

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from bench.database import fresh_app
from service import app_context
from service.domain.policy import PROCESSES_DIR, load_policy
from service.use_cases import users
from service.workflow.engine import script_engine
from service.workflow.specs import SERIALIZER, compile_process, load_process_files


def _pct(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1] * 1000


def raw_cycle(n: int) -> list[float]:
    """Seconds per raw load → complete → engine steps → serialize."""
    policy = load_policy("code-2024").params
    process = compile_process("complaint", load_process_files(PROCESSES_DIR, "complaint"))
    engine = script_engine(policy)
    states = []
    for _ in range(n):
        wf = BpmnWorkflow(process.spec, process.subprocess_specs, script_engine=engine)
        for task in wf.get_tasks(state=TaskState.READY):
            task.data.update(received_on="2026-11-20")
        wf.do_engine_steps()
        states.append(SERIALIZER.serialize_json(wf))
    samples = []
    for state in states:
        started = time.perf_counter()
        wf = SERIALIZER.deserialize_json(state)
        wf.script_engine = engine
        task = next(t for t in wf.get_tasks(state=TaskState.READY) if t.task_spec.manual)
        task.data.update(triage_decision="accept")
        task.run()
        wf.do_engine_steps()
        SERIALIZER.serialize_json(wf)
        samples.append(time.perf_counter() - started)
    return samples


def api_cycle(n: int, database_url: str | None) -> list[float]:
    """Seconds per POST /api/v1/tasks/<id>/complete."""
    app = fresh_app(database_url)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {users.issue_token(app_context(app), 'olivia')}"}
    for _ in range(n):
        client.post("/api/v1/complaints", headers=headers, json={
            "complainant": {"name": "Bench"}, "channel": "phone", "received_at": "2026-11-20", "description": "x"})
    task_ids = [t["id"] for t in client.get("/api/v1/tasks?limit=1000", headers=headers).get_json() if t["name"] == "triage"]
    samples = []
    for task_id in task_ids[:n]:
        started = time.perf_counter()
        response = client.post(f"/api/v1/tasks/{task_id}/complete", headers=headers,
                               json={"data": {"triage_decision": "accept"}})
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.get_json()
    return samples


def main() -> None:
    """Print p50/p95 of both cycles and their ratio, measured in this run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    raw = raw_cycle(args.n)
    api = api_cycle(args.n, args.database_url)
    print(f"database: {args.database_url or 'sqlite (file)'}; n = {args.n}")
    print(f"raw SpiffWorkflow load→complete→steps→serialize: p50 {_pct(raw, 50):.2f} ms, p95 {_pct(raw, 95):.2f} ms")
    print(f"API POST /tasks/<id>/complete:                   p50 {_pct(api, 50):.2f} ms, p95 {_pct(api, 95):.2f} ms")
    print(f"ratio API / raw: p50 {_pct(api, 50) / _pct(raw, 50):.2f}x, p95 {_pct(api, 95) / _pct(raw, 95):.2f}x")


if __name__ == "__main__":
    main()
