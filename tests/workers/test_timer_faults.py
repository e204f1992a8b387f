"""Timers under faults, with real `celery worker` and `celery beat` processes on the test database and broker
(Redis when COMPLAINTFLOW_TEST_REDIS_URL is set, as in CI's second pass; else the embedded SQLite broker).

Each test starts with a few hundred complaints at triage whose acknowledgement reminder and breach timers are long
past due: one complaint is walked to triage through the JSON API, then stamped into copies that are real
serialized instances with task ids of their own (as bench/timers.py does). The timer rows are the truth and the
broker only carries work, so whatever happens to a worker or to Redis, every due timer must end up fired exactly
once: one history entry naming its task, no timer row left, one breach review task per complaint.

The figures (timers fired, wall time, fired twice, lost) are printed: run with `-s` to see them.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import pytest
import redis
import time_machine
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import func, select

from bench.stamps import Stamper, walk_templates
from service.cli import declare_broker_queue
from service.persistence.models import Complaint, HistoryEntry, Task, Timer
from tests.conftest import REDIS_URL

COMPLAINTS = 200  # stamped before the workers start
# For a run that must be seen in progress (two workers sharing it, a worker killed mid-batch): 2,000 timers are 40
# batches, so no poll can miss the run; with 400 a worker sometimes finished between two polls 0.1 s apart.
IN_PROGRESS = 1000
LATER = 20  # logged through the API once Redis is back
TIMERS = 2  # due per complaint at triage: the acknowledgement reminder and breach
TASK_LINE = re.compile(r"Task workers\.tasks\.fire_timers\[([^\]]+)\] (received|succeeded|failed|raised)(?:.*: (\d+)$)?")


def stamp_due_complaints(app, ctx, count: int) -> int:
    """`count` complaints at triage, both acknowledgement timers due; returns how many timers are due. Stamping
    numbers rows past the highest ids it reads, so run it before any worker writes."""
    # Walked with the clock on 2026-06-01 (bench.stamps): both timers fell due months ago.
    template = walk_templates(app, ["triage"])["triage"]
    assert len(template.rows["timer"]) == TIMERS
    with ctx.uow() as uow:
        stamper = Stamper(uow.session)
        for _ in range(count - 1):  # the walked complaint is the first
            stamper.stamp(template)
        stamper.finish()
        uow.commit()
    with ctx.uow() as uow:
        due = uow.session.scalar(select(func.count()).select_from(Timer).where(Timer.due_at <= datetime.now(UTC)))
    assert due == timers_left(ctx) == TIMERS * count
    return due


def log_due_complaints(api, count: int) -> None:
    """Log `count` complaints received five weeks ago through the API: their two timers are due at once. Unlike
    stamping, this is safe while workers are firing."""
    olivia = api("olivia")
    with time_machine.travel(datetime.now(UTC) - timedelta(days=35), tick=False):
        received = datetime.now(UTC).date().isoformat()
        for number in range(count):
            response = olivia.post("/complaints", {"complainant": {"name": f"Resident {number}"}, "channel": "email",
                                                   "received_at": received, "description": "No hot water"})
            assert response.status_code == 201, response.get_json()


def timers_left(ctx) -> int:
    """How many timer rows are left (every one in these tests is due: a fired timer's row is deleted)."""
    with ctx.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Timer)) or 0


def fired_some(ctx, due: int) -> bool:
    """Whether some of the `due` timers have fired; fails at once if all have (the run was not seen in progress)."""
    left = timers_left(ctx)
    assert left > 0, "every timer fired before the run was seen in progress"
    return left < due


