"""Within one import, one phone (document, account…) is one entity: a value met again — in
another row, or already recorded by the same agency — is linked, not stored twice."""

from __future__ import annotations

from sqlalchemy import not_, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.entities.matching import matchkeys
from jusoor.entities.models import Entity, EntityKey, Properties
from jusoor.entities.schemata import clean, schema
from jusoor.entities.scope import tied_to_case

# Schemata that stand for a value (a number, an address in writing): equal keys, one entity.
# People and organisations are never merged here: that is the analyst's judgement.
VALUE_SCHEMATA = frozenset({"Phone", "Email", "IdentityDocument", "Vehicle", "BankAccount"})


class Reuse:
    """Finds the entity already standing for a value, in this batch or in the agency's records."""

    def __init__(self, session: Session, agency: Agency, region: str | None) -> None:
        self.session = session
        self.agency = agency
        self.region = region
        self._seen: dict[tuple[str, str], Entity] = {}

    def _strong(self, schema_name: str, props: Properties) -> list[str]:
        cleaned = clean(schema(schema_name).properties, props, self.region).properties
        return sorted(
            d
            for kind, d in matchkeys.digests(schema_name, cleaned, self.region)
            if kind in matchkeys.STRONG_KINDS
        )

    def find(self, schema_name: str, props: Properties) -> Entity | None:
        if schema_name not in VALUE_SCHEMATA:
            return None
        digests = self._strong(schema_name, props)
        for digest in digests:
            if (schema_name, digest) in self._seen:
                return self._seen[(schema_name, digest)]
        if not digests:
            return None
        # No autoflush: this batch's own entities are in `_seen`; flushing row by row would
        # turn one bulk insert into thousands of small ones.
        with self.session.no_autoflush:
            found = self._stored(schema_name, digests)
        if found is not None:
            self.remember(found)
        return found

    def _stored(self, schema_name: str, digests: list[str]) -> Entity | None:
        return self.session.scalars(
            select(Entity)
            .join(EntityKey, EntityKey.entity_id == Entity.id)
            .where(
                EntityKey.digest.in_(digests),
                Entity.schema == schema_name,
                Entity.agency_id == self.agency.id,
                # A case's phone is case data (`scope`): an import never links to it.
                not_(tied_to_case()),
            )
            .order_by(Entity.created_at, Entity.id)
        ).first()

    def remember(self, entity: Entity) -> None:
        if entity.schema in VALUE_SCHEMATA:
            for digest in self._strong(entity.schema, entity.properties):
                self._seen.setdefault((entity.schema, digest), entity)
