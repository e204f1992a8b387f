"""Commands on the Flask CLI (`flask --app service …`) and the `complaintflow` console script."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from service.domain.policy import UnknownProfile
from service.persistence.migrate import upgrade
from service.use_cases import fire_due_timers, lint_profile, processes, users
from service.use_cases.context import AppContext
from service.use_cases.errors import UseCaseError


def _ctx() -> AppContext:
    context: AppContext = current_app.extensions["complaintflow"]
    return context


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every Alembic migration, then make sure the shipped procedure is deployed."""
    prepare(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo("database at head; the shipped processes are live")


@click.group("users")
def users_group() -> None:
    """Staff accounts."""


@users_group.command("add")
@click.argument("name")
@click.option("--role", required=True, help="officer, manager, process_owner or admin")
@click.option("--password", default=None, help="generated and printed when omitted")
@with_appcontext
def users_add(name: str, role: str, password: str | None) -> None:
    """Add a member of staff."""
    try:
        chosen = users.add(_ctx(), name, role, password)
    except UseCaseError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"added {name} ({role})" + ("" if password else f"; password: {chosen}"))


@users_group.command("token")
@click.argument("name")
@with_appcontext
def users_token(name: str) -> None:
    """Issue an API bearer token for NAME; the token is the last line printed."""
    try:
        token = users.issue_token(_ctx(), name)
    except UseCaseError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"bearer token for {name}:")
    click.echo(token)


@users_group.command("revoke-token")
@click.argument("name")
@with_appcontext
def users_revoke_token(name: str) -> None:
    """Revoke every API bearer token of NAME (e.g. a lost laptop, or someone leaving)."""
    try:
        revoked = users.revoke_tokens(_ctx(), name)
    except UseCaseError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"revoked {revoked} token(s) for {name}")


@click.group("timers")
def timers_group() -> None:
    """Timer events."""


@timers_group.command("fire-due")
@with_appcontext
def timers_fire_due() -> None:
    """Fire every timer due now (safe to run twice)."""
    click.echo(f"fired {fire_due_timers.run(_ctx())} timer(s)")


@click.command("lint")
@click.option("--profile", default=None, help="a profile in processes/policies (default: the active one)")
@click.option("--json", "as_json", is_flag=True, help="print the findings as JSON")
@with_appcontext
def lint_command(profile: str | None, as_json: bool) -> None:
    """Check a profile and its diagram against the Complaint Handling Code; exit 1 when there are errors."""
    name = profile or _ctx().policy.name
    try:
        findings = lint_profile.run(name)
    except UnknownProfile as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps({"profile": name, "findings": [f.as_dict() for f in findings]}, indent=2))
    else:
        for finding in findings:
            click.echo(f"{finding.severity.upper():8} {finding.section:6} {finding.where}: {finding.message}")
        errors = sum(f.severity == "error" for f in findings)
        click.echo(f"{name}: {errors} error(s), {len(findings) - errors} warning(s)")
    if any(f.severity == "error" for f in findings):
        sys.exit(1)


def prepare(app: Flask) -> None:
    """Schema at head, the shipped procedure live, demo staff present (when DEMO_USERS)."""
    upgrade(app.config["DATABASE_URL"])
    context: AppContext = app.extensions["complaintflow"]
    for process_id in (context.policy.params["process"], *processes.SUPPORTING):
        processes.ensure_shipped_deployed(context.uow(), process_id)
    if app.config["DEMO_USERS"]:
        users.ensure_demo_users(context)


def declare_broker_queue(broker_url: str) -> None:
    """Create Celery's queue on the embedded (SQLite) broker before its processes start. kombu's SQLAlchemy
    transport creates it on first use, guarded only within one process, so a worker and beat starting together
    on a fresh broker could both insert it and one exit ("UNIQUE constraint failed: kombu_queue.name")."""
    if not broker_url.startswith("sqla+"):
        return
    from kombu import Connection  # noqa: PLC0415 (only the embedded broker needs it)

    with Connection(broker_url) as connection:
        connection.default_channel.queue_declare(queue="celery")


@click.command("run")
@with_appcontext
def run_main_job() -> None:
    """The main job: the staff app (gunicorn), a Celery worker and Celery beat, until interrupted."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    prepare(app)
    declare_broker_queue(app.config["BROKER_URL"])
    python = sys.executable
    host, port = app.config["HOST"], app.config["PORT"]
    commands = {
        "web": [python, "-m", "gunicorn", "-c", "python:service.gunicorn_conf", "--bind", f"{host}:{port}",
                "--workers", "2", "service.wsgi:app"],
        "worker": [python, "-m", "celery", "-A", "workers.celery_app", "worker", "--loglevel", "INFO",
                   "--concurrency", "2"],
        "beat": [python, "-m", "celery", "-A", "workers.celery_app", "beat", "--loglevel", "INFO",
                 "--schedule", os.path.join(os.path.dirname(app.config["DATABASE_URL"].removeprefix("sqlite:///")) or ".",
                                            "celerybeat-schedule")],
    }
    children = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
    click.echo("Starting the web app, a worker and beat…")
    # Said once the app answers, not when its processes start: gunicorn takes seconds to load it.
    health = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}/healthz"
    announced, stopping = False, False

    def stop(*_: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    exit_code = 0
    while not stopping:
        if not announced and _answers(health):
            click.echo(f"Complaintflow is running at http://{host}:{port}/ (Ctrl-C stops web, worker and beat)")
            announced = True
        for name, child in children.items():
            if child.poll() is not None:
                click.echo(f"{name} exited with {child.returncode}; stopping the rest", err=True)
                stopping, exit_code = True, 1
        time.sleep(0.5)
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    for child in children.values():
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
    sys.exit(exit_code)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (our own address)
            return bool(response.status == 200)
    except OSError:
        return False


def register_cli(app: Flask) -> None:
    """Attach our command groups to the app's Flask CLI."""
    for command in (db_group, users_group, timers_group, lint_command, run_main_job):
        app.cli.add_command(command)


def _create(**_: Any) -> Flask:
    from service import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create, add_default_commands=False)
def main() -> None:
    """Complaintflow: run the main job, manage the database, users and timers."""


main.add_command(run_main_job)
main.add_command(lint_command)
