"""The self-assessment in the Housing Ombudsman's layout (Appendix A of the Code): a table per section, each
provision a row of Code provision | Code requirement | Comply: Yes/No | Evidence | Commentary / explanation."""

from __future__ import annotations

import io
from itertools import groupby
from typing import Any

from openpyxl import Workbook

from service.use_cases import annual_report
from service.use_cases.context import AppContext
from service.use_cases.register import text_cell

COLUMNS = ["Code provision", "Code requirement", "Comply: Yes/No", "Evidence", "Commentary / explanation"]
WIDTHS = {"A": 12, "B": 60, "C": 14, "D": 60, "E": 60}


def evidence_text(row: dict[str, Any]) -> list[str]:
    """The Evidence column of one provision: what the records show, then the Code check's findings."""
    return [*row["evidence"], *(f"Code check ({f['severity']}): {f['message']}" for f in row["findings"])]


def by_section(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """[("Section 6: Complaints stages", its provisions), …] in the Code's order."""
    return [(f"Section {number}: {title}", list(provisions))
            for (number, title), provisions in groupby(rows, key=lambda row: (row["section"], row["section_title"]))]


def xlsx(app: AppContext, year: int) -> bytes:
    """`year`'s self-assessment as an Excel workbook: the header row, then each section's title followed by its
    provisions. Every cell is text (as the register's are), so nothing a manager typed becomes a formula."""
    rows = annual_report.self_assessment(app, year)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"Self-assessment {year}-{(year + 1) % 100:02d}")
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.append([text_cell(sheet, name) for name in COLUMNS])
    for title, provisions in by_section(rows):
        sheet.append([text_cell(sheet, title)])
        for row in provisions:
            sheet.append([text_cell(sheet, text) for text in (
                row["key"], row["requirement"], row["comply"], "\n".join(evidence_text(row)), row["text"])])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
