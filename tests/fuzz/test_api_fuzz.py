"""The JSON API under fuzz: cases generated from the OpenAPI document the app serves (schemathesis, valid and
invalid), then hand-aimed bodies (malformed JSON, every wrong type, hostile unicode, impossible dates) at the
endpoints that take them, on real complaints and tasks. No answer may be a 5xx; bodies over the limit get a
413 that says so in JSON."""

from __future__ import annotations

from typing import Any

import schemathesis
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.fuzz.conftest import DAY, Pool, bearer, seed
from tests.fuzz.inputs import (
    CONTENT_TYPES,
    MALFORMED_JSON,
    NOT_A_FIELD,
    TARGETS,
    TOTAL,
    Tally,
    batches,
    dates,
    form_values,
    fuzz_settings,
    json_values,
    texts,
    weighted,
)

VALID_COMPLAINT = {"complainant": {"name": "Ada Resident", "email": "ada@example.org", "phone": "0115 000 0000",
                                   "address": "1 Flat"}, "channel": "phone", "received_at": DAY,
                   "description": "Damp", "outcome_sought": "Fix it", "handler": "olivia"}
VALID_RESTRICTION = {"kinds": ["written_only"], "details": "Letters only", "named_contact": "olivia",
                     "behaviour": "Many calls a day", "evidence": "Call log", "reasons": "Staff welfare",
                     "equality_considerations": "None known", "review_on": "2027-06-01"}
# BPMN uploads: malformed, hostile (entities, external files) and an empty process.
XML = [b"", b"<", b"<definitions>", b"\xff\xfe<\x00", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM "
       b"'file:///etc/passwd'>]><definitions>&e;</definitions>",
       b"<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
       b"<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>]><x>&d;&d;</x>",
       b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="complaint"/></definitions>',
       b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="\x01"/></definitions>']
# A revoked token would turn every later case into a 401: the revocation has its own tests.
NOT_FUZZED = "/api/v1/tokens/current"


def test_the_targets_add_up_to_ten_thousand_cases() -> None:
    assert sum(TARGETS.values()) >= TOTAL


def _targeted(schema: Any, pool: Pool) -> st.SearchStrategy[Any]:
    """Cases on operations whose path names something that exists, so that they get past the 404."""
    aims = [("/api/v1/tasks/{task_id}/complete", "POST", "task_id", [task["id"] for task in pool.tasks]),
            ("/api/v1/tasks/{task_id}", "GET", "task_id", [task["id"] for task in pool.tasks]),
            ("/api/v1/complaints/{reference}", "GET", "reference", pool.references),
            ("/api/v1/complaints/{reference}/correspondence", "GET", "reference", pool.references),
            ("/api/v1/complainants/{complainant_id}/restrictions", "POST", "complainant_id", pool.complainant_ids),
            ("/api/v1/correspondence/{correspondence_id}/document", "GET", "correspondence_id",
             pool.correspondence_ids),
            ("/api/v1/processes/{process_id}/versions", "POST", "process_id", ["complaint"]),
            ("/api/v1/processes/{process_id}/versions/{number}/migration", "GET", "process_id", ["complaint"])]
    strategies = []
    for path, method, name, values in aims:
        operation = schema[path][method]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies.append(st.sampled_from(values).flatmap(
                lambda value, op=operation, key=name, m=mode: op.as_strategy(generation_mode=m,
                                                                             path_parameters={key: value})))
    return st.one_of(strategies)


def test_operations_of_the_openapi_document(fuzz_app: Flask, tokens: dict[str, str]) -> None:
    client = fuzz_app.test_client()
    # Enough to aim at (tasks of both stages, a letter, a closed case) without walking every step.
    pool = seed(client, tokens, stops=(0, 2, 5, 8))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app).exclude(path=NOT_FUZZED)
    cases = st.one_of(schema.as_strategy(generation_mode=GenerationMode.POSITIVE),
                      schema.as_strategy(generation_mode=GenerationMode.NEGATIVE), _targeted(schema, pool))
    tally = Tally()

    @fuzz_settings(TARGETS["openapi"], batch=1)
    @given(case=cases, who=st.sampled_from(sorted(tokens)))
    def run(case: Any, who: str) -> None:
        tally.send(case.operation.label, client.open, **case.as_transport_kwargs(headers=bearer(tokens[who])))

    run()
    tally.check("openapi", TARGETS["openapi"])


