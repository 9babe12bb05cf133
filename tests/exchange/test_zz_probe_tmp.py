from collections.abc import Iterator
from pathlib import Path
import pytest
from jusoor.core.db import Database
from tests.exchange.support import Node, craft, post_envelope, two_nodes, count
from jusoor.exchange.models import Rejection, Message

@pytest.fixture
def nodes(database: Database, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    with two_nodes(database, tmp_path) as (a, b):
        yield a, b

@pytest.mark.parametrize("header", [{"handling": "H0-LONGER"}, {"handling": 7}, {"reply_to": "nonsense"}, {"recipient_key": 5}, {"thread": 5}])
def test_probe(nodes, header):
    a, b = nodes
    raw = craft(b, a, **header)
    try:
        r = post_envelope(a, raw)
        print("RESULT", header, r.status_code, r.text[:150])
    except Exception as e:
        print("RESULT", header, "EXC", type(e).__name__, str(e)[:200])
    print("RESULT rejections", count(a.db, Rejection), "messages", count(a.db, Message))
