"""The process editor for staff: the Processes page, the bpmn-js modeler, deploys, migrations and forms.

Everyone signed in may look; only process owners and admins may save, deploy or migrate (these routes refuse
anyone else with 403 before reading the request, the use cases check again, and the pages hide what a viewer
cannot do). The modeler saves as JSON with the CSRF token in a header.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import login_required
from werkzeug.wrappers import Response

from forms.built import KINDS, build_form, definition_errors
from service.domain.calendar import add_months, london_today
from service.use_cases import form_definitions, instance_migrations, process_versions
from service.use_cases.errors import Conflict, DiagramInvalid, EditConflict, Forbidden, Invalid, NotFound
from service.web.auth import actor, app_ctx

bp = Blueprint("editor", __name__, static_folder="static", static_url_path="/editor-static")


def may_edit() -> bool:
    """Whether the signed-in member of staff may change the procedure."""
    return actor().role in process_versions.EDITORS


def editors_only() -> None:
    """Refuse (403) anyone who may not change the procedure."""
    # Refused before the request is read: a viewer gets 403, never a validation error or a flashed redirect
    # that would tell them more about the procedure than its pages do.
    if not may_edit():
        abort(403, description="Only a process owner or an admin may change the procedure.")


@bp.get("/assets/bpmn-js/<path:filename>")
def bpmn_js(filename: str) -> Response:
    """The bpmn-js bundle and its CSS, from node_modules (installed by bin/setup): no CDN, works offline."""
    directory = Path(current_app.config["NODE_MODULES"]) / "bpmn-js" / "dist"
    return send_from_directory(directory, filename, max_age=86400)


@bp.get("/assets/minimap/<path:filename>")
def minimap(filename: str) -> Response:
    """The diagram-js minimap module (a self-contained UMD build) and its CSS, from node_modules."""
    directory = Path(current_app.config["NODE_MODULES"]) / "diagram-js-minimap"
    return send_from_directory(directory, filename, max_age=86400)


@bp.get("/processes")
@login_required
def processes() -> str:
    """Every process with its versions: state, author, comment, changes, how many instances run on each."""
    return render_template("processes.html", processes=process_versions.list_processes(app_ctx()),
                           may_edit=may_edit())


@bp.get("/processes/<process_id>")
@login_required
def process(process_id: str) -> str:
    """One process: its versions (deploy, roll back, migrate) and the migrations done."""
    found = next((p for p in process_versions.list_processes(app_ctx()) if p["id"] == process_id), None)
    if found is None:
        abort(404, description=f"There is no process {process_id}.")
    today = london_today()
    return render_template("process.html", process=found, may_edit=may_edit(),
                           migrations=instance_migrations.history(app_ctx(), process_id),
                           replayable=process_id == app_ctx().policy.params["process"],
                           replay_from=(add_months(today, -12) + timedelta(days=1)).isoformat(), replay_to=today.isoformat())


@bp.get("/processes/<process_id>/modeler")
@login_required
def modeler(process_id: str) -> str:
    """The modeler on a version (the live one unless ?version=N), with our properties panel."""
    number = request.args.get("version", type=int)
    try:
        version = process_versions.source(app_ctx(), process_id, number)
    except NotFound as error:
        abort(404, description=str(error))
    policy = app_ctx().policy
    lanes = sorted({*policy.params.get("lanes", {}), *(r for r in policy.roles if r not in {"admin", "process_owner"})})
    panel = {"forms": [f["name"] for f in form_definitions.all_forms(app_ctx())],
             "lanes": {lane: list(policy.lane_roles(lane)) for lane in lanes},
             "roles": policy.roles,
             "helpers": ["add_working_days(day, n)", "breach_time(due)", "reminder_time(due, days_before)",
                         "window_end(day, window)", "start_of_day(day)", "receipt_day(day)"],
             "parameters": sorted(_parameter_paths(policy.params))}
    listed = next((p for p in process_versions.list_processes(app_ctx()) if p["id"] == process_id), {})
    return render_template("modeler.html", version=version, process_id=process_id, may_edit=may_edit(),
                           panel=panel, versions=listed.get("versions", []))


def _parameter_paths(params: dict[str, Any], prefix: str = "") -> list[str]:
    # Profile parameters a timer or condition may read, as they are written: policy["stage1"]["response_days"].
    paths = []
    for key, value in params.items():
        if key in {"demo_users", "roles", "lanes", "title", "process", "code"}:
            continue
        path = f'{prefix}["{key}"]'
        if isinstance(value, dict):
            paths += _parameter_paths(value, path)
        elif isinstance(value, (int, str)):
            paths.append(f"policy{path}")
    return paths


@bp.get("/processes/<process_id>/versions/<int:number>.bpmn")
@login_required
def download(process_id: str, number: int) -> Response:
    """A version's BPMN XML."""
    try:
        version = process_versions.source(app_ctx(), process_id, number)
    except NotFound as error:
        abort(404, description=str(error))
    return Response(version["xml"], mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{process_id}-v{number}.bpmn"'})


def _save_answer(process_id: str, body: Any, acting: Any, context: Any,
                 progress: Any = None) -> tuple[dict[str, Any], int]:
    """The save's JSON answer and status: 201 with the draft, 422 problems, 409 conflict, 403, 404."""
    try:
        draft = process_versions.save_draft(context, process_id, body["xml"], str(body.get("comment", "")), acting,
                                            str(body.get("loaded_version", "")), progress)
    except DiagramInvalid as error:
        return {"errors": [problem.as_dict() for problem in error.problems]}, 422
    except EditConflict as error:
        return {"error": "editconflict", "conflict": error.as_dict(),
                "errors": [{"element_id": None, "line": None, "message": str(error)}]}, 409
    except Forbidden as error:
        return {"errors": [{"element_id": None, "line": None, "message": str(error)}]}, 403
    except NotFound as error:
        return {"errors": [{"element_id": None, "line": None, "message": str(error)}]}, 404
    return draft, 201


@bp.post("/processes/<process_id>/drafts")
@login_required
def save_draft(process_id: str) -> Any:
    """The modeler's save: JSON {xml, comment, loaded_version}; 201 with the draft, 422 with each problem and its
    element, 409 when someone saved a newer version since the modeler opened (who, when, and that version).

    Asked for `application/x-ndjson`, it streams the scenario runner's progress as it proves the draft
    (`{"progress": [done, known]}` lines) and ends with `{"status": …, "body": …}`."""
    if not may_edit():
        return jsonify(errors=[{"element_id": None, "line": None,
                                "message": "only a process owner or an admin may change the procedure"}]), 403
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("xml"), str):
        return jsonify(errors=[{"element_id": None, "line": None, "message": "send {xml, comment} as JSON"}]), 422
    if "application/x-ndjson" not in request.headers.get("Accept", ""):
        answer, status = _save_answer(process_id, body, actor(), app_ctx())
        if status == 404:
            abort(404, description=answer["errors"][0]["message"])
        return jsonify(answer), status
    return Response(_streamed_save(process_id, body), mimetype="application/x-ndjson")


