"""What the records show against each provision of the Complaint Handling Code for a reporting year, and where
they decide it, whether the landlord complied: a timescale met in every case that fell due, no Stage 2 reviewer
who handled Stage 1, no extension beyond the Code's cap, no error from the Code check of the procedure.
Everything else is the manager's to answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from service.domain.linter import Finding
from service.persistence.models import Complaint, Deadline, LearningAction
from service.use_cases.reports import count_of

YES, NO = "Yes", "No"
# Code provision → the deadline whose timescale it sets, by the dashboard's title for it.
TIMESCALES = {"6.2": "Stage 1 acknowledgement", "6.3": "Stage 1 response", "6.11": "Stage 2 acknowledgement",
              "6.14": "Stage 2 response"}


@dataclass
class Evidence:
    """The records' lines on one provision, and the answer they give (None: theirs to give)."""

    lines: list[str] = field(default_factory=list)
    comply: str | None = None

    def add(self, line: str, breached: bool | None = None) -> None:
        """Add a line; `breached` True makes the answer No, False makes it Yes unless already No."""
        self.lines.append(line)
        if breached is not None and self.comply != NO:
            self.comply = NO if breached else YES


def _extensions(session: Session, key: str, start: date, end: date) -> tuple[int, int]:
    # Responses in the period whose deadline was extended, and how many of those went beyond the Code's cap.
    extended = select(Deadline.id).where(Deadline.key == key, Deadline.met_on >= start, Deadline.met_on <= end,
                                         Deadline.due > Deadline.original_due)
    return count_of(session, extended), count_of(session, extended.where(Deadline.within_code.is_(False)))


def _timescales(found: dict[str, Evidence], figures: dict[str, Any], tsm: dict[str, Any]) -> None:
    counts = figures["on_time_counts"]
    for key, title in TIMESCALES.items():
        n = counts.get(title)
        if n is None:
            found[key].add(f"{title}s: none fell due in the period.")
        else:
            share = round(100 * n["in_time"] / n["decided"], 1)
            found[key].add(f"{title}s: {share}% met on time ({n['in_time']} of {n['decided']}).",
                           breached=n["in_time"] < n["decided"])
    for stage, key in (("1", "6.3"), ("2", "6.14")):
        share = tsm["ch02"][f"stage{stage}"]
        responded = tsm["counts"][f"stage{stage}_responded"]
        found[key].add(f"Stage {stage} responses within the Code's timescales (CH02({stage})): {share}% "
                       f"({tsm['counts'][f'stage{stage}_responded_within']} of {responded})." if share is not None
                       else f"No Stage {stage} responses in the period.")


def _handling(session: Session, found: dict[str, Evidence], start: date, end: date) -> None:
    for key, deadline, cap, stage in (("6.4", "stage1_response", 10, "1"), ("6.15", "stage2_response", 20, "2")):
        extended, beyond = _extensions(session, deadline, start, end)
        found[key].add(f"{extended} Stage {stage} responses extended; {beyond} beyond the Code's {cap} working days.",
                       breached=(beyond > 0) if extended else None)
    stage2 = aliased(Deadline)
    cases = select(Complaint.id).join(stage2, stage2.complaint_id == Complaint.id).where(
        stage2.key == "stage2_acknowledge", stage2.counts_from >= start, stage2.counts_from <= end)
    reviews, same = count_of(session, cases), count_of(session, cases.where(
        Complaint.stage2_handler_id == Complaint.handler_id))
    found["6.13"].add(f"{same} of {reviews} Stage 2 reviews were handled by the Stage 1 handler (the system refuses "
                      "that assignment).", breached=(same > 0) if reviews else None)


def _reporting(session: Session, found: dict[str, Evidence], figures: dict[str, Any], start: date,
               end: date) -> None:
    refused = sum(int(n) for _, n in figures["refusals"].points)
    # The triage form will not refuse a complaint without the exclusion, the reasons and the Ombudsman route.
    found["2.4"].add(f"{refused} complaints refused; each refusal records the exclusion, the reasons and that the "
                     "resident was told of the Ombudsman route (the form will not complete without them).",
                     breached=False if refused else None)
    found["7.1"].add(f"{figures['remedies']['count']} remedies on the period's complaints, "
                     f"£{figures['remedies']['amount_offered']} offered, accepted or paid.")
    found["8.1"].add("Refused complaints by reason: " + ("; ".join(f"{label} {int(n)}" for label, n in
                                                                   figures["refusals"].points) or "none") + ".")
    actions = select(LearningAction.id).where(LearningAction.due_on >= start, LearningAction.due_on <= end)
    found["9.1"].add(f"{count_of(session, actions)} learning actions due in the period, "
                     f"{count_of(session, actions.where(LearningAction.done_on.is_not(None)))} done.")


def evidence(session: Session, keys: list[str], figures: dict[str, Any], tsm: dict[str, Any], start: date,
             end: date, findings: list[Finding]) -> dict[str, Evidence]:
    """Per provision key, what the records show for the period and the answer they give; an error from the
    Code check of the procedure makes the answer No."""
    found = {key: Evidence() for key in keys}
    _timescales(found, figures, tsm)
    _handling(session, found, start, end)
    _reporting(session, found, figures, start, end)
    for finding in findings:
        if finding.section in found and finding.severity == "error":
            found[finding.section].comply = NO
    return found
