"""`verify` without the case file: tampered bundles are rejected, naming the file; AES
bundles open with their passphrase only (pyzipper, and 7-Zip where installed); the CLI."""

import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import pyzipper

from app.cli.bundle import cmd_export, cmd_verify
from app.cli.main import build_parser
from app.errors import InvalidInput, WrongPassphrase
from app.export import export_bundle, verify_bundle
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE, CliResult
from tests.test_export_support import build_demo_case, unzip

BUNDLE_PASSPHRASE = "blue kettle 7 — ünï"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One bundle for the read-only tests (each tampers with its own copy)."""
    folder = tmp_path_factory.mktemp("bundle")
    with CaseFile.create(folder / "case.skcase", PASSPHRASE, display_name="Alex", actor="tester",
                         kdf_profile=TEST_KDF_PROFILE) as case:
        build_demo_case(case)
        return export_bundle(case, folder / "bundle.zip").path


def rewrite(src: Path, dst: Path, *, change: str | None = None, drop: str | None = None,
            add: tuple[str, bytes] | None = None,
            edit: Callable[[bytes], bytes] | None = None) -> Path:
    """A properly re-zipped copy with one member changed, dropped or added (CRCs all valid)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == drop:
                continue
            if info.filename == change and edit is not None:
                data = edit(data)
            new.writestr(info, data)
        if add:
            new.writestr(*add)
    return dst


def evidence_name(bundle: Path) -> str:
    """An original's path in the bundle's folder (as SHA256SUMS and every problem name it)."""
    with zipfile.ZipFile(bundle) as zf:
        return next(n.split("/", 1)[1] for n in zf.namelist()
                    if n.split("/", 1)[1].startswith("evidence/") and n.endswith(".png"))


def in_zip(bundle: Path, path: str) -> str:
    """The ZIP entry of a file: inside the bundle's one folder."""
    with zipfile.ZipFile(bundle) as zf:
        [folder] = {n.split("/", 1)[0] for n in zf.namelist()}
    return f"{folder}/{path}"


def flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0x01])


def test_an_untouched_bundle_verifies(bundle: Path) -> None:
    report = verify_bundle(bundle)
    assert report.ok and report.problems == []
    assert report.checked == 13  # every file except SHA256SUMS itself (csv/continuity.csv too)
    assert report.manifest_sha256 is not None and not report.encrypted


def test_one_changed_byte_is_named(bundle: Path, tmp_path: Path) -> None:
    name = evidence_name(bundle)
    report = verify_bundle(rewrite(bundle, tmp_path / "t.zip", change=in_zip(bundle, name),
                                   edit=flip_last_byte))
    assert not report.ok
    assert any(name in p and "SHA256SUMS" in p for p in report.problems), report.problems
    assert any(name in p and "manifest.json" in p for p in report.problems)
    assert any(name in p and "when it was added" in p for p in report.problems)
    assert (report.problem_count, report.files_flagged) == (3, 1)


def test_the_files_with_problems_are_counted_once_each(bundle: Path, tmp_path: Path) -> None:
    name = evidence_name(bundle)
    changed = rewrite(bundle, tmp_path / "t.zip", change=in_zip(bundle, name),
                      edit=flip_last_byte)
    both = rewrite(changed, tmp_path / "t2.zip",
                   add=(in_zip(bundle, "evidence/AL-99_planted.png"), b"planted"),
                   drop=in_zip(bundle, "csv/payments.csv"))
    report = verify_bundle(both)
    assert report.files_flagged == 3 and report.problem_count > 3, report.problems


