"""Demo services: what each demo shelter, NGO, hospital and IOM office offers, and how much room.

Services follow the agency's kind (a shelter houses, a hospital treats, IOM returns and traces
families); languages are the country's, its second language, and those of the migrants most often
met there; phones are the numbering plan's example numbers with the last digits varied; e-mail
addresses use the reserved `example.org` domain.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.cases.consent import give_consent
from jusoor.cases.models import Case
from jusoor.cases.schemas import ConsentCreate
from jusoor.cases.vocabulary import ConsentPurpose, Stage
from jusoor.core.db import utcnow
from jusoor.core.permissions import Actor
from jusoor.referrals import directory
from jusoor.referrals import service as referrals
from jusoor.referrals.labels import DEFAULT_SHARED
from jusoor.referrals.models import Service, ServiceKind, Transition
from jusoor.referrals.schemas import DeliveryCreate, ReferralCreate, ServiceCreate
from jusoor.synth import referral_times


@dataclass(frozen=True)
class Offer:
    kind: ServiceKind
    name: str
    beds: tuple[int, int] | None  # places: (least, most) when the service counts them
    hours: str


K = ServiceKind
OFFERS: dict[str, tuple[Offer, ...]] = {
    "shelter": (
        Offer(K.shelter, "Emergency and medium-term shelter", (18, 40), "24 hours, every day"),
        Offer(K.psychosocial, "Trauma-informed counselling", None, "Sun-Thu 09:00-17:00"),
        Offer(K.child_protection, "Protected rooms for children", (4, 10), "24 hours, every day"),
    ),
    "ngo": (
        Offer(
            K.legal_aid, "Legal counselling and court accompaniment", None, "Sun-Thu 09:00-16:00"
        ),
        Offer(K.psychosocial, "Psychosocial support groups", (10, 20), "Mon, Wed 10:00-13:00"),
        Offer(K.interpretation, "Community interpreters", None, "On call, 08:00-20:00"),
        Offer(K.vocational_training, "Vocational training and job placement", (8, 25), "Sun-Thu"),
        Offer(K.financial_support, "Emergency cash assistance", None, "Sun-Thu 09:00-14:00"),
    ),
    "health": (
        Offer(K.medical, "Medical examination and treatment", None, "24 hours, emergencies"),
        Offer(K.psychosocial, "Psychiatric and psychological care", (5, 12), "Sun-Thu 08:00-15:00"),
    ),
    "international_organisation": (
        Offer(
            K.return_reintegration, "Assisted voluntary return and reintegration", None, "Sun-Thu"
        ),
        Offer(K.family_tracing, "Family tracing and assessment", None, "Sun-Thu 09:00-16:00"),
    ),
}

# Languages spoken to the people met in each country (BCP 47).
LANGUAGES = {
    "EG": ("ar", "en", "am", "ti", "so"),
    "MA": ("ar", "fr", "en", "bm", "wo"),
    "TN": ("ar", "fr", "en", "bm"),
    "LY": ("ar", "en", "fr", "ha", "ti"),
    "MR": ("ar", "fr", "wo", "ff"),
    "KW": ("ar", "en", "fil", "si", "am"),
    "JO": ("ar", "en", "bn", "fil", "si"),
}
AREAS = {
    "EG": ("Cairo", "Giza", "Alexandria"),
    "MA": ("Rabat-Salé-Kénitra", "Casablanca-Settat", "Oriental"),
    "TN": ("Tunis", "Sfax", "Médenine"),
    "LY": ("Tripoli", "Misrata", "Zawiya"),
    "MR": ("Nouakchott", "Nouadhibou"),
    "KW": ("Capital", "Hawalli", "Al Farwaniyah"),
    "JO": ("Amman", "Zarqa", "Irbid"),
}


def _phone(rng: random.Random, country: str) -> str:
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.FIXED_LINE)
    if example is None:
        raise ValueError(f"no example phone number for {country}")
    digits = str(example.national_number)
    for _attempt in range(20):
        candidate = phonenumbers.PhoneNumber(
            country_code=example.country_code,
            national_number=int(digits[:-2] + f"{rng.randrange(100):02d}"),
        )
        if phonenumbers.is_valid_number(candidate):
            return str(phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164))
    return str(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164))


def offers_for(agency: Agency, rng: random.Random) -> list[ServiceCreate]:
    """The services a demo agency offers (none for kinds that offer no services)."""
    country = agency.country
    spoken = LANGUAGES.get(country, ("ar", "en"))
    result = []
    if agency.kind.value == "international_organisation" and not agency.code.endswith("-iom"):
        return []  # of the organisations, only IOM offices run return and family tracing
    for offer in OFFERS.get(agency.kind.value, ()):
        total = rng.randint(*offer.beds) if offer.beds else None
        result.append(
            ServiceCreate(
                agency_id=agency.id,
                kind=offer.kind,
                name=offer.name,
                country=country,
                areas=list(AREAS.get(country, ())[: rng.randint(1, 3)]),
                languages=[*spoken[:2], *rng.sample(spoken[2:], k=min(2, len(spoken) - 2))],
                capacity_total=total,
                capacity_free=rng.randint(0, total) if total is not None else None,
                phone=_phone(rng, country),
                email=f"{offer.kind.value.replace('_', '-')}@{agency.code}.example.org",
                hours=offer.hours,
            )
        )
    return result


def load_services(session: Session, *, actor: Actor, seed: int = 2026) -> int:
    """Give every demo agency its services; agencies that already have some are left alone."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    offering = select(Service.agency_id).distinct()
    have = set(session.scalars(offering))
    created = 0
    for agency in session.scalars(select(Agency).order_by(Agency.code)):
        for service_in in offers_for(agency, rng):
            if agency.id not in have:
                directory.create_service(session, actor=actor, service_in=service_in)
                created += 1
    return created


