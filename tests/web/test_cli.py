"""The command-line contract: db upgrade, users add / token, timers fire-due."""

from service.use_cases import users
from tests.conftest import london


def test_cli_commands(app, ctx, clock):
    runner = app.test_cli_runner()
    assert "at head" in runner.invoke(args=["db", "upgrade"]).output
    added = runner.invoke(args=["users", "add", "nadia", "--role", "officer", "--password", "pw"])
    assert added.exit_code == 0 and users.authenticate(ctx, "nadia", "pw") is not None
    assert runner.invoke(args=["users", "add", "nadia", "--role", "officer"]).exit_code != 0
    assert "unknown role" in runner.invoke(args=["users", "add", "zed", "--role", "wizard"]).output
    token = runner.invoke(args=["users", "token", "nadia"]).output.strip().splitlines()[-1]
    assert users.actor_for_token(ctx, token).name == "nadia"
    assert runner.invoke(args=["users", "token", "nobody"]).exit_code != 0

    client = app.test_client()
    clock(london(2026, 11, 23))
    client.post("/api/v1/complaints", headers={"Authorization": f"Bearer {token}"}, json={
        "complainant": {"name": "R"}, "channel": "phone", "received_at": "2026-11-20", "description": "d"})
    assert runner.invoke(args=["timers", "fire-due"]).output.strip() == "fired 0 timer(s)"
    clock(london(2026, 12, 1))  # acknowledgement was due on 27 November
    assert runner.invoke(args=["timers", "fire-due"]).output.strip() == "fired 2 timer(s)"
    assert runner.invoke(args=["timers", "fire-due"]).output.strip() == "fired 0 timer(s)"
