"""The Complaint Handling Code (2024) checklist the annual self-assessment answers (Code 8.1), provision by
provision, as POLICIES.md lists it. `sections` are the Code sections a linter finding may name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Provision:
    """One line of the self-assessment."""

    key: str
    requirement: str
    sections: tuple[str, ...]


CHECKLIST = (
    Provision("1.2", "A complaint is defined as the Code defines it", ("1.2",)),
    Provision("1.3", "Residents need not use the word 'complaint'; representatives may complain for them", ("1.3",)),
    Provision("1.4-1.5", "Service requests are recorded; dissatisfaction with one becomes a complaint", ("1.4", "1.5")),
    Provision("1.6", "Survey feedback tells residents how to complain", ("1.6",)),
    Provision("2.1", "Complaints are accepted unless there is a valid reason, with the reasoning evidenced", ("2.1",)),
    Provision("2.2", "Only the permitted exclusions are used", ("2.2",)),
    Provision("2.3", "The 12-month rule is applied with discretion", ("2.3",)),
    Provision("2.4", "A refusal is explained, with the right to go to the Ombudsman", ("2.4",)),
    Provision("2.5", "There are no blanket exclusions", ("2.5",)),
    Provision("3.1-3.2", "Complaints by any channel, to any member of staff, with reasonable adjustments",
              ("3.1", "3.2")),
    Provision("4.1", "A named complaints officer", ("4.1",)),
    Provision("5.1", "One complaints policy", ("5.1",)),
    Provision("5.2", "No Stage 0 or informal stage", ("5.2",)),
    Provision("5.3", "At most two stages", ("5.3",)),
    Provision("5.6", "The complaint definition is recorded at each stage", ("5.6",)),
    Provision("5.8", "Complaints are handled impartially", ("5.8",)),
    Provision("5.9", "Residents are updated when a response is late", ("5.9",)),
    Provision("5.10", "Adjustments and disclosed disabilities are recorded and reviewed", ("5.10",)),
    Provision("5.11", "No refusal to escalate without a valid reason", ("5.11",)),
    Provision("5.12", "A full record is kept of each complaint", ("5.12",)),
    Provision("5.13", "Remedies may be offered at any stage", ("5.13",)),
    Provision("5.14-5.15", "Restrictions on unacceptable behaviour are proportionate and consider the Equality Act",
              ("5.14", "5.15")),
    Provision("6.1", "Complaints are triaged by complexity and vulnerability", ("6.1",)),
    Provision("6.2", "Stage 1 acknowledged within 5 working days", ("6.2",)),
    Provision("6.3", "Stage 1 responded to within 10 working days of acknowledgement", ("6.3",)),
    Provision("6.4-6.5", "Stage 1 extensions at most 10 working days, with reasons and the Ombudsman's details",
              ("6.4", "6.5")),
    Provision("6.6", "Responses are sent when the answer is known; outstanding actions are tracked", ("6.6",)),
    Provision("6.8", "A new related issue is added to the complaint or logged anew", ("6.8",)),
    Provision("6.9", "The Stage 1 letter has the required contents", ("6.9",)),
    Provision("6.11", "Stage 2 acknowledged within 5 working days", ("6.11",)),
    Provision("6.12", "No reasons are required to escalate", ("6.12",)),
    Provision("6.13", "The Stage 2 handler is not the Stage 1 handler", ("6.13",)),
    Provision("6.14-6.16", "Stage 2 responded to within 20 working days of acknowledgement; extensions at most 20 "
              "working days without good reason, with reasons and the Ombudsman's details", ("6.14", "6.15", "6.16")),
    Provision("6.17", "Stage 2 responses are sent when the answer is known; outstanding actions are tracked",
              ("6.17",)),
    Provision("6.19", "The Stage 2 letter has the required contents, including the Ombudsman route", ("6.19",)),
    Provision("7.1-7.3", "Remedies put things right and are followed through to completion", ("7.1", "7.2", "7.3")),
    Provision("8.1", "An annual self-assessment and performance report, including refused complaints", ("8.1",)),
    Provision("9", "Learning is reported to the governing body", ("9",)),
)
