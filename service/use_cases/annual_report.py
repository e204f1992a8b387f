"""The annual self-assessment against the Code and the complaints performance and service improvement report
(Code 8.1), and the half-year publication summary: figures from the live data, evidence where the system holds
it, and the landlord's own words where it does not."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from service.domain.code_checklist import CHECKLIST
from service.domain.linter import Finding
from service.domain.tsm import reporting_year
from service.persistence.models import Complaint, Deadline, SelfAssessment, User
from service.use_cases import dashboard, learning, lint_profile, reports
from service.use_cases.concurrent_edits import NEVER_SAVED, Saved, ensure_unchanged
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.errors import Invalid


def _extensions(session: Session, key: str, start: date, end: date) -> tuple[int, int]:
    # Responses in the period whose deadline was extended, and how many of those went beyond the Code's cap.
    extended = select(Deadline.id).where(Deadline.key == key, Deadline.met_on >= start, Deadline.met_on <= end,
                                         Deadline.due > Deadline.original_due)
    return reports.count_of(session, extended), reports.count_of(session, extended.where(Deadline.within_code.is_(False)))


def _evidence(session: Session, figures: dict[str, Any], tsm: dict[str, Any], start: date,
              end: date) -> dict[str, list[str]]:
    """What the records show, provision by provision."""
    on_time = dict(figures["on_time"].points)
    stage2 = aliased(Deadline)
    stage2_cases = select(Complaint.id).join(stage2, stage2.complaint_id == Complaint.id).where(
        stage2.key == "stage2_acknowledge", stage2.counts_from >= start, stage2.counts_from <= end)
    same_handler = reports.count_of(session, stage2_cases.where(Complaint.stage2_handler_id == Complaint.handler_id))
    s1_extended, s1_beyond = _extensions(session, "stage1_response", start, end)
    s2_extended, s2_beyond = _extensions(session, "stage2_response", start, end)
    refused = sum(int(n) for _, n in figures["refusals"].points)
    counts = tsm["counts"]

    def share(title: str) -> str:
        return f"{on_time[title]}% met on time" if title in on_time else "none fell due in the period"

    return {
        "2.4": [f"{refused} complaints refused; each refusal records the exclusion, the reasons and that the resident "
                "was told of the Ombudsman route (the form will not complete without them)."],
        "6.2": [f"Stage 1 acknowledgements: {share('Stage 1 acknowledgement')}."],
        "6.3": [f"Stage 1 responses within the Code's timescales (CH02(1)): {tsm['ch02']['stage1']}% "
                f"({counts['stage1_responded_within']} of {counts['stage1_responded']})."
                if tsm["ch02"]["stage1"] is not None else "No Stage 1 responses in the period."],
        "6.4-6.5": [f"{s1_extended} Stage 1 responses extended; {s1_beyond} beyond the Code's 10 working days."],
        "6.11": [f"Stage 2 acknowledgements: {share('Stage 2 acknowledgement')}."],
        "6.13": [f"{same_handler} of {reports.count_of(session, stage2_cases)} Stage 2 reviews were handled by the Stage 1 "
                 "handler (the system refuses that assignment)."],
        "6.14-6.16": [(f"Stage 2 responses within the Code's timescales (CH02(2)): {tsm['ch02']['stage2']}% "
                       f"({counts['stage2_responded_within']} of {counts['stage2_responded']})."
                       if tsm["ch02"]["stage2"] is not None else "No Stage 2 responses in the period."),
                      f"{s2_extended} Stage 2 responses extended; {s2_beyond} beyond the Code's 20 working days."],
        "7.1-7.3": [f"{figures['remedies']['count']} remedies on the period's complaints, "
                    f"£{figures['remedies']['amount_offered']} offered, accepted or paid."],
        "8.1": ["Refused complaints by reason: " + ("; ".join(f"{label} {int(n)}" for label, n in
                                                               figures["refusals"].points) or "none") + "."],
    }


def self_assessment(app: AppContext, year: int, figures: dict[str, Any] | None = None,
                    tsm: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Each provision of the checklist with the evidence, the linter's findings on the procedure, and the
    landlord's own assessment for `year` (from the year's dashboard figures and TSM, computed unless given)."""
    reports.check_year(year)
    start, end = reporting_year(year)
    figures = figures or dashboard.dashboard(app, year)
    tsm = tsm or reports.tsm(app, year)
    findings: list[Finding] = lint_profile.run(app.policy.name)
    with app.uow() as uow:
        evidence = _evidence(uow.session, figures, tsm, start, end)
        texts = {row.provision: row.text for row in uow.session.scalars(
            select(SelfAssessment).where(SelfAssessment.year == year))}
    return [{"key": p.key, "requirement": p.requirement, "evidence": evidence.get(p.key, []),
             "findings": [f.as_dict() for f in findings if f.section in p.sections],
             "text": texts.get(p.key, "")} for p in CHECKLIST]


