"""What the JSON API takes and gives, as pydantic models. The same models validate each request (spectree, before
the handler runs) and make the OpenAPI document (service.web.openapi), so the two cannot drift.

What JSON Schema can state is stated here: types, required fields, lengths, ranges, formats, enumerations. What
it cannot — a date relative to today, a member of staff who exists, a task's own form, a diagram that passes its
checks — is for the use cases, which answer 422 naming the field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel


class Model(BaseModel):
    """A request or response object: unknown keys are ignored, not refused (clients may send more)."""

    model_config = ConfigDict(extra="ignore")


# --- errors ---------------------------------------------------------------------------------------------------


class Problem(Model):
    """One problem of a diagram that failed its checks."""

    message: str
    element_id: str | None = None
    element: str | None = None
    line: int | None = None
    file: str | None = None
    provision: str | None = Field(None, description="the Code provision it breaks")
    scenario: str | None = Field(None, description="the path (dates in, dates out) that shows it")


class ConflictDetail(Model):
    """Who saved the newer version, and when."""

    version: str
    saved_by: str
    saved_at: datetime | None = None


class Error(Model):
    """Every 4xx answer: a code, a message, and where a request was invalid, the field errors (field → message) or
    a diagram's problems."""

    error: str
    message: str | None = None
    errors: dict[str, str] | list[Problem] | None = None
    conflict: ConflictDetail | None = None


# --- requests -------------------------------------------------------------------------------------------------


class NewComplainant(Model):
    """Who complains: a person on record by `id`, or a name and contact details (staff and the API link a name
    and email already on record to that record)."""

    id: int | None = Field(None, ge=1, le=2**31 - 1, description="a person on record (GET /complaints/{reference} "
                           "gives complainant.id); their name is taken from the record")
    name: str | None = Field(None, min_length=1, max_length=200, pattern=r"\S", description="required without id")
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=2000)


Channel = Literal["phone", "email", "letter", "in_person", "web", "social_media", "text", "councillor_mp"]


class NewComplaint(Model):
    """A complaint to log."""

    complainant: NewComplainant
    channel: Channel
    received_at: datetime = Field(description="ISO date or date-time; not in the future")
    description: str = Field(min_length=1, max_length=20_000, pattern=r"\S")
    outcome_sought: str | None = Field(None, max_length=5000)
    handler: str | None = Field(None, max_length=80, description="user name of the Stage 1 handler (optional)")


RestrictionKind = Literal["call_times", "one_contact", "written_only", "phone_only", "email_only", "letter_only",
                          "appointments_only", "return_documents", "other"]


class NewRestriction(Model):
    """A contact restriction to propose."""

    kinds: list[RestrictionKind] = Field(min_length=1)
    details: str | None = Field(None, max_length=5000, description="required for call_times and other")
    named_contact: str | None = Field(None, max_length=80, description="user name; required for one_contact")
    behaviour: str = Field(min_length=1, max_length=20_000, pattern=r"\S")
    evidence: str = Field(min_length=1, max_length=20_000, pattern=r"\S")
    reasons: str = Field(min_length=1, max_length=20_000, pattern=r"\S")
    equality_considerations: str = Field(min_length=1, max_length=20_000, pattern=r"\S")
    review_on: date = Field(description="after today")


class Completion(Model):
    """A task's answers: the fields of its form (GET /tasks/{id} describes them)."""

    data: dict[str, Any] = Field(default_factory=dict)


class Withdrawal(Model):
    """The resident asked to withdraw their complaint: when and how (no reason is needed)."""

    withdrawn_on: date = Field(description="the day the resident asked; not in the future, not before receipt")
    withdrawal_asked_by: Literal["phone", "email", "post", "in_person", "web"]
    withdrawal_note: str | None = Field(None, max_length=5000, description="what they said")


class NewVersion(Model):
    """BPMN XML to store as a draft (or send the XML itself as the body, application/xml)."""

    xml: str | None = Field(None, description="required with a JSON body")
    comment: str | None = Field(None, max_length=500)
    loaded_version: int | None = Field(None, ge=0, le=2**31 - 1, description=(
        "the newest version when you read the diagram (loaded_version of GET …/versions/{v}): refused with 409 if "
        "someone saved a newer one since; leave out to skip"))


class VersionQuery(Model):
    """With an XML body: the comment and version read, as query parameters."""

    comment: str | None = Field(None, max_length=500)
    loaded_version: int | None = Field(None, ge=0, le=2**31 - 1)


class ReplayRequest(Model):
    """The period whose complaints to replay; default the last 12 months."""

    period_from: date | None = None
    period_to: date | None = None


class TasksQuery(Model):
    """How many tasks to list."""

    limit: int = Field(100, ge=1, le=1000)


class YearQuery(Model):
    """The reporting year starting 1 April `year`; default the current one."""

    year: int | None = Field(None, ge=2000, le=2100)


TsmFigure = Literal["stage1_received", "stage2_received", "stage1_responded", "stage2_responded",
                    "stage1_responded_within", "stage2_responded_within", "other_stage1_received",
                    "other_stage2_received", "other_stage1_responded", "other_stage2_responded"]


