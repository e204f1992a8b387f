"""The vocabularies reports count by: tenure (TSM stock), category and root cause of a complaint, outcomes.

A profile may set its own `categories` and `root_causes` (key → label); these are the defaults.
"""

from __future__ import annotations

from typing import Any

TENURES = {
    "low_cost_rental": "Low-cost rental (general needs, supported, housing for older people)",
    "low_cost_home_ownership": "Low-cost home ownership (shared ownership)",
    "other": "Other (leaseholder, market rent, not a resident)",
    "unknown": "Not known yet: ask the resident",
}
# The same choices as a resident reads them on the public form (plain words, their own home).
TENURE_QUESTION = {
    "low_cost_rental": "I rent my home from you (including supported or older people's housing)",
    "low_cost_home_ownership": "I part-own my home (shared ownership)",
    "other": "Something else: I lease my home, pay a market rent, or do not live in one of your homes",
    "unknown": "I am not sure",
}
CATEGORIES = {
    "repairs": "Repairs and maintenance",
    "damp_mould": "Damp and mould",
    "antisocial_behaviour": "Antisocial behaviour handling",
    "neighbourhood": "Estate and neighbourhood services",
    "rent_charges": "Rent and service charges",
    "lettings": "Lettings, transfers and allocations",
    "staff_conduct": "Staff conduct",
    "communication": "Communication and information",
    "complaint_handling": "Complaint handling",
    "other": "Other",
}
ROOT_CAUSES = {
    "process_not_followed": "Policy or process not followed",
    "process_gap": "Policy or process gap",
    "delay": "Delay",
    "poor_communication": "Poor communication",
    "contractor_performance": "Contractor performance",
    "record_keeping": "Poor record keeping",
    "staff_behaviour": "Staff behaviour",
    "resources": "Resources or capacity",
    "no_fault": "No service failure found",
}
OUTCOMES = {"upheld": "Upheld", "partly_upheld": "Partly upheld", "not_upheld": "Not upheld"}


def categories(params: dict[str, Any]) -> dict[str, str]:
    """The profile's complaint categories (key → label), else the defaults."""
    return dict(params.get("categories") or CATEGORIES)


def root_causes(params: dict[str, Any]) -> dict[str, str]:
    """The profile's root causes (key → label), else the defaults."""
    return dict(params.get("root_causes") or ROOT_CAUSES)
