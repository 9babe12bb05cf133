"""Progress of a long import on the console, on stderr: a Rich bar on a terminal, and a line
every `LINE_EVERY` rows otherwise (a log, a pipe), so a large legal file never runs silent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jusoor.core.i18n import format_number
from jusoor.core.i18n import gettext as _

LINE_EVERY = 10_000
RowProgress = Callable[[int, int], None]  # (rows done, rows in all)


@contextmanager
def row_progress(description: str) -> Iterator[RowProgress]:
    """A `progress(done, total)` callback for `description` (already translated)."""
    console = Console(stderr=True)
    if console.is_terminal:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task(description, total=None)

            def update(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            yield update
        return
    shown = 0

    def line(done: int, total: int) -> None:
        nonlocal shown
        if done - shown >= LINE_EVERY or (done == total and done > shown):
            shown = done
            typer.echo(
                _(
                    "%(what)s: %(done)s of %(total)s rows.",
                    what=description,
                    done=format_number(done),
                    total=format_number(total),
                ),
                err=True,
            )

    yield line
