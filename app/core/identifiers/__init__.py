"""Offender identifiers: the kinds there are, and reading one as typed (links, money details, phone
numbers, e-mail) into a tidy form with gentle hints. This module is the package's public face:
code outside it imports from here.
"""

from app.core.identifiers.money import ascii_digits
from app.core.identifiers.normalising import help_explains_link, normalise
from app.core.identifiers.type_lookup import first_meaning, type_for_typed
from app.core.identifiers.types import (
    PLATFORMS,
    IdentifierType,
    NormalisedIdentifier,
    canonical_platform,
    parse_type,
    platform_label,
)
from app.core.identifiers.urls import (
    FACEBOOK,
    MONEY_SERVICES,
    PROFILE_SITES,
    SITE_BY_PLATFORM,
    inspect_url,
    is_app_page,
    split_url,
)

__all__ = [
    "FACEBOOK",
    "MONEY_SERVICES",
    "PLATFORMS",
    "PROFILE_SITES",
    "SITE_BY_PLATFORM",
    "IdentifierType",
    "NormalisedIdentifier",
    "ascii_digits",
    "canonical_platform",
    "first_meaning",
    "help_explains_link",
    "inspect_url",
    "is_app_page",
    "normalise",
    "parse_type",
    "platform_label",
    "split_url",
    "type_for_typed",
]
