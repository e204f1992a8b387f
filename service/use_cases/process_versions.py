"""What process owners do with the procedure's diagrams: save a checked draft, deploy it, roll back.

A draft is stored only when it passes every check and its scenarios run (service.use_cases.prove_process):
an expression that fails on some path, or an instance left stuck, is refused with the scenario that shows it.
Deploying makes it the version new instances start on, while running instances stay on their own. A version
whose proof has an error-level finding the live version does not have (a Code provision its dates break, a
deadline or stage it lacks) cannot be deployed; warnings are recorded on the version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain.behaviour import timescale_changes
from service.domain.linter import Finding
from service.domain.policy import sample_parameters
from service.persistence.models import ProcessVersion, WorkflowInstance
from service.use_cases import form_definitions, prove_process
from service.use_cases.concurrent_edits import Saved, ensure_unchanged
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.errors import DiagramInvalid, Forbidden, NotFound
from service.use_cases.processes import SUPPORTING, compiled, current_live, deploy_version, next_number
from service.use_cases.projection import Change, record
from service.workflow.inspect import element_changes
from service.workflow.validate import Problem, Rules, check

EDITORS = form_definitions.EDITORS


def ensure_editor(actor: Actor) -> None:
    """Raise Forbidden unless `actor` may edit, deploy or migrate the procedure."""
    if actor.role not in EDITORS:
        raise Forbidden("only a process owner or an admin may change the procedure")


def process_ids(app: AppContext) -> list[str]:
    """Every process the procedure runs: the profile's complaint process and the supporting ones."""
    return [str(app.policy.params["process"]), *SUPPORTING]


def _rules(app: AppContext, session: Session) -> Rules:
    describe = form_definitions.form_descriptions(session, app.policy.params)

    def field_names(form: str) -> tuple[str, ...]:
        return tuple(str(field["name"]) for field in describe(form))
    start_data, start_forms = prove_process.START_DATA, prove_process.START_FORMS
    start = {str(app.policy.params["process"]): start_data["complaint"],
             **{process: (*start_data[process], *(field_names(start_forms[process]) if process in start_forms else ()))
                for process in SUPPORTING}}
    return Rules(form_exists=form_definitions.form_exists(session), lane_roles=app.policy.lane_roles,
                 roles=frozenset(app.policy.roles), callable_processes=frozenset(process_ids(app)),
                 policy=sample_parameters(app.policy), form_fields=field_names, start_fields=start)


def find_version(session: Session, process_id: str, number: int) -> ProcessVersion:
    """Version `number` of `process_id`, or NotFound."""
    if not 0 < number <= 2**31 - 1:  # past what an INTEGER column holds, there is no such version
        raise NotFound(f"process {process_id} has no version {number}")
    version = session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == process_id,
                                                           ProcessVersion.version == number)).first()
    if version is None:
        raise NotFound(f"process {process_id} has no version {number}")
    return version


def _proof(app: AppContext, session: Session, version: ProcessVersion) -> dict[str, Any]:
    # The stored proof when it was made under this profile; else prove it now and keep that.
    stored = version.findings
    if not stored or stored.get("profile") != app.policy.name:
        proof = prove_process.prove(app, session, version.process_id, compiled(version))
        version.findings = stored = proof.as_dict(app.policy.name)
    return stored


def _new_errors(app: AppContext, session: Session, version: ProcessVersion) -> list[dict[str, Any]]:
    """The error-level findings of `version` that the live version does not have."""
    errors = [f for f in _proof(app, session, version)["findings"] if f["severity"] == "error"]
    live = current_live(session, version.process_id)
    if live is None:
        return errors
    if not errors or live is version:
        return []  # the live version is proven only when there is something to compare it with
    kept = {prove_process.finding_key(f) for f in _proof(app, session, live)["findings"]}
    return [f for f in errors if prove_process.finding_key(f) not in kept]


def _problem(finding: dict[str, Any] | Finding, process_id: str) -> Problem:
    """A finding as the editor and the API show a refusal: the element, the Code provision, the scenario."""
    data = finding.as_dict() if isinstance(finding, Finding) else finding
    where, section = str(data["where"]), str(data["section"])
    element = (process_id if where == "bpmn:process" else where[5:]) if where.startswith("bpmn:") else None
    provision = section if section[:1].isdigit() else None
    message = f"Code {section}: {data['message']}" if provision else str(data["message"])
    if not where.startswith("bpmn:"):
        message += f" (profile: {where})"
    return Problem(message, element, provision=provision, scenario=data.get("scenario"))


def summary(version: ProcessVersion, running: int = 0) -> dict[str, Any]:
    """A version as the Processes page and the API list it."""
    return {"version": version.version, "state": version.state, "author": version.author,
            "comment": version.comment, "created_at": version.created_at.isoformat(),
            "deployed_at": version.deployed_at.isoformat() if version.deployed_at else None,
            "running": running,
            "changes": {kind: (version.changes or {}).get(kind, []) for kind in ("added", "removed", "changed")}
            if version.changes else {},
            "change_notes": [*(version.changes or {}).get("timescales", []), *(version.changes or {}).get("described", [])],
            "warnings": [f for f in (version.findings or {}).get("findings", []) if f["severity"] == "warning"]}


def list_processes(app: AppContext) -> list[dict[str, Any]]:
    """Every process with its versions (newest first) and how many unfinished instances run on each."""
    with app.uow() as uow:
        session = uow.session
        running = dict(session.execute(
            select(WorkflowInstance.process_version_id, func.count())
            .where(WorkflowInstance.finished.is_(False)).group_by(WorkflowInstance.process_version_id)).all())
        versions = session.scalars(select(ProcessVersion).order_by(ProcessVersion.process_id,
                                                                   ProcessVersion.version.desc())).all()
        result = []
        for process_id in process_ids(app):
            mine = [v for v in versions if v.process_id == process_id]
            result.append({"id": process_id, "versions": [summary(v, running.get(v.id, 0)) for v in mine],
                           "live": next((v.version for v in mine if v.live), None)})
        return result