# Referrals of demo cases ---------------------------------------------------------------------

# How far a demo referral got, with its weight: most are answered, a few wait past the deadline.
PATHS: tuple[tuple[tuple[str, ...], int], ...] = (
    ((), 2),
    (("overdue",), 1),
    (("accept",), 2),
    (("accept", "start"), 3),
    (("accept", "start", "complete"), 3),
    (("decline",), 1),
    (("revoke",), 1),
)
NEEDS = (ServiceKind.shelter, ServiceKind.medical, ServiceKind.psychosocial, ServiceKind.legal_aid)
REASONS = {
    "decline": "No place suited to this person's needs this week.",
    "revoke": "The person moved to another governorate.",
}
DELIVERED = {
    ServiceKind.shelter: "Emergency accommodation",
    ServiceKind.medical: "Medical examination",
    ServiceKind.psychosocial: "Counselling session",
    ServiceKind.legal_aid: "Legal consultation",
}


def refer_demo_cases(
    session: Session, *, actor: Actor, case_ids: list[uuid.UUID], seed: int = 2026
) -> int:
    """Refer demo cases to services of their country, with consent, and move each referral
    along a realistic path (answered, in progress with services delivered, declined, overdue...).

    For the demo case generator: call it with the ids of the cases it opened. Returns how many
    referrals were made.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    dates = random.Random(seed * 11 + 3)  # noqa: S311 - apart, so the seed's referrals stay
    made = 0
    for case_id in case_ids:
        case = session.get(Case, case_id)
        if case is None or case.stage is Stage.closed:
            continue
        floor = referral_times.floor_of(case)
        for kind in rng.sample(NEEDS, k=rng.randint(1, 2)):
            offers = session.scalars(
                select(Service).where(
                    Service.country == case.country, Service.kind == kind, Service.active.is_(True)
                )
            ).all()
            if not offers:
                continue
            offer = rng.choice(offers)
            referral = _refer_one(session, actor, case, offer, rng)
            floor = referral_times.spread_referral(session, referral, floor, dates)
            made += 1
    return made


def _refer_one(
    session: Session, actor: Actor, case: Case, offer: Service, rng: random.Random
) -> Transition:
    give_consent(
        session,
        actor=actor,
        case_id=case.id,
        consent_in=ConsentCreate(
            purpose=ConsentPurpose.referral, agency_code=offer.agency.code, language="ar"
        ),
    )
    referral = referrals.refer(
        session,
        actor=actor,
        referral_in=ReferralCreate(
            case_id=case.id,
            agency_id=offer.agency_id,
            kind=offer.kind,
            service_id=offer.id,
            shared_fields=list(DEFAULT_SHARED)
            + (["contact"] if offer.kind is ServiceKind.shelter else []),
        ),
    )
    path = rng.choices([p for p, _w in PATHS], weights=[w for _p, w in PATHS])[0]
    for step in path:
        if step == "overdue":
            referral.deadline = utcnow() - dt.timedelta(hours=rng.randint(2, 72))
            continue
        if step == "complete" or (step == "start" and rng.random() < 0.5):
            referrals.record_delivery(
                session,
                actor=actor,
                referral_id=referral.id,
                delivery_in=DeliveryCreate(
                    what=DELIVERED.get(offer.kind, offer.name),
                    delivered_on=utcnow().date(),
                    delivered_by=offer.agency.name_en[:200],
                ),
            )
        referrals.move(
            session, actor=actor, referral_id=referral.id, action=step, reason=REASONS.get(step)
        )
    return referral
