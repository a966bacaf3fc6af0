"""The marks the last bundle gave its exhibits, read back from its audit event (case details
warns before initials change under an officer's feet). Real case files, real bundles."""

from pathlib import Path

from PIL import Image

from app.core.intake import import_paths
from app.core.records import edit_case, last_bundle_marks
from app.core.records.audited import audit
from app.export import export_bundle
from app.models.casefile import CaseFile


def picture(path: Path) -> Path:
    Image.new("RGB", (40, 30), "#305070").save(path)
    return path


def test_no_bundle_no_marks(case: CaseFile) -> None:
    assert last_bundle_marks(case) is None


def test_a_bundle_names_its_marks_and_a_later_change_does_not_move_them(
        case: CaseFile, tmp_path: Path) -> None:
    import_paths(case, [picture(tmp_path / "threat.png")])
    edit_case(case, producer_initials="Jo Smith")
    export_bundle(case, tmp_path / "first.zip")
    marks = last_bundle_marks(case)
    assert marks is not None and marks.initials == "JS"
    edit_case(case, producer_initials="AB")  # the bundle the officer has still says JS
    marks = last_bundle_marks(case)
    assert marks is not None and marks.initials == "JS"
    export_bundle(case, tmp_path / "second.zip")
    marks = last_bundle_marks(case)
    assert marks is not None and marks.initials == "AB"


def test_a_bundle_made_before_its_event_named_them_is_read_from_its_files(
        case: CaseFile) -> None:
    """Bundles made before the export's audit event held "initials": its originals' paths in
    the bundle ("…/evidence/AB-3_<hash>_<name>") say them."""
    with case.write() as session:
        audit(session, "tester", "bundle.export", "case", {"file": "old.zip", "file_sha256": {
            "Safekeep-Old/report.pdf": "0" * 64,
            "Safekeep-Old/evidence/QX-3_a1b2c3d4_=HYPERLINK(1).png": "1" * 64}})
    marks = last_bundle_marks(case)
    assert marks is not None and marks.initials == "QX"
    with case.write() as session:  # a bundle with no evidence in it gave no marks
        audit(session, "tester", "bundle.export", "case", {"file": "none.zip", "file_sha256": {
            "Safekeep-Old/report.pdf": "0" * 64}})
    assert last_bundle_marks(case) is None
