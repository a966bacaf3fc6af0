"""report.pdf read back with pypdf: content, hostile values shown literally, page furniture,
pictures only our own (never a sensitive one), and escaping as a property."""

import io
import re
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.platypus import Paragraph, SimpleDocTemplate

from app.core.records import iter_content
from app.core.records.identifiers import add_identifier
from app.core.records.payments import add_payment
from app.core.records.summary import edit_case
from app.core.records.timeline import add_event
from app.export import export_bundle
from app.export.casedata import take_snapshot
from app.export.report import write_report
from app.export.report_pictures import report_pictures
from app.export.report_style import Styles, markup
from app.models.audit import verify_chain
from app.models.casefile import CaseFile
from tests.test_export_support import add_evidence_direct, build_demo_case, png_bytes, unzip

HOSTILE = [
    "<b>unclosed", "a & b < c", "<font color=red>red?</font>", '<img src="http://x/y.png">',
    '=HYPERLINK("http://x")', "&amp; &#65; &lt;", "<para><br/></para>", "]]><!--",
]


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def squash(text: str) -> str:
    """Without white space: wrapping may break a long value anywhere."""
    return "".join(text.split())


def report_of(case: CaseFile, tmp_path: Path, **kwargs: object) -> bytes:
    tmp_path.mkdir(exist_ok=True)
    result = export_bundle(case, tmp_path / "bundle.zip", **kwargs)  # type: ignore[arg-type]
    return (unzip(result.path, tmp_path / "out") / "report.pdf").read_bytes()


