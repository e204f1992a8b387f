"""Correcting a complaint's tenure (which TSM CH01 figure it counts in), with the change on the audit trail."""

from __future__ import annotations

from service.domain.reporting import TENURES
from service.use_cases.context import Actor, AppContext, find_complaint, now
from service.use_cases.errors import Invalid
from service.use_cases.projection import Change, record


def run(app: AppContext, reference: str, tenure: str, actor: Actor) -> bool:
    """Set complaint `reference`'s tenure; False when it already was. Raises NotFound and Invalid."""
    if tenure not in TENURES:
        raise Invalid({"tenure": "Choose one of: " + "; ".join(TENURES.values()) + "."})
    with app.uow() as uow:
        complaint = find_complaint(uow.session, reference)
        was = complaint.tenure
        if was == tenure:
            return False
        complaint.tenure = tenure
        record(uow.session, complaint, Change(actor.id, now()), "tenure_changed",
               f"Tenure changed from \u201c{TENURES.get(was or '', was or 'none')}\u201d to \u201c{TENURES[tenure]}\u201d",
               {"tenure": tenure}, before={"tenure": was}, after={"tenure": tenure})
        uow.commit()
        return True
