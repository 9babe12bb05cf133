"""`jusoor monitor ingest | events | actors | regroup`: the stored side of news monitoring.

Thin adapters over `jusoor.monitor.service`, acting as the console operator in one unit of work.
Mounted on `jusoor.monitor.cli.app`.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from jusoor.core.console import JSON_OPTION, operator, unit_of_work
from jusoor.core.i18n import gettext as _
from jusoor.monitor.schemas import EventSummary, IngestResult

PAGE = 500


def _dump(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def ingest_command(
    sources: Annotated[
        list[str],
        typer.Argument(help="Text, HTML or RSS/Atom files, folders holding them, or http(s) URLs."),
    ],
    as_json: bool = JSON_OPTION,
) -> None:
    """Store reports once each, extract them and group them into events."""
    from jusoor.monitor import service
    from jusoor.monitor.store.ingest import read_sources

    err = Console(stderr=True)
    # Fetched and read before the transaction opens: a slow feed must not hold SQLite's writer
    # lock while people save (issue 18); the reports are bounded in size (`read_sources`).
    documents = list(read_sources(sources))
    with (
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as progress,
        unit_of_work() as session,
    ):
        task = progress.add_task(_("Storing reports"), total=None)
        results = service.ingest(
            session,
            actor=operator(),
            documents=documents,
            progress=lambda _result: progress.advance(task),
        )
    if as_json:
        _dump([_ingest_record(r) for r in results])
    else:
        for r in results:
            typer.echo(_ingest_line(r), err=r.error is not None)
    if any(r.error for r in results):
        raise typer.Exit(1)


def _ingest_record(r: IngestResult) -> dict[str, Any]:
    record: dict[str, Any] = {"file": r.source, "id": str(r.document_id) if r.document_id else None}
    if r.error:
        record["error"] = r.error
    return record


def _ingest_line(r: IngestResult) -> str:
    if r.error:
        return _("Error: %(source)s: %(reason)s", source=r.source, reason=r.error)
    if r.created:
        return _("%(source)s: stored as %(id)s", source=r.source, id=r.document_id)
    return _("%(source)s: already stored as %(id)s", source=r.source, id=r.document_id)


def events_command(
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-2 country code.")] = None,
    theme: Annotated[str | None, typer.Option(help="A theme or crime.")] = None,
    organization: Annotated[str | None, typer.Option(help="An organisation id (unodc).")] = None,
    lang: Annotated[str | None, typer.Option(help="A report language (ar, en, fr).")] = None,
    since: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    until: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """List the events grouped from the stored reports, newest first."""
    from jusoor.monitor import service

    events: list[EventSummary] = []
    with unit_of_work() as session:
        while True:
            page, total = service.list_events(
                session,
                actor=operator(),
                country=country,
                theme=theme,
                organization=organization,
                lang=lang,
                since=since.date() if since else None,
                until=until.date() if until else None,
                limit=PAGE,
                offset=len(events),
            )
            events += page
            if not page or len(events) >= total:
                break
    records = [_event_record(e) for e in events]
    if as_json:
        _dump(records)
        return
    for rec in records:
        ev = rec["event"]
        when = " – ".join(d for d in (ev["start"], ev["end"]) if d) or _("unknown")
        where = ", ".join(p for p in (ev["city"], ev["country"]) if p) or _("unknown")
        typer.echo(f"{rec['id']}  {when}  {where}  {ev['type'] or '?'}  {ev['title'] or ''}")
        typer.echo(_("  reports: %(count)s", count=len(rec["documents"])))


def _event_record(e: EventSummary) -> dict[str, Any]:
    return {
        "id": str(e.id),
        "documents": [str(d) for d in e.document_ids],
        "event": {
            "type": e.type,
            "title": e.title,
            "start": _iso(e.start),
            "end": _iso(e.end),
            "city": e.city,
            "country": e.country,
        },
    }


def actors_command(
    kind: Annotated[str | None, typer.Option(help="organization or person.")] = None,
    query: Annotated[str | None, typer.Option(help="Part of a name, in any script.")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """List the organisations and persons named in the stored reports, one entry each."""
    from jusoor.monitor import service

    records: list[dict[str, Any]] = []
    with unit_of_work() as session:
        actor = operator()
        while True:
            page, total = service.list_actors(
                session, actor=actor, kind=kind, query=query, limit=PAGE, offset=len(records)
            )
            for summary in page:
                view = service.get_actor(session, actor=actor, actor_id=summary.id)
                documents = dict.fromkeys(str(m.document_id) for m in view.mentions)
                records.append(
                    {
                        "id": str(summary.id),
                        "kind": summary.kind,
                        "names": list(summary.names),
                        "documents": list(documents),
                    }
                )
            if not page or len(records) >= total:
                break
    if as_json:
        _dump(records)
        return
    for rec in records:
        typer.echo(f"{rec['id']}  {rec['kind']}  {' / '.join(rec['names'])}")
        typer.echo(_("  reports: %(count)s", count=len(rec["documents"])))


def regroup_command(
    full: Annotated[
        bool, typer.Option("--full", help="Dissolve every event and group all reports afresh.")
    ] = False,
    as_json: bool = JSON_OPTION,
) -> None:
    """Group stored reports not yet in an event (or all of them, with --full)."""
    from jusoor.monitor import service

    with unit_of_work() as session:
        result = service.regroup(session, actor=operator(), full=full)
    if as_json:
        _dump({"documents": result.documents, "events": result.events})
    else:
        typer.echo(
            _(
                "%(documents)s reports grouped; %(events)s events in all.",
                documents=result.documents,
                events=result.events,
            )
        )
