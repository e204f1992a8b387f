"""The API does what its OpenAPI document says: schemathesis with every check (`--checks all`: status codes,
response schemas, content types, headers such as a 405's Allow, schema-valid data accepted and invalid data
refused, 401 without a token, stateful sequences) against gunicorn started the production way, on the test's
database. The document is generated from the models that validate the requests, so this is the contract between
them; schemathesis.toml says which rules JSON Schema cannot state. Bounded examples with a fixed seed, so a
failure can be replayed with the command it prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from service.use_cases import users
from tests.conftest import REDIS_URL
from tests.integration.gunicorn_server import ROOT, gunicorn

EXAMPLES = 12  # per operation and phase


def test_schemathesis_with_every_check_finds_nothing(api, ctx, database_url, tmp_path):
    olivia = api("olivia")
    for number in range(3):  # something to find: complaints, tasks, a letter
        reference = olivia.post("/complaints", {"complainant": {"name": f"Resident {number}"}, "channel": "phone",
                                                "received_at": "2026-11-02", "description": "Damp"}
                                ).get_json()["reference"]
        olivia.complete(reference, "triage", {"triage_decision": "accept"})
    token = users.issue_token(ctx, "adam")
    env = {"COMPLAINTFLOW_DATABASE_URL": database_url, "COMPLAINTFLOW_SECRET_KEY": "contract",
           "COMPLAINTFLOW_BROKER_URL": REDIS_URL or f"sqla+sqlite:///{tmp_path / 'broker.db'}",
           "COMPLAINTFLOW_RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.db'}",
           "COMPLAINTFLOW_VAR_DIR": str(tmp_path), "COMPLAINTFLOW_DEMO_USERS": "true"}
    with gunicorn(env, tmp_path / "web.log", 2, 4) as base:
        run = subprocess.run(
            [str(Path(sys.executable).parent / "schemathesis"), "run", f"{base}/api/v1/openapi.json",
             "--checks", "all", "-H", f"Authorization: Bearer {token}", "--max-examples", str(EXAMPLES),
             "--seed", "1", "--exclude-path", "/api/v1/tokens/current", "--no-color"],
            capture_output=True, text=True, cwd=ROOT, timeout=900)
    summary = run.stdout[run.stdout.rfind("SUMMARY"):]
    print(summary)
    failures = run.stdout[run.stdout.find("FAILURES"):run.stdout.find("WARNINGS")]
    assert run.returncode == 0, failures[:12000] + run.stderr[-2000:]
    assert "No issues found" in summary or " 0 failures" in summary or "passed" in summary, summary
