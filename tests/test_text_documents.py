"""Text files that are not chat exports (notes of a call, a message saved from a web page, text
pasted into Safekeep) read as documents: decoded whatever their encoding, their words laid out
line by line, read in a real SQLCipher case by the reading functions the window and `safekeep
ocr` use, only identifiers offered, a chat written as text left to the chat reader, and the
bundle showing each file's text with its exhibit reference. Hostile text included."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from app.core.intake.sniff import TEXT
from app.core.pictures import OcrPool, OcrStatus
from app.core.pictures.text_page import MAX_WORDS, split_words
from app.core.reading import (
    TEXT_TYPE,
    read_unread,
    reading_of,
    recognised_texts,
    screenshot_tip,
    suggestion_groups,
    suggestions_for,
    text_source,
    unread_ids,
)
from app.core.reading.documents import (
    MAX_TEXT_BYTES,
    _lines,
    decode_text,
    read_text_file,
    text_page,
)
from app.core.records import edit_evidence, list_evidence
from app.export import export_bundle
from tests.conftest import CliResult
from tests.test_chat_details import WHATSAPP, add, new_case, opened

Cli = Callable[..., CliResult]

NOTES = ("Notes from the call, Tuesday 3 March 2026 at 21:40\n"
         "He said to pay £250 by Western Union, MTCN 412 877 3090, to Jess Taylor in Lagos.\n"
         "His e-mail: jess.taylor58@example.com  and his bank: GB82 WEST 1234 5698 7654 32\n")


@pytest.fixture(scope="module")
def pool() -> Iterator[OcrPool]:
    with OcrPool(workers=1) as workers:
        yield workers


def test_the_type_read_as_a_text_file_is_the_one_sniffing_names() -> None:
    assert TEXT_TYPE == TEXT.mime


@pytest.mark.parametrize(("data", "text", "encoding"), [
    ("café £5".encode(), "café £5", "UTF-8"),
    (b"\xef\xbb\xbf" + "café".encode(), "café", "UTF-8"),
    ("café".encode("utf-16"), "café", "UTF-16"),  # Notepad's "Unicode", with its mark
    (b"\xfe\xff" + "café".encode("utf-16-be"), "café", "UTF-16"),
    ("café £5".encode("cp1252"), "café £5", "Windows-1252"),  # an older Windows's notes
])
def test_text_is_decoded_in_the_encoding_it_was_written_in(
        data: bytes, text: str, encoding: str) -> None:
    assert decode_text(data) == (text, encoding)


def test_bytes_that_are_no_text_never_raise() -> None:
    for data in (b"\x81\x8d\x8f\x90\x9d", b"\xff\xfe\x00", bytes(range(256)), b""):
        text, _ = decode_text(data)
        page = text_page(text)
        assert all(w.text and "\x00" not in w.text for w in page.words)


def test_words_stand_in_their_lines_by_column() -> None:
    page = text_page("MTCN:  412-877-3090\r\n\nto jess@example.com\u2028end")
    assert [(w.text, w.line) for w in page.words] == [
        ("MTCN:", 0), ("412-877-3090", 0), ("to", 2), ("jess@example.com", 2), ("end", 3)]
    mtcn, number = page.words[:2]
    assert (mtcn.left, number.left) == (0, 70) and number.width == 120
    assert page.words[2].top == 2 * page.words[2].height  # the blank line keeps its place
    assert page.text == "MTCN: 412-877-3090\nto jess@example.com\nend"


def test_control_and_hidden_characters_part_words_or_are_left_out() -> None:
    # A right-to-left override would show "moc.elpmaxe@" reversed; a soft hyphen is unseen.
    page = text_page("bad\x00word\x1bnext \u202ejess@exam\u00adple.com")
    assert [w.text for w in page.words] == ["bad", "word", "next", "jess@example.com"]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_a_printable_lines_quick_split_gives_the_same_words(line: str) -> None:
    """A line with no control, format or break character is split by a pattern; what it
    gives must be what the character-by-character way gives (a NUL at the end sends any
    line that way, and parts no word)."""
    assert list(split_words(line)) == list(split_words(line + "\x00")) or not line.isprintable()


def test_a_huge_line_and_too_many_words_stay_within_a_page() -> None:
    page = text_page("x" * 300_000 + " MTCN 4128773090")
    assert all(len(w.text) <= 200 and w.left + w.width < 1 << 20 for w in page.words)
    many = text_page("word " * (MAX_WORDS + 500) + "\nlast line")
    assert len(many.words) == MAX_WORDS and many.words[-1].text == "word"
    tall = text_page("a\n" * 200_000)
    assert tall.height < 1 << 20
    assert text_page("\n" * 3 + "end").words[0].line == 3  # blank lines keep their place


@given(st.text(alphabet="ab \r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\t", max_size=30))
def test_lines_are_parted_as_splitlines_parts_them(text: str) -> None:
    assert list(_lines(text)) == text.splitlines()


def test_a_chat_written_as_text_is_left_to_the_chat_reader() -> None:
    assert read_text_file("notes.txt", WHATSAPP.encode()).status is OcrStatus.NONE
    assert read_text_file("notes.txt", NOTES.encode()).status is OcrStatus.OK
    too_large = read_text_file("big.txt", b"a " * (MAX_TEXT_BYTES // 2 + 1))
    assert too_large.status is OcrStatus.TOO_LARGE


def test_notes_are_read_once_and_only_their_identifiers_offered(
        tmp_path: Path, cli: Cli, pool: OcrPool) -> None:
    case_path = new_case(tmp_path, cli)
    (tmp_path / "notes.txt").write_bytes(NOTES.encode("cp1252"))
    (tmp_path / "WhatsApp Chat with Kim.txt").write_text(WHATSAPP, encoding="utf-8")
    notes, chat = (item["evidence_id"] for item in add(
        cli, case_path, tmp_path / "notes.txt", tmp_path / "WhatsApp Chat with Kim.txt")["items"])
    with opened(case_path) as case:
        assert unread_ids(case) == [notes]  # the chat's messages are read as a chat's
        assert text_source(case, notes).document and not text_source(case, chat).document
        progress = read_unread(case, pool)
        assert (progress.done, progress.total) == (1, 1) and unread_ids(case) == []
        reading = reading_of(case, notes)
        assert reading is not None and reading.engine == "Plain text Windows-1252"
        assert "He said to pay £250" in recognised_texts(case)[notes]  # Search finds it
        found = {(s.kind.value, s.value): s for s in suggestions_for(case, notes)}
        # No date or amount: notes are full of both, and neither is the offender's detail.
        assert set(found) == {("mtcn", "412 877 3090"), ("email", "jess.taylor58@example.com"),
                              ("iban", "GB82 WEST 1234 5698 7654 32")}, found
        assert all(s.document for s in found.values())
        assert screenshot_tip(case, notes) is None
        [group] = [g for g in suggestion_groups(case) if g.value == "412 877 3090"]
        assert group.document_ids == (notes,) and group.pictures == 0


def test_safekeep_ocr_reads_a_text_file(tmp_path: Path, cli: Cli) -> None:
    case_path = new_case(tmp_path, cli)
    (tmp_path / "notes.txt").write_text(NOTES, encoding="utf-8")
    add(cli, case_path, tmp_path / "notes.txt")
    result = cli("ocr", str(case_path))
    assert result.code == 0, result
    assert "Read 1 new picture or document; found 3 new details." in result.out
    assert "Western Union MTCN: 412 877 3090" in result.out and "screenshot" not in result.out


def test_a_text_file_too_large_to_read_is_stored_as_such(
        tmp_path: Path, cli: Cli, pool: OcrPool) -> None:
    case_path = new_case(tmp_path, cli)
    (tmp_path / "log.txt").write_bytes(b"MTCN 4128773090\n" * (MAX_TEXT_BYTES // 16 + 1))
    [item] = add(cli, case_path, tmp_path / "log.txt")["items"]
    with opened(case_path) as case:
        assert read_unread(case, pool).done == 1
        reading = reading_of(case, item["evidence_id"])
        assert reading is not None and reading.status is OcrStatus.TOO_LARGE
        assert suggestions_for(case, item["evidence_id"]) == []


HOSTILE = ("=HYPERLINK(\"http://x.example\",\"open\")\n"
           "<b>bold</b> <font size=90>&amp;</font> ../../etc/passwd\n"
           "+44 7911 123456 \u202emoc.elpmaxe@ssej\u202c and a tab\there\n")


def test_the_bundle_shows_each_text_files_words_under_its_exhibit(
        tmp_path: Path, cli: Cli, pool: OcrPool) -> None:
    case_path = new_case(tmp_path, cli)
    (tmp_path / "notes.txt").write_text(NOTES, encoding="utf-8")
    (tmp_path / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "long.txt").write_text(
        "".join(f"Line {n} of a long message.\n" for n in range(1, 151)), encoding="utf-8")
    (tmp_path / "private.txt").write_text("Private words, never shown\n", encoding="utf-8")
    ids = [item["evidence_id"] for item in add(
        cli, case_path, *(tmp_path / n for n in
                          ("notes.txt", "hostile.txt", "long.txt", "private.txt")))["items"]]
    with opened(case_path) as case:
        read_unread(case, pool)
        edit_evidence(case, ids[3], sensitive=True)
        exhibits = {e.id: e.exhibit_number for e in list_evidence(case)}
        bundle = export_bundle(case, tmp_path / "bundle.zip").path
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        [report] = [n for n in names if n.endswith("report.pdf")]
        pages = [page.extract_text() or "" for page in
                 PdfReader(io.BytesIO(archive.read(report))).pages]
        [continuity] = [n for n in names if n.endswith("csv/continuity.csv")]
        rows = list(csv.DictReader(io.StringIO(archive.read(continuity).decode("utf-8-sig"))))
    said = " ".join(" ".join(pages).split())
    assert "Text files" in said and "Text in the file, as written" in said
    assert "to Jess Taylor in Lagos." in said and "Line 1 of a long message." in said
    assert "Line 150 of a long message." in said  # across pages, every line
    assert any("continued" in page and "Line 150" in page for page in pages)
    assert "=HYPERLINK(" in said and "<font size=90>&amp;</font>" in said  # as written
    assert "Private words" not in said  # sensitive: listed with its hash only
    assert said.count("Its text is shown later in this report") == 3
    ref = f"/{exhibits[ids[0]]}"
    [row] = [r for r in rows if any(str(v).endswith(ref) for v in r.values())]
    assert "its words were read as plain text (UTF-8)" in " ".join(map(str, row.values()))


def test_past_the_files_a_report_shows_the_rest_are_counted(
        tmp_path: Path, cli: Cli, pool: OcrPool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of notes would make thousands of pages: the first are shown, the rest
    counted, and only the rows of those shown say their text is in the report."""
    import app.export.report_documents as report_documents

    monkeypatch.setattr(report_documents, "_MAX_FILES_SHOWN", 2)
    case_path = new_case(tmp_path, cli)
    for n in range(3):
        (tmp_path / f"note{n}.txt").write_text(f"Note number {n} of three\n", encoding="utf-8")
    add(cli, case_path, *(tmp_path / f"note{n}.txt" for n in range(3)))
    with opened(case_path) as case:
        read_unread(case, pool)
        bundle = export_bundle(case, tmp_path / "bundle.zip").path
    with zipfile.ZipFile(bundle) as archive:
        [report] = [n for n in archive.namelist() if n.endswith("report.pdf")]
        said = " ".join(" ".join(page.extract_text() or "" for page in
                                 PdfReader(io.BytesIO(archive.read(report))).pages).split())
    assert "Note number 0 of three" in said and "Note number 1 of three" in said
    assert "Note number 2 of three" not in said
    assert "1 more text file is not shown here, to keep the report short" in said
    assert said.count("Its text is shown later in this report") == 2
