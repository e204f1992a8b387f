"""Signed links we send residents: no password, just a link only we can make, that stops working after a while.

Each kind of link has its own salt, so a link made for one purpose (confirming an email address) never opens
another (a complaint's page). The address the link starts with is the configured public one, never a request's
Host header, which anyone can set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class LinkExpired(Exception):
    """The link was ours, but it is older than it may be."""


class LinkInvalid(Exception):
    """The link is not one we made (mistyped, cut short or changed)."""


@dataclass(frozen=True)
class Links:
    """Makes and reads one kind of signed link: `path` (e.g. "/my-complaint/") followed by the token."""

    secret: str
    salt: str
    base_url: str
    path: str
    days: int

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt=self.salt)

    def token(self, payload: Any) -> str:
        """A token carrying `payload` (JSON-able), signed now."""
        return str(self._serializer().dumps(payload))

    def url(self, payload: Any) -> str:
        """The whole link for `payload`, on the public address."""
        return f"{self.base_url.rstrip('/')}{self.path}{self.token(payload)}"

    def read(self, token: str) -> Any:
        """The payload of a token we made within `days`; raises LinkExpired or LinkInvalid."""
        try:
            return self._serializer().loads(token, max_age=self.days * 24 * 3600)
        except SignatureExpired as error:
            raise LinkExpired(str(error)) from None
        except (BadSignature, ValueError, TypeError) as error:
            raise LinkInvalid(str(error)) from None


def resident_links(settings: Any, salt: str, path: str, days: int) -> Links:
    """Signed links of one kind for residents, from the app's settings: on PUBLIC_URL, else http://HOST:PORT."""
    base = settings.get("PUBLIC_URL") or f"http://{settings['HOST']}:{settings['PORT']}"
    return Links(str(settings["SECRET_KEY"]), salt, base, path, days)