def source(app: AppContext, process_id: str, number: int | None = None) -> dict[str, Any]:
    """The BPMN of a version (the live one by default) for the modeler; raises NotFound."""
    with app.uow() as uow:
        version = find_version(uow.session, process_id, number) if number else current_live(uow.session, process_id)
        if version is None:
            raise NotFound(f"process {process_id} has no live version")
        files = version.sources
        # What an editor opened on this page hands back on saving (save_draft's `loaded`): the newest version.
        return {**summary(version), "process_id": process_id, "loaded_version": next_number(uow.session, process_id) - 1,
                "xml": files.get(f"{process_id}.bpmn") or next(iter(files.values()))}


def _newest(session: Session, process_id: str) -> Saved | None:
    newest = session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                             .order_by(ProcessVersion.version.desc()).limit(1)).first()
    return Saved(str(newest.version), newest.author, newest.created_at) if newest is not None else None


def save_draft(app: AppContext, process_id: str, xml: str, comment: str, actor: Actor,
               loaded: str | None = None, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Check `xml` and store it as a draft version of `process_id`.

    Raises Forbidden, NotFound (unknown process), DiagramInvalid with every problem found, or EditConflict when
    a version newer than `loaded` (the newest when the editor opened; None: unchecked) was saved since. Returns
    the version with the elements it changes against the live one, what running its scenarios found, and the
    error-level findings (Code provisions, missing deadlines or stages) that would stop it being deployed.
    `progress(done, known)` is told as the scenarios run."""
    ensure_editor(actor)
    if process_id not in process_ids(app):
        raise NotFound(f"there is no process {process_id}")
    files = {f"{process_id}.bpmn": xml}
    with app.uow() as uow:
        session = uow.session
        process, problems = check(process_id, files, _rules(app, session))
        if process is None:
            raise DiagramInvalid(problems)
        proof = prove_process.prove(app, session, process_id, process, progress)
        if proof.failures:
            raise DiagramInvalid([_problem(f, process_id) for f in proof.failures])
        ensure_unchanged(session, f"process:{process_id}", loaded, lambda: _newest(session, process_id),
                         f"a newer version of {process_id}")
        version = session.scalars(select(ProcessVersion)
                                  .where(ProcessVersion.content_hash == process.content_hash)).first()
        live = current_live(session, process_id)
        if version is None:
            number = next_number(session, process_id)
            version = ProcessVersion(process_id=process_id, version=number, content_hash=process.content_hash,
                                     sources=files, spec_json=process.spec_json, author=actor.name,
                                     comment=comment.strip(), state="draft",
                                     changes=element_changes(live.sources, files) if live else {})
            session.add(version)
        version.findings = proof.as_dict(app.policy.name)
        if live is not None and live is not version:
            # What the change does to the Code's timescales, besides what it changes in the XML.
            stored = live.findings if live.findings and live.findings.get("profile") == app.policy.name else {}
            before = stored.get("timescales") or prove_process.timescales_of(app, session, process_id, compiled(live))
            version.changes = {**(version.changes or {}), "timescales": timescale_changes(before, proof.timescales)}
        session.flush()
        breaks = _new_errors(app, session, version)
        uow.commit()
        return {**summary(version), "code_findings": breaks, "proof": version.findings}


def deploy_preview(app: AppContext, process_id: str, number: int, actor: Actor) -> dict[str, Any]:
    """What deploying version `number` would do, for the confirmation a process owner reads first: the version,
    what it changes, the findings that block it (or its warnings), and the running instances on each version
    (they stay where they are). Raises Forbidden or NotFound."""
    ensure_editor(actor)
    with app.uow() as uow:
        session = uow.session
        version = find_version(session, process_id, number)
        blocking = _new_errors(app, session, version)
        live = current_live(session, process_id)
        running = dict(session.execute(
            select(ProcessVersion.version, func.count()).join(WorkflowInstance,
                                                              WorkflowInstance.process_version_id == ProcessVersion.id)
            .where(ProcessVersion.process_id == process_id, WorkflowInstance.finished.is_(False))
            .group_by(ProcessVersion.version)).all())
        preview = {**summary(version, running.get(number, 0)), "process_id": process_id, "blocking": blocking,
                   "live_version": live.version if live else None, "rollback": version.state == "retired",
                   "running_by_version": dict(sorted(running.items()))}
        uow.commit()  # a proof made just now is kept on the version
        return preview


def deploy(app: AppContext, process_id: str, number: int, actor: Actor) -> dict[str, Any]:
    """Make version `number` live for new instances (a retired one: a rollback); running ones stay put.

    Raises Forbidden, NotFound, or DiagramInvalid naming the Code provisions the version would break."""
    ensure_editor(actor)
    with app.uow() as uow:
        session = uow.session
        version = find_version(session, process_id, number)
        breaks = _new_errors(app, session, version)
        if breaks:
            raise DiagramInvalid([_problem(f, process_id) for f in breaks])
        previous = current_live(session, process_id)
        if previous is not version:
            deploy_version(session, version)
            record(session, None, Change(actor.id, now()), "process_deployed",
                   f"{process_id} version {number} deployed by {actor.name}"
                   + (f" (was version {previous.version})" if previous else ""),
                   {"process_id": process_id, "version": number, "previous": previous.version if previous else None},
                   before={"process_id": process_id, "live_version": previous.version if previous else None},
                   after={"process_id": process_id, "live_version": number})
        uow.commit()
        return summary(version)
