"""`safekeep verify` takes a bundle that was already unzipped (verify_folder.py).

Officers often unzip first; `sha256sum -c` works in the folder, and `verify FOLDER` said "There
is no bundle or portal pack in this folder". Now the folder (or the one it was unzipped into)
gets the same checks as the ZIP, on the files on disk, and agrees with `sha256sum -c`.
"""

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from app.errors import InvalidInput, NotFound
from app.export import verify_bundle
from tests.conftest import run_cli
from tests.verify_support import folder_of, make_bundle


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_bundle(tmp_path_factory.mktemp("unzipped"))


def unzipped(bundle: Path, into: Path) -> Path:
    """The bundle unzipped into `into`; its folder."""
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(into)
    return into / folder_of(bundle)


def sha256sum_agrees(folder: Path) -> bool:
    return subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=folder,
                          capture_output=True).returncode == 0


def test_an_unzipped_bundle_verifies_like_its_zip(bundle: Path, tmp_path: Path) -> None:
    folder = unzipped(bundle, tmp_path / "out")
    from_zip = verify_bundle(bundle)
    for given in (folder, tmp_path / "out"):  # the bundle's folder, or the one holding it
        report = verify_bundle(given)
        assert report.ok, report.problems
        assert report.checked == from_zip.checked
        assert report.manifest_sha256 == from_zip.manifest_sha256
        assert report.report_sha256 == from_zip.report_sha256
        assert report.notes[0].startswith("Checked as an unzipped folder")
    assert sha256sum_agrees(folder)


def test_the_command_takes_the_folder(bundle: Path, tmp_path: Path) -> None:
    unzipped(bundle, tmp_path)
    result = run_cli("verify", str(tmp_path))
    assert result.code == 0, result
    assert "SHA-256 of manifest.json:" in result.out
    assert "Checked as an unzipped folder" in result.out


def test_a_changed_original_is_found_as_sha256sum_finds_it(bundle: Path, tmp_path: Path) -> None:
    folder = unzipped(bundle, tmp_path)
    original = sorted((folder / "evidence").iterdir())[0]
    original.write_bytes(original.read_bytes() + b"changed")
    report = verify_bundle(folder)
    assert not report.ok
    name = f"evidence/{original.name}"
    assert f"{name}: does not match its SHA-256 in SHA256SUMS (the file was changed)." \
        in report.problems
    assert not sha256sum_agrees(folder)


def test_added_and_missing_files_are_found(bundle: Path, tmp_path: Path) -> None:
    folder = unzipped(bundle, tmp_path)
    (folder / "evidence" / "extra.txt").write_text("slipped in")
    gone = sorted((folder / "csv").iterdir())[0]
    gone.unlink()
    report = verify_bundle(folder)
    problems = "\n".join(report.problems)
    assert "evidence/extra.txt: in the bundle but not listed in SHA256SUMS" in problems
    assert f"csv/{gone.name}: listed in SHA256SUMS but missing from the bundle." in problems


def test_files_a_computer_makes_when_it_opens_a_folder_are_noted(bundle: Path,
                                                                 tmp_path: Path) -> None:
    folder = unzipped(bundle, tmp_path)
    (folder / "Thumbs.db").write_bytes(b"\x00" * 64)
    (folder / "evidence" / ".DS_Store").write_bytes(b"Bud1")
    (folder / "evidence" / "._AB-1.png").write_bytes(b"\x00\x05\x16\x07")
    report = verify_bundle(folder)
    assert report.ok, report.problems
    [note] = [n for n in report.notes if n.startswith("Made by the computer")]
    assert "Thumbs.db" in note and "evidence/.DS_Store" in note and "evidence/._AB-1.png" in note


def test_a_link_is_reported_and_never_followed(bundle: Path, tmp_path: Path) -> None:
    folder = unzipped(bundle, tmp_path)
    original = sorted((folder / "evidence").iterdir())[0]
    secret = tmp_path / "secret.txt"
    secret.write_bytes(original.read_bytes())  # the same bytes: following it would "pass"
    original.unlink()
    original.symlink_to(secret)
    report = verify_bundle(folder)
    assert not report.ok
    assert f"evidence/{original.name}: a link, not a file. It was not followed; Safekeep " \
           "never writes links." in report.problems


def test_something_that_is_not_a_plain_file_is_reported(bundle: Path, tmp_path: Path) -> None:
    folder = unzipped(bundle, tmp_path)
    os.mkfifo(folder / "evidence" / "pipe")  # reading a pipe would wait for ever
    report = verify_bundle(folder)
    assert "evidence/pipe: not a plain file. Safekeep writes only plain files." \
        in report.problems


def test_a_renamed_folder_is_noted_not_refused(bundle: Path, tmp_path: Path) -> None:
    folder = unzipped(bundle, tmp_path)
    renamed = folder.rename(tmp_path / "bundle (1)")
    report = verify_bundle(renamed)
    assert report.ok, report.problems
    assert any("The folder is called bundle (1)" in n for n in report.notes)


def test_checked_from_inside_the_folder_its_name_is_its_own(
        bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `safekeep verify .` where `sha256sum -c SHA256SUMS` is run said "The folder is called ,
    # not as Safekeep names a bundle's folder".
    folder = unzipped(bundle, tmp_path)
    for here, given in ((folder, "."), (folder / "evidence", "..")):
        monkeypatch.chdir(here)
        report = verify_bundle(Path(given))
        assert report.ok, report.problems
        assert not any("The folder is called" in note for note in report.notes), report.notes
    renamed = folder.rename(tmp_path / "bundle (1)")
    monkeypatch.chdir(renamed)
    notes = verify_bundle(Path(".")).notes
    assert any("The folder is called bundle (1)," in note for note in notes)


def test_a_folder_with_two_bundles_asks_which(bundle: Path, tmp_path: Path) -> None:
    folder = unzipped(bundle, tmp_path / "one")
    shutil.copytree(folder, tmp_path / "one" / "Safekeep-Copy-2026-11-30")
    with pytest.raises(InvalidInput, match="more than one unzipped bundle"):
        verify_bundle(tmp_path / "one")


def test_a_folder_with_no_bundle_says_what_to_give(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="the folder it was unzipped into"):
        verify_bundle(tmp_path)
