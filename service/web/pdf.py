"""HTML to PDF with WeasyPrint, for reports and letters."""

from __future__ import annotations

from flask import Response

from service.outbound import pdf as pdf_renderer


def pdf_response(html: str, filename: str) -> Response:
    """Render `html` (a whole page, its CSS inline) as a PDF download named `filename`."""
    pdf = pdf_renderer.render(html)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})
