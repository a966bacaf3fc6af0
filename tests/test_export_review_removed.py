"""An exhibit removed from the case leaves a gap in the numbers ("AB/1, AB/3"): the report
accounts for it, as continuity asks, on page 1 and in the section of exhibits, with its name,
SHA-256, when, by whom and why, read back from the PDF. A removal recorded by an older
Safekeep (no exhibit number in its event) takes the number from the item's arrival."""

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from app.core.intake import import_paths
from app.core.records.audited import audit
from app.core.records.evidence import remove_evidence
from app.core.records.summary import edit_case
from app.export import export_bundle
from app.models import AuditEvent, EvidenceItem
from app.models.casefile import CaseFile
from tests.test_export_support import png_bytes


def _pages(bundle: Path) -> list[str]:
    with zipfile.ZipFile(bundle) as z:
        [name] = [n for n in z.namelist() if n.endswith("/report.pdf")]
        reader = PdfReader(io.BytesIO(z.read(name)))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def _three_pictures(case: CaseFile, folder: Path) -> list[int]:
    """Three screenshots imported as a person adds them: exhibits AB/1 to AB/3."""
    edit_case(case, producer_initials="AB")
    paths = []
    for n in range(3):
        path = folder / f"shot-{n + 1}.png"
        path.write_bytes(png_bytes(text=f"message {n}", seed=n))
        paths.append(path)
    import_paths(case, paths)
    with case.read() as session:
        items = session.query(EvidenceItem).order_by(EvidenceItem.exhibit_number).all()
        assert [i.exhibit_number for i in items] == [1, 2, 3]
        return [i.id for i in items]


def test_a_removed_exhibit_is_accounted_for_on_page_1_and_among_the_exhibits(
        make_case: Callable[..., CaseFile], tmp_path: Path) -> None:
    case = make_case()
    ids = _three_pictures(case, tmp_path)
    with case.read() as session:
        sha = session.get(EvidenceItem, ids[1]).sha256  # type: ignore[union-attr]
    remove_evidence(case, ids[1], reason="A duplicate of AB/1")
    with case.read() as session:  # the removal keeps the number, whatever the arrival says
        [removal] = session.scalars(select(AuditEvent.details).where(
            AuditEvent.action == "evidence.remove")).all()
        assert json.loads(removal)["exhibit_number"] == 2
    bundle = tmp_path / "bundle.zip"
    export_bundle(case, bundle)
    pages = _pages(bundle)

    assert "2 items (AB/1 to AB/3)" in pages[0]
    assert "1 removed from the case (AB/2): see Exhibits" in pages[0]
    text = " ".join(pages)
    assert "1 exhibit removed from the case before this bundle was made" in text
    line = text[text.index("AB/2: shot-2.png"):]
    assert line.startswith(f"AB/2: shot-2.png, SHA-256 {sha}, removed ")
    assert "by tester, because “A duplicate of AB/1” (audit event" in line[:200]


def test_a_removal_recorded_without_its_number_takes_it_from_the_arrival(
        make_case: Callable[..., CaseFile], tmp_path: Path) -> None:
    case = make_case()
    ids = _three_pictures(case, tmp_path)
    with case.write() as session:  # as remove_evidence wrote it before it kept the number
        row = session.get(EvidenceItem, ids[2])
        assert row is not None
        audit(session, case.actor, "evidence.remove", f"evidence:{row.id}",
              {"sha256": row.sha256, "name": row.original_name, "size": row.size,
               "reason": ""})
        session.delete(row)
    bundle = tmp_path / "bundle.zip"
    export_bundle(case, bundle)
    pages = _pages(bundle)

    assert "1 removed from the case (AB/3): see Exhibits" in pages[0]
    text = " ".join(pages)
    assert "AB/3: shot-3.png, SHA-256 " in text
    assert "because" not in text[text.index("AB/3: shot-3.png"):][:200]  # no reason given


def test_a_case_with_nothing_removed_says_nothing_of_removals(
        make_case: Callable[..., CaseFile], tmp_path: Path) -> None:
    case = make_case()
    _three_pictures(case, tmp_path)
    bundle = tmp_path / "bundle.zip"
    export_bundle(case, bundle)
    text = " ".join(_pages(bundle))
    assert "3 items (AB/1 to AB/3)" in text
    assert "removed from the case" not in text
