"""An exhibit removed from the case leaves a gap in the numbers ("AB/1, AB/3"): the report
accounts for it, as continuity asks, on page 1 and in the section of exhibits, with its name,
SHA-256, when, by whom and why, read back from the PDF; csv/continuity.csv gives it a row and
manifest.json lists it, and `safekeep verify` still passes the bundle. A removal recorded by an
older Safekeep (no exhibit number in its event) takes the number from the item's arrival."""

import csv
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
from app.export import export_bundle, verify_bundle
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
    assert "removed" not in _member(bundle, "README.txt").decode("utf-8-sig")
    assert json.loads(_member(bundle, "manifest.json"))["removed_evidence"] == []


def _member(bundle: Path, suffix: str) -> bytes:
    with zipfile.ZipFile(bundle) as z:
        [name] = [n for n in z.namelist() if n.endswith(suffix)]
        return z.read(name)


def test_a_removed_exhibit_has_its_continuity_row_and_its_manifest_entry(
        make_case: Callable[..., CaseFile], tmp_path: Path) -> None:
    case = make_case()
    ids = _three_pictures(case, tmp_path)
    with case.read() as session:
        sha = session.get(EvidenceItem, ids[1]).sha256  # type: ignore[union-attr]
        [arrival] = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "evidence.add", AuditEvent.subject == f"evidence:{ids[1]}"))
        arrived_at, arrival_id = arrival.at, arrival.id
    remove_evidence(case, ids[1], reason="A duplicate of AB/1")
    bundle = tmp_path / "bundle.zip"
    export_bundle(case, bundle)

    text = _member(bundle, "csv/continuity.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["exhibit"] for r in rows] == ["AB/1", "AB/3", "AB/2"]  # the removed one last
    gone = rows[2]
    assert gone["original_name"] == "shot-2.png" and gone["sha256_at_acquisition"] == sha
    assert gone["sha256_at_export"] == ""
    assert gone["export_check"] == ("removed from the case before this bundle was made: "
                                    "not in it")
    assert gone["acquired_by"] == "tester" and gone["how_obtained"] == "file"
    assert gone["acquired_at_utc"] == arrived_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert gone["size_bytes"].isdigit()
    assert gone["file_modified_at_utc"].endswith("Z")  # as every other row writes times
    assert gone["since"].endswith(
        "removed from the case by tester: \u201cA duplicate of AB/1\u201d")
    assert rows[0]["export_check"] == "matches"

    manifest = json.loads(_member(bundle, "manifest.json"))
    [entry] = manifest["removed_evidence"]
    assert entry["exhibit"] == "AB/2" and entry["sha256"] == sha
    assert entry["name"] == "shot-2.png" and entry["removed_by"] == "tester"
    assert entry["add_audit_event"] == arrival_id
    assert "AB/2" not in {e["exhibit"] for e in manifest["evidence"]}
    readme = " ".join(_member(bundle, "README.txt").decode("utf-8-sig").split())
    assert "1 exhibit was removed from the case before this bundle was made (AB/2)." in readme
    assert verify_bundle(bundle).ok


def test_a_portal_pack_of_a_case_with_a_removed_exhibit_verifies(
        make_case: Callable[..., CaseFile], tmp_path: Path) -> None:
    """The removed exhibit's continuity row and manifest entry travel in a portal pack too,
    and `safekeep verify` passes the pack."""
    from app.export.portal import PortalLimits

    case = make_case()
    ids = _three_pictures(case, tmp_path)
    remove_evidence(case, ids[0], reason="Added twice")
    result = export_bundle(case, tmp_path / "pack.zip",
                           portal=PortalLimits(max_files=4))
    assert result.parts
    report = verify_bundle(result.path)
    assert report.ok, report.problems
    manifests = []
    for part in result.parts:
        with zipfile.ZipFile(part) as z:
            manifests += [json.loads(z.read(n)) for n in z.namelist()
                          if n.endswith("/manifest.json")]
    [manifest] = manifests
    assert [e["exhibit"] for e in manifest["removed_evidence"]] == ["AB/1"]
