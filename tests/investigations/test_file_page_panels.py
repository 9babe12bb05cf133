"""The file page folded for a phone: every panel gives its title and the count of what it lists, the
page draws each panel as one <details> (its heading once, in the summary), the defendants and the
charges open and the rest closed, and a panel whose form failed or was just saved drawn open."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.core.db import Database, utcnow
from jusoor.core.i18n import use_locale
from jusoor.investigations import (
    assets,
    attachments,
    exhibits,
    hearings,
    instruments,
    links,
    panels,
    witnesses,
)
from jusoor.investigations.models import (
    Asset,
    Charge,
    Defendant,
    Exhibit,
    Hearing,
    Instrument,
    InvestigationFile,
    VictimLink,
)
from jusoor.investigations.vocabulary import (
    AssetKind,
    DefendantRole,
    ExhibitKind,
    HearingKind,
    InstrumentKind,
    LinkRelation,
)
from tests.cases.support import open_case
from tests.conftest import DEMO_PASSWORD
from tests.investigations.court_support import add_defendant, at_trial
from tests.investigations.support import actor, in_english, open_file
from tests.support.web import login, post_form, translated

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
TITLES = {
    "defendants": "Defendants",
    "victims": "Victims and witnesses",
    "charges": "Charges and judgments",
    "hearings": "Hearings",
    "assets": "Seized assets",
    "exhibits": "Exhibits and chain of custody",
    "instruments": "Legal instruments",
    "attachments": "Documents",
    "links": "Linked files",
    "requests": "Requests abroad",
    "network": "The defendants' network",
}
OPEN_BY_DEFAULT = {"defendants", "charges"}


def _count(session: Session, model: type, file_id: uuid.UUID) -> int:
    column = model.file_id  # type: ignore[attr-defined]
    return int(session.scalar(select(func.count()).where(column == file_id)) or 0)


def full_file(session: Session) -> uuid.UUID:
    """A Moroccan file at trial holding one of every kind of object, each added through its
    service as the investigator and the prosecutor would (requests abroad need a peer: none)."""
    file, defendant, _charge = at_trial(session)
    add_defendant(session, file, "Karim Bennani", role=DefendantRole.transporter)
    police, prosecution = actor(session, "investigator.ma"), actor(session, "prosecutor.ma")
    today = dt.date.today()
    hearings.schedule(
        session,
        actor=prosecution,
        file_id=file.id,
        hearing_in=hearings.HearingIn(
            kind=HearingKind.first_appearance, scheduled_at=utcnow() + dt.timedelta(days=3)
        ),
    )
    assets.add_asset(
        session,
        actor=prosecution,
        file_id=file.id,
        asset_in=assets.AssetIn(
            kind=AssetKind.cash,
            description="Cash in the agency's safe",
            defendant_id=defendant.id,
            seized_on=today,
        ),
    )
    exhibits.add_exhibit(
        session,
        actor=prosecution,
        file_id=file.id,
        exhibit_in=exhibits.ExhibitIn(
            kind=ExhibitKind.phone,
            description="The recruiter's phone",
            seized_on=today,
            holder="Evidence room, Rabat",
            since=utcnow(),
            purpose="Seized at the search",
        ),
    )
    instruments.add_instrument(
        session,
        actor=prosecution,
        file_id=file.id,
        instrument_in=instruments.InstrumentIn(
            kind=InstrumentKind.search_warrant, authority="Rabat prosecutor", requested_on=today
        ),
    )
    case = open_case(session, "caseworker.ma", name="Amina Test")
    witnesses.link_victim(
        session,
        actor=police,
        file_id=file.id,
        link_in=witnesses.VictimLinkCreate(case_reference=case.reference),
    )
    attachments.attach(session, actor=police, file_id=file.id, filename="scan.pdf", data=PDF)
    other = open_file(session, title="Linked inquiry")
    links.link_files(
        session,
        actor=police,
        file_id=other.id,
        link_in=links.LinkIn(other_reference=file.reference, relation=LinkRelation.related),
    )
    return file.id


def test_every_panel_gives_a_title_and_the_count_of_what_it_lists(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        file_id = full_file(session)
        reader = actor(session, "investigator.ma")
        file = session.get(InvestigationFile, file_id)
        assert file is not None
        with use_locale("ar"):
            drawn = {p.name: p for p in panels.render_panels(session, actor=reader, file=file)}
        assert set(drawn) == {p.name for p in panels.panels()} == set(TITLES)
        for name, panel in drawn.items():
            values = panel.values
            assert values["visible"] is True, name
            assert values["title"] == translated(TITLES[name], "ar"), name  # reader's language
            assert isinstance(values["count"], int), name
            assert values["count"] > 0 or name == "requests", name
            assert panel.opened is (name in OPEN_BY_DEFAULT), name
        expected = {
            "defendants": _count(session, Defendant, file_id),
            "victims": _count(session, VictimLink, file_id),
            "charges": _count(session, Charge, file_id),
            "hearings": _count(session, Hearing, file_id),
            "assets": _count(session, Asset, file_id),
            "exhibits": _count(session, Exhibit, file_id),
            "instruments": _count(session, Instrument, file_id),
            "attachments": 1,
            "links": 1,
            "requests": 0,
        }
        for name, count in expected.items():
            assert drawn[name].values["count"] == count, name
        assert drawn["network"].values["count"] >= len(drawn["network"].values["nodes"])
        focused = panels.render_panels(session, actor=reader, file=file, focus="assets")
        assert {p.name for p in focused if p.opened} == OPEN_BY_DEFAULT | {"assets"}


def _details(html: str) -> dict[str, str]:
    """The opening tag of each folded panel, by its id."""
    return {
        m.group(1): m.group(0)
        for m in re.finditer(r'<details class="card panel" id="([a-z]+)"[^>]*>', html)
    }


def test_the_page_folds_each_panel_once_with_its_heading_in_the_summary(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as session:
        file_id = full_file(session)
    in_english(demo_db, "investigator.ma")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    html = client.get(f"/investigations/{file_id}").text
    folded = _details(html)
    assert set(folded) == set(TITLES)
    for name, tag in folded.items():
        assert (" open" in tag) is (name in OPEN_BY_DEFAULT), name
        # the heading is drawn once, in the summary; no card of its own inside the fold
        assert html.count(f'id="{name}-title"') == 1, name
        assert html.count(f'id="{name}"') == 1, name
        heading = re.search(rf'<h2 id="{name}-title">([^<]*)<span class="badge">\d+<', html)
        assert heading is not None, name
        assert heading.group(1).strip() == TITLES[name].replace("'", "&#39;"), name


def test_a_failed_form_opens_its_panel_and_a_saved_one_comes_back_open(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as session:
        file_id = open_file(session).id
    in_english(demo_db, "investigator.ma")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    url = f"/investigations/{file_id}"
    assert " open" not in _details(client.get(url).text)["assets"]
    refused = post_form(
        client,
        f"{url}/assets",
        {"asset-kind": "cash", "asset-description": "", "asset-seized_on": ""},
        page=url,
    )
    assert refused.status_code == 422
    folded = _details(refused.text)
    assert " open" in folded["assets"]
    assert 'id="asset-description-error"' in refused.text
    assert {n for n, tag in folded.items() if " open" in tag} == OPEN_BY_DEFAULT | {"assets"}
    saved = post_form(
        client,
        f"{url}/assets",
        {
            "asset-kind": "cash",
            "asset-description": "Cash found in the agency's office",
            "asset-seized_on": dt.date.today().isoformat(),
        },
        page=url,
    )
    assert saved.status_code == 303
    assert saved.headers["location"].endswith("?done=added&panel=assets#assets-title")
    again = client.get(saved.headers["location"]).text
    assert " open" in _details(again)["assets"]
    assert re.search(r'<h2 id="assets-title">[^<]*<span class="badge">1<', again)
    # a name that is no panel opens nothing more
    other = _details(client.get(f"{url}?panel=%3Cscript%3E").text)
    assert {n for n, tag in other.items() if " open" in tag} == OPEN_BY_DEFAULT
