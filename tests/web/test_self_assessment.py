"""The annual self-assessment against the Complaint Handling Code (2024): every provision of sections 1-9 as the
Ombudsman's form lists them, evidence and Yes/No from the records where they decide it, the manager's answers and
words for the rest, and the Ombudsman's layout as XLSX and PDF."""

import html
import io
import re

import pytest
from openpyxl import load_workbook

from service.domain import behaviour, linter
from service.domain.code_checklist import CHECKLIST
from tests.conftest import day, pdf_text
from tests.web.test_browser_forms import Browser

PAGE = "/reports/self-assessment?year=2026"
# The Ombudsman's self-assessment form: its columns and its section titles.
COLUMNS = ("Code provision", "Code requirement", "Comply: Yes/No", "Evidence", "Commentary / explanation")
SECTIONS = ["Section 1: Definition of a complaint", "Section 2: Exclusions", "Section 3: Accessibility and awareness",
            "Section 4: Complaint handling staff", "Section 5: The complaint handling process",
            "Section 6: Complaints stages", "Section 7: Putting things right",
            "Section 8: Self-assessment, reporting and compliance",
            "Section 9: Scrutiny & oversight: continuous learning and improvement"]
# How many provisions each section of the 2024 Code has on the form (section 1 starts at 1.2).
PER_SECTION = {"1": 5, "2": 5, "3": 7, "4": 3, "5": 15, "6": 20, "7": 4, "8": 5, "9": 8}


def row_of(page, key):
    """The page's table row for provision `key`, as text."""
    found = re.search(rf'<tr id="provision-{re.escape(key)}">(.*?)</tr>', page, re.S)
    assert found, key
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def comply_of(page, key):
    """What the page answers for `key`: the records' answer, or the manager's selected option."""
    row = re.search(rf'<tr id="provision-{re.escape(key)}">(.*?)</tr>', page, re.S).group(1)
    shown = re.search(rf'<span[^>]*id="comply-{re.escape(key)}">([^<]*)</span>', row)
    if shown:
        return shown.group(1)
    selected = re.search(r'<option value="[^"]*" selected>([^<]*)</option>', row)
    return selected.group(1) if selected else ""


def acknowledge(officer, clock, received, acknowledged, name):
    """A complaint logged on `received` and acknowledged at Stage 1 on `acknowledged`, through the API."""
    clock(day(received))
    ref = officer.post("/complaints", {"complainant": {"name": name}, "channel": "phone", "received_at": received,
                                       "description": "d", "tenure": "low_cost_rental"}).get_json()["reference"]
    officer.complete(ref, "triage", {"triage_decision": "accept"})
    clock(day(acknowledged))
    officer.complete(ref, "stage1_acknowledge", {"stage1_acknowledged_on": acknowledged,
                                                 "complaint_definition": "x", "outcome_sought": "y"})
    return ref


def test_the_page_lists_every_provision_of_sections_1_to_9_in_the_codes_order(app):
    page = Browser(app, "maya").page(PAGE)
    keys = re.findall(r'<tr id="provision-([\d.]+)">', page)
    assert len(keys) == 72 == sum(PER_SECTION.values())
    assert keys == sorted(keys, key=lambda k: tuple(int(n) for n in k.split(".")))
    assert (keys[0], keys[-1]) == ("1.2", "9.8")
    assert {s: sum(k.split(".")[0] == s for k in keys) for s in PER_SECTION} == PER_SECTION
    assert {"1.6", "2.5", "3.7", "4.3", "5.15", "6.20", "7.4", "8.5"} <= set(keys)
    assert re.findall(r'<h2 id="section-\d">([^<]*)</h2>', html.unescape(page)) == SECTIONS
    assert "within 20 working days of acknowledgement" in row_of(page, "6.14")
    assert "Member Responsible for Complaints" in row_of(page, "9.5")


def test_every_code_section_the_checks_cite_is_a_provision_of_the_checklist():
    keys = {p.key for p in CHECKLIST}
    cited = {section for section, _ in [*linter.CODE_LIMITS.values(), *linter.EXTENSION_CAPS.values(),
                                        *behaviour.EXTENSION_CAPS.values()]}
    cited |= {rule.provision for rule in behaviour.CODE_DEADLINES.values()}
    assert cited == {"6.2", "6.3", "6.4", "6.11", "6.14", "6.15"} and cited <= keys


