"""CSV cells: formulas neutralised (OWASP), everything else exactly as entered."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.export.csv_export import BOM, csv_bytes, neutralise_cell
from app.text_safety import has_hidden

TRIGGERS = set("=+-@\t\r")
LOOK_ALIKES = set("＝＋－＠")


def read_back(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM.encode("utf-8"))
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("value", [
    '=HYPERLINK("http://x","click")', "+44 20 7946 0000", "-1+1", "@SUM(A1:A2)", "\t=1+1",
    "\r=1", "  =1+1", "\u00a0=cmd|' /C calc'!A0", "\n@x", "＝1+1",
])
def test_formula_starts_are_neutralised(value: str) -> None:
    cell = neutralise_cell(value)
    assert cell.startswith("'")
    assert cell[1:] == value


@pytest.mark.parametrize("value", [
    "live:.cid.7f3a9b2e41d0c6", "https://www.facebook.com/anna.petrova.5817", "a & b < c",
    "<b>unclosed", "O'Brien", "line one\nline two", "Жанна", "4817 2930 56", "1=1", "a-b",
])
def test_other_values_are_written_exactly(value: str) -> None:
    assert neutralise_cell(value) == value


def test_our_own_numbers_and_flags_are_plain() -> None:
    assert neutralise_cell(-1) == "-1"
    assert neutralise_cell(True) == "yes"
    assert neutralise_cell(None) == ""


def test_control_and_bidi_characters_are_shown_as_escapes() -> None:
    assert neutralise_cell("nul\x00bell\x07") == "nul\\u0000bell\\u0007"
    assert neutralise_cell("gnp\u202e.exe") == "gnp\\u202e.exe"


def test_a_document_has_a_bom_crlf_and_reads_back() -> None:
    data = csv_bytes(["a", "b"], [["=1+1", 'say "hi", then\nleave'], [None, 3]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    assert read_back(data) == [["a", "b"], ["'=1+1", 'say "hi", then\nleave'], ["", "3"]]


def _is_plain(value: str) -> bool:
    return not has_hidden(value, keep="\t\n\r")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_no_cell_can_start_a_formula(value: str) -> None:
    cell = neutralise_cell(value)
    first = cell.lstrip(" \u00a0\u3000\n")[:1]
    assert cell[:1] not in TRIGGERS
    assert first not in TRIGGERS | LOOK_ALIKES or cell.startswith("'")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=5))
def test_values_round_trip_unless_neutralised(row: list[str]) -> None:
    back = read_back(csv_bytes(["c"] * len(row), [row]))[1]
    for original, cell in zip(row, back, strict=True):
        if not _is_plain(original):
            continue
        if original.lstrip(" \u00a0\u3000\n")[:1] in TRIGGERS | LOOK_ALIKES:
            assert cell in ("'" + original, "'" + original.replace("\r\n", "\n"))
        else:
            # csv normalises a lone "\r" inside a quoted cell the same way Excel does
            assert cell == original or cell == original.replace("\r\n", "\n")
