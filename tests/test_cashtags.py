"""A Cash App $Cashtag is offered as the offender's username on Cash App: offenders ask for
money to one ("send it to my cashapp $kingdavid99"), and it had not been offered at all.
Amounts ("$200") and currency codes ("$USD") are not names."""

import pytest

from app.core.identifiers import IdentifierType
from app.core.reading.candidates import find_in_text


@pytest.mark.parametrize(("text", "tag"), [
    ("send it to my cashapp $kingdavid99 now", "$kingdavid99"),
    ("my cashtag is $Kwame_Pay.", "$Kwame_Pay"),
    ("($ab) pay there", "$ab"),
])
def test_a_cashtag_is_offered_on_cash_app(text: str, tag: str) -> None:
    found = [c for c in find_in_text(text) if c.kind is IdentifierType.USERNAME]
    assert [(c.value, c.platform) for c in found] == [(tag, "Cash App")]


@pytest.mark.parametrize("text", [
    "pay $200 by friday", "$1.5k or else", "price $USD 20", "costs $ 50", "US$50 now",
    "a$b@example.org", "$a", "$$money", "$" + "x" * 21,
])
def test_amounts_and_codes_are_not_cashtags(text: str) -> None:
    assert not [c for c in find_in_text(text) if c.platform == "Cash App"]
