"""No text, however damaged or hostile, makes a rule that finds details raise.

`find_candidates` catches a rule that raises and logs it (see `tests/ocr_support.py`), so a
test through it fails on any logged rule failure, and each rule is also fuzzed directly,
where nothing stands between it and the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.identifiers.normalising import normalise
from app.core.identifiers.types import IdentifierType
from app.core.pictures.text_page import OcrPage, OcrWord
from app.core.reading import candidates as candidates_module
from app.core.reading.candidates import find_candidates
from app.core.reading.kinds import DetailKind
from app.core.reading.lines import Found, Line, page_lines
from app.core.reading.rules import contact, handles, header, money, wallets
from app.core.reading.rules import time as time_rules
from tests.ocr_support import no_rule_fails
from tests.test_ocr_candidates import BTC, CID, ETH, IBAN, page

_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("@.:/-_+£$€0123456789 live:cid.MTCNsortcode")),
    ),
    max_size=300,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_text, min_size=1, max_size=6))
def test_any_text_never_raises(lines: list[str]) -> None:
    shot = page(*[line.replace(" ", "  ") for line in lines])
    with no_rule_fails():
        found = find_candidates(shot)
    for candidate in found:
        assert isinstance(candidate.kind, IdentifierType | DetailKind)  # a member, not a str
        assert candidate.value.strip()
        assert candidate.words and all(0 <= i < len(shot.words) for i in candidate.words)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=30))
def test_any_words_never_raise(texts: list[str]) -> None:
    # Words as a damaged worker might send them: line breaks inside, any characters.
    words = tuple(OcrWord(t, i * 9, 0, 8, 8, 50.0, i % 3) for i, t in enumerate(texts))
    with no_rule_fails():
        find_candidates(OcrPage(500, 500, words))


_FRAGMENTS = [
    "MTCN", "Western Union", "sort code", "account", "MoneyGram", "ref", "IBAN", "snap:",
    "Instagram", "@", "live:", ".cid.", "0x", "bc1", "www.", ".com", "/", "profile php",
    "?id=", "£", "$", "€", "GBP", "pounds", "k", "12-34-56", "12345678", "123 456 7890",
    "020 7946", "0123", "+44", "(0)", "21:14", "9:14 PM", "Yesterday", "12/03/2024",
    "March", "3", "at", ",", ".", " ", "\n", "\u202e", "=", "<b>", "../", IBAN, BTC, ETH, CID,
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_FRAGMENTS), max_size=12), min_size=1, max_size=5))
def test_detail_like_text_never_raises(lines: list[list[str]]) -> None:
    shot = page(*["".join(parts) for parts in lines])
    with no_rule_fails():
        found = find_candidates(shot)
    for candidate in found:
        assert candidate.words and all(0 <= i < len(shot.words) for i in candidate.words)
        if isinstance(candidate.kind, IdentifierType):
            again = normalise(candidate.kind, candidate.value, candidate.platform)
            assert again.normalised == candidate.normalised


# -- each rule on its own ------------------------------------------------------------------

RULES = [
    getattr(module, name)
    for module in (contact, handles, header, money, time_rules, wallets)
    for name in sorted(vars(module))
    if name.startswith("find_") and callable(getattr(module, name))
]


def test_every_rule_find_candidates_runs_is_fuzzed_here() -> None:
    assert set(candidates_module._RULES) <= set(RULES)


def _lines_both_ways(texts: list[str]) -> Iterator[list[Line]]:
    """The lines as read, as the rules with checksums get them, and with digit slips
    mended, as the other rules get them."""
    as_read = page_lines(page(*texts))
    yield as_read
    yield [candidates_module._mended(line) for line in as_read]


def _check(found: list[Found], lines: list[Line]) -> None:
    for item in found:
        assert item.spans
        for number, start, end in item.spans:
            assert 0 <= number < len(lines)
            assert 0 <= start <= end <= len(lines[number].text)


_line = st.one_of(
    _text,
    st.lists(st.sampled_from(_FRAGMENTS), max_size=12).map("".join),
)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_line, min_size=1, max_size=5))
def test_each_rule_on_any_text(rule: candidates_module._Rule, texts: list[str]) -> None:
    for lines in _lines_both_ways(texts):
        for index in range(len(lines)):
            _check(list(rule(lines, index)), lines)
