"""The landlord's logo, from the file the settings name (LANDLORD_LOGO): on the public pages and at the head of
every letter. Read once at start-up, checked from its first bytes (PNG or JPEG only: an SVG can carry script) and
its size, so a wrong file stops the app with the reason instead of breaking pages or letters later."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 200 * 1024
TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


class LogoRefused(ValueError):
    """The logo file cannot be used: the message says why."""


@dataclass(frozen=True)
class Logo:
    """The logo's bytes and type."""

    mimetype: str
    data: bytes

    @property
    def data_url(self) -> str:
        """The logo inline, for a letter (its PDF fetches nothing from outside)."""
        return f"data:{self.mimetype};base64,{base64.b64encode(self.data).decode()}"


def load(path: str) -> Logo | None:
    """The logo at `path`, or None when no path is set; raises LogoRefused naming the problem."""
    if not path.strip():
        return None
    file = Path(path)
    if not file.is_file():
        raise LogoRefused(f"LANDLORD_LOGO: there is no file {path}")
    data = file.read_bytes()
    if len(data) > MAX_BYTES:
        raise LogoRefused(f"LANDLORD_LOGO: {path} is {len(data):,} bytes; a logo may be {MAX_BYTES:,} at most")
    mimetype = next((kind for magic, kind in TYPES.items() if data.startswith(magic)), None)
    if mimetype is None:
        raise LogoRefused(f"LANDLORD_LOGO: {path} is not a PNG or JPEG image")
    return Logo(mimetype, data)
