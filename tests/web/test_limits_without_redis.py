"""With the rate limiter's shared store (Redis) down, staff still sign in and residents still complain, and the
limits still hold, counted in the process's memory until the store is back."""

import socket

import pytest

from service import create_app
from service.cli import prepare
from tests.conftest import csrf_token
from tests.web.test_public_form import GOOD, post


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once the probe is closed


@pytest.fixture
def app_without_redis(database_url, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test", "DEMO_USERS": True,
                      "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{closed_port()}/0", "PUBLIC_FORM_LIMIT": 2,
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.db'}",
                      "RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.db'}"})
    prepare(app)
    yield app
    app.extensions["complaintflow_engine"].dispose()


def test_sign_in_and_the_public_form_work_and_stay_limited_with_the_store_down(app_without_redis):
    client = app_without_redis.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    signed_in = client.post("/login", data={"name": "olivia", "password": "complaintflow", "csrf_token": token})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"
    public = app_without_redis.test_client()
    statuses = [post(public, GOOD).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_health_says_the_limits_are_counted_in_memory_while_the_store_is_down(app_without_redis):
    down = app_without_redis.test_client().get("/healthz").get_json()
    assert down["rate_limits"] == "memory: the shared store does not answer"
    assert down["database"] == "ok"  # the app still serves: the limits' store does not make it unhealthy


def test_health_says_the_limits_are_shared_while_the_store_answers(app):
    # The store the tests configure: memory on the SQLite pass, Redis on CI's Redis pass.
    assert app.test_client().get("/healthz").get_json()["rate_limits"] == "shared store"
