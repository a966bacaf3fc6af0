"""A bundle's memory does not grow with what it holds: report.pdf is written to its file as it
is made (each picture when drawn, each page when finished), a very long CSV cell is written a
slice at a time, and the audit log is walked an event at a time. Checked with real PDFs read
back by pypdf and by their own cross-reference table, real CSV readers, and tracemalloc.
"""

import csv
import io
import os
import re
import tracemalloc
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from app.core.records.audited import audit
from app.errors import Cancelled
from app.export import export_bundle
from app.export.casedata import take_snapshot
from app.export.csv_export import csv_bytes, csv_chunks, neutralise_cell
from app.export.pdf_picture import Picture
from app.export.report import write_report
from app.models.casefile import CaseFile
from tests.test_export_support import add_evidence_direct, png_bytes


class _Written(io.BytesIO):
    """The report's file: remembers how much had been written at each moment asked."""


def _jpeg(seed: int) -> bytes:
    noise = Image.effect_noise((900, 1400), 60 + seed).convert("RGB")  # incompressible-ish
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=85)
    return out.getvalue()


def _case_with_pictures(case: CaseFile, count: int) -> list[int]:
    return [add_evidence_direct(case, png_bytes(seed=n), f"Screenshot_{n}.png")
            for n in range(count)]


def test_each_picture_is_in_the_file_before_the_next_is_drawn(case: CaseFile) -> None:
    """The old report held every picture until the end (a 972 MB peak for 1,000 screenshot
    pages): nothing reached the file before the last page was laid out."""
    ids = _case_with_pictures(case, 5)
    jpegs = {evidence_id: _jpeg(n) for n, evidence_id in enumerate(ids)}
    out = _Written()
    written_when_asked: list[tuple[int, int]] = []  # (bytes in the file, pictures given)
    given = 0

    def picture(evidence_id: int) -> Picture:
        nonlocal given
        written_when_asked.append((out.tell(), sum(len(jpegs[i]) for i in ids[:given])))
        given += 1
        return Picture(jpegs[evidence_id], 900, 1400)

    snap = take_snapshot(case, include_sensitive=False)
    write_report(snap, out, evidence_files={}, picture=picture)
    assert given == 5
    for in_file, pictures_before in written_when_asked:
        assert in_file >= pictures_before  # every picture drawn so far is in the file
    reader = PdfReader(io.BytesIO(out.getvalue()), strict=True)
    embedded = [xobject.get_object()._data for page in reader.pages
                for xobject in page["/Resources"].get("/XObject", {}).values()
                if xobject.get_object()["/Subtype"] == "/Image"]  # not the page labels
    assert sorted(embedded) == sorted(jpegs.values())  # each exactly as given, once
    last = reader.pages[-1].extract_text()
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last


def _objects_where_the_table_says(pdf: bytes) -> int:
    """Follow the PDF's own cross-reference table: every object it lists starts where it says,
    and no object is written twice. Returns how many objects there are."""
    start = int(re.findall(rb"startxref\s+(\d+)\s+%%EOF", pdf)[-1])
    assert pdf[start:start + 4] == b"xref"
    lines = pdf[start:].split(b"\n")
    first, count = (int(v) for v in lines[1].split())
    assert first == 0
    for number in range(1, count):
        offset, _generation, kind = lines[2 + number].split()
        assert kind == b"n"
        assert pdf[int(offset):].startswith(b"%d 0 obj" % number), number
        assert len(re.findall(rb"(?<![0-9])%d 0 obj" % number, pdf)) == 1, number
    return count - 1


def test_every_object_is_once_where_the_cross_reference_table_says(case: CaseFile) -> None:
    ids = _case_with_pictures(case, 3)
    for n in range(400):  # several pages of exhibits as well as the picture pages
        add_evidence_direct(case, f"log {n}\n".encode(), f"chat-{n}.txt", kind="text",
                            detected_type="text/plain", thumbnail=False)
    snap = take_snapshot(case, include_sensitive=False)
    out = io.BytesIO()
    write_report(snap, out, evidence_files={},
                 picture=lambda i: Picture(_jpeg(ids.index(i)), 900, 1400))
    pdf = out.getvalue()
    assert pdf.startswith(b"%PDF-1.4\n")
    assert _objects_where_the_table_says(pdf) > 20
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "chat-399.txt" in text and "Screenshot_2.png" in text


def _open_files() -> int:
    """Files this process has open, but for the case's own: its connection pool (up to three
    connections, each with the case file and its log) grows as reads come at once, and the
    report's pictures are read while the originals are copied."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the listing's own, closed by now
            continue
        count += ".skcase" not in target
    return count


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
def test_the_documents_files_are_closed_whether_the_bundle_is_made_or_cancelled(
        case: CaseFile, tmp_path: Path) -> None:
    """The report and the packed CSV files go to unnamed files: each is closed (its room given
    back) once copied into the bundle, and whichever stage a cancel comes in."""
    _case_with_pictures(case, 2)
    out = tmp_path / "bundles"
    out.mkdir()
    export_bundle(case, out / "first.zip")  # the pools and the case are open by now
    before = _open_files()
    export_bundle(case, out / "made.zip")
    assert _open_files() == before
    for stage in ("Writing the report", "Writing the spreadsheets", "Copying evidence"):
        labels: list[str] = []

        def progress(_done: int, _total: int, label: str) -> None:
            labels.append(label)

        def cancelled(stage: str = stage) -> bool:
            return any(label.startswith(stage) for label in labels)

        with pytest.raises(Cancelled):
            export_bundle(case, out / "cancelled.zip", progress=progress,
                          is_cancelled=cancelled)
        assert _open_files() == before, stage
    assert sorted(p.name for p in out.iterdir()) == ["first.zip", "made.zip"]


def test_a_huge_cell_reads_back_exactly_and_is_never_held_several_times() -> None:
    huge = ('{"evidence/AB-1_x.txt": "' + "ab" * 32 + '", "a,b": "line\r\nnext"} ') * 9000
    rows = [[1, huge, "", "=HYPERLINK(\"x\")", "plain", None], [2, "small", "", "", "", ""]]
    tracemalloc.start()
    try:
        for _piece in csv_chunks(["id", "details", "empty", "formula", "plain", "none"], rows):
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2.5 * len(huge)  # csv.writer held it seven times over
    data = csv_bytes(["id", "details", "empty", "formula", "plain", "none"], rows)
    limit = csv.field_size_limit(len(huge) + 1)  # Python's reader refuses longer by default
    try:
        read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    finally:
        csv.field_size_limit(limit)
    assert read[1] == ["1", huge, "", neutralise_cell("=HYPERLINK(\"x\")"), "plain", ""]
    assert read[2] == ["2", "small", "", "", "", ""]
    assert len(read) == 3


def test_the_audit_log_is_walked_an_event_at_a_time(case: CaseFile) -> None:
    """Each export's event lists every file of its bundle (megabytes in a big case); a walk
    that fetched a thousand events at a time held every such event at once."""
    listing = {f"evidence/AB-{n}_0123abcd_chat-{n}.txt": "ab" * 32 for n in range(6000)}
    with case.write() as session:
        for _ in range(8):
            audit(session, case.actor, "bundle.export", "case", {"file_sha256": listing})
    snap = take_snapshot(case, include_sensitive=False)
    event_size = max(len(event.details) for event in snap.audit)
    assert event_size > 500_000
    tracemalloc.start()
    try:
        walked = sum(1 for _event in snap.audit)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert walked == len(snap.audit) and walked >= 9
    assert peak < 4 * event_size  # an event or two (the next being read), not eight
