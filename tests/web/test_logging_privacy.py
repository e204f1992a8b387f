"""Personal data stays out of the logs: SpiffWorkflow's loggers log no task state changes and attach no task
data, even with the app logging at DEBUG."""

import logging


def test_a_complaint_walked_to_its_response_logs_nothing_of_what_the_resident_wrote(api, caplog):
    caplog.set_level(logging.DEBUG)
    olivia = api("olivia")
    response = olivia.post("/complaints", {"complainant": {"name": "Agnes Quill"}, "channel": "email",
                                           "received_at": "2026-11-02",
                                           "description": "Black mould in the baby's bedroom at 4 Elm Row"})
    assert response.status_code == 201, response.get_json()
    reference = response.get_json()["reference"]
    olivia.complete(reference, "triage", {"triage_decision": "accept"})
    olivia.complete(reference, "stage1_acknowledge", {"complaint_definition": "Mould in the bedroom of 4 Elm Row",
                                                      "outcome_sought": "Treat the mould"})
    assert caplog.records, "the app logs (each request at least): the check below is not vacuous"
    for record in caplog.records:
        assert not record.name.startswith("spiff") or record.levelno >= logging.WARNING, record.getMessage()
        assert not hasattr(record, "data") and not hasattr(record, "internal_data"), record.name
        text = f"{record.getMessage()} {record.__dict__}"
        assert "mould" not in text and "Agnes Quill" not in text and "Elm Row" not in text, record.name
