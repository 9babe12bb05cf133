"""One person met twice in the demo: a woman identified at a Moroccan NGO, then met again and
opened as a new case before anyone saw the first, her name written in Latin script the second
time, her phone typed another way and her identity card not at hand.

The case page of either case shows the other under "Possible matches in other cases", scored by
the person model the node ships (`entities.resolution.default_model`), and the match review lists
the pair: the demo shows the matcher at work (issue 20). Invented person; any likeness is chance.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from jusoor.cases import service as cases
from jusoor.cases.schemas import CaseCreate
from jusoor.synth.cases import workers

COUNTRY = "MA"
BORN = dt.date(1996, 3, 14)
FIRST = {
    "name": "فاطمة الزهراء بنعلي",
    "aliases": "Fatima Zahra Benali",
    "contact": "+212 661 234 567",
    "identity_documents": "CIN BK482913",
}
SECOND = {
    "name": "Fatima-Zahra Ben Ali",
    "aliases": "Fatiha",
    "contact": "0661-234567",
    "identity_documents": "",
}


def _case(facts: dict[str, str], agency_code: str) -> CaseCreate:
    return CaseCreate(
        agency_code=agency_code,
        gender="feminine",
        age=None,
        date_of_birth=BORN,
        is_child=False,
        citizenship=[COUNTRY],
        languages=["ar", "fr"],
        countries_of_origin=[COUNTRY],
        countries_of_exploitation=["SA"],
        forms_of_exploitation=["servitude"],
        means_of_control=["withholds_documents", "false_promises"],
        name=facts["name"],
        aliases=facts["aliases"],
        contact=facts["contact"],
        identity_documents=facts["identity_documents"] or None,
    )


def load(session: Session) -> int:
    """Open the two cases of the person met twice (on a node that just got its demo cases);
    returns how many were opened (0 without a Moroccan case worker)."""
    found = workers(session).get(COUNTRY)
    if found is None:
        return 0
    worker, agency_code = found
    for facts in (FIRST, SECOND):
        cases.open_case(session, actor=worker, case_in=_case(facts, agency_code))
    return 2
