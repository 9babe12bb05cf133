"""The network page in a real Chromium: the investigator finds a suspect, draws their network
with Cytoscape (vendored, under the strict CSP: any refused script or style fails the test, see
tests/support/browser.py), and a click on a node opens that entity's page.

Screenshots go to $JUSOOR_SCREENSHOTS as network-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jusoor.core.db import Database
from tests.graph.support import two_countries
from tests.support.browser import OpenPage, shot, sign_in

pytestmark = pytest.mark.browser


def test_an_investigator_draws_a_network_and_opens_a_node(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    with demo_sqlite.unit_of_work() as session:
        data = two_countries(session)
    page = new_page(height=1600)  # the drawing and the tables below it in one screen
    sign_in(page, server, "investigator.ma")
    page.goto(f"{server}/network")
    page.fill("#q", "Brahim El Fassi")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    page.click(f"a[href^='/network?entity={data.brahim}']")
    page.wait_for_load_state()

    canvas = page.locator("#network-canvas")
    expect(canvas).to_be_visible()
    expect(canvas).to_have_attribute("data-nodes", "4")
    expect(canvas.locator("canvas").first).to_be_visible()
    box = canvas.bounding_box()
    assert box is not None and box["height"] > 200
    expect(page.locator("table.nodes tbody tr")).to_have_count(4)
    assert page.locator("text=Tarek").count() == 0
    shot(page, "network-1-ego")

    # Driss sits where the layout put him: ask Cytoscape, then click there like a person.
    position = page.evaluate(
        """(id) => {
            const box = document.getElementById('network-canvas');
            const rect = box.getBoundingClientRect();
            const node = box._cyreg.cy.getElementById(id);
            const p = node.renderedPosition();
            return {x: rect.left + p.x, y: rect.top + p.y};
        }""",
        str(data.driss),
    )
    assert 0 < position["y"] < 1600, position
    page.mouse.click(position["x"], position["y"])
    page.wait_for_url(f"**/entities/{data.driss}")
    expect(page.locator("h1")).to_contain_text("Driss Tazi")
    expect(page.locator("table.links")).to_contain_text("MA1234567")
    shot(page, "network-2-entity")
