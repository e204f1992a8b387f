"""Completing one user task: the app over HTTP against the engine as the app runs it, and against the least a
completion can cost on this stack, interleaved in one run.

Five sides complete `triage` (accept) on complaints logged the same way, one repetition of each in turn (the
order rotating), so a change in the machine's load falls on all alike:

- **raw engine**: what the app's engine layer does, and nothing else: the instance state (without the spec,
  which is parsed once per version) loaded onto the cached spec, the task run, `do_engine_steps`, the state
  dumped (`service.workflow.runtime._load` / `_dump`, the functions the app calls).
- **raw + database**: the same plus one PostgreSQL round trip as a minimal app would make it: `SELECT … FOR UPDATE`
  of the compressed state, decompress, the cycle above, compress (as the app does: zlib level 3 with the state
  dictionary), `UPDATE`, `COMMIT`, on one open connection.
- **least (psycopg)** and **least (Core)**: the floor of this stack, the least a completion over HTTP can cost:
  Flask under gunicorn, started as the app is, reading the token, locking, running the engine, writing the history
  entry, the task rows and the state, and committing, and nothing else (no form checks, no rules); on the driver
  with its statements sent together, and on SQLAlchemy Core (`bench/least_completion.py`);
- **app**: `POST /api/v1/tasks/<id>/complete` with a bearer token over HTTP, to gunicorn started the production way
  (`gunicorn -c python:service.gunicorn_conf service.wsgi:app`) on PostgreSQL. Its sync workers close the
  connection after each answer (`Connection: close`), so each request opens a new one, as it would in production.

Each run prints p50 and p95 of each side; the last line gives the ratios of each side over HTTP to the two raw
ones, as their spread over the runs. Figures for the README come from `--runs 3`.

    .venv/bin/python -m bench.task_completion [--n 200] [--runs 3] [--database-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from uuid import UUID

import psycopg
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bench.database import fresh_app
from service import app_context
from service.domain.policy import load_policy
from service.persistence import compression
from service.persistence.models import CompressedText, ProcessVersion, Task, WorkflowInstance
from service.use_cases import users
from service.use_cases.processes import compiled
from service.workflow import runtime

DATA = {"triage_decision": "accept"}
SIDES = 5  # raw engine, raw + database, the two least handlers, the app


def _ms(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1] * 1000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(database_url: str, app: str = "service.wsgi:app", **settings: str) -> Iterator[int]:
    """gunicorn as docker-compose starts it (serving `app`), on a free local port; yields the port once it answers.
    `settings` are COMPLAINTFLOW_<KEY> values, e.g. WEB_WORKERS="2"."""
    port = _free_port()
    env = {**os.environ, "COMPLAINTFLOW_DATABASE_URL": database_url, "COMPLAINTFLOW_SECRET_KEY": "bench",
           "COMPLAINTFLOW_BIND": f"127.0.0.1:{port}", "COMPLAINTFLOW_LOG_LEVEL": "WARNING",
           "COMPLAINTFLOW_DEMO_USERS": "false", **{f"COMPLAINTFLOW_{key}": value for key, value in settings.items()}}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:service.gunicorn_conf",
                               app], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz")  # the least handlers answer 404: up all the same
                connection.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


class Complaints:
    """Complaints at triage, logged through the API; each side takes its own, so none is completed twice."""

    def __init__(self, app: Any, count: int) -> None:
        self.ctx = app_context(app)
        client = app.test_client()
        self.token = users.issue_token(self.ctx, "olivia")
        headers = {"Authorization": f"Bearer {self.token}"}
        for _ in range(count):
            response = client.post("/api/v1/complaints", headers=headers, json={
                "complainant": {"name": "Bench"}, "channel": "phone", "received_at": "2026-11-20", "description": "x"})
            assert response.status_code == 201, response.get_json()
        with self.ctx.uow() as uow:
            rows = uow.session.execute(select(Task.id, WorkflowInstance.state, WorkflowInstance.process_version_id)
                                       .join(WorkflowInstance, WorkflowInstance.id == Task.instance_id)
                                       .where(Task.name == "triage", Task.status != "done")).all()
        self.pending = [(task_id, state) for task_id, state, _ in rows]
        self.version_id = rows[0][2]

    def take(self) -> tuple[str, str]:
        """A triage task id and its instance's state, not used before."""
        return self.pending.pop()


