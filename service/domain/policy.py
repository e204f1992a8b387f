"""Policy profiles: one YAML file per landlord's procedure in processes/policies/."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROCESSES_DIR = Path(__file__).resolve().parents[2] / "processes"
POLICIES_DIR = PROCESSES_DIR / "policies"


class UnknownProfile(LookupError):
    """No policy profile of that name exists in processes/policies/."""


# The demo's sender, where neither the settings nor the profile name the landlord.
DEMO_LANDLORD = {"name": "Example Homes", "address": "1 Example Street | Exampletown | EX1 1EX"}


@dataclass(frozen=True)
class Landlord:
    """Who the letters come from: the landlord's name and postal address lines."""

    name: str
    address: tuple[str, ...]
    contact: tuple[str, ...] = ()  # phone, email, website: how residents reach the landlord


@dataclass(frozen=True)
class Policy:
    """A landlord's procedure parameters, read-only. `params` is what the diagrams see as `policy`."""

    name: str
    params: dict[str, Any]

    @property
    def title(self) -> str:
        """The profile's human title (it names a procedure, never a sender: see `landlord`)."""
        return str(self.params.get("title", self.name))

    @property
    def landlord(self) -> Landlord:
        """The landlord the letters and notices come from: the profile's `landlord` (which the settings
        LANDLORD_NAME and LANDLORD_ADDRESS override, see `with_landlord`), else the demo's."""
        own = self.params.get("landlord") or DEMO_LANDLORD

        def lines(key: str) -> tuple[str, ...]:
            return tuple(line.strip() for line in str(own.get(key) or "").replace("\n", "|").split("|") if line.strip())
        return Landlord(str(own.get("name") or DEMO_LANDLORD["name"]), lines("address"), lines("contact"))

    def with_landlord(self, name: str, address: str, contact: str = "") -> Policy:
        """This profile with the landlord the settings name (an empty name keeps the profile's, with its address;
        contact details given alone are added to it)."""
        own = dict(self.params.get("landlord") or DEMO_LANDLORD)
        if name.strip():
            own = {"name": name.strip(), "address": address}
        elif not contact.strip():
            return self
        if contact.strip():
            own["contact"] = contact
        return replace(self, params={**self.params, "landlord": own})

    @property
    def compliments_published(self) -> str:
        """How often the profile publishes the compliments it records (`compliments: {published: quarterly}`):
        "quarterly" (seed-002 3.4: "report and publish it, quarterly alongside our complaint reporting"), another
        word the profile uses, or "" when it does not publish them."""
        compliments = self.params.get("compliments") or {}
        return str(compliments.get("published") or "") if isinstance(compliments, dict) else ""

    @property
    def roles(self) -> dict[str, str]:
        """Role name → role title."""
        return dict(self.params["roles"])

    def lane_roles(self, lane: str | None) -> tuple[str, ...]:
        """The roles that work a diagram lane in this procedure (a lane not mapped is worked by the role of its
        own name; a lane may map to several roles, e.g. any of three directors may approve)."""
        if lane is None:
            return ()
        mapped = (self.params.get("lanes") or {}).get(lane, lane)
        return tuple(mapped) if isinstance(mapped, list) else (str(mapped),)

    def lanes_for_role(self, role: str) -> list[str]:
        """The diagram lanes a role works (the inverse of lane_roles)."""
        lanes = set((self.params.get("lanes") or {}).keys()) | {role}
        return sorted(lane for lane in lanes if role in self.lane_roles(lane))

    @property
    def demo_users(self) -> list[tuple[str, str, str, str | None]]:
        """(name, display name, role, line manager's name or None) of this profile's demo staff."""
        return [(u[0], u[1], u[2], u[3] if len(u) > 3 else None) for u in self.params.get("demo_users", [])]

    def stage_role(self, stage: str) -> str:
        """The role that handles `stage` ("1" or "2")."""
        return str(self.params["stage_roles"][stage])

    @property
    def exclusions(self) -> dict[str, str]:
        """Permitted exclusion key → description."""
        return dict(self.params.get("exclusions") or {})

    @property
    def overall_target_weeks(self) -> int | None:
        """Weeks from receipt the procedure aims to finish all its stages in, when it sets such a target."""
        weeks = (self.params.get("reporting") or {}).get("overall_target_weeks")
        return int(weeks) if weeks else None

    @property
    def options_after_stage2(self) -> list[str]:
        """What the resident may do once the procedure has ended, in the order the Stage 2 letter lists them: the
        profile's referral routes, then the Housing Ombudsman, now or when this procedure says (seed-004: "We'll
        always explain the options to you at the end of our internal complaint process")."""
        after = self.params.get("after_stage2") or {}
        routes, wait = after.get("routes") or ["ombudsman"], after.get("ombudsman_wait_weeks")
        options = []
        if "icp" in routes:
            options.append("Ask for your complaint to be heard by our Independent Complaints Panel: tell us and we "
                           "will arrange it.")
        if "designated_person" in routes:
            options.append("Ask a designated person (a local councillor, an MP or a tenant panel) to help resolve "
                           "it.")
        if after.get("ombudsman_any_time") or not wait:
            options.append("Refer your complaint to the Housing Ombudsman now.")
        elif after.get("ombudsman_after_icp_met"):
            options.append(f"Refer your complaint to the Housing Ombudsman once the panel has met, or {wait} weeks "
                           "after the date of this letter, whichever comes first.")
        else:
            options.append(f"Refer your complaint to the Housing Ombudsman {wait} weeks after the date of this "
                           "letter.")
        return options

    def extension_cap_days(self, stage: str) -> int:
        """The most working days an extension may add at `stage`."""
        return int(self.params[f"stage{stage}"]["extension_cap_days"])


def available_profiles() -> list[str]:
    """Names of every profile in processes/policies/."""
    return sorted(p.stem for p in POLICIES_DIR.glob("*.yaml"))


@cache
def load_policy(name: str) -> Policy:
    """Read the profile `name`; raises UnknownProfile naming the profiles that do exist."""
    path = POLICIES_DIR / f"{name}.yaml"
    if not path.is_file():
        raise UnknownProfile(f"no policy profile {name!r}; available: {', '.join(available_profiles())}")
    return Policy(name=name, params=yaml.safe_load(path.read_text(encoding="utf-8")))


def _fill(params: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    filled = dict(params)
    for key, value in other.items():
        if filled.get(key) is None:
            filled[key] = value
        elif isinstance(filled[key], dict) and isinstance(value, dict):
            filled[key] = _fill(filled[key], value)
    return filled


def sample_parameters(active: Policy) -> dict[str, Any]:
    """Parameters for trying out a diagram's expressions: the active profile's, with any it leaves unset (a
    stage it does not have, say) taken from the other shipped profiles, so every branch can be evaluated."""
    params = active.params
    for name in available_profiles():
        params = _fill(params, load_policy(name).params)
    return params
