"""`jusoor monitor …`: read press reports from files and print what they say. No database needed.

`extract` needs no database; `ingest`, `events`, `actors` and `regroup` (store_cli.py) store and
read reports, events and actors through `jusoor.monitor.service`.

A thin adapter: it reads files (text.py), calls `extract`, and shapes the output. An unreadable
file gets a one-line message on stderr and the rest of the batch goes on; the exit code is then 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table

from jusoor.core.errors import Invalid
from jusoor.monitor import store_cli

if TYPE_CHECKING:
    from jusoor.monitor.reading.extract import Extraction
    from jusoor.monitor.reading.text import Document

PROGRESS_MIN_FILES = 10  # below this a progress bar is noise

app = typer.Typer(
    help="News monitoring: extract events, organisations, persons and places from press reports.",
    no_args_is_help=True,
)


@app.callback()
def main() -> None:
    """News monitoring: extract events, organisations, persons and places from press reports."""


@app.command("extract")
def extract_command(
    files: Annotated[
        list[Path], typer.Argument(help="Text, HTML or RSS/Atom files, or folders holding them.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    published: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="Publication date (YYYY-MM-DD) for files that do not state one; "
            "relative dates such as 'today' are resolved only from it.",
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option(help="Language of the files (ar, en, fr); detected if omitted.")
    ] = None,
) -> None:
    """Extract the event, organisations, persons, countries and themes of each report."""
    # Imported here so that `jusoor --help` and other commands do not load the HTML and NLP stack.
    from jusoor.monitor.reading.extract import extract
    from jusoor.monitor.reading.text import expand_paths, read_file

    err = Console(stderr=True)
    paths = expand_paths(files)
    if len(paths) >= PROGRESS_MIN_FILES:
        paths_iter: Iterable[Path] = track(
            paths, description="Extracting", console=err, transient=True
        )
    else:
        paths_iter = paths
    records: list[dict[str, Any]] = []
    failed = False
    for path in paths_iter:
        try:
            documents = read_file(path)
        except Invalid as exc:
            typer.echo(f"error: {exc.message}", err=True)
            failed = True
            continue
        for document in documents:
            known = document.published or (published.date() if published else None)
            records.append(record(document, extract(document.text, published=known, lang=lang)))
    if as_json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_tables(records)
    if failed:
        raise typer.Exit(code=1)


def record(document: Document, x: Extraction) -> dict[str, Any]:
    """The JSON shape of one report's extraction (the `extract --json` contract of issue 5)."""
    event = x.event
    themes = list(x.themes)
    if x.crime == "both":
        themes += ["trafficking_in_persons", "migrant_smuggling"]
    elif x.crime:
        themes.append(x.crime)
    return {
        "file": document.source,
        "lang": x.lang,
        "event": {
            "type": event.type,
            "title": event.title,
            "start": _iso(event.start),
            "end": _iso(event.end),
            "city": event.city.name if event.city else None,
            "country": event.country,
        },
        "organizations": [
            {
                "id": o.organization.id,
                "acronym": o.organization.acronym,
                "name": o.organization.name,
            }
            for o in x.organizations
        ],
        "persons": [
            # The role as written; a person named with a title only gets the title as role.
            {"name": p.name, "latin": p.latin, "role": p.role or (", ".join(p.titles) or None)}
            for p in x.persons
        ],
        "countries": list(x.countries),
        "themes": themes,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _print_tables(records: list[dict[str, Any]]) -> None:
    out = Console()
    for rec in records:
        event = rec["event"]
        table = Table(title=rec["file"], show_header=False, title_justify="left", expand=False)
        table.add_column("field", style="bold")
        table.add_column("value", overflow="fold")
        dates = " – ".join(d for d in (event["start"], event["end"]) if d) or "unknown"
        place = ", ".join(p for p in (event["city"], event["country"]) if p) or "unknown"
        table.add_row("Language", rec["lang"] or "unknown")
        table.add_row("Event", event["type"] or "unknown")
        table.add_row("Title", event["title"] or "")
        table.add_row("Dates", dates)
        table.add_row("Place", place)
        table.add_row(
            "Organisations", ", ".join(o["acronym"] or o["name"] for o in rec["organizations"])
        )
        table.add_row(
            "Persons",
            "\n".join(
                f"{p['latin']} ({p['role']})" if p["role"] else p["latin"] for p in rec["persons"]
            ),
        )
        table.add_row("Countries", ", ".join(rec["countries"]))
        table.add_row("Themes", ", ".join(rec["themes"]))
        out.print(table)


# The stored side (database needed): ingest, events, actors, regroup.
app.command("ingest")(store_cli.ingest_command)
app.command("events")(store_cli.events_command)
app.command("actors")(store_cli.actors_command)
app.command("regroup")(store_cli.regroup_command)
