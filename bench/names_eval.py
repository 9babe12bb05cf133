"""How well `jusoor.entities.resolution.normalise.names.similarity` matches real Arabic↔Latin names, beside
baselines measured in the same run.

Data: the Wikidata name-token pairs in shared/data/names-ar-en (CC0). They are split in two by a
hash of the Arabic word: "dev" (rules and thresholds were tuned looking at it) and "test"
(reported). Every threshold is chosen on dev and applied unchanged to test.

    .venv/bin/python bench/names_eval.py [--data PATH] [--part test] [--candidates 100]
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import random
import re
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import JaroWinkler
from unidecode import unidecode

from jusoor.entities.resolution.normalise import namekeys, names, words

DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared/data/names-ar-en/wikidata_ar_en_tokens.tsv"
)
Matcher = Callable[[str, str], float]
ISSUE_CANDIDATES = 300  # issue 20 ranks the right Latin spelling among 300 name tokens


def roc_auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Probability that a true pair outscores a false one (ties count half): Mann-Whitney U."""
    labelled = sorted([(s, 1) for s in positives] + [(s, 0) for s in negatives])
    rank_sum = 0.0
    i = 0
    while i < len(labelled):
        j = i
        while j < len(labelled) and labelled[j][0] == labelled[i][0]:
            j += 1
        mean_rank = (i + 1 + j) / 2
        rank_sum += mean_rank * sum(label for _s, label in labelled[i:j])
        i = j
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


@dataclass(frozen=True)
class Classification:
    threshold: float
    precision: float
    recall: float
    f1: float


def classify(
    positives: Sequence[float], negatives: Sequence[float], threshold: float
) -> Classification:
    true_pos = sum(s >= threshold for s in positives)
    false_pos = sum(s >= threshold for s in negatives)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / len(positives)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Classification(threshold, precision, recall, f1)


