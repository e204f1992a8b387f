"""Compliments (seeds 001, 002): recorded, passed on to the person praised (or their team), acknowledged to the
resident, and counted in the reports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forms import form_class
from service.domain.calendar import london_today
from service.persistence.models import Compliment, Notification, User
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.errors import Invalid, NotFound
from service.use_cases.formdata import validated
from service.use_cases.learning import form_context


def record(app: AppContext, data: Any, actor: Actor) -> int:
    """Record a compliment and pass it on: the member of staff praised is told in their inbox."""
    form = validated(form_class("compliment"), data, form_context(app))
    with app.uow() as uow:
        session = uow.session
        about = (session.scalars(select(User).where(User.name == form.about_staff.data)).one()
                 if form.about_staff.data else None)
        compliment = Compliment(received_on=form.received_on.data, channel=form.channel.data,
                                from_name=form.from_name.data.strip(), about_user_id=about.id if about else None,
                                about_team=(form.about_team.data or "").strip(), description=form.description.data.strip(),
                                recorded_by_id=actor.id, created_at=now())
        session.add(compliment)
        if about is not None:
            session.add(Notification(user_id=about.id, message=f"A compliment from {compliment.from_name} "
                                     f"({compliment.received_on:%d %B %Y}): {compliment.description[:300]}"))
        session.flush()
        uow.commit()
        return compliment.id


def acknowledge(app: AppContext, compliment_id: int) -> None:
    """Record that the resident was thanked today."""
    with app.uow() as uow:
        compliment = uow.session.get(Compliment, compliment_id)
        if compliment is None:
            raise NotFound(f"no compliment {compliment_id}")
        if compliment.acknowledged_on is not None:
            raise Invalid({"acknowledged_on": f"Already acknowledged on {compliment.acknowledged_on:%d %B %Y}."})
        compliment.acknowledged_on = london_today(now())
        uow.commit()


def recent(app: AppContext, limit: int = 200) -> list[dict[str, Any]]:
    """The latest compliments, newest first."""
    with app.uow() as uow:
        rows = uow.session.scalars(select(Compliment).options(joinedload(Compliment.about_user))
                                   .order_by(Compliment.received_on.desc(), Compliment.id.desc()).limit(limit))
        return [{"id": c.id, "received_on": c.received_on, "channel": c.channel, "from_name": c.from_name,
                 "about": ", ".join(x for x in (c.about_user.display_name if c.about_user else "", c.about_team) if x),
                 "description": c.description, "acknowledged_on": c.acknowledged_on} for c in rows]

