"""PDF documents in a real case: added through the command line into a real SQLCipher case
file, their text read in real worker processes by `safekeep ocr` and the reading functions the
window uses, the details found offered as a picture's are, and the bundle saying where each came
from ("found in its text", not "by text recognition")."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

import app.core.reading.stored as stored
from app.core.identifiers import IdentifierType
from app.core.pictures import OcrPool, OcrStatus
from app.core.reading import (
    add_suggestions,
    read_unread,
    reading_of,
    recognised_texts,
    screenshot_tip,
    suggestion_groups,
    suggestions_for,
    text_source,
    unread_ids,
)
from app.core.records import add_identifier, list_evidence, list_identifiers
from app.export import export_bundle
from tests.conftest import CliResult
from tests.pdf_files import captioned_screenshot_pdf, locked_pdf, receipt_pdf, scanned_pdf
from tests.test_chat_details import add, new_case, opened

Cli = Callable[..., CliResult]


@pytest.fixture(scope="module")
def pool() -> Iterator[OcrPool]:
    with OcrPool(workers=2) as workers:
        yield workers


def _files(tmp_path: Path) -> list[Path]:
    made = {"receipt.pdf": receipt_pdf(), "statement (locked).pdf": locked_pdf(),
            "scan.pdf": scanned_pdf(["Send it to MTCN 412-877-3090"])}
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    return [tmp_path / name for name in made]


def test_safekeep_ocr_reads_a_receipt_and_names_what_it_found(tmp_path: Path, cli: Cli) -> None:
    case_path = new_case(tmp_path, cli)
    (tmp_path / "receipt.pdf").write_bytes(receipt_pdf())
    add(cli, case_path, tmp_path / "receipt.pdf")
    result = cli("ocr", str(case_path))
    assert result.code == 0, result
    assert "Read 1 new picture or document; found" in result.out
    for said in ("Western Union MTCN: 830-521-6473", "jess.taylor58@example.com",
                 "GB82 WEST 1234 5698 7654 32", "seen in: #1 receipt.pdf"):
        assert said in result.out, result.out
    assert "screenshot" not in result.out  # no advice to take a screenshot again
    again = cli("ocr", str(case_path))
    assert "Read 0 new pictures or documents; found 0 new details." in again.out


def test_a_screenshot_pasted_in_a_document_gives_its_details(tmp_path: Path, cli: Cli) -> None:
    case_path = new_case(tmp_path, cli)
    path = tmp_path / "evidence for police.pdf"
    path.write_bytes(captioned_screenshot_pdf("Screenshot 1: the chat, 14 March",
                                              ["Pay now MTCN 412-877-3090", "or I send it"]))
    add(cli, case_path, path)
    result = cli("ocr", str(case_path))
    assert result.code == 0, result
    assert "Western Union MTCN: 412-877-3090" in result.out, result.out
    with opened(case_path) as case:
        [item] = list_evidence(case)
        reading = reading_of(case, item.id)
        assert reading is not None and " and tesseract " in reading.engine


def test_each_document_is_read_once_with_its_outcome_and_its_details_offered(
        tmp_path: Path, cli: Cli, pool: OcrPool) -> None:
    case_path = new_case(tmp_path, cli)
    receipt, locked, scan = (item["evidence_id"]
                             for item in add(cli, case_path, *_files(tmp_path))["items"])
    with opened(case_path) as case:
        assert unread_ids(case) == [receipt, locked, scan]
        assert all(text_source(case, i).document for i in (receipt, locked, scan))
        progress = read_unread(case, pool)
        assert (progress.done, progress.total) == (3, 3) and unread_ids(case) == []
        # The first page of each is its preview; the locked one's says why it has none.
        items = {item.id: item for item in list_evidence(case)}
        assert [items[i].preview_status for i in (receipt, locked, scan)] == ["ok", "none", "ok"]
        assert "locked with a password" in (items[locked].preview_note or "")
        read = {i: reading_of(case, i) for i in (receipt, locked, scan)}
        assert read[locked] is not None and read[locked].status is OcrStatus.LOCKED
        first = read[receipt]
        assert first is not None and first.engine.startswith("PDFium ")
        assert "MTCN: 830-521-6473" in first.text
        assert "412-877-3090" in recognised_texts(case)[scan]  # so Search finds it
        found = {(s.kind.value, s.value): s for s in suggestions_for(case, receipt)}
        assert ("mtcn", "830-521-6473") in found and found["mtcn", "830-521-6473"].document
        # Its date and amount are not offered: a statement holds dozens of each, and they
        # are not the offender's details (nor could they be added as one).
        assert {kind for kind, _ in found} == {"mtcn", "email", "iban"}, found
        assert screenshot_tip(case, receipt) is None
        [group] = [g for g in suggestion_groups(case) if g.value == "830-521-6473"]
        assert group.document_ids == (receipt,) and group.pictures == 0
        result = add_suggestions(case, [found["iban", "GB82 WEST 1234 5698 7654 32"].id])
        [iban] = [i for i in list_identifiers(case) if i.id == result.identifier_id]
        assert iban.evidence_ids == (receipt,)
        assert "Found in the text of a document (a PDF or a text file)" in iban.note


def test_a_document_too_large_to_send_to_a_worker_is_stored_as_such(
        tmp_path: Path, cli: Cli, pool: OcrPool, monkeypatch: pytest.MonkeyPatch) -> None:
    case_path = new_case(tmp_path, cli)
    (tmp_path / "receipt.pdf").write_bytes(receipt_pdf())
    [item] = add(cli, case_path, tmp_path / "receipt.pdf")["items"]
    monkeypatch.setattr(stored, "MAX_PDF_BYTES", 1000)
    with opened(case_path) as case:
        assert read_unread(case, pool).done == 1
        reading = reading_of(case, item["evidence_id"])
        assert reading is not None and reading.status is OcrStatus.TOO_LARGE
        assert unread_ids(case) == []


def test_the_bundle_says_a_detail_was_found_in_the_documents_text(
        tmp_path: Path, cli: Cli, pool: OcrPool) -> None:
    # A detail saved by hand before the receipt was read, then found in it: linked, and the
    # link named for what made it.
    case_path = new_case(tmp_path, cli)
    (tmp_path / "receipt.pdf").write_bytes(receipt_pdf())
    [item] = add(cli, case_path, tmp_path / "receipt.pdf")["items"]
    with opened(case_path) as case:
        add_identifier(case, IdentifierType.EMAIL, "jess.taylor58@example.com")
        read_unread(case, pool)
        [saved] = list_identifiers(case)
        assert saved.evidence_ids == (item["evidence_id"],)
        bundle = export_bundle(case, tmp_path / "bundle.zip").path
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()

        def text_of(ending: str) -> str:
            [name] = [n for n in names if n.endswith(ending)]
            return archive.read(name).decode("utf-8-sig")

        [row] = csv.DictReader(io.StringIO(text_of("csv/identifiers.csv")))
        continuity = text_of("csv/continuity.csv")
        [report] = [n for n in names if n.endswith(".pdf") and "/evidence/" not in n]
        pages = PdfReader(io.BytesIO(archive.read(report))).pages
        report_text = " ".join((page.extract_text() or "") for page in pages)
    found_in = " ".join(str(v) for v in row.values())
    assert "(found in its text)" in found_in and "text recognition" not in found_in, row
    assert "the text it holds was read (PDFium" in continuity
    said = " ".join(report_text.split())
    assert "found in its text" in said
    # Its first page has a page of its own, with the text it holds under it.
    assert "Its first page is on a page of its own after this table." in said
    assert "Text in the document, every page" in said and "Lagos, Nigeria" in said


def test_the_continuity_says_how_a_documents_text_was_read_or_why_not(
        tmp_path: Path, cli: Cli, pool: OcrPool) -> None:
    import json as json_module

    from sqlalchemy import select

    from app.export.exhibit_links import text_read_words
    from app.models import AuditEvent

    case_path = new_case(tmp_path, cli)
    ids = [item["evidence_id"] for item in add(cli, case_path, *_files(tmp_path))["items"]]
    with opened(case_path) as case:
        read_unread(case, pool)
        with case.read() as session:
            events = {event.subject: json_module.loads(event.details) for event in session.scalars(
                select(AuditEvent).where(AuditEvent.action == "evidence.read-text"))}
    said = [text_read_words(events[f"evidence:{i}"]["engine"], events[f"evidence:{i}"]["status"])
            for i in ids]
    assert said[0].startswith("the text it holds was read (PDFium ")
    assert said[1].startswith("its text could not be read: it is locked with a password (PDFium")
    assert " and tesseract " in said[2]
