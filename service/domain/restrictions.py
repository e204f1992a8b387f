"""Contact restrictions on unreasonable or persistent complainants (Code 5.14-5.15; seeds 001 and 002): what can
be restricted, and the written notice the complainant receives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

KINDS = {
    "call_times": "Telephone calls only at set times on set days",
    "one_contact": "Contact with one named member of staff only",
    "written_only": "Contact in writing only",
    "phone_only": "Contact by telephone only",
    "email_only": "Contact by email only",
    "letter_only": "Contact by letter only",
    "appointments_only": "Visits to the office by appointment only",
    "return_documents": "Irrelevant documents returned, and further ones destroyed (copies may be kept)",
    "other": "Other (described)",
}

# Each names the one way the resident may contact us (seed-002 4.2: "restricted to only one type such as phone,
# email or letter"), so a restriction holds at most one of them.
ONE_CHANNEL = ("written_only", "phone_only", "email_only", "letter_only")


def channel_conflict(kinds: list[str] | None) -> str | None:
    """Why `kinds` cannot stand together (two 'only' channels), or None."""
    channels = [KINDS[kind].lower() for kind in ONE_CHANNEL if kind in (kinds or [])]
    return f"Choose one way of contacting us, not several: {' and '.join(channels)}." if len(channels) > 1 else None


@dataclass(frozen=True)
class NoticeFacts:
    """What a restriction notice must say."""

    complainant: str
    kinds: list[str]
    details: str
    reasons: str
    review_on: date
    named_contact: str | None
    landlord_contact: str


def notice_text(facts: NoticeFacts) -> str:
    """The written notice: what is restricted, why, for how long, and how to challenge it (seed 001: "we will
    always say what action we are taking and why"; seed 002: "confirm this formally in writing")."""
    restricted = "\n".join(f"  - {KINDS.get(kind, kind)}" for kind in facts.kinds)
    contact = f"\nYour contact will be {facts.named_contact}.\n" if facts.named_contact else "\n"
    return (
        f"Dear {facts.complainant},\n\n"
        "We have decided to restrict how you contact us, for a limited time.\n\n"
        f"What is restricted:\n{restricted}\n"
        + (f"\nDetails: {facts.details}\n" if facts.details else "")
        + contact
        + f"\nWhy: {facts.reasons}\n\n"
        f"For how long: until we review this decision on {facts.review_on:%d %B %Y}.\n\n"
        "Your complaints will still be dealt with under our complaints procedure.\n\n"
        "How to challenge this decision: write to us explaining why you disagree, and a manager who was not "
        f"involved will consider it ({facts.landlord_contact}). You may also contact the Housing Ombudsman "
        "Service (0300 111 3000, info@housing-ombudsman.org.uk).\n"
    )


def end_notice_text(complainant: str) -> str:
    """The letter telling the complainant a restriction has ended."""
    return (f"Dear {complainant},\n\nThe restriction on how you contact us has been lifted. You may contact us "
            "in any of the usual ways again.\n")
