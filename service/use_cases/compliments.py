"""Compliments (seeds 001, 002): recorded, passed on to the person praised (or their team), acknowledged to the
resident, counted in the reports, and published each quarter where the profile says so (seed-002 3.4)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forms import form_class
from forms.log_complaint import CHANNELS
from service.domain.calendar import london_today
from service.domain.tsm import reporting_quarter
from service.persistence.models import Compliment, Notification, User
from service.use_cases.context import Actor, AppContext, now
from service.use_cases.errors import Invalid, NotFound
from service.use_cases.formdata import validated
from service.use_cases.learning import form_context


def _keep(session: Any, person: User | None, **fields: Any) -> int:
    # Store the compliment and pass it on: the member of staff it praises (`person`), if any, is told.
    compliment = Compliment(about_user_id=person.id if person else None, created_at=now(), **fields)
    session.add(compliment)
    if person is not None:
        session.add(Notification(user_id=person.id, message=f"A compliment from {compliment.from_name} "
                                 f"({compliment.received_on:%d %B %Y}): {compliment.description[:300]}"))
    session.flush()
    return compliment.id


def record(app: AppContext, data: Any, actor: Actor) -> int:
    """Record a compliment and pass it on: the member of staff praised is told in their inbox."""
    form = validated(form_class("compliment"), data, form_context(app))
    with app.uow() as uow:
        person = (uow.session.scalars(select(User).where(User.name == form.about_staff.data)).first()
                  if form.about_staff.data else None)
        kept = _keep(uow.session, person, received_on=form.received_on.data, channel=form.channel.data,
                     from_name=form.from_name.data.strip(), about_team=(form.about_team.data or "").strip(),
                     description=form.description.data.strip(), recorded_by_id=actor.id)
        uow.commit()
        return kept


def record_public(app: AppContext, data: Any) -> int | None:
    """A compliment a resident sends on the public page: recorded as received today on the web, passed on to the
    member of staff whose name it gives (display name, case aside), else left for staff to pass to the team. None
    for a bot (the hidden field filled in). Raises Invalid with the form's field names."""
    today = london_today(now())
    form = validated(form_class("public_compliment"), data, {"today": today})
    if form.is_bot:
        return None
    named = (form.about.data or "").strip()
    with app.uow() as uow:
        person = uow.session.scalars(select(User).where(func.lower(User.display_name) == named.lower(),
                                                        User.active.is_(True))).first() if named else None
        kept = _keep(uow.session, person, received_on=today, channel="web", from_name=form.name.data.strip(),
                     from_email=(form.email.data or "").strip() or None,
                     about_team="" if person else named,  # the team as written, when no one of staff has that name
                     description=form.description.data.strip(), recorded_by_id=None)
        uow.commit()
        return kept


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
                 "from_email": c.from_email,
                 "about": ", ".join(x for x in (c.about_user.display_name if c.about_user else "", c.about_team) if x),
                 "description": c.description, "acknowledged_on": c.acknowledged_on} for c in rows]



QUARTERS = {1: "April to June", 2: "July to September", 3: "October to December", 4: "January to March"}
NO_TEAM = "Team not recorded"


def published_figures(app: AppContext, year: int, quarter: int) -> dict[str, Any]:
    """The compliments of quarter `quarter` (1–4) of the reporting year starting April `year`, as published: how
    many in each quarter of the year so far, and in this quarter by team and by channel, and how many of them were
    acknowledged. Counts only: no resident's name, no member of staff's name, nothing a resident wrote."""
    start, end = reporting_quarter(year, quarter)
    quarters = [(n, *reporting_quarter(year, n)) for n in range(1, quarter + 1)]
    in_quarter = (Compliment.received_on >= start, Compliment.received_on <= end)
    with app.uow() as uow:
        session = uow.session
        by_quarter = [(f"Q{n} {QUARTERS[n]}", session.scalar(select(func.count()).select_from(Compliment).where(
            Compliment.received_on >= first, Compliment.received_on <= last)) or 0) for n, first, last in quarters]
        # Teams as recorded, told apart by case and spacing alone: "repairs " and "Repairs" are one team.
        teams: dict[str, tuple[str, int]] = {}
        for team, count in session.execute(select(Compliment.about_team, func.count()).where(*in_quarter)
                                           .group_by(Compliment.about_team)):
            shown = " ".join((team or "").split()) or NO_TEAM
            name, total = teams.get(shown.casefold(), (shown, 0))
            teams[shown.casefold()] = (name, total + count)
        channels = dict(session.execute(select(Compliment.channel, func.count()).where(*in_quarter)
                                        .group_by(Compliment.channel)).tuples().all())
        acknowledged = session.scalar(select(func.count()).select_from(Compliment).where(
            *in_quarter, Compliment.acknowledged_on.is_not(None))) or 0
    words = dict(CHANNELS)
    return {"year": year, "quarter": quarter, "from": start, "to": end, "received": by_quarter[-1][1],
            "acknowledged": acknowledged, "by_quarter": by_quarter,
            "by_team": sorted(teams.values(), key=lambda row: (row[0] == NO_TEAM, -row[1], row[0])),
            "by_channel": sorted(((words.get(key, key), n) for key, n in channels.items()),
                                 key=lambda row: (-row[1], row[0]))}
