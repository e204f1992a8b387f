"""The staff UI: inbox, logging a complaint, the complaint page, task forms, claiming and reassigning."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forms import form_class
from forms.base import from_task_data
from service.domain import access
from service.domain.calendar import london_today
from service.domain.policy import UnknownProfile, available_profiles
from service.domain.reporting import TENURES
from service.use_cases import add_record as add_record_case
from service.use_cases import (
    assign_task,
    complete_task,
    correspondence,
    equity_review,
    exports,
    learning,
    lint_profile,
    person_matches,
    queries,
    referrals,
    remedies,
    restrictions,
    submit_complaint,
    users,
    withdraw_complaint,
)
from service.use_cases import change_tenure as change_tenure_case
from service.use_cases.errors import Conflict, Forbidden, Invalid, NotFound
from service.web.auth import actor, app_ctx, reads_people
from service.web.limits import limiter
from service.web.request_checks import MAX_ID

bp = Blueprint("staff", __name__)


def _may_lint(role: str) -> bool:
    return role in {"process_owner", "admin", app_ctx().manager_role}


@bp.app_context_processor
def _navigation() -> dict[str, Any]:
    # What the header offers depends on the role in the active profile (e.g. head_of_service in seed-001).
    if not current_user.is_authenticated:
        # Residents see whose service this is, never the product's name.
        landlord = app_ctx().policy.landlord
        return {"landlord_name": landlord.name, "landlord_contact": landlord.contact,
                "landlord_logo": app_ctx().landlord_logo is not None}
    role = current_user.actor.role
    return {"nav_is_manager": role == app_ctx().manager_role, "nav_may_lint": _may_lint(role),
            "nav_reads_people": access.reads_personal_data(role),
            "nav_compensation": equity_review.may_read(app_ctx(), role),
            "profile_title": app_ctx().policy.title, "lane_roles": app_ctx().policy.lane_roles}


@bp.get("/")
@login_required
def inbox() -> Any:
    """My tasks and the tasks offered to my role, most urgent first, with each resident, stage, working days left
    and flags; filtered (`show`: mine, offered, overdue, stage1, stage2) and searched (`q`: a reference or a
    resident's name); my reminders."""
    me = actor()
    show = request.args.get("show", "all")
    show = show if show in queries.INBOX_FILTERS else "all"
    search = request.args.get("q", "")[:200]
    page = queries.inbox_page(app_ctx(), me, show, search)
    return render_template("inbox.html", page=page, show=show, search=search, filters=queries.INBOX_FILTERS,
                           today=london_today(), notifications=queries.notifications(app_ctx(), me),
                           limit=queries.INBOX_LIMIT)


@bp.get("/team")
@login_required
def team() -> Any:
    """Managers: every open task, to see the load and reassign."""
    if actor().role != app_ctx().manager_role:
        abort(403)
    return render_template("team.html", tasks=queries.team_tasks(app_ctx()), today=london_today(),
                           staff=users.staff(app_ctx()))


@bp.get("/processes/lint")
@login_required
def lint() -> Any:
    """Process owners and managers: the active (or another) profile checked against the Code."""
    if not _may_lint(actor().role):
        abort(403)
    profile = request.args.get("profile") or app_ctx().policy.name
    try:
        findings = lint_profile.run(profile)
    except UnknownProfile:
        abort(404, description=f"There is no profile {profile}.")
    return render_template("lint.html", profile=profile, findings=findings, profiles=available_profiles(),
                           active=app_ctx().policy.name)


@bp.route("/complaints/new", methods=["GET", "POST"])
@login_required
@reads_people
def new_complaint() -> Any:
    """Log a complaint received by any channel; for someone already on record when the officer picks them from the
    people found as they type (`complainant_id`), or gives the same name and email."""
    context = submit_complaint.form_context(app_ctx())
    form = form_class("log_complaint")(request.form if request.method == "POST" else None, context=context)
    if request.method == "GET":
        form.received_at.data = london_today().isoformat()
        return render_template("complaint_new.html", form=form, person=None, person_error=None)
    try:
        complaint = submit_complaint.run(app_ctx(), request.form, actor())
    except Invalid as error:
        form.show_errors(error.errors)
        flash("Please correct the fields marked below.", "error")
        person_error = error.errors.get("complainant_id")
        person = None if person_error else _chosen_person(request.form.get("complainant_id", ""))
        if person_error:
            person_error += " Choose again from the people found, or carry on with a new person."
        return render_template("complaint_new.html", form=form, person=person, person_error=person_error), 422
    flash(f"Complaint {complaint.reference} logged.", "ok")
    return redirect(url_for("staff.complaint", reference=complaint.reference))


def _chosen_person(raw: str) -> dict[str, Any] | None:
    # The person picked before another field was refused, shown again so the choice is not lost.
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ID:
        return None
    try:
        return person_matches.describe(app_ctx(), int(raw))
    except NotFound:
        return None


def _match_limit() -> str:
    return f"{current_app.config['MATCH_LIMIT']} per minute"


@bp.get("/complaints/new/matches")
@login_required
@reads_people
@limiter.limit(_match_limit, key_func=lambda: f"matches:{actor().id}")
def person_matches_json() -> Any:
    """People on record who may be the one being typed on the log-a-complaint page (`complainant_name`,
    `complainant_email`, `complainant_phone`, `complainant_address`): at most eight, strongest first, each with
    why, their open complaints and their restrictions and adjustments. A GET that changes nothing; what was typed is
    in the query string, which is not logged, and the answer is not cached."""
    try:
        details = person_matches.typed(request.args)
    except Invalid as error:
        return jsonify(error="invalid", message=str(error), errors=error.errors), 422
    found = person_matches.find(app_ctx(), details)
    for match in found:
        match["record_url"] = url_for("restrictions.complainant", complainant_id=match["id"])
    response = jsonify(enough=details.enough(), matches=found)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/complaints")
@login_required
@reads_people
def complaints() -> Any:
    """The most recent complaints."""
    return render_template("complaints.html", complaints=queries.recent_complaints(app_ctx()))


@bp.get("/complaints/<reference>")
@login_required
@reads_people
def complaint(reference: str) -> Any:
    """A complaint: its deadlines with working days left, open tasks and full history."""
    try:
        view = queries.complaint_view(app_ctx(), reference)
    except NotFound:
        abort(404, description=f"There is no complaint {reference}.")
    return render_template("complaint.html", c=view, record_kinds=add_record_case.record_kinds(app_ctx().policy),
                           correspondence_kinds=correspondence.KINDS, correspondence_channels=correspondence.CHANNELS,
                           remedy_form=form_class("offer_remedy")(context={"policy": app_ctx().policy.params}),
                           learning_form=form_class("learning_action")(context=learning.form_context(app_ctx())),
                           withdraw_form=form_class("withdraw_complaint")(context={}), tenures=TENURES)


@bp.post("/complaints/<reference>/records")
@login_required
def add_record(reference: str) -> Any:
    """Add a note, a contact or another any-time record to the complaint's history."""
    try:
        add_record_case.run(app_ctx(), reference, request.form.get("kind", ""), request.form.get("text", ""), actor())
    except NotFound:
        abort(404, description=f"There is no complaint {reference}.")
    except Invalid as error:
        flash("Not added: " + " ".join(error.errors.values()), "error")
    else:
        flash("Added to the record.", "ok")
    return redirect(url_for("staff.complaint", reference=reference))


@bp.post("/complaints/<reference>/ombudsman")
@login_required
def refer_to_ombudsman(reference: str) -> Any:
    """Record that the complaint went to the Housing Ombudsman; its requests and orders are then tracked."""
    try:
        referrals.refer_to_ombudsman(app_ctx(), reference, request.form, actor())
    except NotFound:
        abort(404, description=f"There is no complaint {reference}.")
    except (Conflict, Invalid) as error:
        flash(f"Not referred: {error}.", "error")
    else:
        flash("Referral to the Housing Ombudsman recorded.", "ok")
    return redirect(url_for("staff.complaint", reference=reference))


@bp.post("/complaints/<reference>/tenure")
@login_required
@reads_people
def change_tenure(reference: str) -> Any:
    """Correct the complaint's tenure (the TSM figure it counts in); the change goes on the audit trail."""
    try:
        changed = change_tenure_case.run(app_ctx(), reference, request.form.get("tenure", ""), actor())
    except NotFound:
        abort(404, description=f"There is no complaint {reference}.")
    except Invalid as error:
        flash("Tenure not changed: " + " ".join(error.errors.values()), "error")
    else:
        flash("Tenure changed." if changed else "The tenure was already that.", "ok")
    return redirect(url_for("staff.complaint", reference=reference))


@bp.post("/complaints/<reference>/withdraw")
@login_required
@reads_people
def withdraw(reference: str) -> Any:
    """Withdraw the complaint at the resident's request (open tasks and timers stop)."""
    try:
        withdraw_complaint.run(app_ctx(), reference, request.form, actor())
    except NotFound:
        abort(404, description=f"There is no complaint {reference}.")
    except Invalid as error:
        flash("Not withdrawn: " + " ".join(error.errors.values()), "error")
    except Conflict as error:
        flash(f"Not withdrawn: {error}.", "error")
    else:
        flash("The complaint is withdrawn.", "ok")
    return redirect(url_for("staff.complaint", reference=reference))


@bp.post("/complaints/<reference>/remedies")
@login_required
def offer_remedy(reference: str) -> Any:
    """Propose a remedy; where the profile says so it goes for approval before the resident is offered it."""
    try:
        remedies.offer(app_ctx(), reference, request.form, actor())
    except NotFound:
        abort(404, description=f"There is no complaint {reference}.")
    except Invalid as error:
        flash("Remedy not proposed: " + " ".join(error.errors.values()), "error")
    else:
        flash("Remedy proposed.", "ok")
    return redirect(url_for("staff.complaint", reference=reference))


@bp.get("/complaints/<reference>/case-file")
@login_required
@reads_people
def case_file(reference: str) -> Any:
    """The whole case file, printable: the evidence pack the Ombudsman asks for (opening it is on the trail)."""
    try:
        view = exports.printable_case_file(app_ctx(), reference, actor())
    except NotFound:
        abort(404, description=f"There is no complaint {reference}.")
    return render_template("case_file.html", c=view)


def _task_page(task_id: str, form: Any = None, status: int = 200) -> Any:
    try:
        view = queries.task_view(app_ctx(), task_id, actor())
        task = queries.find_task_or_404(app_ctx(), task_id)
    except NotFound:
        abort(404, description="There is no such task.")
    if form is None:
        context = queries.task_form_context(app_ctx(), task_id)
        cls = queries.task_form_class(app_ctx(), task.form)
        # Some forms start from what the procedure already holds (e.g. the commitments made at Stage 1).
        prefill = from_task_data(queries.task_form_data(app_ctx(), task_id)) if getattr(cls, "prefill", False) else None
        form = cls(context=context, data=prefill)
    complaint_view = queries.complaint_view(app_ctx(), task.complaint.reference or "") if task.complaint else None
    restriction_view = restrictions.view(app_ctx(), task.restriction_id) if task.restriction_id else None
    return render_template("task.html", task=view, form=form, c=complaint_view, r=restriction_view), status


@bp.get("/tasks/<task_id>")
@login_required
@reads_people
def task(task_id: str) -> Any:
    """A task's form beside its complaint."""
    return _task_page(task_id)


@bp.post("/tasks/<task_id>")
@login_required
def complete(task_id: str) -> Any:
    """Submit a task's form; errors come back next to their fields, nothing typed is lost."""
    try:
        result = complete_task.run(app_ctx(), task_id, request.form, actor())
    except Invalid as error:
        task_row = queries.find_task_or_404(app_ctx(), task_id)
        cls = queries.task_form_class(app_ctx(), task_row.form)
        form = cls(request.form, context=queries.task_form_context(app_ctx(), task_id))
        form.show_errors(error.errors)
        flash("Please correct the fields marked below.", "error")
        return _task_page(task_id, form, 422)
    except NotFound:
        abort(404, description="There is no such task.")
    except (Conflict, Forbidden) as error:
        flash(f"Not saved: {error}.", "error")
        return redirect(url_for("staff.inbox"))
    flash(f"{result.task.title}: done.", "ok")
    if result.task.complaint is None:
        return redirect(url_for("restrictions.restriction", restriction_id=result.task.restriction_id))
    # On to the next step when it is this officer's own (acknowledge after triage, say); else back to the inbox.
    mine = next((t for t in result.next_tasks if t.assignee_id == actor().id), None)
    return redirect(url_for("staff.task", task_id=mine.id) if mine else url_for("staff.inbox"))


@bp.post("/tasks/<task_id>/claim")
@login_required
def claim(task_id: str) -> Any:
    """Take a task offered to my role."""
    try:
        claimed = assign_task.claim(app_ctx(), task_id, actor())
    except NotFound:
        abort(404)
    except (Conflict, Forbidden) as error:
        flash(f"Could not claim: {error}.", "error")
        return redirect(url_for("staff.inbox"))
    flash(f"{claimed.title} is now yours.", "ok")
    return redirect(url_for("staff.task", task_id=task_id))


@bp.post("/tasks/<task_id>/reassign")
@login_required
def reassign(task_id: str) -> Any:
    """Managers: give a task to someone else."""
    try:
        assign_task.reassign(app_ctx(), task_id, request.form.get("assignee", ""), actor(),
                             request.form.get("loaded_version", ""))
    except Forbidden:
        abort(403)
    except NotFound as error:
        flash(str(error), "error")
    except (Conflict, Invalid) as error:
        flash(f"Could not reassign: {error}.", "error")
    else:
        flash("Task reassigned.", "ok")
    return redirect(url_for("staff.team"))
