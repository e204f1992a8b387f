"""Browser tests: the app served on a free local port in a thread, driven by Playwright in Debian's Chromium
(`apt-get install chromium`; Playwright cannot download a browser here). A missing Chromium fails the run."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def sign_in(browser: Any, base: str, name: str) -> Any:
    """A new page signed in as demo user `name`."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.set_default_timeout(15000)
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", "complaintflow")
    page.click("main button")
    page.wait_for_url(f"{base}/")
    return page


def show(page, element_id):
    """Zoom in on one element, in the middle of the canvas, as a person would to work on it."""
    page.evaluate(f"""() => {{
      const canvas = window.modeler.get('canvas'), element = window.modeler.get('elementRegistry').get('{element_id}');
      const outer = canvas.viewbox().outer;
      canvas.viewbox({{ x: element.x + element.width / 2 - outer.width / 2,
                        y: element.y + element.height / 2 - outer.height / 2,
                        width: outer.width, height: outer.height }});
    }}""")
