"""What a what-if replay shows: for the version asked about and the live one, the deadlines each would have
missed, the share of responses on time at each stage, the tasks each role would have had per week, and the
complaints whose path would change. Plain data in, plain data out.

A replayed side is a dict: {"path": [task ids], "deadlines": {key: {"due", "met_on"}}, "work": [[task, lane,
day]], "diverged": str | None, "error": str | None}.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

SIDES = ("draft", "live")
RESPONSES = {"1": "stage1_response", "2": "stage2_response"}


def missed(side: dict[str, Any], as_of: date) -> list[str]:
    """The deadlines a replayed side misses: met after the due day, or not met and due before `as_of`."""
    out = []
    for key, entry in sorted((side.get("deadlines") or {}).items()):
        due, met = entry.get("due"), entry.get("met_on")
        if due and ((met and met > due) or (not met and date.fromisoformat(due) < as_of)):
            out.append(key)
    return out


def changed(outcome: dict[str, Any], as_of: date) -> list[str]:
    """How the complaint's path would change under the draft, in words (empty: it would not)."""
    draft, live = outcome["draft"], outcome["live"]
    reasons = []
    if draft.get("diverged") and draft.get("diverged") != live.get("diverged"):
        reasons.append(f"the record no longer fits: {draft['diverged']}")
    if draft.get("error"):
        reasons.append(f"the draft fails: {draft['error']}")
    now_missed = set(missed(draft, as_of)) - set(missed(live, as_of))
    no_longer = set(missed(live, as_of)) - set(missed(draft, as_of))
    if now_missed:
        reasons.append(f"would miss {', '.join(sorted(now_missed))}")
    if no_longer:
        reasons.append(f"would meet {', '.join(sorted(no_longer))}")
    tasks = lambda side: sorted(str(w[0]) for w in side.get("work") or [])  # noqa: E731
    if not now_missed and not no_longer and tasks(draft) != tasks(live):
        added = sorted((Counter(tasks(draft)) - Counter(tasks(live))).elements())
        dropped = sorted((Counter(tasks(live)) - Counter(tasks(draft))).elements())
        reasons.append("tasks " + "; ".join(filter(None, [f"added {', '.join(added)}" if added else "",
                                                           f"dropped {', '.join(dropped)}" if dropped else ""])))
    return reasons


def _monday(day: str) -> str:
    start = date.fromisoformat(day)
    return (start - timedelta(days=start.weekday())).isoformat()


def summarise(outcomes: Iterable[dict[str, Any]], as_of: date,
              role_of: Callable[[str | None], str]) -> dict[str, Any]:
    """The replay's figures for both sides, and the references of the complaints whose path would change."""
    sides: dict[str, dict[str, Any]] = {side: {"missed": Counter(), "responded": Counter(), "on_time": Counter(),
                                               "work": {}} for side in SIDES}
    changes, replayed, skipped = [], 0, 0
    for outcome in outcomes:
        if outcome.get("skipped"):
            skipped += 1
            continue
        replayed += 1
        for side in SIDES:
            result, figures = outcome[side], sides[side]
            figures["missed"].update(missed(result, as_of))
            for stage, key in RESPONSES.items():
                entry = (result.get("deadlines") or {}).get(key) or {}
                if entry.get("met_on"):
                    figures["responded"][stage] += 1
                    figures["on_time"][stage] += bool(entry.get("due")) and entry["met_on"] <= entry["due"]
            for _task, lane, day in result.get("work") or []:
                weeks = figures["work"].setdefault(role_of(lane), Counter())
                weeks[_monday(day)] += 1
        reasons = changed(outcome, as_of)
        if reasons:
            changes.append({"reference": outcome["reference"], "changes": reasons})
    return {"replayed": replayed, "skipped": skipped, "changed": changes,
            "sides": {side: _figures(sides[side]) for side in SIDES}}


def _figures(figures: dict[str, Any]) -> dict[str, Any]:
    on_time = {stage: {"responded": figures["responded"][stage], "on_time": figures["on_time"][stage],
                       "share": round(figures["on_time"][stage] / figures["responded"][stage], 4)
                       if figures["responded"][stage] else None} for stage in RESPONSES}
    work = {role: {"total": sum(weeks.values()), "busiest_week": max(weeks, key=lambda w: (weeks[w], w)),
                   "busiest": max(weeks.values()), "weeks": dict(sorted(weeks.items()))}
            for role, weeks in sorted(figures["work"].items())}
    return {"missed": dict(sorted(figures["missed"].items())), "responses": on_time, "work": work}
