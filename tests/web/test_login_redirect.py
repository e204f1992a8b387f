"""After signing in, staff go back to the page they asked for on this site, and never to another site."""

from urllib.parse import quote

import pytest

from tests.conftest import csrf_token

# As the query string carries them: `?next=/%09/evil.example` is "/\t/evil.example" to the app.
ELSEWHERE = ["//evil.example", "/\t/evil.example", "/\\evil.example", "/\r\n/evil.example", "https://evil.example/",
             "javascript:alert(1)", "evil.example", "///evil.example", "/\x1b/evil.example"]


def sign_in(app, target):
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post(f"/login?next={quote(target, safe='')}",
                       data={"name": "olivia", "password": "complaintflow", "csrf_token": token})


@pytest.mark.parametrize("target", ELSEWHERE)
def test_a_next_address_off_the_site_lands_on_the_inbox(app, target):
    response = sign_in(app, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/", response.headers["Location"]


def test_a_page_on_the_site_is_where_staff_land(app):
    response = sign_in(app, "/complaints?status=open")
    assert response.status_code == 302 and response.headers["Location"] == "/complaints?status=open"
