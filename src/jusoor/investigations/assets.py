"""Assets seized, frozen and confiscated in a file: what, whose, worth how much, where it stands.

The status follows a small state machine (seized → frozen / confiscated / released, frozen →
confiscated / released); confiscation and release end it. GLOTIP and FATF both ask how much was
seized and confiscated, so the value is kept with its ISO 4217 currency, never converted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import numbers as babel_numbers
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.core.i18n import N_, babel_locale, format_date, localize_digits
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.typed_dates import TypedDate
from jusoor.entities.models import Entity
from jusoor.investigations import access, service
from jusoor.investigations.labels import choices, label
from jusoor.investigations.models import Asset, Defendant, FileEvent, InvestigationFile
from jusoor.investigations.vocabulary import AssetKind, AssetStatus
from jusoor.investigations.workflow import machine

# The currencies of the region's nodes and those its proceeds are most often held in
# (ISO 4217). A closed list: a typed "DH" or "LE" cannot be added up.
CURRENCIES: tuple[str, ...] = (
    "MAD", "DZD", "TND", "LYD", "EGP", "MRU", "SDG", "JOD", "LBP", "SYP", "IQD", "KWD", "SAR",
    "BHD", "QAR", "AED", "OMR", "YER", "EUR", "USD", "GBP", "TRY",
)  # fmt: skip

# Where a status may go next; confiscated and released are final (no entry).
MOVES: dict[AssetStatus, frozenset[AssetStatus]] = {
    AssetStatus.seized: frozenset(
        {AssetStatus.frozen, AssetStatus.confiscated, AssetStatus.released}
    ),
    AssetStatus.frozen: frozenset({AssetStatus.confiscated, AssetStatus.released}),
}


def currency_name(code: str) -> str:
    """The currency's name in the reader's language (from CLDR, through Babel)."""
    return str(babel_numbers.get_currency_name(code, locale=babel_locale()))


def currency_choices() -> list[tuple[str, str]]:
    return [(code, f"{currency_name(code)} ({code})") for code in CURRENCIES]


def home_currency(country: str) -> str:
    """The currency in use in `country` today (CLDR), when it is on the list; else empty."""
    try:
        current = babel_numbers.get_territory_currencies(country.upper())
    except (ValueError, LookupError):  # an unknown territory
        current = []
    return next((code for code in current if code in CURRENCIES), "")


def money(value: Decimal, currency: str) -> str:
    """An amount as the reader writes it, with its currency."""
    text = babel_numbers.format_currency(value, currency, locale=babel_locale())
    return localize_digits(str(text))


def amount(value: object) -> Decimal | None:
    """An estimated value: empty, or a number ≥ 0 with at most two decimals (ValueError, worded)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("Write the value as a number, e.g. 12500.50.")) from None
    if not number.is_finite() or number < 0:
        raise ValueError(_("The value cannot be negative."))
    if number >= Decimal("1e14"):  # the column holds 16 digits, two after the point
        raise ValueError(_("The value is too large."))
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(_("The value can have at most two decimals."))
    return number.quantize(Decimal("0.01"))


class AssetIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: AssetKind
    description: str = Field(min_length=2, max_length=1000)
    estimated_value: Decimal | None = None
    currency: str | None = None
    defendant_id: uuid.UUID | None = None
    seized_on: TypedDate

    _value = field_validator("estimated_value", mode="before")(amount)

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: object) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        code = str(value).strip().upper()
        if code not in CURRENCIES:
            raise ValueError(_("Choose a currency from the list."))
        return code


class AssetMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: AssetStatus
    on: TypedDate


def file_for_follow_up(session: Session, *, actor: Actor, file_id: uuid.UUID) -> InvestigationFile:
    """A file whose seized property, exhibits and instruments the caller may still handle:
    as `service.file_for_update`, but also once the file is final or closed. What was seized
    is confiscated, released or handed back after the judgment (or the decision not to
    charge), and a warrant still lapses; nothing new is added to such a file, though."""
    actor.require(access.UPDATE)
    file = session.get(InvestigationFile, file_id)
    if file is None or not access.may_read(actor, file):
        raise NotFound(_("No such investigation file."))
    if not access.may_update(actor, file):
        raise Forbidden(_("You are not allowed to do this."))
    return file


def may_follow_up(actor: Actor, file: InvestigationFile) -> bool:
    return access.may_update(actor, file)


def may_add(actor: Actor, file: InvestigationFile) -> bool:
    return access.may_update(actor, file) and file.stage.value not in machine().terminal


def _check_date(file: InvestigationFile, field: str, on: dt.date) -> None:
    if on > dt.date.today():
        raise Invalid(field, _("This date is in the future."))
    if on < file.reported_on:
        raise Invalid(
            field,
            _(
                "This date is before the file was reported (%(date)s).",
                date=format_date(file.reported_on),
            ),
        )


def _event(
    session: Session, file: InvestigationFile, actor: Actor, asset: Asset, kind: str
) -> None:
    details: dict[str, object] = {"kind": asset.kind.value, "status": asset.status.value}
    service.add_event(session, file, actor=actor, kind=kind, details=details)


