"""Picture pages of report.pdf, read back with pypdf: a page per picture that is not sensitive
with its exhibit reference, SHA-256 and the text read by machine; no picture of a sensitive
item anywhere; a damaged picture gives a calm line and the bundle is still made and verifies.
"""

import hashlib
import io
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.core.records.audited import audit
from app.export import export_bundle, verify_bundle
from app.export.casedata import take_snapshot
from app.export.report_style import MARGIN_X, TEXT_WIDTH
from app.models import EvidenceItem, EvidenceText
from app.models.casefile import CaseFile
from app.models.content import store_bytes
from tests.test_export_support import add_evidence_direct, png_bytes, unzip

READ_TEXT = "You have 24 hours to pay\nskype: live:.cid.7f3a9b2e41d0c6\n<b>not markup</b> & co"


def store_text(case: CaseFile, evidence_id: int, text: str) -> None:
    with case.write() as session:
        session.add(EvidenceText(evidence_id=evidence_id, status="ok", engine="tesseract 5",
                                 text=text))


def add_damaged(case: CaseFile, name: str) -> int:
    """A PNG cut short, stored as one that made a preview on arrival (so the report tries)."""
    data = png_bytes(900, 1600, seed=9)[:700]
    digest = hashlib.sha256(data).hexdigest()
    with case.write() as session:
        row = EvidenceItem(sha256=digest, size=len(data), original_name=name, kind="screenshot",
                           detected_type="image/png", width=900, height=1600,
                           preview_status="ok", acquired_at=datetime.now(UTC))
        session.add(row)
        session.flush()
        store_bytes(session, row.id, data)
        audit(session, case.actor, "evidence.add", f"evidence:{row.id}",
              {"sha256": digest, "name": name, "size": len(data)})
        return row.id


def export_report(case: CaseFile, tmp_path: Path, **kwargs: object) -> tuple[PdfReader, Path]:
    tmp_path.mkdir(exist_ok=True)
    result = export_bundle(case, tmp_path / "bundle.zip", **kwargs)  # type: ignore[arg-type]
    pdf = (unzip(result.path, tmp_path / "out") / "report.pdf").read_bytes()
    return PdfReader(io.BytesIO(pdf)), result.path


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def test_a_picture_has_its_own_page_with_reference_hash_and_read_text(
        case: CaseFile, tmp_path: Path) -> None:
    chat = add_evidence_direct(case, png_bytes(900, 1600, text="24 hours", seed=1), "chat.png")
    wide = add_evidence_direct(case, png_bytes(1600, 900, text="profile", seed=2), "wide.png")
    store_text(case, chat, READ_TEXT)
    snap = take_snapshot(case, include_sensitive=False)
    reader, _ = export_report(case, tmp_path)
    texts = page_texts(reader)
    for evidence_id in (chat, wide):
        sha = next(e.sha256 for e in snap.evidence if e.id == evidence_id)
        ref = f"Exhibit {snap.exhibit(evidence_id)}"
        pages = [n for n, t in enumerate(texts) if t.lstrip().find(ref) >= 0 and sha in t
                 and "Text read by machine (may contain errors)" in t]
        assert len(pages) == 1, (ref, pages)
        page = reader.pages[pages[0]]
        assert len(page.images) == 1  # this picture, and nothing else, on its page
        width, height = page.images[0].image.size
        assert max(width, height) >= 1400  # large enough to read, not a thumbnail
    chat_page = next(t for t in texts if f"Exhibit {snap.exhibit(chat)}" in t and "24 hours" in t)
    assert "You have 24 hours to pay" in chat_page
    assert "live:.cid.7f3a9b2e41d0c6" in chat_page
    assert "<b>not markup</b> & co" in chat_page  # the read text is data, never markup
    wide_page = next(t for t in texts if f"Exhibit {snap.exhibit(wide)}" in t and
                     "Text read by machine" in t)
    assert "No text was read in this picture." in wide_page


def test_a_sensitive_picture_is_a_black_box_with_its_hash_never_the_picture(
        case: CaseFile, tmp_path: Path) -> None:
    add_evidence_direct(case, png_bytes(900, 1600, seed=1), "ordinary.png")
    secret = add_evidence_direct(case, png_bytes(900, 1600, seed=3), "private.png",
                                 sensitive=True)
    store_text(case, secret, "words in the private picture")
    snap = take_snapshot(case, include_sensitive=False)
    sha = next(e.sha256 for e in snap.evidence if e.id == secret)
    for include in (False, True):
        reader, _ = export_report(case, tmp_path / str(include), include_sensitive=include)
        texts = page_texts(reader)
        assert sum(len(page.images) for page in reader.pages) == 1  # only the ordinary one
        box = [n for n, t in enumerate(texts)
               if f"Exhibit {snap.exhibit(secret)}" in t and "is not shown in this report" in t]
        assert len(box) == 1
        assert sha in texts[box[0]]
        assert not reader.pages[box[0]].images
        assert "words in the private picture" not in "".join(texts)


def test_a_damaged_picture_gives_a_calm_line_and_the_bundle_is_still_made(
        case: CaseFile, tmp_path: Path) -> None:
    good = add_evidence_direct(case, png_bytes(900, 1600, seed=1), "good.png")
    damaged = add_damaged(case, "cut short.png")
    snap = take_snapshot(case, include_sensitive=False)
    reader, bundle = export_report(case, tmp_path)
    texts = page_texts(reader)
    page = next(t for t in texts if f"Exhibit {snap.exhibit(damaged)}" in t and
                "Text read by machine" in t)
    assert "This picture could not be read safely, so it is not shown here." in page
    assert sum(len(p.images) for p in reader.pages) == 1
    assert any(f"Exhibit {snap.exhibit(good)}" in t and "Text read by machine" in t
               for t in texts)
    assert verify_bundle(bundle).ok


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_calm_line_in_a_box_stays_inside_it(case: CaseFile, tmp_path: Path) -> None:
    """The line drawn in place of a picture that could not be read was wrapped for a smaller
    type than it is drawn in: its last word ran over the box's right edge."""
    damaged = add_damaged(case, "cut short.png")
    snap = take_snapshot(case, include_sensitive=False)
    reader, bundle = export_report(case, tmp_path)
    page = next(n for n, t in enumerate(page_texts(reader))
                if f"Exhibit {snap.exhibit(damaged)}" in t and "Text read by machine" in t)
    report = unzip(bundle, tmp_path / "again") / "report.pdf"
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", str(page + 1), "-l", str(page + 1),
                            str(report), "-"], check=True, capture_output=True,
                           text=True).stdout
    words = re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', boxes)
    assert any(word == "SHA-256" for _x, word in words)
    right_edge = MARGIN_X + TEXT_WIDTH
    assert all(float(x) <= right_edge + 0.5 for x, _word in words), \
        [(x, w) for x, w in words if float(x) > right_edge + 0.5]
