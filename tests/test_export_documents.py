"""The export's documents made lean for big cases, and still the same bytes: manifest.json encoded
a slice at a time, documents kept deflated and written in chunks, RowTable's own text output."""

import io
import json
import random

import pytest
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from app.export import manifest as manifest_module
from app.export import report_rows
from app.export.documents import Document
from app.export.lazy_rows import LazyRows
from app.export.manifest import manifest_bytes
from app.export.report_rows import RowTable, Text
from app.export.report_style import TEXT_WIDTH, register_fonts


def test_manifest_bytes_read_back_exactly_across_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest_module, "_SLICE", 50)  # many slices, hidden characters astride
    data = {"evidence": [{"name": f"a\u202eb{n}\u200b", "é": n, "x": None, "ok": n % 2 == 0,
                          "ids": [n, n + 1]} for n in range(40)],
            "files": [], "empty": {}, "note": "line\nbreak\u2066",
            "case": {"name": "A \"quoted\" name", "numbers": [1, 2], "nested": {"k": [{"a": 1}]}}}
    written = manifest_bytes(data)
    text = written.decode("utf-8")
    assert json.loads(text) == data
    assert "\\u202e" in text and "\u202e" not in text  # hidden characters shown as escapes
    lines = text.splitlines()
    # Each entry of a list is one line of its own; objects are indented.
    assert sum(1 for line in lines if line.startswith('    {"name": ')) == 40
    assert '  "case": {' in lines and '    "name": "A \\"quoted\\" name",' in lines
    monkeypatch.setattr(manifest_module, "_SLICE", 1 << 16)
    assert manifest_bytes(data) == written  # the same bytes however it is sliced


def test_lazy_manifest_arrays_write_as_lists() -> None:
    items = manifest_module._Items([1, 2, 3], lambda n: {"n": n})
    empty = manifest_module._Items([], lambda n: {"n": n})
    assert manifest_bytes({"a": items, "b": empty}) == manifest_bytes(
        {"a": [{"n": 1}, {"n": 2}, {"n": 3}], "b": []})


@pytest.mark.parametrize("size", [0, 7, (1 << 20) - 1, 3 << 20])
def test_a_document_comes_back_whole_in_bounded_chunks(size: int) -> None:
    rng = random.Random(size)
    data = bytes(rng.choice(b"abc,\r\n") for _ in range(size // 2)) + rng.randbytes(size // 2)
    document = Document.of("csv/x.csv", data)
    chunks = list(document.chunks())
    assert b"".join(chunks) == data and document.size == len(data)
    assert all(len(c) <= 1 << 20 for c in chunks)
    assert Document.of("report.pdf", data, pack=False).data() == data


def _table_pdf() -> bytes:
    register_fonts()
    pieces = [Text("plain ascii line, then wrapped " * 3), Text("Ünïcödé — “quotes” £500", "muted"),
              Text("中文 and \u202e hidden"), Text("0123456789abcdef" * 4, "mono", fit=True)]

    def row(n: int) -> list[list[Text]]:
        turn = n % len(pieces)
        return [[Text(f"AB/{n}", "bold", fit=True)], pieces[turn:] + pieces[:turn]]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, invariant=1, pageCompression=0)
    doc.build([RowTable(["Exhibit", "Item"], [60, TEXT_WIDTH - 60],
                        LazyRows(list(range(120)), row))])
    return buffer.getvalue()


class _ReportLabWriter:
    """TextWriter's work done with ReportLab's own general text calls."""

    def __init__(self, canv: Canvas, fonts: object) -> None:
        self._canvas = canv
        self._text = canv.beginText()
        self._font: tuple[str, float] | None = None
        self._color: object = None

    def move_to(self, x: float, y: float) -> None:
        self._text.setTextOrigin(x, y)

    def set_font(self, name: str, size: float) -> None:
        if self._font != (name, size):
            self._font = (name, size)
            self._text.setFont(name, size)

    def set_color(self, color: object) -> None:
        if color is not self._color:
            self._color = color
            self._text.setFillColor(color)

    def write(self, run: str) -> None:
        self._text.textOut(run)

    def draw(self) -> None:
        self._canvas.drawText(self._text)


def test_rowtable_text_is_what_reportlab_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    ours = _table_pdf()
    monkeypatch.setattr(report_rows, "TextWriter", _ReportLabWriter)
    assert ours == _table_pdf()
    assert b" Tj" in ours


LONG_URL = ("https://mega.nz/file/AbCdEfGh#" + "x" * 40 + "-aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"
            "?utm_source=instagram&utm_medium=dm&fbclid=IwAR0abcdefghijklmnopqrstuvwxyz0123")


@pytest.mark.parametrize("value", [LONG_URL, LONG_URL.replace("x" * 40, "\u200b" * 3 + "é" * 37)],
                         ids=["plain", "with hidden and accented characters"])
def test_a_value_too_long_to_read_shrunk_goes_on_below_never_past_its_column(
        value: str) -> None:
    # Shrunk to fit, a 200-character value in a 150-point column was 3 points high and ran
    # over the next column and off the page.
    register_fonts()
    width = 150.0
    lines = report_rows._lay_piece(Text(value, "muted", fit=True), width)
    assert len(lines) > 1
    assert all(line.size >= 4.0 for line in lines), "never smaller than can be read"
    for line in lines:
        drawn = "".join(text for text, _ in line.runs)
        assert report_rows._width(line.runs, line.font, line.size) <= width, drawn
    assert all(line.runs[-1] == (" \u21b5", True) for line in lines[:-1])  # grey: goes on
    whole = "".join(text for line in lines for text, grey in line.runs
                    if (text, grey) != (" \u21b5", True))
    assert whole == "".join(text for text, _ in report_rows.visible_tokens(value))
    # A value that fits at a readable size is one line, as before.
    [short] = report_rows._lay_piece(Text(value[:25], "muted", fit=True), width)
    assert short.size >= 4.0


@pytest.mark.parametrize("text", [
    "email the MTCN to jessica.harrington.official@protonmail-secure-mailbox.com tonight",
    "email the MTCN to jéssica.harrington.official@protonmail-secure-mailbox.com tonight",
], ids=["ascii", "accented"])
def test_a_word_cut_in_wrapped_text_is_marked_where_it_goes_on(text: str) -> None:
    # A message's e-mail address wrapped as "...mailbox.co" / "m", which reads as two words.
    register_fonts()
    width = 120.0
    lines = report_rows._lay_piece(Text(text), width)
    goes_on = (" \u21b5", True)
    at, cuts = 0, 0
    for line in lines:
        drawn = "".join(t for t, grey in line.runs if (t, grey) != goes_on).strip()
        at = text.index(drawn, at) + len(drawn)
        inside_a_word = at < len(text) and text[at] != " "
        assert (line.runs[-1] == goes_on) == inside_a_word, (drawn, inside_a_word)
        cuts += inside_a_word
        assert report_rows._width(line.runs, line.font, line.size) <= width, drawn
    assert at == len(text) and cuts >= 1
