"""Add to a complaint's record at any point (Code 5.12): a contact, a note, or what the profile lets staff
record at any time (e.g. seed-002's Residents Complaint Review Group support, or Ombudsman contact)."""

from __future__ import annotations

from service.domain.policy import Policy
from service.use_cases.context import Actor, AppContext, find_complaint, now
from service.use_cases.errors import Invalid
from service.use_cases.projection import Change, record

BASE_KINDS = {"note": "Note", "contact": "Contact with the resident (call, letter, email, visit)",
              "ombudsman_contact": "Contact with the Housing Ombudsman"}


def record_kinds(policy: Policy) -> dict[str, str]:
    """What staff may add to any complaint's record under `policy`."""
    return {**BASE_KINDS, **(policy.params.get("any_time_records") or {})}


def run(app: AppContext, reference: str, kind: str, text: str, actor: Actor) -> None:
    """Append `text` of `kind` to the complaint's history; raises NotFound or Invalid."""
    kinds = record_kinds(app.policy)
    errors = {}
    if kind not in kinds:
        errors["kind"] = "Choose what kind of record this is."
    if not text.strip():
        errors["text"] = "Write what happened."
    elif len(text) > 20000:
        errors["text"] = "Keep it under 20,000 characters (attach long documents instead)."
    if errors:
        raise Invalid(errors)
    with app.uow() as uow:
        complaint = find_complaint(uow.session, reference)
        record(uow.session, complaint, Change(actor.id, now()), kind, f"{kinds[kind]}: {text.strip()}",
               {"text": text.strip()})
        uow.commit()
