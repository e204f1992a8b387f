"""HTML to PDF with WeasyPrint, for reports and letters."""

from __future__ import annotations

from flask import Response, request
from weasyprint import HTML


def pdf_response(html: str, filename: str) -> Response:
    """Render `html` (a whole page, its CSS inline) as a PDF download named `filename`."""
    pdf = HTML(string=html, base_url=request.url_root).write_pdf()
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})
