"""The HTML forms under fuzz, posted as a browser would (urlencoded, with the session's CSRF token, now and then
without it): the public complaint form, sign-in, logging a complaint, every open task's form, correspondence,
records, remedies, referrals, learning, compliments, restrictions, reassignment, the TSM homes, letter templates
and the form builder; and the report pages' query strings. No answer may be a 5xx; an oversized post gets a
413 page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from forms import describe, form_class
from service.domain.calendar import london_today
from service.use_cases import submit_complaint, users
from service.use_cases.context import AppContext, now
from tests.conftest import csrf_token
from tests.fuzz.conftest import Pool, Session, seed
from tests.fuzz.inputs import (
    TARGETS,
    Tally,
    batches,
    dates,
    form_body,
    form_values,
    fuzz_settings,
    texts,
    weighted,
)

FORM = "application/x-www-form-urlencoded"
# The CSRF token sent: the session's own, mostly; now and then none or a forged one.
CSRF = st.sampled_from(["csrf"] * 18 + ["", "forged"])


@dataclass(frozen=True)
class Endpoint:
    """A form: who posts it (None: a resident, signed out), where (from the pool), and its fields."""

    who: str | None
    path: Callable[[Pool], st.SearchStrategy[str]]
    fields: list[dict[str, Any]]


def _described(name: str, context: dict[str, Any]) -> list[dict[str, Any]]:
    return describe(form_class(name)(context=context))


def _plain(*names: str, choices: dict[str, list[str]] | None = None) -> list[dict[str, Any]]:
    """Fields of a handler that reads request.form itself."""
    return [{"name": name, "type": "string", "choices": [{"value": v} for v in (choices or {}).get(name, [])]}
            for name in names]


def _endpoints(ctx: AppContext) -> list[Endpoint]:
    context = {"today": london_today(), "now": now(), "policy": ctx.policy.params, "staff": users.staff_choices(ctx),
               "handlers": submit_complaint.handler_choices(ctx)}
    complaint = lambda suffix: lambda pool: st.sampled_from(pool.references).map(  # noqa: E731
        lambda reference: f"/complaints/{reference}{suffix}")
    fixed = lambda path: lambda pool: st.just(path)  # noqa: E731
    return [
        Endpoint(None, fixed("/complain"), _described("public_complaint", context)),
        Endpoint(None, lambda pool: st.sampled_from(["/login", "/login?next=//evil.example", "/login?next=/%00"]),
                 _plain("name", "password", choices={"name": ["owen", "nobody", "priya"]})),
        Endpoint("olivia", fixed("/complaints/new"), _described("log_complaint", context)),
        Endpoint("olivia", complaint("/correspondence"), _plain(
            "kind", "channel", "direction", "summary",
            choices={"kind": ["call", "letter", "email", "note"], "channel": ["phone", "post", "email"],
                     "direction": ["in", "out"]})),
        Endpoint("olivia", complaint("/records"), _plain("kind", "text", choices={"kind": ["note", "contact"]})),
        Endpoint("olivia", complaint("/remedies"), _described("offer_remedy", context)),
        Endpoint("olivia", complaint("/ombudsman"), _described("refer_to_ombudsman", context)),
        Endpoint("max", complaint("/learning"), _described("learning_action", context)),
        Endpoint("max", fixed("/learning"), _described("learning_action", context)),
        Endpoint("olivia", fixed("/compliments"), _described("compliment", context)),
        Endpoint("olivia", lambda pool: st.sampled_from(pool.complainant_ids).map(
            lambda person: f"/complainants/{person}/restrictions/new"), _described("propose_restriction", context)),
        Endpoint("max", lambda pool: st.sampled_from(pool.tasks).map(lambda task: f"/tasks/{task['id']}/reassign"),
                 _plain("assignee", choices={"assignee": ["olivia", "owen", "max", "nobody"]})),
        Endpoint("max", fixed("/reports/homes"), _plain("year", "low_cost_rental", "low_cost_home_ownership", choices={
            "year": ["2026"], "low_cost_rental": ["1200"], "low_cost_home_ownership": ["80"]})),
        Endpoint("max", lambda pool: dates.map(lambda year: f"/reports/self-assessment?year={year[:6]}"),
                 _plain("text-1.1", "text-5.2", "text-unknown")),
        Endpoint("adam", lambda pool: st.sampled_from(["/letters/acknowledgement", "/letters/refusal", "/letters/x"]),
                 _plain("subject", "body", "loaded_version", choices={"body": [
                     "<p>{{ complainant.name }}</p>", "{{ ''.__class__.__mro__ }}", "{% for x in range(100001) %}",
                     "{{ data.x.y.z }}", "{{ 7 * 7 }", "{{ range(99999)|list|length }}"]})),
        Endpoint("adam", lambda pool: st.sampled_from(["/forms/new", "/forms/preview", "/forms/x/edit"]),
                 _plain("name", "title", "loaded_version", "field-0-name", "field-0-label", "field-0-kind",
                        "field-0-choices", "field-0-required", "field-1-name", choices={
                            "field-0-kind": ["text", "choice", "date", "boolean", "string"],
                            "name": ["built_fuzz", "triage", "base"]})),
    ]


def _task_request(pool: Pool) -> st.SearchStrategy[tuple[Any, ...]]:
    """An open task's form, posted by whoever works it, with the fields the API describes for it."""
    return st.one_of([st.tuples(st.just(task["worker"]), st.just(f"/tasks/{task['id']}"), form_values(task["fields"]),
                                CSRF) for task in pool.tasks])


