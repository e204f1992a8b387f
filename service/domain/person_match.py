"""Is this the same person? When staff log a complaint, people already on record are offered as likely matches, so
that one person keeps one record (their restrictions, adjustments and history follow them). This module is the
rule, on plain values: how alike two names are, and which details are the same. It decides nothing: the officer
chooses.

A match needs strong evidence: the same email, the same phone number, a name close to the one typed, or a
postcode shared with a name that is at least somewhat alike. A postcode alone is not enough: neighbours share one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

# Typed input shorter than this finds nobody (too many people share "Al"); longer than MAX_TYPED is refused.
MIN_CHARS = 3
MAX_TYPED = 200
MAX_MATCHES = 8
# A UK phone number's national significant number has 10 digits (9 for a few old ones): fewer typed is not a number.
MIN_PHONE_DIGITS = 9
NAME_ALIKE = 0.8  # a name this alike is a match on its own
NAME_SOMEWHAT = 0.55  # … and this alike, with the same postcode
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b")
# What each kind of evidence adds to the order in which matches are listed (the strongest first).
_WEIGHTS = {"same email": 0.5, "same phone": 0.4, "same postcode": 0.15}


def name_key(name: str) -> str:
    """A name as compared: accents, case, punctuation and spacing aside ("  Zoë O'Neil " → "zoe o neil")."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


def email_key(email: str) -> str:
    """An email as compared: case and surrounding spaces aside."""
    return email.strip().lower()


def phone_key(phone: str) -> str:
    """A phone number as compared: its last 10 digits, so that "0115 000 0000" and "+44 115 000 0000" are the
    same; "" when fewer than MIN_PHONE_DIGITS digits were given."""
    digits = re.sub(r"\D", "", phone)
    return digits[-10:] if len(digits) >= MIN_PHONE_DIGITS else ""


def postcode_key(text: str) -> str:
    """The UK postcode in an address, without its space ("4 Elm Row, ng1 1aa" → "NG11AA"); "" if there is none."""
    found = _POSTCODE.search(text.upper())
    return found.group(1) + found.group(2) if found else ""


def name_likeness(typed: str, held: str) -> float:
    """How alike a typed name is to a name on record, from 0 to 1: 1 when the same (case, accents and spacing
    aside); otherwise the better of their overall similarity and the share of typed words (initials aside) that begin
    a word of the name on record (so "Ada Lov" and "Lovell, Ada" find Ada Lovell), the latter short of 1."""
    a, b = name_key(typed), name_key(held)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    # An initial begins too many names to count.
    words, held_words = a.split(), b.split()
    begun = sum(1 for word in words if len(word) > 1 and any(h.startswith(word) for h in held_words)) / len(words)
    return round(max(SequenceMatcher(None, a, b).ratio(), 0.9 * begun), 3)


@dataclass(frozen=True)
class Details:
    """A person's identifying details as typed or as held: any may be empty."""

    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""

    def enough(self) -> bool:
        """Whether enough was typed to look anyone up: MIN_CHARS of a name or an email, a phone number, or a
        postcode."""
        return (len(name_key(self.name).replace(" ", "")) >= MIN_CHARS or len(email_key(self.email)) >= MIN_CHARS
                or bool(phone_key(self.phone)) or bool(postcode_key(self.address)))


@dataclass(frozen=True)
class Likeness:
    """Why a person on record may be the one typed: the reasons ("same email", "similar name" …) and a score that
    orders the matches (higher is stronger)."""

    score: float
    reasons: tuple[str, ...]


def likeness(typed: Details, held: Details) -> Likeness | None:
    """Whether `held` (a person on record) is a likely match for `typed`, and why; None when not."""
    reasons: list[str] = []
    if email_key(typed.email) and email_key(typed.email) == email_key(held.email):
        reasons.append("same email")
    if phone_key(typed.phone) and phone_key(typed.phone) == phone_key(held.phone):
        reasons.append("same phone")
    if postcode_key(typed.address) and postcode_key(typed.address) == postcode_key(held.address):
        reasons.append("same postcode")
    alike = name_likeness(typed.name, held.name) if len(name_key(typed.name)) >= MIN_CHARS else 0.0
    strong = bool({"same email", "same phone"} & set(reasons))
    if alike >= NAME_ALIKE or (alike >= NAME_SOMEWHAT and "same postcode" in reasons):
        reasons.insert(0, "same name" if alike == 1.0 else "similar name")
    elif not strong:
        return None
    score = sum(_WEIGHTS.get(reason, 0.0) for reason in reasons) + 0.5 * alike
    return Likeness(round(score, 3), tuple(reasons))
