"""The OpenAPI document describes every API route and method the app serves."""

import re

from service.web.openapi import OPENAPI


def shape(path):
    # The register's format is a path parameter in the app and two documented paths (csv, xlsx).
    path = re.sub(r"register\.(<[^>]+>|csv|xlsx)$", "register.{format}", path)
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def test_every_api_route_is_documented(app):
    documented = {(shape(path), method.upper()) for path, item in OPENAPI["paths"].items() for method in item}
    served = {(shape(rule.rule.removeprefix("/api/v1")), method) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served - documented == set()
    assert documented - served == set()