def add_asset(session: Session, *, actor: Actor, file_id: uuid.UUID, asset_in: AssetIn) -> Asset:
    """Record an asset seized in the file (dated, valued, optionally whose)."""
    file = service.file_for_update(session, actor=actor, file_id=file_id)
    _check_date(file, "seized_on", asset_in.seized_on)
    if (asset_in.estimated_value is None) != (asset_in.currency is None):
        field = "currency" if asset_in.currency is None else "estimated_value"
        raise Invalid(field, _("Give both the estimated value and its currency, or neither."))
    if asset_in.defendant_id is not None:
        defendant = session.get(Defendant, asset_in.defendant_id)
        if defendant is None or defendant.file_id != file.id:
            raise Invalid("defendant_id", _("Choose a defendant of this file."))
    asset = Asset(
        file_id=file.id,
        defendant_id=asset_in.defendant_id,
        kind=asset_in.kind,
        description=asset_in.description,
        estimated_value=asset_in.estimated_value,
        currency=asset_in.currency,
        status=AssetStatus.seized,
        seized_on=asset_in.seized_on,
        status_on=asset_in.seized_on,
        recorded_by=actor.user_id,
    )
    session.add(asset)
    session.flush()
    _event(session, file, actor, asset, "asset")
    record(
        session,
        actor=actor,
        action="investigations.asset.add",
        object_type=service.OBJECT,
        object_id=file.id,
        details={"asset": str(asset.id), "kind": asset.kind.value},
    )
    return asset


def move_asset(
    session: Session, *, actor: Actor, file_id: uuid.UUID, asset_id: uuid.UUID, move: AssetMove
) -> Asset:
    """Freeze, confiscate or release an asset, from the date it happened."""
    file = file_for_follow_up(session, actor=actor, file_id=file_id)
    asset = session.get(Asset, asset_id, with_for_update=True)  # one move at a time
    if asset is None or asset.file_id != file.id:
        raise NotFound(_("No such asset in this file."))
    allowed = MOVES.get(asset.status, frozenset())
    if move.status not in allowed:
        raise Invalid(
            "status",
            _(
                "An asset that is %(before)s cannot become %(after)s.",
                before=label(AssetStatus, asset.status).lower(),
                after=label(AssetStatus, move.status).lower(),
            ),
        )
    if move.on > dt.date.today():
        raise Invalid("on", _("This date is in the future."))
    if move.on < asset.status_on:
        raise Invalid(
            "on",
            _(
                "This date is before the asset's last change (%(date)s).",
                date=format_date(asset.status_on),
            ),
        )
    before = asset.status
    asset.status = move.status
    asset.status_on = move.on
    _event(session, file, actor, asset, "asset_status")
    record(
        session,
        actor=actor,
        action="investigations.asset.move",
        object_type=service.OBJECT,
        object_id=file.id,
        details={"asset": str(asset.id), "from": before.value, "to": move.status.value},
    )
    return asset


def assets_of(session: Session, file: InvestigationFile) -> Sequence[Asset]:
    """The assets of a file the caller has loaded (and whose read was audited), oldest first."""
    return session.scalars(
        select(Asset).where(Asset.file_id == file.id).order_by(Asset.seized_on, Asset.id)
    ).all()


def totals(assets: Sequence[Asset]) -> dict[str, Decimal]:
    """The estimated value of the assets per currency (released ones left out: given back)."""
    sums: dict[str, Decimal] = {}
    for asset in assets:
        counted = asset.status is not AssetStatus.released
        if counted and asset.currency and asset.estimated_value is not None:
            sums[asset.currency] = sums.get(asset.currency, Decimal(0)) + asset.estimated_value
    return dict(sorted(sums.items()))


def panel(session: Session, *, actor: Actor, file: InvestigationFile) -> dict[str, Any]:
    """The assets section of the file page."""
    found = assets_of(session, file)
    rows = session.execute(
        select(Defendant, Entity.caption)
        .join(Entity, Entity.id == Defendant.entity_id)
        .where(Defendant.file_id == file.id)
        .order_by(Defendant.created_at)
    ).all()
    defendants = [(d, caption) for d, caption in rows]
    return {
        "visible": True,
        "title": _("Seized assets"),
        "count": len(found),
        "assets": found,
        "totals": totals(found),
        "moves": {a.id: [s for s in AssetStatus if s in MOVES.get(a.status, ())] for a in found},
        "defendants": defendants,
        "names": {d.id: caption for d, caption in defendants},
        "kinds": choices(AssetKind),
        "currencies": currency_choices(),
        "home_currency": home_currency(file.country),
        "money": money,
        "may_update": may_add(actor, file),
        "may_follow_up": may_follow_up(actor, file),
    }


def _word(event: FileEvent) -> str:
    details = event.details or {}
    return _(
        "%(kind)s — %(status)s",
        kind=label(AssetKind, str(details.get("kind", ""))),
        status=label(AssetStatus, str(details.get("status", ""))),
    )


TIMELINE_KINDS = {"asset": N_("Asset seized"), "asset_status": N_("Asset's status changed")}
TIMELINE_DETAILS = {"asset": _word, "asset_status": _word}
