"""A batch's distinct candidate name pairs, measured slice by slice before the engine scores
them (`PersonLinkage._measure_names`).

Measuring a slice is Python work on one core (`comparisons.graded`): parsing its new names,
comparing its new word pairs, aligning words. With many pairs the slices go to worker
processes, one per core, each keeping the names and word pairs it has met
(`name_vocabulary`); this process keeps their grades (`comparisons.add_grades`). A pair's grade
does not depend on the slice or the process that measured it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from typing import Any

from jusoor.entities.resolution.linkage.comparisons import (
    add_grades,
    graded,
    measure_names,
    settle_grades,
)
from jusoor.entities.resolution.linkage.workers import forked_pool, worker_count
from jusoor.entities.resolution.normalise.names import word_cell
from jusoor.entities.resolution.normalise.words import compare_words

PARALLEL_FROM = 200_000  # distinct name pairs from which slices go to worker processes
WAITING_PER_WORKER = 2  # slices read ahead per worker: bounds the memory of slices in flight


def measure_slices(
    slices: Iterable[Any], total: int, measured: Callable[[int], object] | None = None
) -> None:
    """Measure the name pairs of each slice (an Arrow record batch of name_l, name_r,
    name_bits_l, name_bits_r and the pair's hash, `comparisons.PAIR_HASH_SQL`) of `total` pairs, and keep their grades for the engine;
    `measured` is told the number of pairs of each slice done."""
    done = measured or (lambda _count: None)
    workers = worker_count(total, PARALLEL_FROM)
    with forked_pool(workers) as pool:
        if pool is None:
            for piece in slices:
                measure_names(*_columns(piece))
                done(piece.num_rows)
        else:
            waiting: deque[tuple[Future[tuple[Any, Any]], int]] = deque()
            for piece in slices:
                waiting.append((pool.submit(_graded, *_columns(piece)), piece.num_rows))
                while len(waiting) >= WAITING_PER_WORKER * workers:
                    _keep(waiting.popleft(), done)
            while waiting:
                _keep(waiting.popleft(), done)
    settle_grades()


def _graded(*columns: Any) -> tuple[Any, Any]:
    """`comparisons.graded` in a worker, which lets go of the word caches after each slice:
    the word pairs it compared are kept as numbers (`name_vocabulary`), and the caches of
    strings would hold a million entries each by the end of a large batch."""
    try:
        return graded(*columns)
    finally:
        word_cell.cache_clear()
        compare_words.cache_clear()


def _columns(piece: Any) -> list[Any]:
    return [piece.column(i) for i in range(5)]


def _keep(slice_: tuple[Future[tuple[Any, Any]], int], done: Callable[[int], object]) -> None:
    future, count = slice_
    add_grades(*future.result())
    done(count)
