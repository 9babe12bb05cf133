"""A loaded case's person in the entity store, as `entities.case_persons.index_case` writes it.

`index_case` runs when a case is opened: one Person entity (source `case`, the case's id and
agency, `source_ref` "case-profile") with its blind-index keys, and one Phone, Email or
IdentityDocument entity, linked to the person, per identifier in the contact and documents
fields. Here the same helpers make the same rows (`read_profile`, `clean`, `caption_of`,
`matchkeys.digests`), without the ORM round trips. Persons repeat (names recur in a population),
so the person part — which depends only on the name, aliases, birth date and citizenship — is
computed once per distinct profile (a bounded cache); identifiers are read per case.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jusoor.entities.case_persons import IDENTIFIERS, PROFILE_REF, read_profile
from jusoor.entities.matching import matchkeys
from jusoor.entities.models import Properties, SourceKind
from jusoor.entities.schemata import caption_of, clean, schema
from jusoor.synth.scale.population import random_uuid
from jusoor.synth.scale.tables import Row

CACHE = 200_000


@dataclass(frozen=True)
class Cleaned:
    properties: Properties
    caption: str
    keys: frozenset[tuple[str, str]]


@dataclass(frozen=True)
class CasePerson:
    """What `index_case` needs of a case."""

    case_id: uuid.UUID
    agency_id: uuid.UUID
    agency_country: str
    country: str  # the case's (read_profile's region)
    owner_id: uuid.UUID
    at: dt.datetime
    values: dict[str, str]  # `case_persons.case_values`


class PersonRows:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._persons: OrderedDict[tuple[Any, ...], tuple[Cleaned, bool]] = OrderedDict()
        self._births: OrderedDict[tuple[Any, ...], tuple[Cleaned, bool]] = OrderedDict()

    def _cleaned(self, schema_name: str, properties: Properties, region: str) -> Cleaned:
        entity_schema = schema(schema_name)
        props = clean(entity_schema.properties, properties, region).properties
        return Cleaned(
            props,
            caption_of(entity_schema, props),
            frozenset(matchkeys.digests(entity_schema.name, props, region)),
        )

    def _cached(
        self,
        cache: OrderedDict[tuple[Any, ...], tuple[Cleaned, bool]],
        key: tuple[Any, ...],
        make: Callable[[], tuple[Cleaned, bool]],
    ) -> tuple[Cleaned, bool]:
        found = cache.get(key)
        if found is None:
            found = cache[key] = make()
            if len(cache) > CACHE:
                cache.popitem(last=False)
        return found

    def _person(self, case: CasePerson) -> tuple[Cleaned, bool]:
        """The Person's cleaned properties, caption and keys. `clean` and `matchkeys.keys` treat
        each property on its own, so the birth date (which varies most) is cleaned and keyed
        apart from the name part (which recurs) and the two are joined: the same values and
        keys as one call over the whole profile (tests/synth/test_scale_load.py checks it)."""
        v = case.values
        region = case.agency_country
        name_part = {k: v[k] for k in ("name", "aliases", "citizenship")}
        base = self._cached(
            self._persons,
            (v["name"], v["aliases"], v["citizenship"], case.country, region),
            lambda: self._profile_part(name_part, case.country, region),
        )
        if not v["date_of_birth"]:
            return base
        born = self._cached(
            self._births,
            (v["date_of_birth"], case.country, region),
            lambda: self._profile_part({"date_of_birth": v["date_of_birth"]}, case.country, region),
        )
        person, named = base
        birth, _unnamed = born
        props = {**person.properties, **birth.properties}
        caption = caption_of(schema("Person"), props)
        return Cleaned(props, caption, person.keys | birth.keys), named

    def _profile_part(
        self, values: dict[str, str], country: str, region: str
    ) -> tuple[Cleaned, bool]:
        profile = read_profile(values, country)
        return self._cleaned("Person", profile.person, region), bool(profile.person.get("name"))

    def rows(self, case: CasePerson, out: dict[str, list[Row]]) -> int:
        """Append the case's entities, keys and links to `out`; returns the entities made."""
        identifiers: dict[str, list[str]] = {}
        if case.values["contact"] or case.values["identity_documents"]:
            found = read_profile(
                {
                    "contact": case.values["contact"],
                    "identity_documents": case.values["identity_documents"],
                },
                case.country,
            )
            identifiers = {k: vs for k, vs in found.identifiers.items() if vs}
        person, named = self._person(case)
        if not named and not identifiers:
            return 0  # `ProfilePerson.empty`: no entity
        person_id = self._entity(case, "Person", person, out)
        made = 1
        for name, values in identifiers.items():
            prop, link_type, _kind = IDENTIFIERS[name]
            for value in values:
                cleaned = self._cleaned(name, {prop: [value]}, case.agency_country)
                target = self._entity(case, name, cleaned, out)
                out["entity_links"].append(
                    {
                        "id": random_uuid(self.rng),
                        "type": link_type,
                        "source_entity_id": person_id,
                        "target_entity_id": target,
                        "start_date": None,
                        "end_date": None,
                        "properties": "{}",
                        **_provenance(case),
                    }
                )
                made += 1
        return made

    def _entity(
        self, case: CasePerson, schema_name: str, cleaned: Cleaned, out: dict[str, list[Row]]
    ) -> uuid.UUID:
        entity_id = random_uuid(self.rng)
        out["entities"].append(
            {
                "id": entity_id,
                "schema": schema_name,
                "caption": cleaned.caption,
                "properties": json.dumps(cleaned.properties, ensure_ascii=False, sort_keys=True),
                **_provenance(case),
            }
        )
        out["entity_keys"].extend(
            {"entity_id": entity_id, "kind": kind, "digest": digest}
            for kind, digest in cleaned.keys
        )
        return entity_id


def _provenance(case: CasePerson) -> Row:
    """Where an entity or link derived from a case's profile comes from, and whose it is: the
    columns that carry the case's access rule (agency, country, case) onto the derived row."""
    return {
        "source_kind": SourceKind.case,
        "source_ref": PROFILE_REF,
        "case_id": case.case_id,
        "agency_id": case.agency_id,
        "country": case.agency_country,
        "created_by": case.owner_id,
        "created_at": case.at,
        "updated_at": case.at,
    }
