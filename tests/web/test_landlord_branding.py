"""Public pages and letters carry the landlord's name, logo and contact details from the settings, never the
product's; a logo file that cannot be used stops the app at start-up with the reason."""

import subprocess

import pytest
from sqlalchemy import select

from service import app_context, create_app
from service.cli import prepare
from service.outbound.logo import LogoRefused
from service.persistence.models import Correspondence
from service.use_cases import users
from tests.conftest import Api, london
from tests.web.test_public_form import GOOD, post

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def branded_app(database_url, tmp_path, **settings):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test", "DEMO_USERS": True,
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.db'}", "LANDLORD_NAME": "Riverside Homes",
                      "LANDLORD_ADDRESS": "2 River Lane|Leeds|LS1 1AA", **settings})
    prepare(app)
    return app


def test_public_pages_and_letters_carry_the_landlords_logo_and_contact_details(database_url, tmp_path, clock):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    app = branded_app(database_url, tmp_path, LANDLORD_LOGO=str(logo),
                      LANDLORD_CONTACT="0113 496 0000|complaints@riverside.example")
    clock(london(2026, 12, 1, 10))
    served = app.test_client().get("/logo")
    assert served.status_code == 200 and served.data == PNG and served.mimetype == "image/png"
    form = app.test_client().get("/complain").get_data(as_text=True)
    assert '<img src="/logo" alt="Riverside Homes"' in form and "0113 496 0000" in form
    assert "Complaintflow" not in form
    reference = post(app.test_client(), GOOD).get_data(as_text=True).split('id="reference">', 1)[1].split("<")[0]

    ctx = app_context(app)
    officer = Api(app.test_client(), users.issue_token(ctx, "olivia"))
    handler = Api(app.test_client(), users.issue_token(
        ctx, officer.get(f"/complaints/{reference}").get_json()["open_tasks"][0]["assignee"]))
    handler.complete(reference, "triage", {"triage_decision": "accept"})
    handler.complete(reference, "stage1_acknowledge", {"stage1_acknowledged_on": "2026-12-01",
                                                       "complaint_definition": "Damp", "outcome_sought": "Fix"})
    [letter] = handler.get(f"/complaints/{reference}/correspondence").get_json()
    pdf = handler.client.get(letter["document_url"], headers=handler._headers()).data
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Riverside Homes" in text and "0113 496 0000" in text and "complaints@riverside.example" in text
    images = subprocess.run(["pdfimages", "-list", "-", ], input=pdf, capture_output=True).stdout.decode()
    assert [line.split()[2] for line in images.splitlines()[2:]][:1] == ["image"]  # the logo is in the letter
    with ctx.uow() as uow:  # the stored letter does not carry the logo's bytes again
        assert "data:image" not in uow.session.scalars(select(Correspondence.body)).one()
    app.extensions["complaintflow_engine"].dispose()


def test_no_logo_is_404_and_a_bad_logo_stops_the_app_with_the_reason(database_url, tmp_path):
    app = branded_app(database_url, tmp_path)
    assert app.test_client().get("/logo").status_code == 404
    app.extensions["complaintflow_engine"].dispose()
    not_an_image = tmp_path / "logo.svg"
    not_an_image.write_text("<svg onload='alert(1)'/>")
    with pytest.raises(LogoRefused, match="is not a PNG or JPEG image"):
        branded_app(database_url, tmp_path, LANDLORD_LOGO=str(not_an_image))
    with pytest.raises(LogoRefused, match="there is no file"):
        branded_app(database_url, tmp_path, LANDLORD_LOGO=str(tmp_path / "missing.png"))
