"""Throughput of the news monitor on a synthetic corpus: extraction, storage and grouping, with
peak memory, each beside a baseline measured in the same run.

Corpus: `jusoor.synth.news` (seeded; ar/en/fr reports of conferences, workshops, trainings,
arrests, trials and plans adopted; about a third of the events reported in two or three
languages). Baseline: folding and tokenising each report — the least any reading of it costs —
so that the figures compare across machines as ratios ("extraction costs 9x the baseline").
Grouping quality is scored against the generator's ground truth (pairwise precision and recall
over reports of the same event).

First, the share of facts read right (`monitor_facts.py`): on hand-written reports in the styles of
the regional press that the rules were tuned on (`monitor_eval/tuning.yaml`), on reports they were
never tuned on (`monitor_eval/heldout.yaml`), and on the synthetic generator's reports.

    .venv/bin/python bench/monitor_bench.py [--articles 10000] [--seed 0] [--database URL]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from itertools import combinations
from pathlib import Path

import monitor_facts  # beside this script, on the path a script runs with
from sqlalchemy import select

from jusoor.core import migrate
from jusoor.core.db import Database
from jusoor.monitor.models import MonitorDocument
from jusoor.monitor.reading.extract import extract
from jusoor.monitor.reading.folding import fold
from jusoor.monitor.reading.gazetteer import tokenize
from jusoor.monitor.reading.text import Document
from jusoor.monitor.store import event_groups, reports
from jusoor.synth.news import Article, generate

CHUNK = 500  # reports per transaction while storing and grouping


def timed(label: str, work: Callable[[], object], count: int) -> float:
    """Run `work`, print its rate, and return the seconds it took."""
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"  {label:<34} {count / seconds:10.1f} reports/s  ({seconds:7.2f} s)")
    return seconds


def peak_traced(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def baseline(articles: Sequence[Article]) -> None:
    for a in articles:
        tokenize(fold(a.text))


def extraction(articles: Sequence[Article]) -> None:
    for a in articles:
        extract(a.text, published=a.published)


def storing(db: Database, articles: Sequence[Article]) -> list[uuid.UUID]:
    ids: list[uuid.UUID] = []
    for first in range(0, len(articles), CHUNK):
        with db.unit_of_work() as session:
            for n, a in enumerate(articles[first : first + CHUNK], start=first):
                doc = Document(f"synthetic/{n}.txt", a.text, published=a.published)
                result = reports.store(session, doc)
                if result.document_id is None:
                    raise SystemExit(f"report {n} not stored: {result.error}")
                ids.append(result.document_id)
    return ids


def grouping(db: Database, ids: Sequence[uuid.UUID]) -> None:
    for first in range(0, len(ids), CHUNK):
        with db.unit_of_work() as session:
            event_groups.place_documents(session, ids[first : first + CHUNK])


def pair_scores(db: Database, ids: Sequence[uuid.UUID], articles: Sequence[Article]) -> str:
    truth = {doc_id: a.event.key for doc_id, a in zip(ids, articles, strict=True)}
    with db.unit_of_work() as session:
        placed = dict(session.execute(select(MonitorDocument.id, MonitorDocument.event_id)).all())
    found = _pairs({d: e for d, e in placed.items() if e is not None})
    true = _pairs(truth)
    hits = len(found & true)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(true) if true else 1.0
    events = len({e for e in placed.values() if e is not None})
    return (
        f"  same-event pairs: precision {precision:.3f}, recall {recall:.3f}"
        f" ({len(true)} true pairs); {events} events for {len(set(truth.values()))} true events"
    )


def _pairs(groups: Mapping[uuid.UUID, object]) -> set[frozenset[uuid.UUID]]:
    members: dict[object, list[uuid.UUID]] = defaultdict(list)
    for doc_id, group in groups.items():
        members[group].append(doc_id)
    return {frozenset(p) for docs in members.values() for p in combinations(docs, 2)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database", help="SQLAlchemy URL (default: a new SQLite file)")
    parser.add_argument(
        "--facts-synthetic", type=int, default=300, help="synthetic reports scored for facts"
    )
    args = parser.parse_args(argv)

    print("facts read right (type, dates, city, country, participants, organisations, persons):")
    for name in monitor_facts.SETS:
        print(monitor_facts.summary(name, monitor_facts.evaluate(monitor_facts.load_set(name))))
    synthetic = monitor_facts.synthetic_set(args.facts_synthetic)
    print(monitor_facts.summary("synthetic", monitor_facts.evaluate(synthetic, grouping=False)))
    articles = list(generate(args.articles, seed=args.seed))
    langs = {lang: sum(a.lang == lang for a in articles) for lang in ("ar", "en", "fr")}
    print(f"monitor benchmark: {len(articles)} synthetic reports {langs}, seed {args.seed}")
    n = len(articles)
    base = timed("baseline (fold + tokenise)", lambda: baseline(articles), n)
    ext = timed("extraction", lambda: extraction(articles), n)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(args.database or f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate.upgrade(db.engine)
        ids: list[uuid.UUID] = []
        stored = timed(
            "storing (extraction + database)", lambda: ids.extend(storing(db, articles)), n
        )
        grouped = timed("grouping (incremental, database)", lambda: grouping(db, ids), n)
        print(
            f"  cost against the baseline: extraction {ext / base:.1f}x,"
            f" storing {stored / base:.1f}x, grouping {grouped / base:.1f}x"
        )
        print(pair_scores(db, ids, articles))
        db.dispose()
    sample = articles[: min(n, 500)]
    base_peak = peak_traced(lambda: baseline(sample))
    ext_peak = peak_traced(lambda: extraction(sample))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mib = rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024
    print(
        f"  peak traced memory on {len(sample)} reports: baseline {base_peak / 1024:.0f} KiB,"
        f" extraction {ext_peak / 1024:.0f} KiB ({ext_peak / max(base_peak, 1):.1f}x)"
    )
    print(f"  peak resident memory of the whole run: {rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
