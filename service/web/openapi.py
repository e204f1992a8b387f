"""The OpenAPI 3.1 document served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

_ERROR = {"type": "object", "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                                           "errors": {"type": "object", "additionalProperties": {"type": "string"}}}}
_DEADLINE = {"type": "object", "required": ["due", "met_on", "breached"], "properties": {
    "due": {"type": "string", "format": "date"}, "met_on": {"type": ["string", "null"], "format": "date"},
    "breached": {"type": "boolean"}}}
_TASK = {"type": "object", "properties": {
    "id": {"type": "string"}, "name": {"type": "string", "description": "the BPMN id"}, "title": {"type": "string"},
    "complaint_reference": {"type": ["string", "null"]}, "restriction_id": {"type": ["integer", "null"]},
    "lane": {"type": ["string", "null"], "description": "the BPMN lane"},
    "roles": {"type": "array", "items": {"type": "string"}, "description": "the roles that work the lane"},
    "assignee": {"type": ["string", "null"]}, "due": {"type": ["string", "null"], "format": "date"},
    "overdue": {"type": "boolean"}, "status": {"type": "string"}}}
_COMPLAINT = {"type": "object", "properties": {
    "reference": {"type": "string", "example": "CF-2026-000123"}, "status": {"type": "string"},
    "stage": {"type": "string"}, "handler": {"type": ["object", "null"]},
    "complainant": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
    "deadlines": {"type": "object", "description": "keyed by stage1_acknowledge, stage1_response, "
                  "stage2_acknowledge, stage2_response once known", "additionalProperties": _DEADLINE},
    "history": {"type": "array", "items": {"type": "object"}}}}
_NEW_COMPLAINT = {"type": "object", "required": ["complainant", "channel", "received_at", "description"],
                  "properties": {
    "complainant": {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}, "email": {"type": "string"}, "phone": {"type": "string"},
        "address": {"type": "string"}}},
    "channel": {"type": "string", "enum": ["phone", "email", "letter", "in_person", "web", "social_media", "text",
                                           "councillor_mp"]},
    "received_at": {"type": "string", "description": "ISO date or datetime; not in the future"},
    "description": {"type": "string"}, "outcome_sought": {"type": "string"},
    "handler": {"type": "string", "description": "user name of the Stage 1 handler (optional)"}}}


_KINDS = ["call_times", "one_contact", "written_only", "appointments_only", "return_documents", "other"]
_NEW_RESTRICTION = {"type": "object", "required": ["kinds", "behaviour", "evidence", "reasons",
                                                   "equality_considerations", "review_on"], "properties": {
    "kinds": {"type": "array", "items": {"type": "string", "enum": _KINDS}},
    "details": {"type": "string", "description": "required for call_times and other"},
    "named_contact": {"type": "string", "description": "user name; required for one_contact"},
    "behaviour": {"type": "string"}, "evidence": {"type": "string"}, "reasons": {"type": "string"},
    "equality_considerations": {"type": "string"}, "review_on": {"type": "string", "format": "date"}}}
_RESTRICTION = {"type": "object", "properties": {
    "id": {"type": "integer"}, "status": {"type": "string", "enum": ["proposed", "active", "rejected", "ended"]},
    "kinds": {"type": "array", "items": {"type": "string"}}, "review_on": {"type": "string", "format": "date"},
    "decided_by": {"type": ["string", "null"]}, "notice": {"type": ["string", "null"]}}}

_REGISTER_FILTERS = [{"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                     for name in ("status", "stage", "category", "channel", "handler", "tenure", "root_cause",
                                  "stage1_outcome", "stage2_outcome", "refusal_exclusion", "q", "received_from",
                                  "received_to", "overdue", "sort")]


def _responses(ok: int, schema: dict[str, Any], *errors: int) -> dict[str, Any]:
    out: dict[str, Any] = {str(ok): {"description": "OK", "content": {"application/json": {"schema": schema}}}}
    for code in (401, *errors):
        out[str(code)] = {"description": {401: "no or bad token", 403: "not yours to do", 404: "not found",
                                          409: "no longer ready", 422: "invalid data"}[code],
                          "content": {"application/json": {"schema": _ERROR}}}
    return out


_PROBLEMS = {"type": "object", "properties": {"error": {"type": "string"}, "errors": {"type": "array", "items": {
    "type": "object", "properties": {"element_id": {"type": ["string", "null"]}, "line": {"type": ["integer", "null"]},
                                     "file": {"type": ["string", "null"]}, "message": {"type": "string"},
                                     "element": {"type": ["string", "null"]},
                                     "provision": {"type": "string", "description": "the Code provision it breaks"},
                                     "scenario": {"type": "string", "description": "the path (dates in, dates out) "
                                                  "that shows it"}}}}}}
_REPLAY = {"type": "object", "properties": {
    "id": {"type": "integer"}, "version": {"type": "integer"}, "live_version": {"type": "integer"},
    "period_from": {"type": "string"}, "period_to": {"type": "string"}, "total": {"type": "integer"},
    "done": {"type": "integer"}, "finished": {"type": "boolean"},
    "sides": {"type": "object", "description": "draft and live: deadlines missed, responses on time per stage, "
              "tasks per role per week (once finished)"},
    "changed": {"type": "array", "items": {"type": "object"}, "description": "complaints whose path would change"}}}
_REPLAY_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
_VERSION = {"type": "object", "properties": {
    "version": {"type": "integer"}, "state": {"type": "string", "enum": ["draft", "live", "retired"]},
    "author": {"type": "string"}, "comment": {"type": "string"}, "created_at": {"type": "string"},
    "deployed_at": {"type": ["string", "null"]}, "running": {"type": "integer"},
    "changes": {"type": "object", "description": "element ids added, removed and changed against the live version"},
    "code_findings": {"type": "array", "items": {"type": "object"},
                      "description": "Code provisions this version would break (deploy is refused while any)"},
    "loaded_version": {"type": "integer", "description": "the process's newest version when this was read: send it "
                       "back as loaded_version when saving an edit of this diagram"}}}
_LOADED_VERSION = {"type": "integer", "description": "the newest version when you read the diagram (loaded_version "
                   "of GET …/versions/{v}): refused with 409 if someone saved a newer one since; leave out to skip"}
_EDIT_CONFLICT = {"description": "someone saved a newer version after loaded_version: nothing stored",
                  "content": {"application/json": {"schema": {"type": "object", "properties": {
                      "error": {"type": "string", "const": "editconflict"}, "message": {"type": "string"},
                      "conflict": {"type": "object", "properties": {
                          "version": {"type": "string"}, "saved_by": {"type": "string"},
                          "saved_at": {"type": ["string", "null"], "format": "date-time"}}}}}}}}
_PROCESS = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
_PROCESS_VERSION = [*_PROCESS, {"name": "v", "in": "path", "required": True, "schema": {"type": "integer"}}]
_MIGRATION = {"type": "object", "properties": {"to_version": {"type": "integer"},
                                               "movable": {"type": "array", "items": {"type": "object"}},
                                               "moved": {"type": "array", "items": {"type": "object"}},
                                               "blocked": {"type": "array", "items": {"type": "object"}}}}
_INVALID_DIAGRAM = {"description": "the diagram failed its checks: every problem with its element and line",
                    "content": {"application/json": {"schema": _PROBLEMS}}}
_CORRESPONDENCE = {"type": "object", "properties": {
    "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["letter", "email", "call", "note"]},
    "letter": {"type": ["string", "null"]}, "channel": {"type": "string"},
    "direction": {"type": "string", "enum": ["in", "out"]}, "subject": {"type": "string"},
    "sent_at": {"type": "string"}, "author": {"type": ["string", "null"]}, "large_print": {"type": "boolean"},
    "document_url": {"type": ["string", "null"], "description": "the letter as PDF"},
    "failure": {"type": ["string", "null"], "description": "why the letter's template failed on this complaint; "
                "it is made and sent when an admin fixes the template"},
    "email": {"type": ["object", "null"], "description": "{to, status: queued | sent | failed, attempts, last_error}"}}}
CORRESPONDENCE_PATHS: dict[str, Any] = {
    "/complaints/{reference}/correspondence": {"get": {
        "summary": "Every letter, email, call and note of a complaint, oldest first",
        "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": _responses(200, {"type": "array", "items": _CORRESPONDENCE}, 404)}},
    "/correspondence/{id}/document": {"get": {
        "summary": "A letter as PDF, as it was sent",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}},
                      "404": {"description": "no such letter"}}}},
}
PROCESS_PATHS: dict[str, Any] = {
    "/processes": {"get": {"summary": "Every process with its versions", "responses": _responses(
        200, {"type": "object", "properties": {"processes": {"type": "array", "items": {"type": "object"}}}})}},
    "/processes/{id}/versions": {"post": {
        "summary": "Store BPMN XML as a checked draft (process_owner, admin)",
        "parameters": [*_PROCESS, {"name": "loaded_version", "in": "query", "required": False,
                                   "schema": {"type": "integer"}, "description": "as in the JSON body"}],
        "requestBody": {"required": True, "content": {"application/xml": {"schema": {"type": "string"}},
                                                      "application/json": {"schema": {"type": "object", "properties": {
                                                          "xml": {"type": "string"}, "comment": {"type": "string"},
                                                          "loaded_version": _LOADED_VERSION}}}}},
        "responses": {**_responses(201, _VERSION, 403, 404), "409": _EDIT_CONFLICT, "422": _INVALID_DIAGRAM}}},
    "/processes/{id}/versions/{v}": {"get": {
        "summary": "A version with its BPMN XML", "parameters": _PROCESS_VERSION,
        "responses": _responses(200, _VERSION, 404)}},
    "/processes/{id}/versions/{v}/deploy": {"post": {
        "summary": "Make a version live for new instances; a retired one is a rollback (process_owner, admin)",
        "parameters": _PROCESS_VERSION, "responses": {**_responses(200, _VERSION, 403, 404), "422": _INVALID_DIAGRAM}}},
    "/processes/{id}/versions/{v}/migration": {
        "get": {"summary": "Dry run: which running instances can move to this version, and why others cannot",
                "parameters": _PROCESS_VERSION, "responses": _responses(200, _MIGRATION, 404)},
        "post": {"summary": "Move every instance that can move (process_owner, admin)",
                 "parameters": _PROCESS_VERSION, "responses": _responses(200, _MIGRATION, 403, 404)}},
    "/processes/{id}/versions/{v}/replays": {"post": {
        "summary": "What-if: replay the complaints of a period through this version and the live one "
                   "(process_owner, admin)", "parameters": _PROCESS_VERSION,
        "requestBody": {"required": False, "content": {"application/json": {"schema": {"type": "object", "properties": {
            "period_from": {"type": "string", "format": "date"}, "period_to": {"type": "string", "format": "date"}}}}}},
        "responses": _responses(202, _REPLAY, 403, 404, 422)}},
    "/replays/{id}": {"get": {"summary": "A replay's progress and figures", "parameters": _REPLAY_ID,
                              "responses": _responses(200, _REPLAY, 404)}},
    "/replays/{id}/complaints/{reference}": {"get": {
        "summary": "One replayed complaint under each version",
        "parameters": [*_REPLAY_ID, {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": _responses(200, {"type": "object"}, 404)}},
    "/replays/{id}/complaints.csv": {"get": {
        "summary": "The replay as CSV", "parameters": _REPLAY_ID,
        "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                      **{code: entry for code, entry in _responses(200, {}, 404).items() if code != "200"}}}},
    "/migrations/{id}/revert": {"post": {
        "summary": "Put a migrated instance back on its old version (409 once it has moved on)",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": _responses(200, {"type": "object"}, 403, 404, 409)}},
}


OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Complaintflow API", "version": "1"},
    "servers": [{"url": "/api/v1"}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearer": []}],
    "paths": {
        "/complaints": {"post": {
            "summary": "Log a complaint", "requestBody": {"required": True, "content": {"application/json": {
                "schema": _NEW_COMPLAINT}}},
            "responses": _responses(201, _COMPLAINT, 422)}},
        "/complaints/{reference}": {"get": {
            "summary": "A complaint with deadlines and history",
            "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": _responses(200, _COMPLAINT, 404)}},
        "/complainants/{id}/restrictions": {"post": {
            "summary": "Propose a contact restriction (a manager who is not the proposer decides)",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _NEW_RESTRICTION}}},
            "responses": _responses(201, {"type": "object", "properties": {"id": {"type": "integer"},
                                                                          "status": {"type": "string"}}}, 404, 422)}},
        "/restrictions/{id}": {"get": {
            "summary": "A contact restriction",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": _responses(200, _RESTRICTION, 404)}},
        "/reports/tsm": {"get": {
            "summary": "TSM CH01 and CH02 for the reporting year starting 1 April `year`",
            "parameters": [{"name": "year", "in": "query", "required": False, "schema": {"type": "integer"}}],
            "responses": _responses(200, {"type": "object", "properties": {
                "ch01": {"type": "object"}, "ch02": {"type": "object"}, "counts": {"type": "object"}}}, 422)}},
        "/reports/dashboard": {"get": {
            "summary": "The dashboard's figures for the reporting year: volumes, on-time shares, working days, "
                       "categories, root causes, outcomes, refusals, remedies",
            "parameters": [{"name": "year", "in": "query", "required": False, "schema": {"type": "integer"}}],
            "responses": _responses(200, {"type": "object"}, 422)}},
        "/reports/register.csv": {"get": {
            "summary": "The complaints register as CSV (streamed); filters as on the register page",
            "parameters": _REGISTER_FILTERS,
            "responses": {"200": {"description": "CSV", "content": {"text/csv": {}}}, "400": {"description": "bad filter"}}}},
        "/reports/register.xlsx": {"get": {
            "summary": "The complaints register as an Excel workbook; filters as on the register page",
            "parameters": _REGISTER_FILTERS,
            "responses": {"200": {"description": "XLSX", "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
                "400": {"description": "bad filter"}}}},
        "/reports/tsm/working": {"get": {
            "summary": "The complaint references behind one TSM count",
            "parameters": [{"name": "year", "in": "query", "required": False, "schema": {"type": "integer"}},
                           {"name": "figure", "in": "query", "required": True, "schema": {"type": "string"}}],
            "responses": _responses(200, {"type": "array", "items": {"type": "string"}}, 422)}},
        "/tasks": {"get": {"summary": "Open tasks the caller may work, most urgent first",
                           "parameters": [{"name": "limit", "in": "query", "required": False,
                                           "schema": {"type": "integer", "minimum": 1, "maximum": 1000,
                                                      "default": 100}}],
                           "responses": _responses(200, {"type": "array", "items": _TASK}, 422)}},
        "/tasks/{id}": {"get": {
            "summary": "A task with its form definition",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": _responses(200, _TASK, 404)}},
        "/tasks/{id}/complete": {"post": {
            "summary": "Complete a task",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"data": {"type": "object"}}}}}},
            "responses": _responses(200, {"type": "object"}, 403, 404, 409, 422)}},
        "/tokens/current": {"delete": {
            "summary": "Revoke the bearer token this request is sent with (it gets 401 from then on)",
            "responses": {**_responses(204, {}), "204": {"description": "revoked; no body"}}}},
        **PROCESS_PATHS,
        **CORRESPONDENCE_PATHS,
    },
}
