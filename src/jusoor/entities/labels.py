"""Names shown to people for the entity vocabulary of `schemata.yaml`: kinds of entity, kinds of
link and properties. Translated at display time; an unknown code is shown as it is stored."""

from __future__ import annotations

from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _

SCHEMATA = {
    "Person": N_("Person"),
    "Organization": N_("Organisation"),
    "Phone": N_("Phone"),
    "Email": N_("E-mail address"),
    "Address": N_("Address"),
    "IdentityDocument": N_("Identity document"),
    "Vehicle": N_("Vehicle"),
    "BankAccount": N_("Bank account"),
}

LINKS = {
    "uses_phone": N_("uses the phone"),
    "uses_email": N_("uses the e-mail address"),
    "holds_document": N_("holds the document"),
    "lives_at": N_("lives at"),
    "owns_vehicle": N_("owns the vehicle"),
    "holds_account": N_("holds the account"),
    "paid": N_("paid"),
    "travelled_with": N_("travelled with"),
    "recruited": N_("recruited"),
    "exploited": N_("exploited"),
    "employs": N_("employs"),
    "same_household": N_("lives in the same household as"),
    "family": N_("is family of"),
    "associate": N_("is an associate of"),
    "member_of": N_("is a member of"),
    "unknown": N_("is linked to"),
    "same_as": N_("is the same as"),
}

PROPERTIES = {
    "name": N_("Name"),
    "alias": N_("Other name"),
    "firstName": N_("First name"),
    "lastName": N_("Family name"),
    "fatherName": N_("Father's name"),
    "motherName": N_("Mother's name"),
    "birthDate": N_("Date of birth"),
    "birthPlace": N_("Place of birth"),
    "nationality": N_("Nationality"),
    "gender": N_("Gender"),
    "country": N_("Country"),
    "notes": N_("Notes"),
    "registrationNumber": N_("Registration number"),
    "number": N_("Number"),
    "address": N_("Address"),
    "full": N_("Full address"),
    "street": N_("Street"),
    "city": N_("City"),
    "region": N_("Region"),
    "postalCode": N_("Postal code"),
    "type": N_("Type"),
    "authority": N_("Issued by"),
    "startDate": N_("Valid from"),
    "endDate": N_("Valid until"),
    "model": N_("Model"),
    "iban": N_("IBAN"),
    "accountNumber": N_("Account number"),
    "bankName": N_("Bank"),
}


SOURCES = {
    "case": N_("A case file"),
    "report": N_("A report"),
    "import": N_("An imported file"),
}


def source_label(code: str) -> str:
    return _(SOURCES[code]) if code in SOURCES else code


# Numbers and addresses read left to right even on an Arabic page; names follow their script.
_LTR_SCHEMATA = frozenset({"Phone", "Email", "IdentityDocument", "Vehicle", "BankAccount"})


def value_dir(code: str) -> str:
    """The `dir` of a value of this kind of entity, for `<bdi dir=…>`."""
    return "ltr" if code in _LTR_SCHEMATA else "auto"


def schema_label(code: str) -> str:
    return _(SCHEMATA[code]) if code in SCHEMATA else code


def link_label(code: str) -> str:
    return _(LINKS[code]) if code in LINKS else code


def property_label(code: str) -> str:
    return _(PROPERTIES[code]) if code in PROPERTIES else code


def schema_choices() -> list[tuple[str, str]]:
    return [(code, _(label)) for code, label in SCHEMATA.items()]


def template_helpers() -> dict[str, object]:
    return {
        "schema_label": schema_label,
        "link_label": link_label,
        "property_label": property_label,
        "source_label": source_label,
        "value_dir": value_dir,
    }