@dataclass(frozen=True)
class Tally:
    """What the history and timer tables say about the due timers of every complaint."""

    due: int  # TIMERS per complaint
    fired: int  # distinct timers with a firing entry
    twice: int  # timers with more than one
    lost: int  # due timers with no entry
    left: int  # timer rows still there
    reviews: int  # breach review tasks raised
    span: float  # seconds from the first firing to the last

    def assert_exactly_once(self) -> None:
        """Every due timer fired, none twice, none lost or left due; one breach review per complaint."""
        assert (self.fired, self.twice, self.lost, self.left, self.reviews) == \
               (self.due, 0, 0, 0, self.due // TIMERS), self


def tally(ctx) -> Tally:
    """Count each timer's firing entries (every firing records its timer's task id) and what is left."""
    with ctx.uow() as uow:
        session = uow.session
        complaints = list(session.scalars(select(Complaint.id)))
        firings = [(complaint_id, detail["timer_task"], at) for complaint_id, detail, at
                   in session.execute(select(HistoryEntry.complaint_id, HistoryEntry.detail, HistoryEntry.at))
                   if isinstance(detail, dict) and "timer_task" in detail]
        reviews = session.scalar(select(func.count()).select_from(Task)
                                 .where(Task.name == "stage1_acknowledge_breach_review")) or 0
    entries = Counter((complaint_id, timer_task) for complaint_id, timer_task, _ in firings)
    fired_per_complaint = Counter(complaint_id for complaint_id, _ in entries)
    moments = [at for _, _, at in firings]
    assert max(fired_per_complaint.values(), default=0) <= TIMERS, "more timers fired than were due"
    return Tally(due=TIMERS * len(complaints), fired=len(entries), twice=sum(1 for n in entries.values() if n > 1),
                 lost=sum(TIMERS - fired_per_complaint[complaint_id] for complaint_id in complaints),
                 left=timers_left(ctx), reviews=reviews,
                 span=(max(moments) - min(moments)).total_seconds() if moments else 0.0)


def report(name: str, result: Tally, wall: float, **figures: Any) -> None:
    """Print the figures of a run (seen with `pytest -s`; kept in the captured output of a failure)."""
    extra = "; ".join(f"{key}: {value}" for key, value in figures.items())
    print(f"\n{name}: {result.fired}/{result.due} timers fired, {result.span:.1f} s from first to last firing "
          f"({wall:.1f} s from starting Celery); fired twice={result.twice} lost={result.lost} "
          f"left due={result.left}; {extra}")


class Cluster:
    """Real worker and beat processes on the test's database and broker. Each runs in a process group of its own
    (so a worker and its pool children can be killed together) and writes its own log."""

    def __init__(self, app, tmp_path: Path, broker: str) -> None:
        self.tmp_path = tmp_path
        self.env = {**os.environ, "COMPLAINTFLOW_DATABASE_URL": app.config["DATABASE_URL"],
                    "COMPLAINTFLOW_BROKER_URL": broker,
                    "COMPLAINTFLOW_RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.db'}",
                    "COMPLAINTFLOW_TIMER_SWEEP_SECONDS": "1", "COMPLAINTFLOW_SECRET_KEY": "test",
                    # Both workers see a queued firing task within 0.1 s on the polled SQLite broker, as on Redis.
                    "COMPLAINTFLOW_BROKER_POLL_SECONDS": "0.1",
                    "COMPLAINTFLOW_VAR_DIR": str(tmp_path), "COMPLAINTFLOW_DEMO_USERS": "false"}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: list[IO[str]] = []
        declare_broker_queue(broker)  # as `complaintflow run` does: workers starting together race to create it

    def _start(self, name: str, args: list[str]) -> None:
        log = open(self.tmp_path / f"{name}.log", "w")  # closed in stop()
        self._logs.append(log)
        self.processes[name] = subprocess.Popen([sys.executable, "-m", "celery", "-A", "workers.celery_app", *args],
                                                env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                                start_new_session=True)

    def workers(self, *names: str, concurrency: int = 2) -> None:
        """Start a worker for each name, all at once (each takes seconds to load the app), and wait until every
        one consumes from the broker."""
        for name in names:
            self._start(name, ["worker", "--loglevel", "INFO", "--concurrency", str(concurrency), "-n", f"{name}@%h",
                               "--without-gossip", "--without-mingle", "--without-heartbeat"])
        self.wait(lambda: all(" ready." in self.log(name) for name in names), seconds=120)

    def beat(self) -> None:
        """Start beat, sweeping every second."""
        self._start("beat", ["beat", "--loglevel", "INFO", "--schedule", str(self.tmp_path / "beat-schedule")])

    def kill(self, name: str) -> None:
        """SIGKILL the process `name` and its whole process group (a worker's pool children too)."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def log(self, name: str) -> str:
        """What process `name` logged so far."""
        return (self.tmp_path / f"{name}.log").read_text()

    def _task_lines(self, name: str) -> Iterator[tuple[str, str, int]]:
        for line in self.log(name).splitlines():
            try:
                message = json.loads(line).get("message", "")
            except ValueError:
                continue  # the banner
            match = TASK_LINE.search(str(message))
            if match:
                yield match.group(1), match.group(2), int(match.group(3) or 0)

    def fired_by(self, name: str) -> int:
        """How many timers the firing tasks of worker `name` reported (from its log)."""
        return sum(count for _, event, count in self._task_lines(name) if event == "succeeded")

    def idle(self, name: str) -> bool:
        """Whether every firing task worker `name` received has finished."""
        received, finished = set(), set()
        for task_id, event, _ in self._task_lines(name):
            (received if event == "received" else finished).add(task_id)
        return received <= finished

    def logs(self) -> str:
        """The end of every log, for a failure message."""
        return "\n".join(f"--- {path.name}\n{path.read_text()[-3000:]}" for path in sorted(self.tmp_path.glob("*.log")))

    def wait(self, condition: Callable[[], bool], seconds: float = 120, every: float = 0.5) -> None:
        """Poll `condition` until it holds; fail with the logs if it never does, or if a process died."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            dead = [name for name, process in self.processes.items() if process.poll() is not None]
            assert not dead, f"{dead} exited\n{self.logs()}"
            if condition():
                return
            time.sleep(every)
        raise AssertionError(f"still waiting after {seconds} s\n{self.logs()}")

    def stop(self) -> None:
        """Warm shutdown of what still runs, then SIGKILL to whatever is left of each process group."""
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.processes.clear()
        for log in self._logs:
            log.close()


@contextmanager
def cluster(app, tmp_path: Path) -> Iterator[Cluster]:
    """A Cluster on Redis when configured (emptied first: fails the test if Redis is down), else on SQLite."""
    if REDIS_URL:
        redis.Redis.from_url(REDIS_URL).flushdb()
    running = Cluster(app, tmp_path, REDIS_URL or f"sqla+sqlite:///{tmp_path / 'broker.db'}")
    try:
        yield running
    finally:
        running.stop()


def test_two_workers_sweeping_together_fire_every_timer_exactly_once(app, ctx, tmp_path):
    # Enough work that each sweep queues more firing tasks than one worker holds, and that firing lasts well past
    # the moment the second worker's pool starts: with 400 timers one worker could finish before the other began.
    due = stamp_due_complaints(app, ctx, IN_PROGRESS)
    with cluster(app, tmp_path) as running:
        started = time.monotonic()
        running.beat()  # starts as slowly as a worker: its first sweep comes when both consume
        running.workers("one", "two")
        running.wait(lambda: timers_left(ctx) == 0)
        wall = time.monotonic() - started
        running.wait(lambda: running.idle("one") and running.idle("two"))
        time.sleep(2)  # two more sweeps, which must fire nothing again
        shares = {name: running.fired_by(name) for name in ("one", "two")}
    result = tally(ctx)
    report("two workers", result, wall, **{f"fired by {name}": share for name, share in shares.items()})
    result.assert_exactly_once()
    assert result.due == due
    # Both workers fired part of the timers, and between them reported each one once.
    assert all(shares.values()) and sum(shares.values()) == due, shares


def test_a_worker_killed_mid_batch_leaves_nothing_fired_twice_or_lost(app, ctx, tmp_path):
    due = stamp_due_complaints(app, ctx, IN_PROGRESS)
    with cluster(app, tmp_path) as running:
        started = time.monotonic()
        running.beat()
        running.workers("doomed")
        # Some fired and committed, not all: the worker's processes are inside their next batches.
        running.wait(lambda: fired_some(ctx, due), every=0.1)
        assert not running.idle("doomed")  # its firing tasks are running
        running.kill("doomed")
        left_at_kill = timers_left(ctx)
        assert left_at_kill > 0
        time.sleep(2)
        # No worker: nothing fires, and the batches the kill interrupted were rolled back, not half-committed.
        assert timers_left(ctx) == left_at_kill
        assert tally(ctx).twice == 0
        running.workers("replacement")
        running.wait(lambda: timers_left(ctx) == 0)
        wall = time.monotonic() - started
        running.wait(lambda: running.idle("replacement"))
        time.sleep(2)
        by_replacement = running.fired_by("replacement")
    result = tally(ctx)
    report("killed worker", result, wall, **{"fired before the kill": due - left_at_kill,
                                             "fired by the replacement": by_replacement})
    result.assert_exactly_once()
    assert result.due == due
    # The new worker fired exactly what the killed one had not committed.
    assert by_replacement == left_at_kill


class RedisServer:
    """The Redis server of a URL, stopped and started with the commands CI uses to run it."""

    def __init__(self, url: str) -> None:
        options = redis.Redis.from_url(url).connection_pool.connection_kwargs
        self.host, self.port = str(options.get("host", "127.0.0.1")), str(options.get("port", 6379))

    def answers(self) -> bool:
        """Whether the server answers PING."""
        try:  # one attempt: redis-py would otherwise retry a refused connection for seconds
            return bool(redis.Redis(host=self.host, port=int(self.port), socket_timeout=1,
                                    retry=Retry(NoBackoff(), 0)).ping())
        except redis.RedisError:
            return False

    def _until(self, answering: bool, failure: str) -> None:
        deadline = time.monotonic() + 30
        while self.answers() != answering:
            assert time.monotonic() < deadline, failure
            time.sleep(0.1)

    def stop(self) -> None:
        """Shut the server down without saving (every queued message is lost) and wait until it is down."""
        subprocess.run(["redis-cli", "-h", self.host, "-p", self.port, "shutdown", "nosave"], capture_output=True,
                       timeout=30)
        self._until(False, "Redis did not shut down")

    def start(self) -> None:
        """Start the server (empty) unless it answers, and wait until it answers PING."""
        if not self.answers():
            subprocess.run(["redis-server", "--daemonize", "yes", "--bind", self.host, "--port", self.port,
                            "--save", "", "--appendonly", "no"], check=True, capture_output=True, timeout=30)
        self._until(True, "Redis did not come back")


# Needs Redis (the SQLite pass has no broker server to restart). With COMPLAINTFLOW_TEST_REDIS_URL set, a Redis
# that does not answer fails the test (cluster() empties its database first), never skips it.
@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="restarts the Redis broker: set COMPLAINTFLOW_TEST_REDIS_URL")
def test_redis_restarted_mid_run_loses_no_timer_and_fires_none_twice(app, ctx, api, tmp_path):
    assert REDIS_URL
    server = RedisServer(REDIS_URL)
    assert server.answers(), f"no Redis answers at {REDIS_URL}"  # fail, never skip; and start none that was absent
    due = stamp_due_complaints(app, ctx, COMPLAINTS)
    try:
        with cluster(app, tmp_path) as running:
            started = time.monotonic()
            running.beat()
            running.workers("one")
            running.wait(lambda: fired_some(ctx, due), every=0.1)  # the first batch is committed
            server.stop()
            left_at_stop = timers_left(ctx)
            assert left_at_stop > 0  # timers were being fired when Redis went down
            time.sleep(3)  # three sweeps that beat cannot publish; the worker has lost its connection
            left_at_start = timers_left(ctx)  # firing tasks already running need no broker: they went on
            server.start()
            running.wait(lambda: timers_left(ctx) == 0 and running.idle("one"))
            before_later = running.fired_by("one")
            # Timers that fall due now, with every earlier task finished, can only be fired if beat publishes
            # again and the worker consumes again: both reconnected to the restarted Redis.
            log_due_complaints(api, LATER)
            running.wait(lambda: timers_left(ctx) == 0 and running.fired_by("one") >= before_later + TIMERS * LATER)
            wall = time.monotonic() - started
            running.wait(lambda: running.idle("one"))
            time.sleep(2)
            fired_after_restart = running.fired_by("one") - before_later
            beat_errors = running.log("beat").count("Message Error")
            connections = running.log("one").count("Connected to redis://")
    finally:
        server.start()
    result = tally(ctx)
    report("redis restarted", result, wall, **{"left due at the stop": left_at_stop,
                                               "left due at the start": left_at_start,
                                               "due after the restart": TIMERS * LATER,
                                               "fired after the restart": fired_after_restart,
                                               "publishes beat could not make": beat_errors,
                                               "worker connections": connections})
    result.assert_exactly_once()
    assert result.due == due + TIMERS * LATER
    assert fired_after_restart == TIMERS * LATER
    # The outage was real: beat failed to publish while Redis was down, and the worker connected a second time.
    assert beat_errors > 0 and connections >= 2, (beat_errors, connections)
