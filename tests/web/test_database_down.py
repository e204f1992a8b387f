"""With the database not answering, the API, the public form and sign-in answer 503 with Retry-After (the
request was fine; nothing was saved), never a 500."""

import socket

import pytest

from service import create_app
from tests.conftest import csrf_token
from tests.web.test_public_form import GOOD


@pytest.fixture
def app_without_database(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once the probe is closed
    app = create_app({"DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{port}/gone", "TESTING": True,
                      "SECRET_KEY": "test", "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.db'}",
                      "RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.db'}"})
    yield app
    app.extensions["complaintflow_engine"].dispose()


def test_the_api_answers_503_with_retry_after(app_without_database):
    client = app_without_database.test_client()
    response = client.post("/api/v1/complaints", headers={"Authorization": "Bearer some-token"},
                           json={"complainant": {"name": "Rita"}, "channel": "phone", "received_at": "2026-11-02",
                                 "description": "Damp"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.get_json()["error"] == "service_unavailable"
    assert "nothing was saved" in response.get_json()["message"]


def test_the_public_form_and_sign_in_answer_503_pages(app_without_database):
    client = app_without_database.test_client()
    token = csrf_token(client.get("/complain").get_data(as_text=True))
    complained = client.post("/complain", data={**GOOD, "csrf_token": token})
    assert complained.status_code == 503 and complained.headers["Retry-After"] == "30"
    assert "nothing was saved" in complained.get_data(as_text=True)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    signed_in = client.post("/login", data={"name": "olivia", "password": "complaintflow", "csrf_token": token})
    assert signed_in.status_code == 503
