"""Reports: the register, the dashboard, the TSM complaint measures with the working, learning actions, the
self-assessment and the annual, half-year and quarterly reports, on pages, as files and through the API."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import login_required

from forms import form_class
from forms.log_complaint import CHANNELS
from service.domain.calendar import london_today
from service.domain.reporting import OUTCOMES, TENURES, categories, root_causes
from service.domain.tsm import quarter_of
from service.use_cases import (
    annual_report,
    compliments,
    dashboard,
    learning,
    register,
    reports,
    self_assessment_export,
)
from service.use_cases.errors import EditConflict, Forbidden, Invalid, NotFound
from service.web import api_schemas
from service.web.auth import actor, app_ctx, reads_people, token_required
from service.web.openapi import validate
from service.web.pdf import pdf_response

bp = Blueprint("reports", __name__)


@bp.app_template_filter("label")
def label(key: str | None, vocabulary: str) -> str:
    """The words for a stored key (`repairs` → "Repairs and maintenance"), the key itself if unknown."""
    params = app_ctx().policy.params
    words = {"tenure": TENURES, "category": categories(params), "root_cause": root_causes(params),
             "outcome": OUTCOMES, "exclusion": app_ctx().policy.exclusions}[vocabulary]
    return words.get(key or "", key or "—")


def _publishes_quarterly() -> bool:
    return app_ctx().policy.compliments_published == "quarterly"


def _is_manager() -> bool:
    return actor().role in {"admin", app_ctx().manager_role}


def reporting_year() -> int:
    """The reporting year a page asks for (`?year=2026`), else the current one; 400 for anything else."""
    raw = request.args.get("year", "")
    if not raw:
        return reports.current_reporting_year(london_today())
    if not (raw.isascii() and raw.isdigit()):  # isdigit() alone lets "²" through, which int() refuses
        abort(400, description="year must be a number such as 2026")
    return int(raw)


@bp.get("/reports/tsm")
@login_required
def tsm_page() -> Any:
    """CH01 and CH02 for a reporting year, each count opening the complaints behind it."""
    year = reporting_year()
    try:
        homes_version = reports.homes_version(app_ctx(), year)  # before the figures: never newer than them
        figures = reports.tsm(app_ctx(), year)
        figure = request.args.get("working")
        listed = reports.working(app_ctx(), year, figure) if figure else None
    except Invalid as error:  # an unknown year, or ?working= naming no figure
        abort(400, description=" ".join(f"{field}: {message}" for field, message in error.errors.items()))
    return render_template("tsm.html", t=figures, figure=figure, listed=listed, homes_version=homes_version,
                           may_edit=_is_manager())


@bp.get("/learning")
@login_required
def learning_page() -> Any:
    """Every learning action, open first, each markable as done by its owner or a manager."""
    form = form_class("learning_action")(context=learning.form_context(app_ctx()))
    return render_template("learning.html", actions=learning.actions(app_ctx()), form=form)


@bp.post("/learning", defaults={"reference": None})
@bp.post("/complaints/<reference>/learning")
@login_required
def add_learning(reference: str | None) -> Any:
    """Add a learning action, on a complaint or on its own."""
    back = url_for("staff.complaint", reference=reference) if reference else url_for("reports.learning_page")
    try:
        learning.add(app_ctx(), request.form, actor(), reference)
    except NotFound:
        abort(404, description=f"There is no complaint {reference}.")
    except Invalid as error:
        flash("Action not added: " + " ".join(f"{k}: {v}" for k, v in error.errors.items()), "error")
    else:
        flash("Learning action added.", "ok")
    return redirect(back)


@bp.post("/learning/<int:action_id>/done")
@login_required
def complete_learning(action_id: int) -> Any:
    """The owner or a manager records what changed."""
    try:
        learning.complete(app_ctx(), action_id, request.form.get("outcome", ""), actor(),
                          {"admin", app_ctx().manager_role})
    except NotFound:
        abort(404, description=f"There is no learning action {action_id}.")
    except Forbidden:
        abort(403, description="Only the action's owner or a manager may mark it done.")
    except Invalid as error:
        flash("Not done: " + " ".join(error.errors.values()), "error")
    else:
        flash("Learning action done.", "ok")
    return redirect(url_for("reports.learning_page"))


@bp.get("/compliments")
@login_required
@reads_people
def compliments_page() -> Any:
    """Compliments, newest first, with the form to record one."""
    form = form_class("compliment")(context=learning.form_context(app_ctx()))
    return _compliments(form)


def _compliments(form: Any) -> str:
    # The list, the form (with any errors), and where the profile publishes them quarterly, this quarter's report.
    return render_template("compliments.html", compliments=compliments.recent(app_ctx()), form=form,
                           quarterly=_publishes_quarterly(), now_quarter=quarter_of(london_today()))


@bp.post("/compliments")
@login_required
def record_compliment() -> Any:
    """Record a compliment; the member of staff it praises is told."""
    try:
        compliments.record(app_ctx(), request.form, actor())
    except Invalid as error:
        form = form_class("compliment")(request.form, context=learning.form_context(app_ctx()))
        form.show_errors(error.errors)
        flash("Not recorded: " + " ".join(error.errors.values()), "error")
        return _compliments(form), 422
    flash("Compliment recorded and passed on.", "ok")
    return redirect(url_for("reports.compliments_page"))


@bp.post("/compliments/<int:compliment_id>/acknowledged")
@login_required
def acknowledge_compliment(compliment_id: int) -> Any:
    """Record that the resident was thanked."""
    try:
        compliments.acknowledge(app_ctx(), compliment_id)
    except NotFound:
        abort(404, description=f"There is no compliment {compliment_id}.")
    except Invalid as error:
        flash(" ".join(error.errors.values()), "error")
    return redirect(url_for("reports.compliments_page"))


@bp.post("/reports/homes")
@login_required
def set_homes() -> Any:
    """Managers and admins record the relevant homes for a reporting year."""
    if not _is_manager():
        abort(403)
    try:
        year = int(request.form.get("year", ""))
        rental, ownership = (int(request.form.get(key, "0") or 0) for key in ("low_cost_rental", "low_cost_home_ownership"))
        reports.set_homes(app_ctx(), year, rental, ownership, request.form.get("loaded_version", ""))
    except ValueError:
        flash("Give whole numbers for the year and the homes.", "error")
        return redirect(url_for("reports.tsm_page"))
    except Invalid as error:
        flash(" ".join(error.errors.values()), "error")
        return redirect(url_for("reports.tsm_page"))
    except EditConflict as error:
        # Two numbers: the message keeps what the user entered, beside what is stored now.
        now_rental, now_ownership = error.version.split("/")
        flash(f"Not saved: {error}. They are now {now_rental} low-cost rental and {now_ownership} low-cost home "
              f"ownership homes; you entered {rental} and {ownership}. Enter yours again if they are right.", "error")
        return redirect(url_for("reports.tsm_page", year=year))
    flash("Homes recorded.", "ok")
    return redirect(url_for("reports.tsm_page", year=year))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters() -> register.Filters:
    try:
        return register.Filters.from_args(request.args)
    except Invalid as error:
        abort(400, description="; ".join(f"{k}: {v}" for k, v in error.errors.items()))


def _export(kind: str) -> Response:
    """The register, filtered as asked, streamed as CSV or XLSX."""
    filters = _filters()
    chunks, mimetype = ((register.csv_lines(app_ctx(), filters), "text/csv") if kind == "csv"
                        else (register.xlsx_chunks(app_ctx(), filters), XLSX))
    headers = {"Content-Disposition": f"attachment; filename=complaints-register.{kind}"}
    return Response(stream_with_context(chunks), mimetype=mimetype, headers=headers)


@bp.get("/reports/register")
@login_required
@reads_people
def register_page() -> Any:
    """The complaints register: filter, sort, page through, export what is shown."""
    filters = _filters()
    try:
        shown = register.page(app_ctx(), filters, request.args.get("after", ""))
    except Invalid as error:
        abort(400, description=" ".join(error.errors.values()))
    params = app_ctx().policy.params
    return render_template("register.html", page=shown, filters=filters, args=filters.as_args(),
                           statuses=register.STATUSES, sorts=register.SORTS, categories=categories(params),
                           channels=dict(CHANNELS))


@bp.get("/reports/register.<any(csv, xlsx):kind>")
@login_required
@reads_people
def register_export(kind: str) -> Any:
    """The complaints register as CSV or XLSX (streamed), with the page's filters."""
    return _export(kind)


