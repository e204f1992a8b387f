"""Two process owners edit the same diagram in the bpmn-js modeler in Chromium: the first saves; the second is
shown who saved the newer version and when, keeps their diagram on the canvas, and may store it on top."""

from sqlalchemy import select

from service.persistence.models import ProcessVersion
from service.use_cases import users
from tests.e2e.conftest import sign_in

SHAPE = '.djs-element[data-element-id="set_stage1_received"]'  # on screen when the modeler opens


def rename(page, name):
    page.click(SHAPE)
    page.wait_for_selector("#prop-name")
    page.fill("#prop-name", name)
    page.press("#prop-name", "Tab")


def test_second_modeler_save_is_told_and_keeps_the_diagram(ctx, live_server, browser):
    users.add(ctx, "pete", "process_owner", password="complaintflow", display_name="Pete Owner")
    priya, pete = sign_in(browser, live_server, "priya"), sign_in(browser, live_server, "pete")
    errors = []
    for page in (priya, pete):
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server}/processes/complaint/modeler")
        page.wait_for_selector("#modeler-app[data-ready=yes]")

    rename(priya, "Receipt step (Priya)")
    priya.click("#save")
    priya.wait_for_selector("#saved:has-text('Saved as version 2')", timeout=60_000)  # the scenarios run first

    rename(pete, "Receipt step (Pete)")
    pete.click("#save")
    conflict = pete.locator("#edit-conflict")
    conflict.wait_for(timeout=60_000)
    text = conflict.inner_text()
    assert "Priya Process-Owner saved a newer version of complaint at" in text and "Their version is 2" in text
    assert pete.locator(SHAPE).text_content() == "Receipt step (Pete)"  # the diagram is as Pete left it
    with ctx.uow() as uow:
        assert uow.session.scalars(select(ProcessVersion.author).where(ProcessVersion.process_id == "complaint")
                                   .order_by(ProcessVersion.version)).all() == ["system", "Priya Process-Owner"]

    pete.click("#save-anyway")
    pete.wait_for_selector("#saved:has-text('Saved as version 3')", timeout=60_000)
    with ctx.uow() as uow:
        newest = uow.session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == "complaint")
                                     .order_by(ProcessVersion.version.desc())).first()
        assert (newest.version, newest.author) == (3, "Pete Owner")
        assert 'name="Receipt step (Pete)"' in newest.sources["complaint.bpmn"]
    assert errors == []
