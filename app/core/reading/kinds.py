"""What kind of detail a rule found in a picture's text: the kinds are spelled only here.

Most details are identifiers (`IdentifierType`: an e-mail address, a Skype ID, an MTCN...) and
can be added to the case's details with one click. Two kinds are not identifiers: amounts of
money and dates or times. They are offered so the person can see them on the picture, and can
never be added as an identifier. A candidate's kind is one or the other, and is turned back
into a member once, when a stored suggestion is read from the case file.
"""

from __future__ import annotations

import re
from enum import StrEnum

from app.core.identifiers import IdentifierType
from app.i18n import tr


class DetailKind(StrEnum):
    """A detail read in a picture that is not an identifier."""

    AMOUNT = "amount"  # normalised as "GBP 250.00"
    DATE_TIME = "date-time"  # normalised as described in `rules.time`

    @property
    def label(self) -> str:
        return tr("Amount of money") if self is DetailKind.AMOUNT else tr("Date or time")


# Stored in the case file (evidence_suggestion.kind) by its value.
CandidateKind = IdentifierType | DetailKind


def candidate_kind(text: str) -> CandidateKind | None:
    """The kind a stored value names, or None for a value this version does not know."""
    if text in IdentifierType._value2member_map_:
        return IdentifierType(text)
    if text in DetailKind._value2member_map_:
        return DetailKind(text)
    return None


# The number a Telegram export gives each sender (`from_id`), "user123456789": it stays when
# the account's name changes. Found in a chat, it is an "Other detail" (the identifier types
# are the command line's keywords), and "Telegram" beside it did not say what it was.
_TELEGRAM_ACCOUNT = re.compile(r"user\d{3,}")


def what_it_is(kind: CandidateKind, platform: str | None, value: str) -> str | None:
    """Words for a detail whose kind alone does not say what it is, else None."""
    if kind is IdentifierType.OTHER and platform == "Telegram" \
            and _TELEGRAM_ACCOUNT.fullmatch(value):
        return tr("Telegram account number")
    return None


# On the labelled corpus, wrong suggestions had a median word confidence near 60 and right
# ones near 90; below this, the view asks the person to look especially carefully.
HARD_TO_READ_BELOW = 70.0
