"""Who may read the people in the complaints. Complaints carry personal data — names, addresses, disclosed
vulnerabilities, health and circumstances, letters — and UK GDPR wants it seen only by those whose work needs it.

Case roles (every role that works a lane of the procedure: officers, managers, heads of service …) and admins (who
answer subject access requests, erase, and fix letters) read it. Process owners shape the procedure: they see the
diagrams, the figures and where complaints are waiting (by reference), not who complained.
"""

from __future__ import annotations

PROCESS_ONLY_ROLES = frozenset({"process_owner"})
REFUSAL = ("Process owners see the procedure and its figures, not the people in it. Ask a complaints manager or an "
           "admin if your work needs this.")


def reads_personal_data(role: str) -> bool:
    """Whether staff in `role` may read complainants' personal data, vulnerabilities and letters."""
    return role not in PROCESS_ONLY_ROLES