class WorkingQuery(YearQuery):
    """One TSM count."""

    figure: TsmFigure


class RegisterQuery(Model):
    """The register page's filters (empty means any)."""

    status: Literal["", "open", "closed", "refused", "resolved_informally", "withdrawn"] | None = None
    stage: Literal["", "stage1", "stage2"] | None = None
    category: str | None = Field(None, max_length=40)
    channel: str | None = Field(None, max_length=40)
    handler: str | None = Field(None, max_length=40)
    tenure: str | None = Field(None, max_length=40)
    root_cause: str | None = Field(None, max_length=40)
    stage1_outcome: str | None = Field(None, max_length=40)
    stage2_outcome: str | None = Field(None, max_length=40)
    refusal_exclusion: str | None = Field(None, max_length=40)
    q: str | None = Field(None, max_length=200)
    received_from: date | Literal[""] | None = None
    received_to: date | Literal[""] | None = None
    overdue: str | None = Field(None, max_length=10)
    sort: Literal["", "newest", "oldest"] | None = None


# --- responses ------------------------------------------------------------------------------------------------


class Deadline(Model):
    """A due date and whether it was met."""

    due: date
    met_on: date | None = None
    breached: bool


class Complaint(Model):
    """A complaint with its deadlines, open tasks and history."""

    reference: str
    status: str
    stage: str
    handler: dict[str, Any] | None = None
    complainant: dict[str, Any]
    deadlines: dict[str, Deadline] = Field(description="keyed by stage1_acknowledge, stage1_response, "
                                           "stage2_acknowledge, stage2_response once known")
    history: list[dict[str, Any]]


class Task(Model):
    """A task, as the inbox lists it."""

    id: str
    name: str = Field(description="the BPMN id")
    title: str
    complaint_reference: str | None = None
    restriction_id: int | None = None
    lane: str | None = Field(None, description="the BPMN lane")
    roles: list[str] = Field(description="the roles that work the lane")
    assignee: str | None = None
    due: date | None = None
    overdue: bool
    status: str


class TaskList(RootModel[list[Task]]):
    """Open tasks, most urgent first."""


class AnyObject(RootModel[dict[str, Any]]):
    """A JSON object (its keys are described in the operation's summary)."""


class References(RootModel[list[str]]):
    """Complaint references."""


class Restriction(Model):
    """A contact restriction."""

    id: int
    status: Literal["proposed", "active", "rejected", "ended"]
    kinds: list[str]
    review_on: date | None = None
    decided_by: str | None = None
    notice: str | None = None


class Proposed(Model):
    """A restriction just proposed."""

    id: int
    status: str


class Email(Model):
    """An email's delivery."""

    to: str
    status: Literal["queued", "sent", "failed"]
    attempts: int
    last_error: str | None = None


class CorrespondenceItem(Model):
    """A letter, email, call or note."""

    id: int
    kind: Literal["letter", "email", "call", "note"]
    letter: str | None = None
    channel: str
    direction: Literal["in", "out"]
    subject: str
    sent_at: datetime
    author: str | None = None
    large_print: bool
    document_url: str | None = Field(None, description="the letter as PDF")
    failure: str | None = Field(None, description="why the letter's template failed on this complaint; it is made "
                                "and sent when an admin fixes the template")
    email: Email | None = None


class CorrespondenceLog(RootModel[list[CorrespondenceItem]]):
    """A complaint's correspondence, oldest first."""


class Version(Model):
    """A version of a process."""

    version: int
    state: Literal["draft", "live", "retired"]
    author: str
    comment: str | None = None
    created_at: datetime
    deployed_at: datetime | None = None
    running: int | None = None
    changes: dict[str, Any] | None = Field(None, description="what changed against the live version")
    code_findings: list[dict[str, Any]] | None = Field(None, description=(
        "Code provisions this version would break (deploy is refused while any)"))
    loaded_version: int | None = Field(None, description=(
        "the process's newest version when this was read: send it back as loaded_version when saving an edit"))


class Processes(Model):
    """Every process with its versions."""

    processes: list[dict[str, Any]]


class Migration(Model):
    """Which running instances can move to a version, which moved, and why others cannot."""

    to_version: int | None = None
    movable: list[dict[str, Any]] | None = None
    moved: list[dict[str, Any]] | None = None
    blocked: list[dict[str, Any]] | None = None


class Replay(Model):
    """A what-if replay: its progress and, once finished, its figures."""

    id: int
    version: int
    live_version: int
    period_from: date
    period_to: date
    total: int
    done: int
    finished: bool
    sides: dict[str, Any] | None = Field(None, description="draft and live: deadlines missed, responses on time per "
                                         "stage, tasks per role per week (once finished)")
    changed: list[dict[str, Any]] | None = Field(None, description="complaints whose path would change")


class Tsm(Model):
    """CH01 and CH02 with the counts behind them."""

    ch01: dict[str, Any]
    ch02: dict[str, Any]
    counts: dict[str, Any]
    not_measured: dict[str, int] = Field(description="complaints from other tenures, or whose tenure is not known "
                                         "yet: reported beside the measures, never in them")
