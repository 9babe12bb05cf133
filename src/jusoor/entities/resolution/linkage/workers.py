"""Worker processes for the heavy steps of a large batch (preparing records, comparing words).

Workers are forked, so they start with the parent's caches and modules and no pickled set-up; a
daemonic process (a benchmark's or a server's worker) may not start them, and then the work is
done in the process itself.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import current_process, get_all_start_methods, get_context

MAX_WORKERS = 4
_in_worker = False  # set in the processes `forked_pool` starts: they start none of their own


def worker_count(items: int, parallel_from: int) -> int:
    """Processes for `items` units of work: one below `parallel_from` (starting others costs
    more than it saves), else one per core up to `MAX_WORKERS`, where processes can be forked
    and this process may start them."""
    if (
        items < parallel_from
        or "fork" not in get_all_start_methods()
        or current_process().daemon  # a daemonic process may not start others
        or _in_worker  # a worker shares the cores already
    ):
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


@contextmanager
def forked_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of `workers` forked processes, or None for one (work in this process)."""
    if workers <= 1:
        yield None
        return
    # The workers' collector would walk every object they inherit, and so copy each page of
    # this process's heap into each of them: frozen, those objects are left alone.
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            workers, mp_context=get_context("fork"), initializer=_mark_worker
        ) as pool:
            yield pool
    finally:
        gc.unfreeze()


def _mark_worker() -> None:
    global _in_worker  # this process's own copy
    _in_worker = True
