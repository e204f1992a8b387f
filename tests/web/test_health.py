"""/healthz answers for load balancers and compose: the database and the broker, each checked for real."""


def test_healthz_is_ok_when_the_database_and_broker_answer(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "broker": "ok", "rate_limits": "shared store"}


def test_healthz_is_unavailable_when_the_broker_is_unreachable(app):
    app.config["BROKER_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = app.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 503 and body["status"] == "unavailable"
    assert body["database"] == "ok" and body["broker"].startswith("error: ")
