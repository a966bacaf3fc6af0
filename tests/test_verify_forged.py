"""A forged report is caught (issue 20, item 2).

report.pdf and README.txt were covered by SHA256SUMS alone, which anyone can rewrite: a bundle
whose report said something else verified "All 11 files match". Now manifest.json records the
SHA-256 of every file (report included), the export's audit event records every file's, export
prints the manifest's and the report's so the person can give them to the officer separately,
and verify prints both for comparison with those.
"""

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.export import ExportResult, export_bundle, verify_bundle
from app.models import AuditEvent
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE, run_cli
from tests.test_export_support import build_demo_case
from tests.verify_support import Forgery, folder_of, forge, read_member


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[ExportResult, dict[str, object]]:
    """A bundle, and the details of its export's audit event."""
    folder = tmp_path_factory.mktemp("forged")
    with CaseFile.create(folder / "case.skcase", PASSPHRASE, display_name="Alex",
                         actor="tester", kdf_profile=TEST_KDF_PROFILE) as case:
        build_demo_case(case)
        result = export_bundle(case, folder / "bundle.zip")
        with case.read() as session:
            [event] = session.scalars(select(AuditEvent).where(
                AuditEvent.action == "bundle.export"))
            return result, json.loads(event.details)


def forged_pdf(bundle: Path) -> bytes:
    """The report with an incremental update appended, as a PDF editor saves a change (its
    pages are compressed, so a plain search and replace would find nothing)."""
    return read_member(bundle, "report.pdf") + b"\n% an incremental update: new text here\n"


def files_in(bundle: Path) -> dict[str, str]:
    root = folder_of(bundle) + "/"
    with zipfile.ZipFile(bundle) as zf:
        return {i.filename[len(root):]: sha(zf.read(i)) for i in zf.infolist()}


def test_every_file_is_recorded_with_its_true_hash(
        made: tuple[ExportResult, dict[str, object]]) -> None:
    result, details = made
    actual = files_in(result.path)
    assert result.manifest_sha256 == actual["manifest.json"]
    assert result.report_sha256 == actual["report.pdf"]
    manifest = json.loads(read_member(result.path, "manifest.json"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    # Every file but the manifest itself and SHA256SUMS (which lists the manifest).
    assert listed == {p: h for p, h in actual.items() if p not in ("manifest.json", "SHA256SUMS")}
    assert "report.pdf" in listed and "README.txt" in listed
    # The audit event: every file, the manifest and SHA256SUMS too.
    assert details["file_sha256"] == actual
    assert details["manifest_sha256"] == actual["manifest.json"]
    assert details["report_sha256"] == actual["report.pdf"]


def test_a_forged_report_is_caught(made: tuple[ExportResult, dict[str, object]],
                                   tmp_path: Path) -> None:
    """The forger replaces report.pdf and rewrites SHA256SUMS to match: the manifest's record
    of the report differs, and verify prints the report's hash to compare with the one given
    separately."""
    result, _ = made
    fake = forged_pdf(result.path)
    assert sha(fake) != result.report_sha256
    forged = forge(result.path, tmp_path / "f.zip", Forgery(replace={"report.pdf": fake}))
    report = verify_bundle(forged)
    assert not report.ok
    assert any("report.pdf" in p and "manifest.json" in p for p in report.problems), report
    assert report.manifest_sha256 == result.manifest_sha256
    assert report.report_sha256 == sha(fake)
    cli = run_cli("verify", str(forged))
    assert cli.code == 1, cli
    assert result.manifest_sha256 in cli.out and sha(fake) in cli.out, cli


def test_a_forged_readme_is_caught(made: tuple[ExportResult, dict[str, object]],
                                   tmp_path: Path) -> None:
    result, _ = made
    fake = read_member(result.path, "README.txt").replace(b"Questions", b"Send money")
    forged = forge(result.path, tmp_path / "f.zip", Forgery(replace={"README.txt": fake}))
    report = verify_bundle(forged)
    assert any("README.txt" in p and "manifest.json" in p for p in report.problems), report


def test_a_forger_who_rewrites_the_manifest_changes_its_hash(
        made: tuple[ExportResult, dict[str, object]], tmp_path: Path) -> None:
    """What verify cannot prove alone: a forger who rewrites the report, the manifest and
    SHA256SUMS together makes a bundle that agrees with itself. Only the hashes given
    separately expose it, and verify prints the ones to compare."""
    result, _ = made
    fake = forged_pdf(result.path)
    manifest = read_member(result.path, "manifest.json").replace(
        result.report_sha256.encode(), sha(fake).encode())
    forged = forge(result.path, tmp_path / "f.zip",
                   Forgery(replace={"report.pdf": fake, "manifest.json": manifest}))
    report = verify_bundle(forged)
    assert report.ok, report.problems  # consistent with itself...
    assert report.manifest_sha256 != result.manifest_sha256  # ...but not the bundle given
    assert report.report_sha256 != result.report_sha256
    cli = run_cli("verify", str(forged))
    assert "given to you separately" in cli.out, cli


def test_export_prints_both_hashes(tmp_path: Path) -> None:
    with CaseFile.create(tmp_path / "case.skcase", PASSPHRASE, display_name="Alex",
                         actor="tester", kdf_profile=TEST_KDF_PROFILE) as case:
        build_demo_case(case)
    out = tmp_path / "bundle.zip"
    exported = run_cli("export", str(tmp_path / "case.skcase"), str(out))
    assert exported.code == 0, exported
    actual = files_in(out)
    assert f"SHA-256 of manifest.json: {actual['manifest.json']}" in exported.out, exported
    assert f"SHA-256 of report.pdf:    {actual['report.pdf']}" in exported.out, exported
    verified = run_cli("verify", str(out))
    assert verified.code == 0, verified
    assert actual["manifest.json"] in verified.out and actual["report.pdf"] in verified.out


def test_a_bundle_from_an_earlier_safekeep_still_verifies(
        made: tuple[ExportResult, dict[str, object]], tmp_path: Path) -> None:
    """A version 2 manifest (indented whole, report and README not in its files): verified,
    with a note that only SHA256SUMS covers those two."""
    result, _ = made
    old = json.loads(read_member(result.path, "manifest.json"))
    old["schema_version"] = 2
    old["files"] = [f for f in old["files"] if f["path"] not in ("report.pdf", "README.txt")]
    old["documents_citing_this_manifest"] = ["report.pdf", "README.txt"]
    older = forge(result.path, tmp_path / "old.zip", Forgery(
        replace={"manifest.json": json.dumps(old, indent=2).encode()}))
    report = verify_bundle(older)
    assert report.ok, report.problems
    assert any("earlier Safekeep" in n and "report.pdf" in n for n in report.notes)