def test_a_late_acknowledgement_shows_in_6_2s_evidence_and_answers_it_no(app, api, clock):
    officer = api("olivia")
    acknowledge(officer, clock, "2026-06-01", "2026-06-03", "Ann Able")  # 2 working days
    maya = Browser(app, "maya")
    page = maya.page(PAGE)
    assert "Stage 1 acknowledgements: 100.0% met on time (1 of 1)." in row_of(page, "6.2")
    assert comply_of(page, "6.2") == "Yes" and "(from the records)" in row_of(page, "6.2")
    assert "none fell due" in row_of(page, "6.11") and comply_of(page, "6.11") == ""  # the manager's to answer

    acknowledge(officer, clock, "2026-06-01", "2026-06-10", "Bob Baker")  # 7 working days: late
    page = maya.page(PAGE)
    assert "Stage 1 acknowledgements: 50.0% met on time (1 of 2)." in row_of(page, "6.2")
    assert comply_of(page, "6.2") == "No"
    # A manager's answer cannot overrule the records: there is no choice to make on 6.2.
    assert 'name="comply-6.2"' not in page and 'name="comply-6.1"' in page


def test_the_managers_answers_and_words_are_kept_and_a_bad_answer_is_refused(app):
    maya = Browser(app, "maya")
    maya.submit(PAGE, {"comply-3.3": "yes", "text-3.3": "Complaint volumes are reported as a positive sign."})
    page = maya.page(PAGE)
    assert comply_of(page, "3.3") == "Yes" and "reported as a positive sign" in row_of(page, "3.3")
    refused = maya.submit(PAGE, {"comply-3.3": "maybe"}, expect=422)
    assert "comply-3.3: Answer Yes or No, or leave it unanswered." in html.unescape(refused.get_data(as_text=True))
    assert comply_of(maya.page(PAGE), "3.3") == "Yes"
    officer = Browser(app, "olivia")
    assert comply_of(officer.page(PAGE), "3.3") == "Yes" and 'name="comply-3.3"' not in officer.page(PAGE)


def test_the_xlsx_has_the_ombudsmans_layout_one_row_per_provision(app, api, clock):
    acknowledge(api("olivia"), clock, "2026-06-01", "2026-06-10", "Bob Baker")
    maya = Browser(app, "maya")
    maya.submit(PAGE, {"comply-4.1": "no", "text-4.1": "=HYPERLINK(\"http://x\") no officer named yet"})
    response = maya.client.get("/reports/self-assessment.xlsx?year=2026")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows[0] == COLUMNS
    titles = [row[0] for row in rows[1:] if row[1] is None]
    provisions = {row[0]: row for row in rows[1:] if row[1] is not None}
    assert titles == SECTIONS and len(provisions) == 72 == len(rows) - 1 - len(SECTIONS)
    assert rows[1][0] == SECTIONS[0] and rows[2][0] == "1.2" and rows[-1][0] == "9.8"
    key, requirement, comply, evidence, commentary = provisions["6.2"]
    assert "5 working days" in requirement and comply == "No"
    assert "Stage 1 acknowledgements: 0.0% met on time (0 of 1)." in evidence
    assert provisions["4.1"][2:] == ("No", None, "=HYPERLINK(\"http://x\") no officer named yet")
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value is not None)


def test_the_pdf_shows_every_section_the_provisions_and_the_saved_statement(app):
    maya = Browser(app, "maya")
    maya.submit(PAGE, {"text-9.5": "Councillor Grey is our Member Responsible for Complaints."})
    response = maya.client.get("/reports/self-assessment.pdf?year=2026")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(pdf_text(response.get_data()).split())
    assert "Self-assessment against the Complaint Handling Code, 2026/27" in text
    assert all(title in text for title in SECTIONS)
    assert "Councillor Grey is our Member Responsible for Complaints." in text
    assert "6.20 Stage 2 is the final response" in text and "1.2 A complaint is defined" in text
    assert maya.client.get("/reports/self-assessment.pdf?year=1999").status_code == 400


@pytest.fixture
def grouped_statements(database_url):
    """Statements saved against the old checklist's grouped lines, before migration 0023."""
    from sqlalchemy import create_engine, text

    from service.persistence.migrate import upgrade

    upgrade(database_url, "0022")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO self_assessment (year, provision, text, updated_at) VALUES "
                          "(2026, '6.4-6.5', 'Extensions are agreed by phone.', CURRENT_TIMESTAMP), "
                          "(2026, '9', 'The board reads a quarterly complaints report.', CURRENT_TIMESTAMP), "
                          "(2026, '6.2', 'Acknowledgements are checked weekly.', CURRENT_TIMESTAMP)"))
    engine.dispose()


def test_statements_saved_against_the_old_grouped_lines_still_show(grouped_statements, request):
    app = request.getfixturevalue("app")  # upgrades to head
    page = Browser(app, "max").page(PAGE)
    for key in ("6.4", "6.5"):
        assert "Extensions are agreed by phone." in row_of(page, key)
    for key in ("9.3", "9.6"):
        assert "The board reads a quarterly complaints report." in row_of(page, key)
    assert "Acknowledgements are checked weekly." in row_of(page, "6.2")
    assert "Extensions are agreed by phone." not in row_of(page, "6.6")