def raw_engine(process: Any, policy: dict[str, Any]) -> Callable[[str, str], float]:
    def cycle(task_id: str, state: str) -> float:
        started = time.perf_counter()
        workflow = runtime._load(process, state, policy)
        task = workflow.get_task_from_id(UUID(task_id))
        task.data.update(DATA)
        task.run()
        workflow.do_engine_steps()
        runtime._dump(workflow)
        return time.perf_counter() - started
    return cycle


def _compress(state: str) -> bytes:
    # As the app stores a state (`WorkflowInstance.state`): the same level, the same dictionary.
    return compression.compress(state, CompressedText.LEVEL, "instance_state.json")


def raw_with_database(process: Any, policy: dict[str, Any], database_url: str) -> Callable[[str, str], float]:
    url = make_url(database_url)
    connection = psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, dbname=url.database,
                                 password=url.password)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_state (id text PRIMARY KEY, state bytea NOT NULL)")
    connection.commit()

    def cycle(task_id: str, state: str) -> float:
        with connection.cursor() as cursor:  # stored beforehand, as the app's instance row is
            cursor.execute("INSERT INTO bench_state VALUES (%s, %s)", (task_id, _compress(state)))
        connection.commit()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT state FROM bench_state WHERE id = %s FOR UPDATE", (task_id,))
            stored = compression.decompress(cursor.fetchone()[0])
            workflow = runtime._load(process, stored, policy)
            task = workflow.get_task_from_id(UUID(task_id))
            task.data.update(DATA)
            task.run()
            workflow.do_engine_steps()
            cursor.execute("UPDATE bench_state SET state = %s WHERE id = %s",
                           (_compress(runtime._dump(workflow)), task_id))
        connection.commit()
        return time.perf_counter() - started
    return cycle


def over_http(port: int, token: str, path: str = "/api/v1/tasks/{}/complete") -> Callable[[str, str], float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps({"data": DATA})

    def cycle(task_id: str, _state: str) -> float:
        started = time.perf_counter()
        connection.request("POST", path.format(task_id), body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        elapsed = time.perf_counter() - started
        assert response.status == 200, answer
        return elapsed
    return cycle


def one_run(sides: dict[str, Callable[[str, str], float]], complaints: Complaints, n: int) -> dict[str, list[float]]:
    """`n` repetitions of every side, interleaved, the order rotating each repetition."""
    samples: dict[str, list[float]] = {side: [] for side in sides}
    names = list(sides)
    for repetition in range(n):
        turn = repetition % len(names)
        for side in names[turn:] + names[:turn]:
            samples[side].append(sides[side](*complaints.take()))
    return samples


def main() -> None:
    """Measure and print each run, then the spread of the ratios over the runs."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_tasks")
    args = parser.parse_args()
    app = fresh_app(args.database_url)
    warm = 20
    complaints = Complaints(app, (args.n * args.runs + warm) * SIDES)
    policy = load_policy(app.config["PROFILE"]).params
    with complaints.ctx.uow() as uow:
        process = compiled(uow.session.get(ProcessVersion, complaints.version_id))
    least = {"least (psycopg)": "bench.least_completion:psycopg_app",
             "least (Core)": "bench.least_completion:core_app"}
    with ExitStack() as servers:
        sides = {"raw engine": raw_engine(process, policy),
                 "raw + database": raw_with_database(process, policy, args.database_url),
                 **{side: over_http(servers.enter_context(gunicorn(args.database_url, handler)), complaints.token,
                                    "/complete/{}") for side, handler in least.items()},
                 "app": over_http(servers.enter_context(gunicorn(args.database_url)), complaints.token)}
        one_run(sides, complaints, warm)  # every gunicorn worker and cache warmed
        ratios: dict[str, list[float]] = {f"{side} / {base}": [] for side in (*least, "app")
                                          for base in ("raw engine", "raw + database")}
        for run in range(1, args.runs + 1):
            samples = one_run(sides, complaints, args.n)
            p50 = {side: _ms(values, 50) for side, values in samples.items()}
            print(f"run {run} (n = {args.n} each, interleaved): " + "; ".join(
                f"{side} p50 {p50[side]:.2f} ms p95 {_ms(samples[side], 95):.2f} ms" for side in sides))
            for name, values in ratios.items():
                side, base = name.split(" / ")
                values.append(p50[side] / p50[base])
        print("p50 ratios over the runs: " + "; ".join(
            f"{name} {min(values):.2f}–{max(values):.2f}x" for name, values in ratios.items()))


if __name__ == "__main__":
    main()