def test_a_byte_flipped_inside_the_zip_is_named(bundle: Path, tmp_path: Path) -> None:
    name = evidence_name(bundle)
    with zipfile.ZipFile(bundle) as zf:
        info = zf.getinfo(in_zip(bundle, name))
    raw = bytearray(bundle.read_bytes())
    local_header = 30 + len(info.filename.encode()) + len(info.extra)
    raw[info.header_offset + local_header + info.compress_size // 2] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    report = verify_bundle(damaged)
    assert not report.ok and any(name in p for p in report.problems), report.problems


@pytest.mark.parametrize("victim", ["report.pdf", "csv/payments.csv", "manifest.json"])
def test_a_removed_file_is_named(bundle: Path, tmp_path: Path, victim: str) -> None:
    report = verify_bundle(rewrite(bundle, tmp_path / "t.zip", drop=in_zip(bundle, victim)))
    assert not report.ok
    assert any(victim in p and "missing" in p for p in report.problems), report.problems


def test_a_removed_original_is_named(bundle: Path, tmp_path: Path) -> None:
    name = evidence_name(bundle)
    report = verify_bundle(rewrite(bundle, tmp_path / "t.zip", drop=in_zip(bundle, name)))
    assert any(name in p and "SHA256SUMS" in p and "missing" in p for p in report.problems)
    assert any(name in p and "manifest.json" in p and "missing" in p for p in report.problems)


def test_an_added_file_is_named(bundle: Path, tmp_path: Path) -> None:
    report = verify_bundle(rewrite(bundle, tmp_path / "t.zip",
                                   add=(in_zip(bundle, "evidence/AL-99_planted.png"), b"planted")))
    assert not report.ok
    assert any("evidence/AL-99_planted.png" in p and "added" in p for p in report.problems)


def test_an_edited_sha256sums_is_caught(bundle: Path, tmp_path: Path) -> None:
    name = evidence_name(bundle)

    def forge(data: bytes) -> bytes:  # claim a different hash for one original
        lines = data.decode().splitlines(keepends=True)
        return "".join(("0" * 64 + line[64:]) if name in line else line for line in lines).encode()

    report = verify_bundle(rewrite(bundle, tmp_path / "t.zip",
                                   change=in_zip(bundle, "SHA256SUMS"), edit=forge))
    assert not report.ok
    assert any(name in p and "SHA256SUMS" in p for p in report.problems), report.problems


def test_a_consistently_forged_bundle_changes_the_manifest_hash(bundle: Path,
                                                                 tmp_path: Path) -> None:
    """Re-hashing everything defeats SHA256SUMS alone; the manifest hash printed on the
    report (and in the case's audit log) is what exposes it."""
    before = verify_bundle(bundle).manifest_sha256
    forged = rewrite(bundle, tmp_path / "t.zip", change=in_zip(bundle, "manifest.json"),
                     edit=lambda d: d.replace(b'"LC-20240302-0147"', b'"LC-00000000-0000"'))
    report = verify_bundle(forged)
    assert report.manifest_sha256 != before
    assert any("manifest.json" in p for p in report.problems)


def test_not_a_zip(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"this is not a zip file")
    report = verify_bundle(junk)
    assert not report.ok and "not a ZIP" in report.problems[0]


def test_aes_bundle_needs_its_passphrase(case: CaseFile, tmp_path: Path) -> None:
    build_demo_case(case)
    path = export_bundle(case, tmp_path / "secret.zip", bundle_passphrase=BUNDLE_PASSPHRASE).path
    with pyzipper.AESZipFile(path) as zf:
        infos = zf.infolist()
        assert infos and all(i.flag_bits & 0x1 for i in infos)  # every member is encrypted
        with pytest.raises(RuntimeError):
            zf.read(in_zip(path, "README.txt"))
        zf.setpassword(BUNDLE_PASSPHRASE.encode())
        assert b"SAFEKEEP CASE BUNDLE" in zf.read(in_zip(path, "README.txt"))
    with zipfile.ZipFile(path) as plain, pytest.raises(RuntimeError):
        plain.read(in_zip(path, "manifest.json"))
    report = verify_bundle(path, BUNDLE_PASSPHRASE)
    assert report.ok and report.encrypted, report.problems
    with pytest.raises(InvalidInput):
        verify_bundle(path)
    with pytest.raises(WrongPassphrase):
        verify_bundle(path, "wrong passphrase")
    root = unzip(path, tmp_path / "out", BUNDLE_PASSPHRASE)
    assert "This ZIP is encrypted with AES-256" in (root / "README.txt").read_text()
    with pytest.raises(InvalidInput):
        export_bundle(case, tmp_path / "empty-pass.zip", bundle_passphrase="")


def test_seven_zip_opens_the_aes_bundle(case: CaseFile, tmp_path: Path) -> None:
    seven = shutil.which("7z") or shutil.which("7zz") or shutil.which("7za")
    if seven is None:
        pytest.skip("7-Zip is not installed here (apt-get install p7zip-full)")
    build_demo_case(case)
    path = export_bundle(case, tmp_path / "secret.zip", bundle_passphrase=BUNDLE_PASSPHRASE).path
    out = tmp_path / "7z-out"
    ok = subprocess.run([seven, "x", f"-p{BUNDLE_PASSPHRASE}", f"-o{out}", str(path)],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    [folder] = list(out.iterdir())  # the bundle's one folder
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout
    wrong = subprocess.run([seven, "t", "-pnot-it", str(path)], capture_output=True, text=True)
    assert wrong.returncode != 0


# -- command line -----------------------------------------------------------------------------


@pytest.fixture
def closed_case(make_case: Callable[..., CaseFile]) -> Path:
    case = make_case(display_name="Alex")
    build_demo_case(case)
    case.close()
    return case.path


def test_cmd_export_and_verify_in_process(closed_case: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SAFEKEEP_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "bundle.zip"
    args = build_parser().parse_args(["export", str(closed_case), str(out)])
    assert cmd_export(args) == 0
    printed = capsys.readouterr().out
    assert "Sensitive items withheld" in printed and "SHA-256 of manifest.json" in printed
    assert cmd_verify(build_parser().parse_args(["verify", str(out)])) == 0
    tampered = rewrite(out, tmp_path / "t.zip", drop=in_zip(out, "csv/audit.csv"))
    assert cmd_verify(build_parser().parse_args(["verify", str(tampered)])) == 1
    assert "csv/audit.csv" in capsys.readouterr().err


def test_cli_export_and_verify(closed_case: Path, tmp_path: Path,
                               cli: Callable[..., CliResult]) -> None:
    out = tmp_path / "bundle.zip"
    result = cli("export", str(closed_case), str(out))
    assert result.code == 0, result
    assert cli("verify", str(out)).code == 0
    name = evidence_name(out)
    bad = cli("verify", str(rewrite(out, tmp_path / "t.zip", change=in_zip(out, name),
                                    edit=flip_last_byte)))
    assert bad.code == 1, bad
    assert name in bad.err and bad.err.startswith("safekeep: problem:")
    assert "This bundle is not as it was made." in bad.out
    # A file that is no bundle at all is not said to have been changed.
    photo = tmp_path / "holiday.zip"
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo, not a ZIP" * 40)
    none = cli("verify", str(photo))
    assert none.code == 1 and "not a ZIP file" in none.err
    assert "could not be checked as a Safekeep bundle" in none.out
    assert "not as it was made" not in none.out
    again = cli("export", str(closed_case), str(out))
    assert again.code == 2 and "already exists" in again.err


def test_cli_encrypted_bundle(closed_case: Path, tmp_path: Path,
                              cli: Callable[..., CliResult]) -> None:
    secret = tmp_path / "bundle-pass.txt"
    secret.write_text(BUNDLE_PASSPHRASE + "\n", encoding="utf-8")
    out = tmp_path / "secret.zip"
    result = cli("export", str(closed_case), str(out), "--include-sensitive",
                 "--bundle-passphrase-file", str(secret))
    assert result.code == 0, result
    assert cli("verify", str(out), "--bundle-passphrase-file", str(secret)).code == 0
    assert cli("verify", str(out)).code == 2
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope\n")
    assert cli("verify", str(out), "--bundle-passphrase-file", str(wrong)).code == 3


def test_verify_prints_the_hashes_to_compare_first_then_each_problem(
        bundle: Path, tmp_path: Path) -> None:
    # The problems came first (up to fifty lines), then the hashes and "the checks below...",
    # with nothing below. In a terminal both streams show in the order written.
    import os
    import sys

    name = evidence_name(bundle)
    tampered = rewrite(bundle, tmp_path / "t.zip", change=in_zip(bundle, name),
                       edit=flip_last_byte)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run([sys.executable, "-m", "app", "verify", str(tampered)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                          timeout=120)
    lines = proc.stdout.splitlines()
    first_problem = next(i for i, line in enumerate(lines) if line.startswith("safekeep: problem"))
    hashes = next(i for i, line in enumerate(lines) if "manifest.json" in line
                  and not line.startswith("safekeep:"))
    below = next(i for i, line in enumerate(lines) if "the checks below" in line)
    assert hashes < below < first_problem, lines
    # One changed file fails three checks: said so, not as if three files had changed.
    assert lines[-1] == "3 problems found, about 1 file. This bundle is not as it was made."
