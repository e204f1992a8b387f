"""The annual self-assessment against the Code and the complaints performance and service improvement report
(Code 8.1), the half-year publication summary, and the quarterly report of complaints and compliments where the
profile publishes one: figures from the live data, evidence where the system holds it, and the landlord's own
words where it does not."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.code_checklist import CHECKLIST, SECTIONS
from service.domain.linter import Finding
from service.domain.tsm import reporting_quarter, reporting_year
from service.persistence.models import SelfAssessment, User
from service.use_cases import code_evidence, compliments, dashboard, learning, lint_profile, reports
from service.use_cases.concurrent_edits import NEVER_SAVED, Saved, ensure_unchanged
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.errors import Invalid, NotFound

# The manager's stored answer → the words the self-assessment form uses.
MANAGER_ANSWERS = {"yes": "Yes", "no": "No"}


def self_assessment(app: AppContext, year: int, figures: dict[str, Any] | None = None,
                    tsm: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every provision of the Code (sections 1-9) with its section, the evidence the records give, the linter's
    findings on the procedure, whether the landlord complied (`comply`: "Yes", "No" or "" when unanswered, with
    `decided_by` "records" or "manager") and the landlord's own words, for `year` (from the year's dashboard
    figures and TSM, computed unless given)."""
    reports.check_year(year)
    start, end = reporting_year(year)
    figures = figures or dashboard.dashboard(app, year)
    tsm = tsm or reports.tsm(app, year)
    findings: list[Finding] = lint_profile.run(app.policy.name)
    with app.uow() as uow:
        found = code_evidence.evidence(uow.session, [p.key for p in CHECKLIST], figures, tsm, start, end, findings)
        saved = {row.provision: row for row in uow.session.scalars(
            select(SelfAssessment).where(SelfAssessment.year == year))}
    rows = []
    for p in CHECKLIST:
        row, records = saved.get(p.key), found[p.key]
        chosen = MANAGER_ANSWERS.get(row.comply or "", "") if row else ""
        rows.append({"key": p.key, "section": p.section, "section_title": SECTIONS[p.section],
                     "requirement": p.requirement, "evidence": records.lines,
                     "findings": [f.as_dict() for f in findings if f.section in p.sections],
                     "comply": records.comply or chosen, "chosen": chosen,
                     "decided_by": "records" if records.comply else ("manager" if chosen else ""),
                     "text": row.text if row else ""})
    return rows


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
                         loaded: str | None = None, comply: Mapping[str, str] | None = None) -> None:
    """Store the landlord's words (`texts`: provision key → text) and answers (`comply`: provision key → "yes",
    "no" or "" for unanswered) against each provision. An answer the records decide is shown instead of the
    manager's. Raises Invalid, or EditConflict when someone saved the year's assessment after version `loaded`
    (None: unchecked)."""
    reports.check_year(year)
    comply = comply or {}
    known = {p.key for p in CHECKLIST}
    errors = {key: "Not a provision of the Code (sections 1 to 9)." for key in [*texts, *comply] if key not in known}
    errors.update({f"comply-{key}": "Answer Yes or No, or leave it unanswered." for key, answer in comply.items()
                   if key in known and answer not in ("", *MANAGER_ANSWERS)})
    errors.update({key: "Keep each assessment under 10,000 characters." for key, text in texts.items()
                   if len(text) > 10000})
    if errors:
        raise Invalid(errors)
    with app.uow() as uow:
        ensure_unchanged(uow.session, f"self_assessment:{year}", loaded, lambda: _assessment_saved(uow.session, year),
                         f"the self-assessment for {year}/{(year + 1) % 100:02d}")
        for key in {*texts, *comply}:
            row = uow.session.get(SelfAssessment, (year, key)) or SelfAssessment(year=year, provision=key, text="")
            if key in texts:
                row.text = texts[key].strip()
            if key in comply:
                row.comply = comply[key] or None
            row.updated_by_id, row.updated_at = actor.id, now()
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


def quarter(app: AppContext, year: int, number: int) -> dict[str, Any]:
    """The quarterly publication: the quarter's complaint figures and, beside them, its compliments (counts only;
    see compliments.published_figures) for quarter `number` (1: April–June … 4: January–March) of the reporting
    year starting April `year`. Raises Invalid for a year or quarter out of range, NotFound when the profile does
    not publish compliments quarterly (`compliments: {published: quarterly}`)."""
    reports.check_year(year)
    if number not in (1, 2, 3, 4):
        raise Invalid({"quarter": "1 for April to June, 2 for July to September, 3 for October to December, "
                                  "4 for January to March."})
    if app.policy.compliments_published != "quarterly":
        raise NotFound(f"the {app.policy.title} procedure publishes no quarterly report")
    period = reporting_quarter(year, number)
    return {"year": year, "quarter": number, "from": period[0], "to": period[1], "landlord": app.policy.landlord.name,
            "figures": dashboard.dashboard(app, year, period), "tsm": reports.tsm(app, year, period),
            "compliments": compliments.published_figures(app, year, number)}