def _assessment_saved(session: Session, year: int) -> Saved | None:
    # The page is saved as a whole, so its version is its latest save: when, and by whom.
    latest = session.execute(select(SelfAssessment.updated_at, User.display_name)
                             .outerjoin(User, User.id == SelfAssessment.updated_by_id)
                             .where(SelfAssessment.year == year)
                             .order_by(SelfAssessment.updated_at.desc()).limit(1)).first()
    if latest is None:
        return None
    return Saved(latest.updated_at.astimezone(UTC).isoformat(), latest.display_name or "someone", latest.updated_at)


def self_assessment_version(app: AppContext, year: int) -> str:
    """The version of `year`'s self-assessment that an edit page carries (read it before the texts); raises
    Invalid for a year out of range."""
    reports.check_year(year)
    with app.uow() as uow:
        saved = _assessment_saved(uow.session, year)
    return saved.version if saved is not None else NEVER_SAVED


def save_self_assessment(app: AppContext, year: int, texts: Mapping[str, str], actor: Actor,
                         loaded: str | None = None) -> None:
    """Store the landlord's words against each provision (`texts`: provision key → text). Raises Invalid, or
    EditConflict when someone saved the year's assessment after version `loaded` (None: unchecked)."""
    reports.check_year(year)
    known = {p.key for p in CHECKLIST}
    unknown = [key for key in texts if key not in known]
    if unknown:
        raise Invalid({key: "Not a provision of the Code checklist." for key in unknown})
    too_long = [key for key, text in texts.items() if len(text) > 10000]
    if too_long:
        raise Invalid({key: "Keep each assessment under 10,000 characters." for key in too_long})
    with app.uow() as uow:
        ensure_unchanged(uow.session, f"self_assessment:{year}", loaded, lambda: _assessment_saved(uow.session, year),
                         f"the self-assessment for {year}/{(year + 1) % 100:02d}")
        for key, text in texts.items():
            row = uow.session.get(SelfAssessment, (year, key)) or SelfAssessment(year=year, provision=key)
            row.text, row.updated_by_id, row.updated_at = text.strip(), actor.id, now()
            uow.session.add(row)
        uow.commit()


def annual(app: AppContext, year: int) -> dict[str, Any]:
    """Everything the annual report shows for the reporting year starting 1 April `year`; raises Invalid for a
    year out of range."""
    reports.check_year(year)
    start, end = reporting_year(year)
    figures, tsm = dashboard.dashboard(app, year), reports.tsm(app, year)
    return {"year": year, "from": start, "to": end, "landlord": app.policy.landlord.name, "figures": figures, "tsm": tsm,
            "assessment": self_assessment(app, year, figures, tsm),
            "actions": learning.actions(app, since=start, until=end), "reviews": learning.reviews(app, start, end)}


def half_year(app: AppContext, year: int, half: int) -> dict[str, Any]:
    """The half-year publication summary: April–September (`half` 1) or October–March (`half` 2)."""
    reports.check_year(year)
    if half not in (1, 2):
        raise Invalid({"half": "1 for April to September, 2 for October to March."})
    period = (date(year, 4, 1), date(year, 9, 30)) if half == 1 else (date(year, 10, 1), date(year + 1, 3, 31))
    return {"year": year, "half": half, "from": period[0], "to": period[1], "landlord": app.policy.landlord.name,
            "figures": dashboard.dashboard(app, year, period), "tsm": reports.tsm(app, year, period),
            "actions": learning.actions(app, since=period[0], until=period[1])}
