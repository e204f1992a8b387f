"""Signing out ends the session for good: a copy of the old session cookie (a shared computer, a stolen cookie)
signs nobody in afterwards, and signing in again starts a session that works."""

from tests.conftest import csrf_token


def signed_in(app):
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"name": "olivia", "password": "complaintflow", "csrf_token": token})
    assert response.status_code == 302
    return client


def copy_of(app, client):
    """Another browser holding the same session cookie."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    other.set_cookie("session", cookie.value)
    return other


def test_an_old_session_cookie_no_longer_works_after_sign_out(app):
    client = signed_in(app)
    thief = copy_of(app, client)
    assert thief.get("/").status_code == 200  # the copy works while the session lasts
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    for browser in (client, thief):
        answer = browser.get("/")
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
    again = signed_in(app)
    assert again.get("/").status_code == 200


def test_a_cookie_naming_a_user_without_a_session_number_signs_nobody_in(app):
    client = signed_in(app)
    with client.session_transaction() as session:
        session["_user_id"] = "1"  # as cookies were before sessions had numbers
    assert client.get("/").status_code == 302