def image_count(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_report_shows_the_case(case: CaseFile, tmp_path: Path) -> None:
    build_demo_case(case)
    with case.read() as session:
        head = verify_chain(session).head
    result = export_bundle(case, tmp_path / "bundle.zip")
    pdf = (unzip(result.path, tmp_path / "out") / "report.pdf").read_bytes()
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    for expected in (
        "Case bundle for police", "LC-20240302-0147", "Sam Okafor (Victim Support)",
        "https://www.facebook.com/anna.petrova.5817", "live:.cid.7f3a9b2e41d0c6", "4817 2930 56",
        "4817293056", "250.00 GBP", "Western Union", "Collected", "Chukwuemeka Obi",
        "Lagos, Nigeria", "FR-88213", "Tell your bank", "Not yet", "Timeline",
        "Offender identifiers", "Payments", "Police advice checklist",
        "Exhibits and their continuity",
        "Appendix: audit log", "bundle" and "IMG_0423.png", "Withheld: marked sensitive",
        "Friend request from 'Anna Petrova' on Facebook.", "approximate time",
    ):
        assert expected in text, expected
    # The manifest lists the report's hash, so page 1 says where both hashes come from.
    assert result.manifest_sha256 not in squash(text)
    assert squash("given to you separately by the person who made this bundle") in squash(pages[0])
    assert head in squash(text)  # the chain head as it was when the bundle was made


def test_every_page_has_the_header_and_page_n_of_m(case: CaseFile, tmp_path: Path) -> None:
    build_demo_case(case)
    pages = pdf_pages(report_of(case, tmp_path))
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert "Confidential: police evidence bundle" in page
        assert "Case: Test case" in page
        assert f"Page {number} of {len(pages)}" in page


def test_pictures_are_only_our_own_never_a_sensitive_one(case: CaseFile,
                                                         tmp_path: Path) -> None:
    build_demo_case(case)  # 2 ordinary screenshots, 1 sensitive, 1 document without preview
    assert image_count(report_of(case, tmp_path / "a")) == 2
    assert image_count(report_of(case, tmp_path / "b", include_sensitive=True)) == 2
    assert "the picture is not shown in this report" in "".join(
        pdf_pages(report_of(case, tmp_path / "c")))


def test_hostile_values_appear_literally_and_nothing_is_fetched(
    case: CaseFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the report tried to fetch something")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    edit_case(case, display_name="<b>Alex & co", crime_reference="<i>REF-1</i>",
              caseworker='<img src="http://x/c.png">')
    for number, value in enumerate(HOSTILE):
        evidence_id = add_evidence_direct(case, png_bytes(seed=number), value + ".png",
                                          description=value)
        add_identifier(case, "other", value, note=value, evidence_ids=[evidence_id])
    add_identifier(case, "other", "bell\x07 esc\x1b[31m tab\tend")
    add_identifier(case, "other", "before\u202eafter")
    # A line break drawn as a space had made one value read as two addresses.
    add_identifier(case, "email", "a@b.com\nb@c.com")
    add_identifier(case, "name", "Жанна Ελένη Øre façade")
    long_value = "https://example.com/" + "q" * 100_000
    add_identifier(case, "url", long_value)
    add_payment(case, amount="10", method="other", reference="<b>", recipient_name="&lt;x&gt;",
                note=HOSTILE[3])
    add_event(case, datetime.now(UTC), "<font size=80>huge</font>", kind="threat")
    pdf = report_of(case, tmp_path)
    text = "\n".join(pdf_pages(pdf))
    flat = squash(text)
    for value in [*HOSTILE, "<b>Alex&co", "<i>REF-1</i>", "<fontsize=80>huge</font>", "&lt;x&gt;"]:
        assert squash(value) in flat, value
    assert "bell\\u0007 esc\\u001b[31m tab\\u0009end" in text
    assert "a@b.com\\u000ab@c.com" in text and "a@b.com b@c.com" not in text
    assert "before\\u202eafter" in text
    assert "Жанна Ελένη Øre façade" in text
    assert squash("more characters; the full text is in csv/identifiers.csv") in flat
    assert image_count(pdf) == len(HOSTILE)  # our pictures only: no <img> was obeyed


def test_the_fonts_are_ours_and_cover_greek_and_cyrillic(case: CaseFile, tmp_path: Path) -> None:
    add_identifier(case, "name", "Жанна Ελένη")
    reader = PdfReader(io.BytesIO(report_of(case, tmp_path)))
    fonts: set[str] = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVuSans" in f for f in fonts), fonts
    assert "[U+" not in markup("Жанна Ελένη Åsa Ødegård Łukasz Ñandú Ğüç Đặng")


def test_a_large_case_stays_readable_and_quick(case: CaseFile, tmp_path: Path) -> None:
    base = datetime(2024, 3, 5, tzinfo=UTC)
    shot = png_bytes(seed=1)
    for i in range(300):
        add_evidence_direct(case, shot + i.to_bytes(4, "big"), f"Screenshot_{i:04d}.png",
                            description=f"Chat page {i}", sensitive=i % 50 == 0,
                            acquired_at=base + timedelta(minutes=i))
    snap = take_snapshot(case, include_sensitive=False)
    started = time.perf_counter()
    with report_pictures(snap, lambda i: b"".join(iter_content(case, i))) as pictures:
        out = io.BytesIO()
        write_report(snap, out, evidence_files={}, picture=pictures)
    pdf = out.getvalue()
    elapsed = time.perf_counter() - started
    pages = pdf_pages(pdf)
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "Screenshot_0299.png" in "".join(pages)
    assert elapsed < 60, elapsed  # ~2 s here; this only catches a pathological slowdown


def _one_paragraph_pdf(markup_text: str) -> bytes:
    buffer = io.BytesIO()
    styles = Styles()
    SimpleDocTemplate(buffer).build([Paragraph(markup_text, styles.body)])
    return buffer.getvalue()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_safe_in_a_paragraph(value: str) -> None:
    pdf = _one_paragraph_pdf(markup(value))
    assert pdf.startswith(b"%PDF")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=200))
def test_printable_ascii_round_trips_through_the_pdf(value: str) -> None:
    text = "".join(pdf_pages(_one_paragraph_pdf(markup(value))))
    assert squash(text) == squash(value)


def test_markup_shortens_with_a_pointer_to_the_whole_value() -> None:
    shown = markup("x" * 5000, limit=100, where="csv/identifiers.csv")
    assert shown.startswith("x" * 100)
    assert "4,900 more characters; the full text is in csv/identifiers.csv" in shown
    assert re.search(r"<(?!/?font|br/)", shown) is None  # only our own tags
