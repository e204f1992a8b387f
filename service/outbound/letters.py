"""Letters: Jinja templates (the shipped ones in letters/, or an admin's saved version) rendered in a sandbox with
autoescaping, then to PDF with WeasyPrint; a large-print variant for residents who need one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from markupsafe import Markup, escape

from service.outbound import pdf
from service.outbound.template_sandbox import LetterSandbox

# key → (title for staff, email subject); {reference} is filled in.
LETTERS: dict[str, tuple[str, str]] = {
    "acknowledgement": ("Acknowledgement (Stage 1)", "We have received your complaint {reference}"),
    "extension": ("Extension notice", "Your complaint {reference}: a new response date"),
    "stage1_response": ("Stage 1 response", "Our response to your complaint {reference}"),
    "stage2_acknowledgement": ("Stage 2 acknowledgement", "Your complaint {reference} has been escalated"),
    "stage2_response": ("Stage 2 final response", "Our final response to your complaint {reference}"),
    "refusal": ("Refusal to accept a complaint", "Your complaint {reference}"),
    "escalation_declined": ("Escalation declined", "Your request to escalate complaint {reference}"),
    "quick_fix": ("Quick-fix confirmation", "What we agreed about your report {reference}"),
}
DEFAULTS = Path(__file__).parent / "letters"
OMBUDSMAN = Markup(
    "<div class='ombudsman'><p><strong>The Housing Ombudsman</strong> can help you at any time while your complaint "
    "is with us, and can investigate once our complaints procedure has ended. Housing Ombudsman Service, PO Box "
    "1484, Unit D, Preston PR2 0ET · 0300 111 3000 · www.housing-ombudsman.org.uk · "
    "info@housing-ombudsman.org.uk</p></div>")

_STRICT = LetterSandbox(undefined=StrictUndefined)
# Letters read task data that may not have every field: a missing one renders empty rather than failing.
_LENIENT = LetterSandbox()


class LetterFailed(Exception):
    """A template could not be rendered; the message says why and at which line of the template."""


def default_template(key: str) -> str:
    """The shipped template of letter `key`."""
    return (DEFAULTS / f"{key}.html").read_text(encoding="utf-8")


def _describe(error: Exception) -> str:
    # Jinja rewrites tracebacks so a template's frames carry the template's own line numbers.
    line = getattr(error, "lineno", None)
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    message = error.message if isinstance(error, TemplateError) and error.message else str(error) or type(error).__name__
    if not isinstance(error, TemplateError):
        message = f"{type(error).__name__}: {message}"
    return f"line {line}: {message}" if line else message


def _render(environment: LetterSandbox, text: str, context: dict[str, Any]) -> str:
    try:
        return environment.render(text, context)
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError, RecursionError, MemoryError) as error:
        raise LetterFailed(_describe(error)) from None


def template_error(text: str, sample: dict[str, Any]) -> str | None:
    """Why `text` is not a usable letter template (syntax, with its line, a failure on sample data, or too much
    work), or None."""
    try:
        _render(_STRICT, text, sample)
    except LetterFailed as failure:
        return str(failure)
    return None


def render_body(text: str, context: dict[str, Any]) -> str:
    """The letter's HTML body: the template rendered with every value escaped; raises LetterFailed."""
    return _render(_LENIENT, text, {**context, "ombudsman": OMBUDSMAN})


HEAD = "<div class='head'><div>"


def page(body: str, *, landlord: str, landlord_address: tuple[str, ...] = (), date: str, address: str,
         large_print: bool, contact: tuple[str, ...] = ()) -> str:
    """A whole printable letter around `body`: letterhead (the landlord's name, address and contact details),
    date, the resident's address; 18pt type when large print. The logo is added when the PDF is made (`to_pdf`),
    so the stored HTML of every letter does not carry its bytes again."""
    size = "18pt" if large_print else "11pt"
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><style>"
        f"@page {{ size: A4; margin: 2cm; }} body {{ font-family: sans-serif; font-size: {size}; line-height: 1.45; }}"
        " .head { display: flex; justify-content: space-between; } blockquote { margin-left: 1em; }"
        " .ombudsman { margin-top: 2em; font-size: .9em; border-top: 1px solid #999; }"
        " .head img { max-height: 2.2cm; max-width: 6cm; display: block; margin-bottom: .3cm; }"
        f"</style></head><body>{HEAD}<strong>{escape(landlord)}</strong>"
        + "".join(f"<br>{escape(line)}" for line in (*landlord_address, *contact))
        + f"</div><span>{escape(date)}</span></div>"
        f"<p>{escape(address).replace(chr(10), Markup('<br>'))}</p>{body}</body></html>"
    )


def to_pdf(html: str, logo: str | None = None) -> bytes:
    """The letter as PDF, with the landlord's logo (a data: URL of an image) at its head when there is one."""
    if logo and logo.startswith("data:image/"):
        html = html.replace(HEAD, f"{HEAD}<img src='{escape(logo)}' alt=''>", 1)
    return pdf.render(html)
