"""No N+1: the inbox, the complaint page and the task list cost the same number of queries whatever they show."""

from contextlib import contextmanager

from sqlalchemy import event

from tests.conftest import ANALYSIS, london
from tests.web.test_browser_forms import Browser


@contextmanager
def counted(app):
    """Count the SQL statements the app's engine runs inside the block."""
    statements = []
    engine = app.extensions["complaintflow_engine"]

    def on_execute(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def _log_and_walk(olivia):
    ref = olivia.post("/complaints", {"complainant": {"name": "R"}, "channel": "phone", "received_at": "2026-11-30",
                                      "description": "d"}).get_json()["reference"]
    olivia.complete(ref, "triage", {"triage_decision": "accept"})
    olivia.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-01", "complaint_definition": "x",
                                                "outcome_sought": "y"})
    olivia.complete(ref, "stage1_investigate", {"investigation_notes": "n", "stage1_next_step": "respond"})
    olivia.complete(ref, "stage1_respond", {"stage1_responded_on": "2026-12-01", **ANALYSIS,
                                            "stage1_decision": "upheld", "stage1_reasons": "r"})
    return ref


def _to_stage2(olivia, maya, ref):
    olivia.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-01"})
    maya.complete(ref, "stage2_acknowledge", {"stage2_acknowledged_on": "2026-12-01",
                                              "stage2_complaint_definition": "x", "stage2_outcome_sought": "y"})


def _costs(app, browser, olivia, ref):
    costs = {}
    for label, fetch in (("inbox page", lambda: browser.page("/")),
                         ("complaint page", lambda: browser.page(f"/complaints/{ref}")),
                         ("task list (API)", lambda: olivia.get("/tasks")),
                         ("complaint (API)", lambda: olivia.get(f"/complaints/{ref}"))):
        fetch()  # warm: the first request may load the process version once
        with counted(app) as statements:
            fetch()
        costs[label] = len(statements)
    return costs


def test_pages_cost_the_same_queries_with_one_complaint_or_many(api, clock, app):
    olivia, maya = api("olivia"), api("maya")
    clock(london(2026, 12, 1))
    browser = Browser(app, "olivia")
    first = _log_and_walk(olivia)
    few = _costs(app, browser, olivia, first)
    for _ in range(6):
        _log_and_walk(olivia)
    many = _costs(app, browser, olivia, first)
    assert len(olivia.get("/tasks").get_json()) == 7  # seven escalation offers in the inbox now
    assert many == few, (few, many)
    assert all(count <= 14 for count in many.values()), many  # the complaint page: 14 with its correspondence and files
    # A complaint just logged (a few history entries, one member of staff) costs what one with a long history by
    # several staff does.
    _to_stage2(olivia, maya, first)
    fresh = olivia.post("/complaints", {"complainant": {"name": "S"}, "channel": "email", "received_at": "2026-12-01",
                                        "description": "d"}).get_json()["reference"]
    short, long_ = _costs(app, browser, olivia, fresh), _costs(app, browser, olivia, first)
    assert short["complaint page"] == long_["complaint page"] and short["complaint (API)"] == long_["complaint (API)"]


def test_the_managers_inbox_checks_stage2_impartiality_in_one_query(api, clock, app):
    # Stage 2 tasks are offered only to managers who had no part in Stage 1 (Code 6.13): a check per task row.
    olivia, max_ = api("olivia"), api("max")
    clock(london(2026, 12, 1))
    manager = Browser(app, "maya")

    def escalated():
        ref = _log_and_walk(olivia)
        olivia.complete(ref, "escalation", {"escalate": "yes", "escalation_requested_on": "2026-12-01"})
        return ref

    escalated()
    manager.page("/")
    with counted(app) as one:
        manager.page("/")
    for _ in range(4):
        escalated()
    with counted(app) as five:
        manager.page("/")
    assert len(max_.get("/tasks").get_json()) == 5
    assert len(five) == len(one), (len(one), len(five))
