"""The README's first command runs `complaintflow run`: the web app, a worker and beat on the embedded default.
It says it is running only once the app answers, and Ctrl-C stops all three."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.integration.gunicorn_server import ROOT, free_port


def test_the_main_job_says_it_is_running_only_when_the_app_answers(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("COMPLAINTFLOW_")}
    env.update(COMPLAINTFLOW_VAR_DIR=str(tmp_path), COMPLAINTFLOW_PORT=str(port), COMPLAINTFLOW_SECRET_KEY="main")
    job = subprocess.Popen([str(Path(sys.executable).parent / "complaintflow"), "run"], cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        said = []
        while not any("is running at" in line for line in said):
            assert time.monotonic() < deadline and job.poll() is None, said
            said.append(job.stdout.readline())
        # Said only once it answers: the very next request is served.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
            assert response.status == 200
        starting = next(i for i, line in enumerate(said) if line.startswith("Starting the web app"))
        assert starting < len(said) - 1  # "Starting…" came first, "running at" once it answered
    finally:
        os.killpg(job.pid, signal.SIGINT)
        assert job.wait(timeout=60) == 0