@bp.get("/api/v1/reports/register.<any(csv, xlsx):kind>")
@token_required
@reads_people
@validate(200, None, 400, 403, 422, query=api_schemas.RegisterQuery, media=("text/csv", XLSX))
def api_register_export(kind: str) -> Any:
    """The complaints register as CSV or XLSX (streamed); takes the register page's filters."""
    return _export(kind)


@bp.get("/reports/dashboard")
@login_required
def dashboard_page() -> Any:
    """Charts of the year's complaints, each with its numbers in a table beneath."""
    try:
        figures = dashboard.dashboard(app_ctx(), reporting_year())
    except Invalid as error:
        abort(400, description=" ".join(error.errors.values()))
    return render_template("dashboard.html", d=figures, quarterly=_publishes_quarterly())


@bp.get("/api/v1/reports/dashboard")
@token_required
@validate(200, api_schemas.AnyObject, 422, query=api_schemas.YearQuery)
def api_dashboard() -> Any:
    """The dashboard's figures for `?year=`."""
    try:
        return jsonify(dashboard.as_json(dashboard.dashboard(app_ctx(), reporting_year())))
    except Invalid as error:
        return jsonify(error="invalid", errors=error.errors), 422


@bp.route("/reports/self-assessment", methods=["GET", "POST"])
@login_required
def self_assessment() -> Any:
    """The Code self-assessment for a year: evidence from the records, the linter's findings, and the
    landlord's own words, which managers and admins write."""
    year = reporting_year()
    texts: dict[str, str] = {}
    comply: dict[str, str] = {}
    conflict, status, loaded = None, 200, None
    if request.method == "POST":
        if not _is_manager():
            abort(403)
        texts = {key.removeprefix("text-"): value for key, value in request.form.items() if key.startswith("text-")}
        comply = {key.removeprefix("comply-"): value for key, value in request.form.items()
                  if key.startswith("comply-")}
        loaded = request.form.get("loaded_version", "")
        try:
            annual_report.save_self_assessment(app_ctx(), year, texts, actor(), loaded, comply)
        except Invalid as error:
            flash("Not saved: " + " ".join(f"{k}: {v}" for k, v in error.errors.items()), "error")
            status = 422
        except EditConflict as error:
            conflict, status, loaded = str(error), 409, None  # the page moves on to their version
        else:
            flash("Self-assessment saved.", "ok")
            return redirect(url_for("reports.self_assessment", year=year))
    try:
        version = annual_report.self_assessment_version(app_ctx(), year)  # before the texts: never newer than them
        rows = annual_report.self_assessment(app_ctx(), year)
    except Invalid as error:
        abort(400, description=" ".join(error.errors.values()))
    for row in rows:  # the user's words stay in the form; after a conflict, what was saved is shown beside them
        mine = texts.get(row["key"])
        if mine is not None and mine.strip() != row["text"]:
            row["theirs"] = row["text"] if conflict else None
            row["text"] = mine
        if row["key"] in comply:
            row["chosen"] = annual_report.MANAGER_ANSWERS.get(comply[row["key"]], "")
    return render_template("self_assessment.html", year=year, rows=rows, may_edit=_is_manager(),
                           sections=self_assessment_export.by_section(rows),
                           version=loaded if loaded is not None else version, conflict=conflict), status


