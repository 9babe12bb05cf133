"""The court track as people drive it: a file from the report to the final judgment through the
pages; the same track through the API and the console, under the same matrix and scope."""

from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jusoor.cli.main import app as cli
from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.investigations.court_support import (
    COURT,
    DEFENDANT_NAME,
    SMUGGLING_MA,
    TRAFFICKING_MA,
    add_defendant,
    at_prosecution,
    at_trial,
)
from tests.investigations.support import in_english, open_file
from tests.support.tokens import bearer
from tests.support.web import login, post_form, translated


def test_report_to_final_judgment_through_the_pages(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        defendant_id = str(add_defendant(s, file).id)
        url = f"/investigations/{file.id}"
    today = dt.date.today().isoformat()

    def ok(path: str, data: dict[str, str]) -> None:
        sent = post_form(client, f"{url}{path}", data, page=url)
        assert sent.status_code == 303, sent.text

    in_english(demo_db, "investigator.ma", "prosecutor.ma", "prosecutor.eg")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    ok("/move", {"stage": "preliminary_investigation"})
    ok("/move", {"stage": "prosecution_decision"})
    login(client, demo_db, "prosecutor.ma", DEMO_PASSWORD)
    refused = post_form(client, f"{url}/move", {"stage": "trial"}, page=url)
    assert refused.status_code == 422
    assert translated(
        "Record at least one charge before sending the file to trial.", "en"
    ) in refused.text.replace("&#39;", "'")
    ok("/charges", {"charge-defendant_id": defendant_id, "charge-offence": TRAFFICKING_MA})
    ok("/edit", {"court": COURT})
    ok("/move", {"stage": "trial"})
    ok("/hearings", {"hearing-kind": "verdict", "hearing-scheduled_at": f"{today}T00:01"})
    page = client.get(url).text
    assert DEFENDANT_NAME in page and translated("Recruiter", "en") in page
    charge_id = page.split('name="judgment-charge_id"')[1].split('<option value="')[2].split('"')[0]
    ok("/judgments", {"judgment-charge_id": charge_id, "judgment-verdict": "convicted",
                      "judgment-decided_on": today, "judgment-prison_months": "84",
                      "judgment-fine_amount": "50000", "judgment-fine_currency": "MAD",
                      "judgment-confiscation": "1"})  # fmt: skip
    ok("/move", {"stage": "first_instance_judgment"})
    ok("/move", {"stage": "appeal", "reason": "The defence appealed the sentence."})
    ok("/judgments", {"judgment-charge_id": charge_id, "judgment-verdict": "convicted",
                      "judgment-court": "Court of Appeal, Rabat", "judgment-decided_on": today,
                      "judgment-prison_months": "60"})  # fmt: skip
    ok("/move", {"stage": "final"})
    final = client.get(url).text
    assert translated("Final judgment", "en") in final
    assert translated("%(months)s months in prison", "en", months=84) in final
    assert "Court of Appeal, Rabat" in final
    assert translated("confiscation ordered", "en") in final
    assert translated("Judgment recorded", "en") in final  # the timeline words it
    assert 'action="' + url + '/judgments"' not in final  # a final file takes nothing more


def test_the_court_track_through_the_api(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file, defendant = at_prosecution(s)
        base, defendant_id = f"/api/v1/investigations/{file.id}", str(defendant.id)
    prosecution, police = bearer(demo_db, "prosecutor.ma"), bearer(demo_db, "investigator.ma")
    body = {"defendant_id": defendant_id, "offence": SMUGGLING_MA}
    assert client.post(f"{base}/charges", json=body, headers=police).status_code == 403
    wrong = client.post(f"{base}/charges", json={**body, "offence": "EG-82/2016-5"},
                        headers=prosecution)  # fmt: skip
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "offence"
    made = client.post(f"{base}/charges", json=body, headers=prosecution)
    assert made.status_code == 201, made.text
    assert made.json()["offence_type"] == "smuggling"
    listed = client.get(f"{base}/charges", headers=police)
    assert [c["id"] for c in listed.json()] == [made.json()["id"]]
    early = client.post(
        f"{base}/judgments",
        json={"charge_id": made.json()["id"], "decided_on": dt.date.today().isoformat(),
              "verdict": "convicted"},
        headers=prosecution,
    )  # fmt: skip
    assert early.status_code == 422  # no court sits before the trial
    assert early.json()["error"]["field"] == "instance"
    assert client.get(f"{base}/judgments", headers=police).json() == []
    outsider = bearer(demo_db, "prosecutor.eg")
    for path in ("charges", "judgments", "hearings"):
        assert client.get(f"{base}/{path}", headers=outsider).status_code == 404
    assert client.post(f"{base}/charges", json=body, headers=outsider).status_code == 404
    worker = bearer(demo_db, "caseworker.ma")
    assert client.get(f"{base}/charges", headers=worker).status_code == 403


def test_the_court_track_through_the_console(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        file, defendant, charge = at_trial(s)
        reference, defendant_id, charge_id = file.reference, str(defendant.id), str(charge.id)
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli, ["investigations", *args])
        return result.exit_code, result.output

    code, out = run("charge", reference, "--as", "prosecutor.ma", "--defendant", defendant_id,
                    "--offence", SMUGGLING_MA, "--json")  # fmt: skip
    assert code == 0, out
    assert json.loads(out)["offence"] == SMUGGLING_MA
    code, out = run("charge", reference, "--as", "investigator.ma", "--defendant", defendant_id,
                    "--offence", TRAFFICKING_MA)  # fmt: skip
    assert code == 1
    code, out = run("judgment", reference, "--as", "prosecutor.ma", "--charge", charge_id,
                    "--verdict", "acquitted", "--prison-months", "10")  # fmt: skip
    assert code == 1 and "acquittal" in out
    code, out = run("judgment", reference, "--as", "prosecutor.ma", "--charge", charge_id,
                    "--verdict", "convicted", "--prison-months", "120", "--fine", "30000",
                    "--currency", "mad", "--json")  # fmt: skip
    assert code == 0, out
    assert (json.loads(out)["prison_months"], json.loads(out)["fine_currency"]) == (120, "MAD")
    tomorrow = (dt.datetime.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    code, out = run("hearing", reference, "--as", "prosecutor.ma", "--kind", "pleadings",
                    "--at", tomorrow, "--json")  # fmt: skip
    assert code == 0, out
    hearing_id = json.loads(out)["id"]
    code, out = run("hearing-outcome", reference, "--as", "prosecutor.ma", "--hearing",
                    hearing_id, "--adjourned", "--outcome", "Counsel ill.", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["held"] is False
    code, out = run("hearing", reference, "--as", "prosecutor.eg", "--kind", "pleadings",
                    "--at", tomorrow)  # fmt: skip
    assert code == 1 and "No such investigation file" in out
