"""How long proving the shipped complaint procedure takes: every path from the five received dates (an ordinary
Monday, a Saturday, before Easter, before the late-May bank holiday, Christmas Eve), under each profile.

    .venv/bin/python -m bench.scenario_suite [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics

from forms import UnknownForm, describe, form_class
from service.domain.behaviour import judge
from service.domain.calendar import london_today
from service.domain.policy import PROCESSES_DIR, available_profiles, load_policy
from service.workflow.explore import explore, scenario_days
from service.workflow.specs import compile_process, load_process_files


def fields_for(params: dict):  # noqa: ANN001, ANN201
    def fields(name: str) -> list:
        try:
            cls = form_class(name)
        except UnknownForm:
            return []
        return describe(cls(context={"policy": params, "today": london_today(), "deadlines": {}}))
    return fields


def main() -> None:
    """Print paths, seconds (median and range of the runs) and error findings per profile."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    process = compile_process("complaint", load_process_files(PROCESSES_DIR, "complaint"))
    days = scenario_days(london_today().year + 1)
    for name in available_profiles():
        policy = load_policy(name)
        seconds, last = [], None
        for _ in range(args.runs):
            last = explore(process, policy.params, fields_for(policy.params), days,
                           start=lambda day: {"complaint_reference": "B", "channel": "phone"})
            seconds.append(last.seconds)
        errors = [f for f in judge(policy, last.paths, True) if f.severity == "error"]
        print(f"{name}: {len(last.paths)} paths, {statistics.median(seconds):.2f} s "
              f"(runs {min(seconds):.2f}–{max(seconds):.2f} s), truncated {last.truncated}, "
              f"error findings {len(errors)}")


if __name__ == "__main__":
    main()
