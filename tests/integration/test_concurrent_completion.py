"""Many staff completing the same task at once: exactly one succeeds, the rest are told it is no longer ready.

Runs real threads against the app's database (SQLite by default, PostgreSQL when configured)."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from service.persistence.models import HistoryEntry, Task
from tests.conftest import london


def test_parallel_completions_of_one_task_leave_one_winner(api, app, ctx, clock):
    olivia = api("olivia")
    clock(london(2026, 12, 21))
    ref = olivia.post("/complaints", {"complainant": {"name": "R"}, "channel": "phone", "received_at": "2026-12-18",
                                      "description": "d"}).get_json()["reference"]
    task_id = olivia.task(ref, "triage")["id"]
    headers = {"Authorization": f"Bearer {olivia.token}"}

    def complete(_: int) -> int:
        client = app.test_client()
        return client.post(f"/api/v1/tasks/{task_id}/complete", headers=headers,
                           json={"data": {"triage_decision": "accept"}}).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(complete, range(24)))
    assert statuses.count(200) == 1 and statuses.count(409) == 23, statuses
    with ctx.uow() as uow:
        s = uow.session
        assert s.scalar(select(func.count()).select_from(Task).where(Task.name == "triage", Task.status == "completed")) == 1
        assert s.scalar(select(func.count()).select_from(Task).where(Task.name == "stage1_acknowledge")) == 1
        assert s.scalar(select(func.count()).select_from(HistoryEntry).where(HistoryEntry.kind == "task_completed")) == 1