def _streamed_save(process_id: str, body: dict[str, Any]) -> Iterator[str]:
    # The save runs beside the response, which sends its progress as it comes.
    lines: queue.Queue[str | None] = queue.Queue()
    acting, context, flask_app = actor(), app_ctx(), current_app._get_current_object()  # type: ignore[attr-defined]

    def work() -> None:
        with flask_app.app_context():
            try:
                answer, status = _save_answer(process_id, body, acting, context,
                                              lambda done, known: lines.put(json.dumps({"progress": [done, known]})))
            except Exception:  # noqa: BLE001 - logged; the editor is told the save failed
                current_app.logger.exception("saving a draft failed")
                answer, status = {"errors": [{"element_id": None, "line": None,
                                              "message": "the server failed to save"}]}, 500
            lines.put(json.dumps({"status": status, "body": answer}))
            lines.put(None)
    threading.Thread(target=work, daemon=True).start()

    def stream() -> Iterator[str]:
        while (line := lines.get()) is not None:
            yield line + "\n"
    return stream()


@bp.get("/processes/<process_id>/versions/<int:number>/deploy")
@login_required
def confirm_deploy(process_id: str, number: int) -> str:
    """Before deploying or rolling back: what it changes, what blocks it, and what happens to running instances."""
    editors_only()
    try:
        preview = process_versions.deploy_preview(app_ctx(), process_id, number, actor())
    except NotFound as error:
        abort(404, description=str(error))
    return render_template("deploy_confirm.html", preview=preview)


@bp.post("/processes/<process_id>/versions/<int:number>/deploy")
@login_required
def deploy(process_id: str, number: int) -> Response:
    """Deploy (or roll back to) a version; what blocks it is shown on the process page."""
    editors_only()
    try:
        process_versions.deploy(app_ctx(), process_id, number, actor())
    except DiagramInvalid as error:
        flash(f"Version {number} not deployed: " + "; ".join(p.message for p in error.problems), "error")
    except (Forbidden, NotFound) as error:
        flash(f"Not deployed: {error}.", "error")
    else:
        flash(f"Version {number} of {process_id} is live: new instances start on it; running ones stay on "
              f"their own version until migrated.", "ok")
    return redirect(url_for("editor.process", process_id=process_id))


@bp.get("/processes/<process_id>/versions/<int:number>/migration")
@login_required
def migration(process_id: str, number: int) -> str:
    """The dry run: which running instances can move to this version, and why the others cannot."""
    try:
        plan = instance_migrations.dry_run(app_ctx(), process_id, number)
    except NotFound as error:
        abort(404, description=str(error))
    return render_template("migration.html", plan=plan, may_edit=may_edit())


