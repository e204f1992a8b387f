"""The production stack without Docker: each service's command from docker-compose.yml, run natively against this
run's database and broker (PostgreSQL and Redis in CI) — migrate, gunicorn, two Celery workers and beat — and
one complaint walked through it over HTTP, its acknowledgement deadline fired by beat and a worker."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest
import redis
import yaml

from tests.conftest import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]


def _compose_commands() -> dict[str, list[str]]:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return {name: service["command"] for name, service in services.items() if "command" in service
            and name in ("migrate", "web", "worker", "beat")}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _native(command: list[str]) -> list[str]:
    # The image's console scripts, from this venv.
    tool = {"gunicorn": [sys.executable, "-m", "gunicorn"], "celery": [sys.executable, "-m", "celery"],
            "complaintflow": [str(Path(sys.executable).with_name("complaintflow"))]}[command[0]]
    return [*tool, *command[1:]]


class Http:
    """A tiny JSON client for the running web service."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base, self.token = base, token

    def call(self, path: str, body: object = None) -> tuple[int, object]:
        request = urllib.request.Request(self.base + path, data=None if body is None else json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json",
                                                  **({"Authorization": f"Bearer {self.token}"} if self.token else {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


@pytest.fixture
def stack(database_url, tmp_path):
    """Run migrate to completion, then web, two workers and beat; yields the base URL and the log files."""
    if REDIS_URL:
        redis.Redis.from_url(REDIS_URL).flushdb()  # fails the test if Redis is down: no silent skip
    port = _free_port()
    env = {**os.environ, "COMPLAINTFLOW_DATABASE_URL": database_url,
           "COMPLAINTFLOW_BROKER_URL": REDIS_URL or f"sqla+sqlite:///{tmp_path / 'broker.db'}",
           "COMPLAINTFLOW_RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.db'}",
           "COMPLAINTFLOW_VAR_DIR": str(tmp_path), "COMPLAINTFLOW_SECRET_KEY": "native-stack",
           "COMPLAINTFLOW_TIMER_SWEEP_SECONDS": "1", "COMPLAINTFLOW_DEMO_USERS": "true",
           "COMPLAINTFLOW_BIND": f"127.0.0.1:{port}", "COMPLAINTFLOW_WEB_WORKERS": "2"}
    commands = _compose_commands()
    migrated = subprocess.run(_native(commands["migrate"]), env=env, capture_output=True, text=True, timeout=120)
    assert migrated.returncode == 0, migrated.stderr
    token = subprocess.run(_native(["complaintflow", "users", "token", "olivia"]), env=env, capture_output=True,
                           text=True, timeout=60, check=True).stdout.strip().split()[-1]
    beat_command = [part if part != "/tmp/celerybeat-schedule" else str(tmp_path / "beat") for part in commands["beat"]]
    runs = {"web": commands["web"], "worker-1": [*commands["worker"], "-n", "one@%h"],
            "worker-2": [*commands["worker"], "-n", "two@%h"], "beat": beat_command}
    logs = {name: tmp_path / f"{name}.log" for name in runs}
    processes = {name: subprocess.Popen(_native(command), env=env, stdout=logs[name].open("w"),
                                        stderr=subprocess.STDOUT, cwd=ROOT) for name, command in runs.items()}
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError(logs["web"].read_text()[-3000:])
        yield Http(base + "/api/v1", token), logs, processes
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait(condition, processes, logs, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, process in processes.items():
            assert process.poll() is None, f"{name} exited:\n{logs[name].read_text()[-3000:]}"
        if condition():
            return
        time.sleep(1)
    raise AssertionError("\n".join(f"--- {name}\n{path.read_text()[-1500:]}" for name, path in logs.items()))


def test_compose_services_run_natively_and_carry_a_complaint_through(stack):
    http, logs, processes = stack
    today = date.today()
    # Received three weeks ago and never acknowledged: its acknowledgement deadline is already past.
    received = (today - timedelta(days=21)).isoformat()
    status, created = http.call("/complaints", {"complainant": {"name": "Nia Resident"}, "channel": "phone",
                                                "received_at": received, "description": "Boiler broken"})
    assert status == 201, created
    ref = created["reference"]

    def breached() -> bool:
        return http.call(f"/complaints/{ref}")[1]["deadlines"]["stage1_acknowledge"]["breached"]

    _wait(breached, processes, logs)  # beat queued the sweep, a worker fired the breach
    view = http.call(f"/complaints/{ref}")[1]
    kinds = [entry["kind"] for entry in view["history"]]
    assert kinds.count("breach") == 1 and kinds.count("reminder") == 1
    assert "stage1_acknowledge_breach_review" in [t["name"] for t in view["open_tasks"]]

    def complete(name: str, data: dict) -> str:
        task = next(t for t in http.call(f"/complaints/{ref}")[1]["open_tasks"] if t["name"] == name)
        status, body = http.call(f"/tasks/{task['id']}/complete", {"data": data})
        assert status == 200, body
        return task["id"]

    triage = complete("triage", {"triage_decision": "accept"})
    # A second completion of the same task is refused, not applied twice.
    assert http.call(f"/tasks/{triage}/complete", {"data": {"triage_decision": "accept"}})[0] == 409
    complete("stage1_acknowledge", {"stage1_acknowledged_on": today.isoformat(), "complaint_definition": "Boiler",
                                    "outcome_sought": "Repair"})
    complete("stage1_investigate", {"investigation_notes": "Engineer visited", "stage1_next_step": "respond"})
    complete("stage1_respond", {"stage1_responded_on": today.isoformat(), "stage1_decision": "upheld",
                                "stage1_reasons": "Late repair", "complaint_category": "repairs",
                                "root_cause": "delay"})
    view = http.call(f"/complaints/{ref}")[1]
    assert view["deadlines"]["stage1_response"]["met_on"] == today.isoformat()
    assert [t["name"] for t in view["open_tasks"]] == ["stage1_acknowledge_breach_review", "escalation"]
    triaged = [e for e in view["history"] if e["kind"] == "task_completed" and e["detail"]["task"] == "triage"]
    assert [e["actor"] for e in triaged] == ["olivia"]

    # Every service logs JSON lines on stdout; the web service one per request, with its status and time.
    requests = [json.loads(line) for line in logs["web"].read_text().splitlines() if line.startswith("{")]
    assert any(r["message"] == "request" and r["path"] == "/api/v1/complaints" and r["status"] == 201
               and r["method"] == "POST" and r["user"] == "Olivia Officer" for r in requests)
    for name, path in logs.items():
        lines = [line for line in path.read_text().splitlines() if line.strip()]
        assert lines, name
        not_json = [line for line in lines if not line.startswith("{")]
        assert not not_json, (name, not_json[:5])