def _json_requests(pool: Pool) -> st.SearchStrategy[tuple[str, str, dict[str, Any]]]:
    """(who, path, keyword arguments of the test client's post) for a JSON endpoint, with a body that is
    malformed, of the wrong type, or valid but for a few fields."""
    def patched(valid: dict[str, Any], keys: list[str]) -> st.SearchStrategy[Any]:
        # A valid body with some fields replaced by any JSON value, a hostile string or an impossible date; seven
        # times in eight with a field no form has, so that all is validated but nothing stored.
        changes = st.dictionaries(st.sampled_from(keys), st.one_of(json_values, texts, dates), min_size=1, max_size=3)
        return st.tuples(changes, st.integers(0, 7)).map(
            lambda drawn: {**valid, **drawn[0], **({NOT_A_FIELD: "x"} if drawn[1] else {})})

    raw = st.tuples(st.sampled_from(MALFORMED_JSON), st.sampled_from(CONTENT_TYPES)).map(
        lambda pair: {"data": pair[0], "content_type": pair[1]})

    def body(payload: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
        return weighted((1, raw), (2, payload.map(lambda value: {"json": value})))

    complaint_keys = [*VALID_COMPLAINT, "tenure", "about_staff", "issue_occurred_on", "tenancy_ended_on",
                      "adjustments", "representative_name", "unknown"]
    complaint = body(weighted(
        (4, patched(VALID_COMPLAINT, complaint_keys)),
        (2, patched(VALID_COMPLAINT, ["received_at", "issue_occurred_on", "tenancy_ended_on"])),
        (1, st.fixed_dictionaries({"complainant": st.one_of(json_values, st.dictionaries(texts, json_values, max_size=4))}
                                  ).map(lambda person: {**VALID_COMPLAINT, **person})),
        (1, json_values))).map(lambda kw: ("olivia", "/api/v1/complaints", kw))
    restriction = st.tuples(st.sampled_from(pool.complainant_ids), body(weighted(
        (3, patched(VALID_RESTRICTION, [*VALID_RESTRICTION, "unknown"])), (1, json_values)))).map(
        lambda pair: ("olivia", f"/api/v1/complainants/{pair[0]}/restrictions", pair[1]))
    task = st.one_of([body(weighted(
        (4, form_values(task["fields"]).map(lambda pairs: {"data": _as_json(pairs)})),
        (1, st.fixed_dictionaries({"data": json_values})), (1, json_values))).map(
        lambda kw, task=task: (task["worker"], f"/api/v1/tasks/{task['id']}/complete", kw)) for task in pool.tasks])
    process = st.one_of(raw, st.fixed_dictionaries({"xml": texts, "comment": json_values}).map(lambda v: {"json": v}),
                        st.sampled_from(XML).map(lambda xml: {"data": xml, "content_type": "application/xml"})).map(
        lambda kw: ("adam", "/api/v1/processes/complaint/versions", kw))
    return weighted((6, complaint), (3, restriction), (4, task), (2, process), (1, _query_request()))


def _as_json(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Form pairs as a JSON object: a repeated name becomes a list."""
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name not in out:
            out[name] = value
        elif isinstance(out[name], list):
            out[name].append(value)
        else:
            out[name] = [out[name], value]
    return out


QUERIES = {"/api/v1/tasks": ["limit"], "/api/v1/reports/tsm": ["year"], "/api/v1/reports/dashboard": ["year"],
           "/api/v1/reports/tsm/working": ["year", "figure"],
           "/api/v1/reports/register.csv": ["status", "stage", "category", "channel", "handler", "q", "received_from",
                                            "received_to", "overdue", "sort", "after"],
           "/api/v1/reports/register.xlsx": ["received_from", "received_to", "sort", "q"]}


def _query_request() -> st.SearchStrategy[tuple[str, str, dict[str, Any]]]:
    """A GET with hostile query parameters (numbers too big, dates out of range, control characters)."""
    values = st.one_of(texts, dates, st.sampled_from(["0", "-1", "1001", "99999999999999999999", "2027", "1e3"]))
    return st.sampled_from(sorted(QUERIES)).flatmap(lambda path: st.dictionaries(
        st.sampled_from(QUERIES[path]), values, max_size=3).map(
        lambda query: ("olivia", path, {"query_string": query, "method": "GET"})))


def test_json_bodies_and_queries_aimed_at_real_records(fuzz_app: Flask, tokens: dict[str, str]) -> None:
    client = fuzz_app.test_client()
    pool = seed(client, tokens, per_step=1)
    tally = Tally()

    @fuzz_settings(TARGETS["api_json"])
    @given(requests=batches(_json_requests(pool)))
    def run(requests: list[tuple[str, str, dict[str, Any]]]) -> None:
        for who, path, kwargs in requests:
            kwargs = {"method": "POST", **kwargs}
            if isinstance(kwargs.get("query_string"), dict):
                kwargs["query_string"] = {key: value.encode("utf-8", "surrogatepass") for key, value in
                                          kwargs["query_string"].items()}
            tally.send(path.split("/")[3], client.open, path, headers=bearer(tokens[who]), **kwargs)

    run()
    tally.check("api_json", TARGETS["api_json"])


def test_a_body_over_the_limit_gets_a_413_in_json(fuzz_app: Flask, tokens: dict[str, str]) -> None:
    client = fuzz_app.test_client()
    limit = fuzz_app.config["MAX_CONTENT_LENGTH"]
    paths = ["/api/v1/complaints", "/api/v1/tasks/x/complete", "/api/v1/complainants/1/restrictions",
             "/api/v1/processes/complaint/versions"]
    for path in paths:
        for content_type in ("application/json", "application/xml", "text/plain"):
            response = client.post(path, data=b"{" + b" " * limit + b"}", content_type=content_type,
                                   headers=bearer(tokens["adam"]))
            assert response.status_code == 413, (path, content_type, response.status_code)
            body = response.get_json()
            assert body is not None, (path, response.get_data()[:200])
            assert body["error"] == "request_entity_too_large" and f"{limit:,} bytes" in body["message"], body
    # The limit itself still fits: a body of exactly MAX_CONTENT_LENGTH is read and judged on its content.
    exact = b'{"x": "' + b"a" * (limit - 10) + b'"}'
    assert len(exact) <= limit
    response = client.post("/api/v1/complaints", data=exact, content_type="application/json",
                           headers=bearer(tokens["olivia"]))
    assert response.status_code == 422 and "complainant" in response.get_json()["errors"]
