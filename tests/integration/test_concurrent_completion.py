"""A hundred staff completing the same task at once, over real HTTP: exactly one succeeds, the other 99 are told
it is no longer ready, and the database holds one completion.

The app runs as production runs it (gunicorn, several worker processes with several threads each) against this
run's database — SQLite by default, PostgreSQL when configured — and 100 client threads released together by a
barrier post the completion."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select

from service.persistence.models import HistoryEntry, Task, WorkflowInstance
from service.use_cases.processes import compiled
from service.workflow import runtime
from tests.conftest import REDIS_URL
from tests.integration.gunicorn_server import gunicorn

CALLERS = 100
WORKERS, THREADS = 4, 4


def _post(url: str, token: str, body: object) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, {"raw": raw.decode(errors="replace")[:500]}


def _stored_tasks(state: dict) -> list[dict]:
    """Every task the serialized instance holds: the top-level process's and each subprocess's."""
    return [*state["tasks"].values(), *(t for sub in state["subprocesses"].values() for t in sub["tasks"].values())]


def test_a_hundred_parallel_http_completions_of_one_task_leave_one_winner(api, ctx, database_url, tmp_path):
    olivia = api("olivia")
    ref = olivia.post("/complaints", {"complainant": {"name": "R"}, "channel": "phone",
                                      "received_at": date.today().isoformat(), "description": "d"}).get_json()["reference"]
    task_id = olivia.task(ref, "triage")["id"]
    env = {"COMPLAINTFLOW_DATABASE_URL": database_url, "COMPLAINTFLOW_SECRET_KEY": "races",
           "COMPLAINTFLOW_BROKER_URL": REDIS_URL or f"sqla+sqlite:///{tmp_path / 'broker.db'}",
           "COMPLAINTFLOW_RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.db'}",
           "COMPLAINTFLOW_VAR_DIR": str(tmp_path), "COMPLAINTFLOW_DEMO_USERS": "true"}
    log = tmp_path / "web.log"
    with gunicorn(env, log, WORKERS, THREADS) as base:
        url = f"{base}/api/v1/tasks/{task_id}/complete"
        start = threading.Barrier(CALLERS)

        def complete(_: int) -> tuple[int, dict]:
            start.wait(timeout=60)  # every caller is in place before any sends
            return _post(url, olivia.token, {"data": {"triage_decision": "accept"}})

        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CALLERS) as pool:
            answers = list(pool.map(complete, range(CALLERS)))
        elapsed = time.perf_counter() - began
    statuses = [status for status, _ in answers]
    failures = [answer for answer in answers if answer[0] not in (200, 409)]
    assert not failures, (failures[:3], log.read_text()[-3000:])
    assert statuses.count(200) == 1 and statuses.count(409) == CALLERS - 1, statuses
    assert all("no longer ready" in body["message"] for status, body in answers if status == 409)
    winner = next(body for status, body in answers if status == 200)
    assert [t["name"] for t in winner["next"]] == ["stage1_acknowledge"]
    print(f"\n{CALLERS} completions over HTTP ({WORKERS} gunicorn workers x {THREADS} threads): {elapsed:.2f} s")

    with ctx.uow() as uow:
        s = uow.session
        triage = s.scalars(select(Task).where(Task.name == "triage")).all()
        assert [(t.id, t.status) for t in triage] == [(task_id, "completed")]
        assert s.scalar(select(func.count()).select_from(Task).where(Task.name == "stage1_acknowledge")) == 1
        completed = s.scalars(select(HistoryEntry).where(HistoryEntry.kind == "task_completed")).all()
        assert [e.detail["task"] for e in completed] == ["triage"]
        instance = s.scalars(select(WorkflowInstance).where(WorkflowInstance.id == triage[0].instance_id)).one()
        process, state = compiled(instance.process_version), instance.state
        ready_rows = {t.id for t in s.scalars(select(Task).where(Task.instance_id == instance.id,
                                                                  Task.status == "ready"))}
    # The stored state holds the triage task once, completed with the winner's data, and loads: its ready
    # user tasks are exactly the ones the task table shows.
    stored = [t for t in _stored_tasks(json.loads(state)) if t["task_spec"] == "triage"]
    assert [(t["id"], t["state"]) for t in stored] == [(task_id, TaskState.COMPLETED)]
    assert runtime.task_data(process, state, task_id, ctx.policy.params)["triage_decision"] == "accept"
    loaded = runtime.fire_due_timers(process, state, ctx.policy.params)
    assert {t.id for t in loaded.ready} == ready_rows and [t.name for t in loaded.ready] == ["stage1_acknowledge"]
