"""`jusoor screening …`: the ILO indicators of trafficking, a screening against them, and the
identification queue.

`indicators` and `assess` are thin adapters over `catalogue` and `assessment`, with no database;
the catalogue is the ILO lists plus this node's country files
(`<JUSOOR_DATA_DIR>/screening/indicators/*.yaml`). `queue` reads the node's database as the
console operator (every country of the node), audited like the page.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jusoor.core.console import JSON_OPTION, fail, operator, reason, unit_of_work
from jusoor.core.errors import Invalid
from jusoor.core.i18n import format_date, format_number
from jusoor.core.i18n import gettext as _
from jusoor.screening import labels
from jusoor.screening.assessment import Assessment, assess, present
from jusoor.screening.catalogue import (
    PROFILE_CHOICES,
    Catalogue,
    Dimension,
    Indicator,
    Profile,
    node_catalogue,
    parse_profile,
)
from jusoor.screening.queue import MAX_LIMIT, QueuePage, identification_queue
from jusoor.screening.schemas import QueueRowRead

app = typer.Typer(
    help="Victim screening with the ILO/EC operational indicators of trafficking (2009).",
    no_args_is_help=True,
)

PROFILE_HELP = f"The ILO list to use: {PROFILE_CHOICES}."


@app.command("indicators")
def indicators_command(
    profile: Annotated[str | None, typer.Option("--profile", help=PROFILE_HELP)] = None,
    json_out: bool = JSON_OPTION,
) -> None:
    """List the indicators of every ILO list, or of one, with their dimension and strength."""
    try:
        catalogue = node_catalogue()
        only = parse_profile(profile) if profile is not None else None
    except Invalid as exc:
        fail(reason(exc))
    chosen = catalogue.for_profile(only) if only else catalogue.indicators
    if json_out:
        typer.echo(json.dumps([_indicator_dict(i) for i in chosen], ensure_ascii=False, indent=2))
    else:
        _print_indicators(chosen, catalogue, profile=only)


@app.command("assess")
def assess_command(
    profile: Annotated[str, typer.Option("--profile", help=PROFILE_HELP)],
    indicators: Annotated[
        str,
        typer.Option(
            "--indicators",
            help="Ids of the indicators present, comma-separated "
            "(listed by `jusoor screening indicators --profile P`).",
        ),
    ] = "",
    json_out: bool = JSON_OPTION,
) -> None:
    """Screen one person: each dimension's status, the outcome and the reasons."""
    ids = [part.strip() for part in indicators.split(",") if part.strip()]
    try:
        catalogue = node_catalogue()
        result = assess(parse_profile(profile), present(ids), catalogue=catalogue)
    except Invalid as exc:
        fail(reason(exc))
    if json_out:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_assessment(result, catalogue)


@app.command("queue")
def queue_command(
    limit: Annotated[int, typer.Option("--limit", min=1, max=MAX_LIMIT, help="Rows to show.")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, max=10**9, help="Rows to skip.")] = 0,
    after: Annotated[
        str | None,
        typer.Option("--after", help="The next page: the cursor a previous page gave as `next`."),
    ] = None,
    json_out: bool = JSON_OPTION,
) -> None:
    """Presumed and possible victims awaiting a formal identification decision, oldest first,
    with their deadline (`identification.yaml`) and the overdue ones marked. Totals above
    1,000 are shown as "more than 1,000"; page on with --after."""
    with unit_of_work() as session:
        page = identification_queue(
            session, actor=operator(), limit=limit, offset=offset, after=after
        )
        if json_out:
            typer.echo(json.dumps(_queue_dict(page), ensure_ascii=False, indent=2))
        else:
            _print_queue(page)


def _queue_dict(page: QueuePage) -> dict[str, Any]:
    return {
        "total": page.total,
        "more": page.more,  # the total was counted up to its cap: there are more
        "overdue": page.overdue,
        "overdue_more": page.overdue_more,
        "limit": page.limit,
        "offset": page.offset,
        "next": page.next_cursor,  # give it to --after for the next page; null on the last
        "rows": [QueueRowRead.model_validate(r).model_dump(mode="json") for r in page.rows],
    }


def _print_queue(page: QueuePage) -> None:
    table = Table(title=_("Identification queue"))
    for header in (_("Reference"), _("Country"), _("Agency"), _("Result"), _("Decide by"), ""):
        table.add_column(header)
    for r in page.rows:
        late = _("Days overdue: %(num)s", num=-r.days_left) if r.overdue else ""
        cells = (r.reference, r.country, r.agency_name, labels.outcome_label(r.outcome))
        table.add_row(*cells, format_date(r.deadline), Text(late, style="red"))
    console = Console()
    console.print(table)
    console.print(
        _("Waiting: %(num)s", num=_bounded(page.total, page.more)),
        _("Overdue: %(num)s", num=_bounded(page.overdue, page.overdue_more)),
    )
    if page.next_cursor:
        console.print(_("Next page: --after %(cursor)s", cursor=page.next_cursor), soft_wrap=True)


def _bounded(count: int, more: bool) -> str:
    """A count shown as the queue counts it: exactly, or "more than" its cap."""
    return _("more than %(num)s", num=format_number(count)) if more else format_number(count)


def _indicator_dict(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "profile": indicator.profile.value,
        "dimension": indicator.dimension.value,
        "strength": indicator.strength.value,
        "text": indicator.text.as_dict(),
        "verified": indicator.verified,
        "country": indicator.country,
    }


def _print_indicators(
    indicators: tuple[Indicator, ...], catalogue: Catalogue, *, profile: Profile | None
) -> None:
    """One table; each dimension of each list opens a section headed by its name."""
    title = _("ILO indicators of trafficking in human beings")
    table = Table(title=f"{title} ({profile.value})" if profile else title)
    with_profile = profile is None
    table.add_column(_("Id"), no_wrap=True)
    if with_profile:
        table.add_column(_("Profile"), no_wrap=True)
    for header in (_("Strength"), _("Indicator"), _("Verified")):
        table.add_column(header)
    heading: tuple[Profile, Dimension] | None = None
    for i in indicators:
        if heading != (i.profile, i.dimension):
            if heading:
                table.add_section()
            heading = (i.profile, i.dimension)
            label = Text(catalogue.dimension_labels[i.dimension].get(), style="bold")
            table.add_row("", *(("",) if with_profile else ()), "", label, "")
        cells = (i.strength.value, i.text.get(), _("yes") if i.verified else _("no"))
        table.add_row(i.id, *((i.profile.value,) if with_profile else ()), *cells)
    Console().print(table)


def _print_assessment(result: Assessment, catalogue: Catalogue) -> None:
    console = Console()
    table = Table(
        title=_("Screening against the ILO list %(profile)s", profile=result.profile.value)
    )
    for header in (_("Dimension"), _("Status"), _("Clause"), _("Indicators present")):
        table.add_column(header)
    for d in result.dimensions:
        status = _("positive") if d.positive else _("negative")
        present_ids = ", ".join(i.id for i in d.present) or "—"
        table.add_row(
            catalogue.dimension_labels[d.dimension].get(), status, d.clause or "", present_ids
        )
    console.print(table)
    for r in result.reasons:
        console.print(f"• {r.text}", highlight=False, markup=False)
    if not result.verified:
        console.print(
            _("Some weights or rules used here are not yet verified against the ILO text."),
            style="yellow",
        )
