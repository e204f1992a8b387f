"""Who may work a task: lanes are roles, an assigned task is its assignee's, and Stage 2 is impartial.

Code 6.13 (and seeds 000-002, "not previously involved"): no one who took part in the complaint before Stage 2 may
do its Stage 2 work.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TaskSeat:
    """The facts about a task that decide who may work it."""

    roles: tuple[str, ...]
    stage: str | None
    assignee_id: int | None


STAGE2_CONFLICT = ("you took part in this complaint before Stage 2, so its Stage 2 review must be done by someone "
                   "who did not (Code 6.13)")
PROPOSER_CONFLICT = "whoever proposed a restriction cannot decide on it"


def refusal_reason(user_id: int, role: str, task: TaskSeat, conflicted: set[int], conflict: str = "") -> str | None:
    """Why `user_id` (with `role`) may not work `task`, or None when they may.

    `conflicted` are the people who may not do it for impartiality (`conflict` says why): everyone who took part
    before Stage 2, for Stage 2 work; the proposer, for a restriction decision.
    """
    if task.assignee_id is not None and task.assignee_id != user_id:
        return "this task is assigned to someone else"
    # A task given to someone by name is theirs whatever their role (e.g. a line manager handling a complaint
    # about their own staff); a task offered to a lane is for that lane's role.
    if task.assignee_id is None and task.roles and role not in task.roles:
        return f"this task is for the {' or '.join(task.roles)} role"
    if user_id in conflicted:
        return conflict
    return None


def stage_assignee(stage: str | None, roles: tuple[str, ...], handlers: dict[str, tuple[int, str]]) -> int | None:
    """The handler a newly ready task goes to.

    `handlers` maps stage ("1", "2") to (user id, role). A staged task goes to its stage's handler; a task
    without a stage goes to the Stage 1 handler when their role works its lane (e.g. closing the complaint); otherwise
    the task is offered to the whole lane.
    """
    if stage is not None:
        handler = handlers.get(stage)
        return handler[0] if handler else None
    handler = handlers.get("1")
    return handler[0] if handler is not None and handler[1] in roles else None
