"""Every answer carries the headers that keep pages from being framed, sniffed or fed scripts from elsewhere;
HTTPS-only cookies and HSTS where the app is served over TLS."""

from service import create_app
from tests.web.test_browser_forms import Browser


def test_pages_have_a_content_security_policy_and_nothing_may_frame_them(app):
    page = Browser(app, "olivia").client.get("/")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    for response in (page, app.test_client().get("/complain"), app.test_client().get("/api/v1/tasks"),
                     app.test_client().get("/healthz")):
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in page.headers  # under test: plain HTTP
    assert "Content-Security-Policy" not in app.test_client().get("/healthz").headers  # JSON, not a page


def test_behind_tls_cookies_are_https_only_and_browsers_keep_to_https(database_url, tmp_path):
    secure = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test",
                         "SECURE_COOKIES": "true", "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.db'}",
                         "RESULT_BACKEND": f"db+sqlite:///{tmp_path / 'results.db'}"})
    try:
        assert secure.config["SESSION_COOKIE_SECURE"] is True
        response = secure.test_client().get("/login")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "; Secure" in response.headers["Set-Cookie"]  # the CSRF token's session cookie
    finally:
        secure.extensions["complaintflow_engine"].dispose()