def best_threshold(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """The score cut that maximises F1 on these scores (used on the dev part only)."""
    labelled = sorted([(s, 1) for s in positives] + [(s, 0) for s in negatives], reverse=True)
    best, best_f1 = 1.0, -1.0
    true_pos = false_pos = 0
    for i, (score, label) in enumerate(labelled):
        true_pos += label
        false_pos += 1 - label
        if i + 1 < len(labelled) and labelled[i + 1][0] == score:
            continue
        f1 = 2 * true_pos / (true_pos + false_pos + len(positives))
        if f1 > best_f1:
            best, best_f1 = score, f1
    return best


def ranking(true_score: float, other_scores: Sequence[float]) -> tuple[float, float]:
    """(hit@1, reciprocal rank) of the true candidate, ties broken at random in expectation."""
    above = sum(s > true_score for s in other_scores)
    ties = sum(s == true_score for s in other_scores)
    hit = 1 / (ties + 1) if above == 0 else 0.0
    reciprocal = sum(1 / (above + 1 + k) for k in range(ties + 1)) / (ties + 1)
    return hit, reciprocal


def _ascii(name: str) -> str:
    return re.sub(r"[^a-z ]+", "", unidecode(name).lower()).strip()


def difflib_baseline(a: str, b: str) -> float:
    """Plain ASCII transliteration (unidecode) and difflib's ratio on the whole string."""
    return difflib.SequenceMatcher(None, _ascii(a), _ascii(b)).ratio()


def jaro_winkler_baseline(a: str, b: str) -> float:
    """unidecode, words sorted, Jaro-Winkler (rapidfuzz): the usual 'normalised' comparison."""
    return JaroWinkler.normalized_similarity(
        " ".join(sorted(_ascii(a).split())), " ".join(sorted(_ascii(b).split()))
    )


METHODS: dict[str, Matcher] = {
    "jusoor similarity": names.similarity,
    "unidecode + difflib": difflib_baseline,
    "unidecode + Jaro-Winkler": jaro_winkler_baseline,
}


def clear_caches() -> None:
    for cached in (words.analyse, words.compare_words, namekeys.parse_name):
        cached.cache_clear()


@dataclass(frozen=True)
class Pair:
    latin: str
    arabic: str
    count: int


def load(path: Path, part: str) -> list[Pair]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        latin, spaced, count = line.split("\t")
        arabic = spaced.replace(" ", "")
        in_dev = zlib.crc32(arabic.encode()) % 2 == 0
        if in_dev == (part == "dev"):
            pairs.append(Pair(latin, arabic, int(count)))
    return pairs


@dataclass(frozen=True)
class Task:
    """Labelled comparisons: true pairs and, for each, a false one drawn at random."""

    name: str
    positives: list[tuple[str, str]]
    negatives: list[tuple[str, str]]


def cross_script_task(pairs: Sequence[Pair], rng: random.Random, min_count: int) -> Task:
    kept = [p for p in pairs if p.count >= min_count]
    partners: dict[str, set[str]] = {}
    for p in pairs:
        partners.setdefault(p.latin, set()).add(p.arabic)
    arabic = [p.arabic for p in kept]
    negatives = []
    for p in kept:
        other = rng.choice(arabic)
        while other in partners[p.latin]:
            other = rng.choice(arabic)
        negatives.append((p.latin, other))
    title = f"Latin↔Arabic words, count≥{min_count}"
    return Task(title, [(p.latin, p.arabic) for p in kept], negatives)


ARABIC_PHONOLOGY = re.compile("[عحقصضطظغخثذ]")


def arabic_origin_task(pairs: Sequence[Pair], rng: random.Random) -> Task:
    """Cross-script pairs whose Arabic word has a letter of Arabic phonology (ع ح ق ص ض ط ظ غ خ
    ث ذ): mostly names of Arabic origin, the ones MENA case files hold."""
    kept = [p for p in pairs if ARABIC_PHONOLOGY.search(p.arabic)]
    task = cross_script_task(kept, rng, 1)
    return Task("Latin↔Arabic words of Arabic phonology", task.positives, task.negatives)


def latin_variant_task(pairs: Sequence[Pair], rng: random.Random) -> Task:
    """Different Latin spellings of one Arabic word (mohamed/muhammad), each seen twice or more."""
    spellings: dict[str, list[str]] = {}
    for p in pairs:
        if p.count >= 2:
            spellings.setdefault(p.arabic, []).append(p.latin)
    positives = [(a, b) for group in spellings.values() for a, b in itertools.pairwise(group)]
    shared = {w: set(g) for g in spellings.values() for w in g}
    pool = sorted(shared)
    negatives = []
    for a, _b in positives:
        other = rng.choice(pool)
        while other in shared[a]:
            other = rng.choice(pool)
        negatives.append((a, other))
    return Task("Latin↔Latin spellings of one name", positives, negatives)


def full_name_task(pairs: Sequence[Pair], rng: random.Random, size: int) -> Task:
    """Three-word names assembled from real pairs: Arabic "given بن father family" against Latin
    "FAMILY, Given Father" or "Given Father Ould Family"; false pairs share the given name."""
    kept = [p for p in pairs if p.count >= 2]
    positives, negatives = [], []
    for _ in range(size):
        given, father, family = rng.sample(kept, 3)
        other_father, other_family = rng.sample(kept, 2)
        arabic = f"{given.arabic} بن {father.arabic} {family.arabic}"
        if rng.random() < 0.5:
            latin = f"{family.latin.upper()}, {given.latin.title()} {father.latin.title()}"
        else:
            latin = f"{given.latin.title()} {father.latin.title()} ould {family.latin.title()}"
        positives.append((latin, arabic))
        negatives.append((latin, f"{given.arabic} {other_father.arabic} {other_family.arabic}"))
    return Task("3-word names, any order (false pairs share the given name)", positives, negatives)


def recall_at_1(
    matcher: Matcher, task: Task, rng: random.Random, candidates: int, limit: int
) -> tuple[float, float]:
    pool = [b for _a, b in task.positives]
    hits, reciprocal = 0.0, 0.0
    sample = task.positives[:limit]
    for a, b in sample:
        others = [o for o in rng.sample(pool, candidates) if o != b][: candidates - 1]
        hit, rr = ranking(matcher(a, b), [matcher(a, o) for o in others])
        hits += hit
        reciprocal += rr
    return hits / len(sample), reciprocal / len(sample)


def timed(matcher: Matcher, pairs: Sequence[tuple[str, str]]) -> tuple[list[float], float]:
    """The scores of `pairs` and how many pairs per second `matcher` scored."""
    started = time.perf_counter()
    scores = [matcher(a, b) for a, b in pairs]
    return scores, len(pairs) / (time.perf_counter() - started)


def evaluate(task: Task, dev: Task, args: argparse.Namespace) -> None:
    print(f"\n## {task.name}: {len(task.positives)} true / {len(task.negatives)} false pairs")
    columns = ("AUC", "thr", "P", "R", "F1", "R@1", "MRR")
    print(f"{'method':26} " + " ".join(f"{c:>6}" for c in columns) + f" {'pairs/s':>9}")
    speeds: dict[str, float] = {}
    for label, matcher in METHODS.items():
        threshold = best_threshold(
            [matcher(a, b) for a, b in dev.positives], [matcher(a, b) for a, b in dev.negatives]
        )
        clear_caches()
        scores, speeds[label] = timed(matcher, [*task.positives, *task.negatives])
        if matcher is names.similarity:  # the same pairs again, word comparisons now cached
            _scores, warm = timed(matcher, [*task.positives, *task.negatives])
        positives, negatives = scores[: len(task.positives)], scores[len(task.positives) :]
        result = classify(positives, negatives, threshold)
        r1, mrr = recall_at_1(matcher, task, random.Random(args.seed), args.candidates, args.ranked)
        auc = roc_auc(positives, negatives)
        figures = (auc, threshold, result.precision, result.recall, result.f1, r1, mrr)
        print(f"{label:26} " + " ".join(f"{f:6.3f}" for f in figures) + f" {speeds[label]:9.0f}")
    ours = speeds["jusoor similarity"]
    ratios = ", ".join(
        f"{ours / speed:.2f}× {label}" for label, speed in speeds.items() if speed != ours
    )
    print(f"speed of jusoor: cold caches {ratios}; warm caches {warm:.0f} pairs/s")


def arabic_to_latin_ranking(
    pairs: Sequence[Pair], rng: random.Random, *, min_count: int, candidates: int, queries: int
) -> tuple[float, float, int]:
    """Issue 20's names-alone measure: an Arabic word against its Latin spelling and
    `candidates - 1` other Latin words of the file (none a spelling of that Arabic word): how
    often the right one ranks first (hit@1, ties shared) and the mean reciprocal rank, by
    `names.similarity`. Queries are words seen `min_count` times or more."""
    spellings: dict[str, set[str]] = {}
    for p in pairs:
        spellings.setdefault(p.arabic, set()).add(p.latin)
    pool = sorted({p.latin for p in pairs})
    kept = [p for p in pairs if p.count >= min_count]
    rng.shuffle(kept)
    hits = reciprocal = 0.0
    sample = kept[:queries]
    for p in sample:
        drawn = rng.sample(pool, min(len(pool), candidates + len(spellings[p.arabic])))
        others = [o for o in drawn if o not in spellings[p.arabic]][: candidates - 1]
        hit, rr = ranking(
            names.similarity(p.arabic, p.latin), [names.similarity(p.arabic, o) for o in others]
        )
        hits += hit
        reciprocal += rr
    return hits / len(sample), reciprocal / len(sample), len(sample)


def blocking(task: Task) -> None:
    def shares(a: str, b: str) -> bool:
        return bool(namekeys.blocking_keys(a) & namekeys.blocking_keys(b))

    recall = sum(shares(a, b) for a, b in task.positives) / len(task.positives)
    false_rate = sum(shares(a, b) for a, b in task.negatives) / len(task.negatives)
    print(f"blocking keys shared: by true pairs {recall:.3f}, by false pairs {false_rate:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--part", choices=("dev", "test"), default="test")
    parser.add_argument(
        "--candidates", type=int, default=100, help="candidates per query for recall@1"
    )
    parser.add_argument("--ranked", type=int, default=1000, help="queries ranked for recall@1")
    parser.add_argument("--names", type=int, default=2000, help="assembled full names")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    data = {part: load(args.data, part) for part in ("dev", "test")}
    sizes = f"{len(data[args.part])} lines; dev {len(data['dev'])}"
    print(f"# names-ar-en, reporting on '{args.part}' ({sizes})")
    builders: list[Callable[[Sequence[Pair], random.Random], Task]] = [
        lambda p, r: cross_script_task(p, r, 1),
        lambda p, r: cross_script_task(p, r, 2),
        arabic_origin_task,
        latin_variant_task,
        lambda p, r: full_name_task(p, r, args.names),
    ]
    for build in builders:
        tasks = {part: build(data[part], random.Random(args.seed)) for part in ("dev", "test")}
        evaluate(tasks[args.part], tasks["dev"], args)
        blocking(tasks[args.part])
    print(f"\n## Arabic word → its Latin spelling among {ISSUE_CANDIDATES} Latin words")
    for label, min_count in (("common (seen twice or more)", 2), ("all", 1)):
        hit, mrr, queries = arabic_to_latin_ranking(
            data[args.part],
            random.Random(args.seed),
            min_count=min_count,
            candidates=ISSUE_CANDIDATES,
            queries=args.ranked,
        )
        print(f"{label:30} ranked first {hit:.3f}, MRR {mrr:.3f} ({queries} queries)")


if __name__ == "__main__":
    main()
