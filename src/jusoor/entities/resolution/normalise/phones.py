"""Phone numbers in E.164, whatever digits, separators and international prefix they were typed
with ("+222 22 45 67 89", "0022222456789" and "٢٢٤٥٦٧٨٩" in a Mauritanian file are one phone)."""

from __future__ import annotations

import re

import phonenumbers

from jusoor.entities.resolution.normalise.scripts import ascii_digits

# What may surround the digits: separators, a leading +, an extension marker. Everything else
# (labels such as "tel:" or "هاتف") is dropped before parsing.
_NOT_PHONE = re.compile(r"[^\d+()\-./ xX]")
_MAX_LENGTH = 40


def normalize_phone(
    raw: str, default_region: str | None = None, *, strict: bool = False
) -> str | None:
    """`raw` as an E.164 number ("+22222456789"), or None if it is not a possible phone number.

    `default_region` (ISO alpha-2, e.g. the country of the file it came from) reads national
    numbers ("22456789" in "MR") and national exit codes; without it a number needs "+" or "00".
    With `strict`, the number must also be valid under the country's numbering plan, not only
    of a possible length."""
    text = _NOT_PHONE.sub("", ascii_digits(raw)).strip()
    if not text or len(text) > _MAX_LENGTH:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    region = default_region.upper() if default_region else None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    acceptable = (
        phonenumbers.is_valid_number(number) if strict else phonenumbers.is_possible_number(number)
    )
    if not acceptable:
        return None
    e164 = _e164(number)
    # Garbage such as "+31 0000000" loses a trunk zero each time it is read: not one phone.
    try:
        stable = _e164(phonenumbers.parse(e164, None)) == e164
    except phonenumbers.NumberParseException:
        stable = False
    return e164 if stable else None


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
