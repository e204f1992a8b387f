"""The pages residents read are in plain English: a reading age around 9 to 11 at most, measured with the Flesch-
Kincaid grade (a US school grade; the reading age is about five years more). Each label, paragraph, list item and
button counts as a sentence of its own, as a reader takes them."""

import re

import pytest
import textstat

from tests.conftest import london
from tests.web.test_public_form import GOOD, post

MOST = 6.0  # grade 6: a reading age of about 11


def readable_text(html: str) -> str:
    """The words of the page's main part, with each block of text ending a sentence."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r"</(p|label|li|legend|h[1-6]|button|option|td|th|summary|span)>", ". ", main)
    text = re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])
    return " ".join(re.sub(r"(\.\s*){2,}", ". ", text).split())


@pytest.fixture
def pages(app, clock):
    clock(london(2026, 12, 1, 10))
    client = app.test_client()
    thanks = post(app.test_client(), GOOD).get_data(as_text=True)
    portal = re.search(r'href="http://127\.0\.0\.1:5000(/my-complaint/[^"]+)"', thanks).group(1)
    return {"the complaint form": client.get("/complain").get_data(as_text=True), "the thank-you page": thanks,
            "the compliment form": client.get("/compliment").get_data(as_text=True),
            "the resident's own page": client.get(portal).get_data(as_text=True),
            "asking for a new link": client.get("/my-complaint").get_data(as_text=True),
            "a link that does not work": client.get("/my-complaint/changed").get_data(as_text=True)}


def test_the_pages_residents_read_have_a_reading_age_of_eleven_at_most(pages):
    grades = {name: textstat.flesch_kincaid_grade(readable_text(html)) for name, html in pages.items()}
    assert all(len(readable_text(html).split()) > 25 for html in pages.values())  # real text was measured
    assert all(grade <= MOST for grade in grades.values()), grades


def test_the_measure_tells_hard_words_from_plain_ones():
    plain = "We got your complaint. We will call you soon. Tell us if you need help."
    hard = ("Notwithstanding the aforementioned considerations, the organisation's determination regarding "
            "remediation necessitates comprehensive investigation of the circumstances substantiating dissatisfaction.")
    assert textstat.flesch_kincaid_grade(plain) <= 3 < MOST < textstat.flesch_kincaid_grade(hard)
