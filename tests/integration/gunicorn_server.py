"""The web service as production runs it — docker-compose.yml's `web` command, gunicorn — started natively on a
free local port against a test's database, for tests that need real HTTP and real concurrency."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def web_command() -> list[str]:
    """docker-compose.yml's web command, run by this venv's Python."""
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["command"]
    assert command[0] == "gunicorn", command
    return [sys.executable, "-m", "gunicorn", *command[1:]]


@contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int, threads: int) -> Iterator[str]:
    """Serve the app with `workers` processes of `threads` threads each; yields the base URL once /healthz
    answers 200, and stops the server on leaving. `env` holds the COMPLAINTFLOW_ settings (database, broker)."""
    port = free_port()
    full_env = {**os.environ, **env, "COMPLAINTFLOW_BIND": f"127.0.0.1:{port}",
                "COMPLAINTFLOW_WEB_WORKERS": str(workers)}
    # Command-line options outrank the config file: gthread workers, as a threaded deployment runs them.
    command = [*web_command(), "--threads", str(threads)]
    with log.open("w") as out:
        process = subprocess.Popen(command, env=full_env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, f"gunicorn exited:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"gunicorn never became healthy:\n{log.read_text()[-3000:]}"
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