@bp.get("/reports/self-assessment.<any(xlsx, pdf):kind>")
@login_required
def self_assessment_export_file(kind: str) -> Any:
    """The year's self-assessment in the Ombudsman's layout, as an Excel workbook or a PDF."""
    year = reporting_year()
    name = f"complaint-handling-code-self-assessment-{year}.{kind}"
    try:
        if kind == "xlsx":
            return Response(self_assessment_export.xlsx(app_ctx(), year), mimetype=XLSX,
                            headers={"Content-Disposition": f"attachment; filename={name}"})
        rows = annual_report.self_assessment(app_ctx(), year)
    except Invalid as error:
        abort(400, description=" ".join(error.errors.values()))
    return pdf_response(render_template("report_self_assessment.html", year=year, landlord=app_ctx().policy.landlord.name,
                                        **_assessment_layout(rows)), name)


def _assessment_layout(rows: list[dict[str, Any]]) -> dict[str, Any]:
    # What the templates' assessment table needs: the provisions by section, the columns, the Evidence column.
    return {"sections": self_assessment_export.by_section(rows), "columns": self_assessment_export.COLUMNS,
            "evidence": self_assessment_export.evidence_text}


@bp.get("/reports/annual-<int:year>.pdf")
@login_required
def annual_report_pdf(year: int) -> Any:
    """The annual self-assessment and complaints performance and service improvement report."""
    try:
        report = annual_report.annual(app_ctx(), year)
    except Invalid as error:
        abort(400, description=" ".join(error.errors.values()))
    return pdf_response(render_template("report_annual.html", r=report, **_assessment_layout(report["assessment"])),
                        f"complaints-annual-report-{year}.pdf")