PAGES = ["/reports/register", "/reports/tsm", "/reports/dashboard", "/processes/lint", "/complaints",
         "/processes/complaint/modeler", "/audit", "/", "/reports/self-assessment", "/reports/annual-99999.pdf",
         "/reports/annual-1999.pdf", "/reports/half-year-2026-3.pdf"]
PAGE_QUERY = ["year", "working", "profile", "version", "q", "status", "sort", "received_from", "received_to",
              "overdue", "after", "person", "before", "kind", "actor"]


def _page_request() -> st.SearchStrategy[tuple[str, str]]:
    """A GET of a staff page with a hostile query string."""
    values = st.one_of(texts, dates, st.sampled_from(["0", "-1", "99999999999999999999", "²", "2027", "1e3",
                                                      "2027-01-01_99999999999999999999", "x_1", "2027-01-01_-1"]))
    return st.tuples(st.sampled_from(PAGES), st.dictionaries(st.sampled_from(PAGE_QUERY), values, max_size=3)).map(
        lambda pair: (pair[0], form_body(list(pair[1].items())).decode()))


def test_forms_and_pages_never_answer_5xx(fuzz_app: Flask, ctx: AppContext, tokens: dict[str, str],
                                          sessions: dict[str, Session]) -> None:
    pool = seed(fuzz_app.test_client(), tokens, per_step=1)
    endpoints = _endpoints(ctx)
    resident = fuzz_app.test_client()
    public_csrf = csrf_token(resident.get("/complain").get_data(as_text=True))
    tally = Tally()

    def post(who: str | None, path: str, pairs: list[tuple[str, str]], token: str) -> None:
        client = sessions[who].client if who else resident
        tally.send(path.split("/")[1].split("?")[0], client.post, path, data=form_body([*pairs, ("csrf_token", token)]),
                   content_type=FORM)

    form_request = st.one_of([st.tuples(st.just(endpoint.who), endpoint.path(pool), form_values(endpoint.fields), CSRF)
                              for endpoint in endpoints])
    # A task's page and a report page cost several times a plain form's: fewer of them.
    requests = weighted((30, form_request), (1, _task_request(pool)), (1, _page_request()))

    @fuzz_settings(TARGETS["forms"])
    @given(batch=batches(requests))
    def run(batch: list[tuple[Any, ...]]) -> None:
        for request in batch:
            if len(request) == 2:
                path, query = request
                tally.send("pages", sessions["max"].client.get, f"{path}?{query}")
                continue
            who, path, pairs, csrf = request
            token = {"csrf": sessions[who].csrf if who else public_csrf, "": ""}.get(csrf, "forged")
            post(who, path, pairs, token)

    run()
    tally.check("forms", TARGETS["forms"])


def test_a_post_over_the_limit_gets_a_413_page(fuzz_app: Flask, sessions: dict[str, Session]) -> None:
    limit = fuzz_app.config["MAX_CONTENT_LENGTH"]
    resident = fuzz_app.test_client()
    token = csrf_token(resident.get("/complain").get_data(as_text=True))
    huge = form_body([("csrf_token", token), ("name", "Rita"), ("description", "x" * limit)])
    for client, path in ((resident, "/complain"), (resident, "/login"), (sessions["olivia"].client, "/complaints/new"),
                         (sessions["adam"].client, "/letters/acknowledgement")):
        response = client.post(path, data=huge, content_type=FORM)
        assert response.status_code == 413, (path, response.status_code)
        page = response.get_data(as_text=True)
        assert response.mimetype == "text/html" and f"{limit:,} bytes" in page, page[:500]
