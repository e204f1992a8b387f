"""The live view of the procedure: per element, who waits there now and the median days a task there took."""

from service.use_cases import procedure_heat
from tests.conftest import london
from tests.web.test_browser_forms import Browser


def test_each_element_shows_who_waits_there_and_how_long_its_tasks_take(app, ctx, api, clock):
    olivia = api("olivia")
    clock(london(2027, 3, 1))
    references = [olivia.post("/complaints", {"complainant": {"name": f"R{n}"}, "channel": "phone",
                                              "received_at": "2027-03-01", "description": "Leak"}).get_json()["reference"]
                  for n in range(3)]
    clock(london(2027, 3, 2))
    olivia.complete(references[0], "triage", {"triage_decision": "accept"})  # 1 day
    clock(london(2027, 3, 4))
    olivia.complete(references[1], "triage", {"triage_decision": "accept"})  # 3 days
    heat = procedure_heat.heat(ctx, "complaint", 1)
    assert heat["triage"] == {"waiting": 1, "done": 2, "median_days": 2.0}
    assert heat["stage1_acknowledge"] == {"waiting": 2, "done": 0, "median_days": None}
    assert heat["stage1_acknowledge_breach"]["waiting"] == 3  # each complaint's acknowledgement timer
    page = Browser(app, "priya").page("/processes/complaint/versions/1/elements/triage")
    assert references[2] in page and references[0] not in page


def test_the_live_diagram_carries_the_heat_map(app, api):
    page = Browser(app, "priya").page("/processes/complaint/modeler")
    assert 'data-heat-url="/processes/complaint/versions/1/heat.json"' in page