@bp.get("/reports/half-year-<int:year>-<int:half>.pdf")
@login_required
def half_year_report(year: int, half: int) -> Any:
    """The half-year publication summary (1: April–September, 2: October–March)."""
    try:
        report = annual_report.half_year(app_ctx(), year, half)
    except Invalid as error:
        abort(400, description=" ".join(error.errors.values()))
    return pdf_response(render_template("report_half_year.html", r=report),
                        f"complaints-summary-{year}-{half}.pdf")


@bp.get("/reports/quarter-<int:year>-<int:quarter>.pdf")
@login_required
def quarter_report(year: int, quarter: int) -> Any:
    """The quarterly report where the profile publishes one (seed-002 3.4): the quarter's complaint figures with
    its compliments beside them, counted by quarter, team and channel, without anyone's name."""
    try:
        report = annual_report.quarter(app_ctx(), year, quarter)
    except Invalid as error:
        abort(400, description=" ".join(error.errors.values()))
    except NotFound as error:
        abort(404, description=f"Not published: {error}.")
    return pdf_response(render_template("report_quarter.html", r=report),
                        f"complaints-and-compliments-{year}-q{quarter}.pdf")


@bp.get("/api/v1/reports/tsm")
@token_required
@validate(200, api_schemas.Tsm, 422, query=api_schemas.YearQuery)
def api_tsm() -> Any:
    """`{ch01: {stage1, stage2, homes}, ch02: {stage1, stage2}, counts: {...}}` for `?year=` (its April start)."""
    try:
        return jsonify(reports.tsm(app_ctx(), reporting_year()))
    except Invalid as error:
        return jsonify(error="invalid", errors=error.errors), 422


@bp.get("/api/v1/reports/tsm/working")
@token_required
@validate(200, api_schemas.References, 422, query=api_schemas.WorkingQuery)
def api_working() -> Any:
    """The complaint references behind one TSM count: `?year=2026&figure=stage1_responded_within`."""
    try:
        return jsonify(reports.working(app_ctx(), reporting_year(), request.args.get("figure", "")))
    except Invalid as error:
        return jsonify(error="invalid", errors=error.errors), 422
