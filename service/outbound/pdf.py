"""HTML to PDF with WeasyPrint, reading nothing from outside the page.

Letters, reports and case files are rendered from templates that admins and process owners edit. WeasyPrint
would fetch whatever such a template names (an image, a stylesheet, a `rel="attachment"` link) from any address
or file, so a letter could carry a server's file to a resident, or make the server call an internal address. Our
pages carry their CSS inline and need nothing from outside, so only `data:` URLs are read and everything else is
skipped (WeasyPrint logs each one it skips).
"""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher


def render(html: str) -> bytes:
    """`html` (a whole page, its CSS inline) as PDF, with no file or address read."""
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
