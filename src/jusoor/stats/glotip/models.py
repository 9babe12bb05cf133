"""UNODC's published GLOTIP series, as loaded from its data file: public figures (no personal
data), kept so that the dashboard can show a country's published figures over the years beside
the node's own and beside its neighbours'."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from jusoor.core.db import Base, UTCDateTime, utcnow
from jusoor.core.ids import uuid7


class PublishedFigure(Base):
    """One published count: `value` exact, or None with `small` = "<5" (UNODC's own mark)."""

    __tablename__ = "stats_published_figures"
    __table_args__ = (
        UniqueConstraint(
            "iso3", "indicator", "dimension", "category", "sex", "age", "year",
            name="uq_stats_published_figure",
        ),
    )  # fmt: skip

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    iso3: Mapped[str] = mapped_column(String(3), index=True)  # ISO 3166-1 alpha-3, as UNODC
    iso2: Mapped[str | None] = mapped_column(String(2), index=True)  # Jusoor's country codes
    country: Mapped[str] = mapped_column(String(120))  # UNODC's name for it
    region: Mapped[str] = mapped_column(String(80))
    subregion: Mapped[str] = mapped_column(String(80), index=True)
    indicator: Mapped[str] = mapped_column(String(120))
    dimension: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(200))
    sex: Mapped[str] = mapped_column(String(20))
    age: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer, index=True)
    value: Mapped[int | None] = mapped_column(Integer)
    small: Mapped[str | None] = mapped_column(String(4))
    file_date: Mapped[dt.date | None] = mapped_column(Date)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
