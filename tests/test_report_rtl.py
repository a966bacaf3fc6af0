"""Arabic and Hebrew in the report: joined and in the order they are read.

Drawn as stored, the username "שלום_עולם" came out mirrored in the PDF and Arabic letters came
out apart, so an officer could not read a name the offender used. The PDF's text is read back
here in the order it is drawn (pypdf's layout mode, left to right), so a value drawn right is
found there in visual order; the CSV files keep every value as typed.
"""

import csv
import io
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from app.core.records.identifiers import add_identifier
from app.core.records.payments import add_payment
from app.core.records.summary import edit_case
from app.export import export_bundle
from app.export.bidi_text import (
    base_is_rtl,
    has_rtl,
    joined,
    seen_line,
    seen_order,
    visual_order,
)
from app.export.report_style import Styles, covered, markup, register_fonts
from app.models.casefile import CaseFile
from tests.test_export_support import unzip

HEBREW = "שלום_עולם"  # a username: "hello_world"
ARABIC = "محمد عبد الله"  # a name, with the word Allah, which has a ligature of its own
PLACE = "الدار البيضاء، المغرب"  # Casablanca, Morocco


def _drawn(path: Path) -> str:
    """The PDF's text as it is drawn, left to right (pypdf's plain extraction turns
    right-to-left runs round by its own rules; its layout mode places each glyph where it is)."""
    return "\n".join(page.extract_text(extraction_mode="layout") or ""
                     for page in PdfReader(path).pages)


def _no_space(text: str) -> str:
    return "".join(text.split())


def test_hebrew_is_drawn_right_to_left_and_latin_stays() -> None:
    assert seen_line(HEBREW, rtl=True) == "םלוע_םולש"
    # Latin first: a left-to-right line, the Hebrew run turned round in its place.
    assert seen_line("user שלום", rtl=False) == "user םולש"
    assert seen_line("anna.smith@example.com", rtl=False) == "anna.smith@example.com"
    assert not has_rtl("Жанна Ελένη Åsa") and has_rtl(HEBREW) and has_rtl(ARABIC)
    assert base_is_rtl(ARABIC) and not base_is_rtl("moha_2024 محمد")


def test_arabic_is_joined_with_forms_the_font_has_and_nothing_dropped() -> None:
    register_fonts()
    shaped = joined(ARABIC, covered)
    assert shaped != ARABIC
    assert all(covered(ord(ch)) for ch in shaped), "no ligature the font lacks (U+FDF2)"
    assert all("FORM" in unicodedata.name(ch) for ch in shaped if ch != " ")
    with_marks = "مُحَمَّد"  # vowel signs are part of the text: kept, not deleted
    marks = [ch for ch in with_marks if unicodedata.combining(ch)]
    assert [ch for ch in joined(with_marks, covered) if unicodedata.combining(ch)] == marks
    # Drawn, each mark follows the letter it belongs to (reversing put it before).
    shown = seen_line(joined(with_marks, covered), rtl=True)
    assert not unicodedata.combining(shown[0])
    assert unicodedata.name(shown[0]).startswith("ARABIC LETTER DAL")


def test_hidden_characters_stay_escapes_and_never_turn_a_value_round() -> None:
    """A right-to-left override (U+202E) is shown as its escape, in place, and has no effect:
    the value is ordered as if it were not there."""
    line = markup("invoice\u202egpj.exe")
    assert "invoice" in line and "gpj.exe" in line and "\\u202e" in line
    tokens = [("abc", False), ("\\u202e", True), ("def", False)]
    assert seen_order(tokens, rtl=False) == tokens
    # A zero-width joiner inside an Arabic name stays, as its escape, where it was.
    tokens = [("عبد", False), ("\\u200d", True), ("الله", False)]
    shown = seen_order(tokens, rtl=True)
    assert shown == [("هللا", False), ("\\u200d", True), ("دبع", False)]


