"""Residents send compliments themselves on the public page: recorded as received on the web, passed on to the
member of staff they name (or left for staff to pass to the team), on the Compliments page with the email to thank
them at, and counted."""

from tests.conftest import csrf_token, london
from tests.web.test_browser_forms import Browser


def send(app, **fields):
    client = app.test_client()
    token = csrf_token(client.get("/compliment").get_data(as_text=True))
    return client.post("/compliment", data={"csrf_token": token, **fields})


def test_a_resident_sends_a_compliment_that_reaches_who_it_praises(app, api, clock):
    clock(london(2026, 12, 2, 10))
    empty = send(app, name="Rita Resident")
    assert empty.status_code == 422 and "This field is required." in empty.get_data(as_text=True)
    thanks = send(app, name="Rita Resident", email="rita@example.org", about="olivia officer",
                  description="Olivia sorted my boiler the same day")
    assert thanks.status_code == 200 and "We have your compliment and will pass it on" in thanks.get_data(as_text=True)
    send(app, name="Sam", about="The repairs team", description="Quick and tidy")
    assert send(app, name="Bot", description="x", website="http://spam.example").status_code == 200

    assert "A compliment from Rita Resident (02 December 2026): Olivia sorted my boiler" in \
        Browser(app, "olivia").page("/")
    page = " ".join(Browser(app, "maya").page("/compliments").split())
    assert "Olivia sorted my boiler the same day" in page and "rita@example.org" in page
    assert "Quick and tidy" in page and "The repairs team" in page and "Bot" not in page
    assert api("maya").get("/reports/dashboard?year=2026").get_json()["compliments"] == 2