@bp.post("/processes/<process_id>/versions/<int:number>/migration")
@login_required
def migrate(process_id: str, number: int) -> Response:
    """Move every instance that can move; report the others."""
    editors_only()
    try:
        result = instance_migrations.migrate(app_ctx(), process_id, number, actor())
    except (Forbidden, NotFound) as error:
        flash(f"Nothing migrated: {error}.", "error")
    else:
        flash(f"{len(result['moved'])} moved to version {number}; {len(result['blocked'])} could not move.", "ok")
    return redirect(url_for("editor.process", process_id=process_id))


@bp.post("/migrations/<int:migration_id>/revert")
@login_required
def revert(migration_id: int) -> Response:
    """Put a migrated instance back on its old version."""
    editors_only()
    process_id = request.form.get("process_id", "complaint")
    try:
        result = instance_migrations.revert(app_ctx(), migration_id, actor())
    except (Forbidden, NotFound, Conflict) as error:
        flash(f"Not reverted: {error}.", "error")
    else:
        flash(f"Instance {result['instance_id']} is back on version {result['version']}.", "ok")
    return redirect(url_for("editor.process", process_id=process_id))


@bp.get("/forms")
@login_required
def forms_page() -> Any:
    """Every form a user task can name; built ones can be edited here. As JSON for the modeler's chooser."""
    forms = form_definitions.all_forms(app_ctx())
    if request.accept_mimetypes.best == "application/json":
        return jsonify([{"name": form["name"]} for form in forms])
    return render_template("forms.html", forms=forms, may_edit=may_edit())


@bp.route("/forms/new", methods=["GET", "POST"], defaults={"name": None})
@bp.route("/forms/<name>/edit", methods=["GET", "POST"])
@login_required
def form_editor(name: str | None) -> Any:
    """Build a form (fields, kinds, choices) with a live preview; saving stores a new version."""
    current: dict[str, Any] = {"name": name or "", "title": "", "fields": []}
    if name and request.method == "GET":
        try:
            current = form_definitions.definition(app_ctx(), name)
        except NotFound:
            abort(404, description=f"There is no built form {name}.")
    errors: dict[str, str] = {}
    theirs, conflict = None, None
    if request.method == "POST":
        loaded = request.form.get("loaded_version", "")
        current = {**_posted_definition(), "version": int(loaded) if loaded.isdecimal() else 0}
        try:
            saved = form_definitions.save(app_ctx(), current["name"], current["title"], current["fields"], actor(),
                                          loaded)
        except Invalid as error:
            errors = error.errors
        except Forbidden as error:
            abort(403, description=str(error))
        except EditConflict as error:
            # The page now stands on their version, with the user's own fields kept in the form.
            theirs, conflict = form_definitions.definition(app_ctx(), current["name"]), str(error)
            current["version"] = theirs["version"]
        else:
            flash(f"Form {saved['name']} saved (version {saved['version']}). User tasks can now name it.", "ok")
            return redirect(url_for("editor.forms_page"))
    status = 409 if conflict else 422 if errors else 200
    return render_template("form_editor.html", definition=current, kinds=KINDS, errors=errors, theirs=theirs,
                           conflict=conflict, may_edit=may_edit(), preview=_preview(current)), status


def _posted_definition() -> dict[str, Any]:
    # One row of inputs per field (field-0-name, field-0-label…); rows left blank are dropped.
    fields, index = [], 0
    while f"field-{index}-name" in request.form:
        row = {key: request.form.get(f"field-{index}-{key}", "").strip() for key in ("name", "label", "kind", "help")}
        if row["name"] or row["label"]:
            field: dict[str, Any] = {**row, "required": request.form.get(f"field-{index}-required") == "y"}
            if row["kind"] == "choice":
                field["choices"] = [c.strip() for c in request.form.get(f"field-{index}-choices", "").splitlines()
                                    if c.strip()]
            fields.append(field)
        index += 1
    return {"name": request.form.get("name", "").strip(), "title": request.form.get("title", ""), "fields": fields}


def _preview(definition: dict[str, Any]) -> Any:
    fields = definition.get("fields")
    if definition_errors(definition.get("name") or "preview", definition.get("title") or "Preview", fields):
        return None
    return build_form(definition.get("title") or "", list(fields or []))(context={})


@bp.post("/forms/preview")
@login_required
def form_preview() -> Any:
    """The form as staff will see it, rendered from a definition (the editor's live preview)."""
    definition = request.get_json(silent=True) or {}
    errors = definition_errors(definition.get("name") or "preview", definition.get("title") or "Preview",
                               definition.get("fields"))
    form = None if errors else _preview(definition)
    return render_template("_form_preview.html", form=form, errors=errors)
