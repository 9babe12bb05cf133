"""Worker processes for the heavy steps of a large batch (preparing records, comparing words).

Workers are forked, so they start with the parent's caches and modules and no pickled set-up; a
daemonic process (a benchmark's or a server's worker) may not start them, and then the work is
done in the process itself.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import current_process, get_all_start_methods, get_context
from multiprocessing.connection import Connection
from typing import TypeVar

import pyarrow  # type: ignore[import-untyped]

MAX_WORKERS = 4
T = TypeVar("T")
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


class WorkerLost(Exception):
    """The process `apart` started ended without an answer (killed, or out of memory)."""

    def __init__(self, exit_code: int | None) -> None:
        super().__init__(f"the worker process ended with code {exit_code}")
        self.exit_code = exit_code


Report = Callable[..., object]


def apart(work: Callable[[Report], T], report: Report) -> T:
    """`work(report)` in a forked process of its own, and its result: the objects the work
    makes and lets go of (a million records' dictionaries) leave this process's heap as it
    was, where freed they would stay scattered over it for the rest of the run (some 2.5 GB
    at a million records). The result comes back pickled with its Arrow buffers apart
    (protocol 5), each read into one Arrow allocation; `report` hears the calls the work makes
    to its own, as they happen. An exception the work raises is raised here; `WorkerLost`
    when the process ends without an answer. Where processes cannot be forked, or this one
    may not start others, the work is done here."""
    if "fork" not in get_all_start_methods() or current_process().daemon or _in_worker:
        return work(report)
    context = get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_work_apart, args=(work, sending))
    process.start()
    sending.close()
    try:
        while True:
            try:
                kind, payload = receiving.recv()
            except EOFError:
                process.join()
                raise WorkerLost(process.exitcode) from None
            if kind == "report":
                report(*payload)
            elif kind == "error":
                raise payload
            else:
                data = receiving.recv_bytes()
                buffers = []
                for size in payload:
                    buffer = pyarrow.allocate_buffer(size)
                    if size:
                        receiving.recv_bytes_into(memoryview(buffer))
                    else:
                        receiving.recv_bytes()
                    buffers.append(buffer)
                result: T = pickle.loads(data, buffers=buffers)  # noqa: S301 - our own child's
                return result
    finally:
        receiving.close()
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join()


def _work_apart(work: Callable[[Report], object], connection: Connection) -> None:
    """The forked process's side of `apart`."""
    try:
        result = work(lambda *args: connection.send(("report", args)))
        buffers: list[pickle.PickleBuffer] = []
        data = pickle.dumps(result, protocol=5, buffer_callback=buffers.append)
        views = [buffer.raw() for buffer in buffers]
        connection.send(("result", [view.nbytes for view in views]))
        connection.send_bytes(data)
        for view in views:
            connection.send_bytes(view)
    except BaseException as exc:  # every failure goes to the parent
        try:
            connection.send(("error", exc))
        except Exception:  # an exception that does not pickle
            connection.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        connection.close()
