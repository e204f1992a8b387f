"""The OpenAPI document is generated from the routes and the models that validate them: it describes every API
route and method the app serves, and every operation that takes a body or a query states its schema."""

import re

from service.web.openapi import document


def shape(path):
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def test_every_api_route_is_documented(app):
    with app.app_context():
        paths = document(app)["paths"]
    documented = {(shape(path), method.upper()) for path, item in paths.items() for method in item}
    served = {(shape(rule.rule), method) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served - documented == set()
    assert documented - served == set()


def test_the_document_states_what_the_api_validates(app):
    with app.app_context():
        paths = document(app)["paths"]
    complaint = paths["/api/v1/complaints"]["post"]
    schema = complaint["requestBody"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("NewComplaint")  # the model create_complaint validates with
    assert {"401", "422", "201"} <= set(complaint["responses"])
    tasks = {p["name"]: p for p in paths["/api/v1/tasks"]["get"]["parameters"]}
    assert tasks["limit"]["schema"]["minimum"] == 1 and tasks["limit"]["schema"]["maximum"] == 1000
    letter = paths["/api/v1/correspondence/{correspondence_id}/document"]["get"]["responses"]["200"]
    assert list(letter["content"]) == ["application/pdf"]
    for path, item in paths.items():
        for method, operation in item.items():
            assert "401" in operation["responses"], (method, path)  # every operation needs a token
