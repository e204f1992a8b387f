"""Task forms: the ones written in code (forms/) and the ones process owners build in the browser."""

from __future__ import annotations

import json
import pkgutil
from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import forms
from forms import TaskForm, UnknownForm, describe, form_class
from forms.built import build_form, definition_errors
from service.domain.calendar import london_today
from service.persistence.models import FormDefinition
from service.use_cases.concurrent_edits import Saved, ensure_unchanged
from service.use_cases.context import Actor, AppContext
from service.use_cases.errors import Forbidden, Invalid, NotFound

EDITORS = {"process_owner", "admin"}


@cache
def code_form_names() -> tuple[str, ...]:
    """The forms written in code, by name."""
    names = []
    for module in pkgutil.iter_modules(forms.__path__):
        try:
            form_class(module.name)
        except UnknownForm:
            continue  # a helper module, not a form
        names.append(module.name)
    return tuple(sorted(names))


def _latest(session: Session, name: str) -> FormDefinition | None:
    return session.scalars(select(FormDefinition).where(FormDefinition.name == name)
                           .order_by(FormDefinition.version.desc()).limit(1)).first()


def _saved(row: FormDefinition | None) -> Saved | None:
    return Saved(str(row.version), row.author, row.created_at) if row is not None else None


_BUILT: dict[str, type[TaskForm]] = {}


def _built(definition: FormDefinition) -> type[TaskForm]:
    # Keyed by content, not only by name and version: another database may hold another form of that name.
    key = json.dumps([definition.name, definition.version, definition.title, definition.fields], sort_keys=True)
    if key not in _BUILT:
        _BUILT[key] = build_form(definition.title, definition.fields)
    return _BUILT[key]


def form_for(session: Session, name: str) -> type[TaskForm]:
    """The form class called `name`: a code form, else the current version of a built one; raises UnknownForm."""
    try:
        return form_class(name)
    except UnknownForm:
        definition = _latest(session, name)
        if definition is None:
            raise
        return _built(definition)


def form_exists(session: Session) -> Callable[[str], bool]:
    """A test for whether a form name exists, for the diagram checks (one query for the built ones)."""
    built = set(session.scalars(select(FormDefinition.name).distinct()))
    known = set(code_form_names()) | built
    return known.__contains__


def form_descriptions(session: Session, policy: dict[str, Any]) -> Callable[[str], list[dict[str, Any]]]:
    """The fields of the form called `name` as `forms.describe` gives them (none when there is no such form):
    what the diagram checks read names from and the scenario runner fills in."""
    cache: dict[str, list[dict[str, Any]]] = {}

    def fields(name: str) -> list[dict[str, Any]]:
        if name not in cache:
            try:
                cls = form_for(session, name)
            except UnknownForm:
                cache[name] = []
            else:
                cache[name] = describe(cls(context={"policy": policy, "today": london_today(), "deadlines": {}}))
        return cache[name]
    return fields


def built_forms_signature(session: Session) -> str:
    """Which built forms exist, at which version: a proof made with other forms is a different proof."""
    rows = session.execute(select(FormDefinition.name, func.max(FormDefinition.version))
                           .group_by(FormDefinition.name).order_by(FormDefinition.name)).all()
    return ",".join(f"{name}:{version}" for name, version in rows)


def all_forms(app: AppContext) -> list[dict[str, Any]]:
    """Every form a user task may name: code forms, and built forms with their current version."""
    with app.uow() as uow:
        latest = select(FormDefinition.name, func.max(FormDefinition.version).label("version")) \
            .group_by(FormDefinition.name).subquery()
        rows = uow.session.scalars(select(FormDefinition).join(
            latest, (FormDefinition.name == latest.c.name) & (FormDefinition.version == latest.c.version))).all()
        built = [{"name": r.name, "title": r.title, "kind": "built", "version": r.version, "author": r.author,
                  "saved_at": r.created_at.isoformat(), "fields": r.fields} for r in rows]
    code = [{"name": name, "title": name.replace("_", " ").capitalize(), "kind": "code"}
            for name in code_form_names()]
    return sorted(code + built, key=lambda form: str(form["name"]))


def definition(app: AppContext, name: str) -> dict[str, Any]:
    """The current version of built form `name`; raises NotFound."""
    with app.uow() as uow:
        row = _latest(uow.session, name)
        if row is None:
            raise NotFound(f"there is no built form {name!r}")
        return {"name": row.name, "title": row.title, "version": row.version, "fields": row.fields,
                "author": row.author, "saved_at": row.created_at.isoformat()}


def check_definition(name: str, title: str, fields: Any) -> None:
    """Raise Invalid when the definition is not a usable form."""
    errors = definition_errors(name, title, fields)
    if name in code_form_names():
        errors["name"] = f"{name!r} is a form written in code; choose another name."
    if errors:
        raise Invalid(errors)


def save(app: AppContext, name: str, title: str, fields: Any, actor: Actor,
         loaded: str | None = None) -> dict[str, Any]:
    """Store a new version of built form `name`; earlier versions are kept. Raises Forbidden, Invalid, or
    EditConflict when a version other than `loaded` (the one the editor opened, "0" for a new form; None:
    unchecked) is current by then."""
    if actor.role not in EDITORS:
        raise Forbidden("only a process owner or an admin may edit forms")
    check_definition(name, title, fields)
    with app.uow() as uow:
        ensure_unchanged(uow.session, f"form_definition:{name}", loaded, lambda: _saved(_latest(uow.session, name)),
                         f"the form {name!r}")
        current = _latest(uow.session, name)
        row = FormDefinition(name=name, version=(current.version + 1) if current else 1, title=title.strip(),
                             fields=fields, author=actor.name)
        uow.session.add(row)
        uow.commit()
        return {"name": row.name, "version": row.version}