def test_the_report_draws_them_readably_and_the_csv_keeps_them_as_typed(
        case: CaseFile, tmp_path: Path) -> None:
    register_fonts()
    edit_case(case, display_name="ياسمين")  # in every page's header (drawn as one line)
    add_identifier(case, "username", HEBREW)
    add_identifier(case, "name", ARABIC, note="قال إنه من القاهرة")
    add_payment(case, amount="200", method="western-union", reference="1234567890",
                recipient_name="يوسف بن علي", recipient_place=PLACE)
    result = export_bundle(case, tmp_path / "bundle.zip")
    folder = unzip(result.path, tmp_path / "out")
    drawn = _no_space(_drawn(folder / "report.pdf"))

    for value in (HEBREW, ARABIC, PLACE, "ياسمين"):
        seen = seen_line(joined(value, covered), rtl=True)
        assert _no_space(seen) in drawn, value
        assert _no_space(value) not in drawn, f"{value} drawn as stored"
    name = _no_space(seen_line(joined("ياسمين", covered), rtl=True))
    assert drawn.count(name) > len(PdfReader(folder / "report.pdf").pages), "in every header"
    with (folder / "csv" / "identifiers.csv").open(encoding="utf-8-sig", newline="") as f:
        values = {row["value_as_entered"] for row in csv.DictReader(f)}
    assert {HEBREW, ARABIC} <= values


def test_a_long_note_reads_on_from_line_to_line(tmp_path: Path) -> None:
    """Ordering the whole note before the PDF library breaks it into lines put its last words
    on the first line: each line is ordered once it is broken."""
    register_fonts()
    words = ["قال", "إنه", "سينشر", "الصور", "إذا", "لم", "أدفع", "المال", "خلال", "يومين",
             "وإنه", "يعرف", "أصدقائي", "وعائلتي"]
    path = tmp_path / "note.pdf"
    SimpleDocTemplate(str(path), pagesize=(160, 400), leftMargin=10, rightMargin=10).build(
        [Styles().v(" ".join(words))])
    lines = [_no_space(line) for line in _drawn(path).splitlines() if line.strip()]
    assert len(lines) >= 3
    first, last = (_no_space(seen_line(joined(w, covered), rtl=True)) for w in (words[0],
                                                                                words[-1]))
    assert lines[0].endswith(first), "a right-to-left line begins at its right"
    assert lines[-1].startswith(last)
    assert markup(" ".join(words)) == joined(" ".join(words), covered)  # stored order kept


_MIXED = st.text(alphabet=st.sampled_from(list("ab1 2שלוםعبدالله()[]<>&.,،\u202e\u200d\u064e\n")),
                 max_size=60)


@settings(max_examples=150, deadline=None)
@given(_MIXED, st.booleans())
def test_ordering_moves_every_character_once(text: str, rtl: bool) -> None:
    line = text.replace("\n", " ")
    places = [place for place, _ in visual_order(line, rtl)]
    assert sorted(places) == list(range(len(line)))


@settings(max_examples=25, deadline=None)
@given(_MIXED)
def test_any_mix_draws_in_a_paragraph(text: str) -> None:
    """Markup-like characters, overrides, joiners and marks among Hebrew and Arabic: the
    paragraph is built and drawn, and nothing is taken as markup."""
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=(200, 400), leftMargin=10, rightMargin=10).build(
        [Styles().v(text)])
    assert out.getvalue().startswith(b"%PDF")


def test_lines_the_person_broke_are_each_ordered(tmp_path: Path) -> None:
    """A note typed over two lines: the first ends in a line break, which ReportLab keeps as
    an empty piece of that line; that line was left as stored."""
    register_fonts()
    path = tmp_path / "lines.pdf"
    SimpleDocTemplate(str(path), pagesize=(300, 200), leftMargin=10, rightMargin=10).build(
        [Styles().v("سطر أول\nسطر ثان")])
    lines = [_no_space(line) for line in _drawn(path).splitlines() if line.strip()]
    assert lines == [_no_space(seen_line(joined(text, covered), rtl=True))
                     for text in ("سطر أول", "سطر ثان")]


def test_a_note_split_over_pages_is_ordered_on_each(tmp_path: Path) -> None:
    """ReportLab splits a paragraph at a page break into two made from its stored lines:
    each half orders its own lines as it draws them."""
    register_fonts()
    words = ["كلمة"] * 60 + ["آخر"]
    path = tmp_path / "split.pdf"
    SimpleDocTemplate(str(path), pagesize=(160, 90), leftMargin=10, rightMargin=10,
                      topMargin=10, bottomMargin=10).build([Styles().v(" ".join(words))])
    pages = PdfReader(path).pages
    assert len(pages) > 1
    last = (pages[-1].extract_text(extraction_mode="layout") or "").splitlines()
    drawn = [_no_space(line) for line in last if line.strip()]
    assert drawn[-1].startswith(_no_space(seen_line(joined("آخر", covered), rtl=True)))
