"""A folder that cannot be opened, or holds nothing, is said, never skipped in silence: a
person adding a phone's folder who is told nothing of a locked sub-folder believes all of it
is kept, and may delete the originals.

Root may open any folder, so as root the command runs without the two powers that let it
(setpriv, from util-linux); permissions then apply as they do to a person."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.intake import import_paths
from app.core.records.evidence import list_evidence
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE, CliResult

pytestmark = pytest.mark.skipif(os.name != "posix", reason="folder permissions as on Linux")

_DROP = "-dac_override,-dac_read_search"


def _as_a_person(*args: str) -> CliResult:
    """`python -m app ARGS` without root's power to open any folder."""
    command = [sys.executable, "-m", "app", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("setpriv (util-linux) is needed to drop root's powers")
        command = [setpriv, f"--inh-caps={_DROP}", f"--bounding-set={_DROP}", *command]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "SAFEKEEP_PASSPHRASE": PASSPHRASE})
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def locked_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "phone"
    (folder / "locked").mkdir(parents=True)
    (folder / "chat.txt").write_text("pay me or else")
    (folder / "locked" / "inner.txt").write_text("the threat")
    (folder / "locked").chmod(0)
    yield folder
    (folder / "locked").chmod(0o755)  # so that pytest can clear it away


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    path = tmp_path / "case.skcase"
    CaseFile.create(path, PASSPHRASE, display_name="x", actor="t",
                    kdf_profile=TEST_KDF_PROFILE).close()
    return path


def test_a_locked_sub_folder_is_named_and_the_rest_is_added(case_path: Path,
                                                           locked_folder: Path) -> None:
    result = _as_a_person("add-evidence", str(case_path), str(locked_folder))
    said = result.out + result.err
    assert result.code == 1, result  # as for a file that could not be read
    assert "chat.txt" in said and "added" in said
    assert f"{locked_folder / 'locked'}" in said
    assert "not allowed to open this folder, so nothing in it was added" in said
    assert "Traceback" not in said and "the threat" not in said
    case = CaseFile.open(case_path, PASSPHRASE, actor="t")
    try:
        assert [e.original_name for e in list_evidence(case)] == ["chat.txt"]
    finally:
        case.close()


def test_a_locked_folder_given_by_name_is_named(case_path: Path, locked_folder: Path) -> None:
    result = _as_a_person("add-evidence", str(case_path), str(locked_folder / "locked"))
    said = result.out + result.err
    assert result.code == 1, result
    assert said.count("not allowed to open this folder") == 1, result
    assert "holds no files" not in said  # it may hold some: nobody could look


def test_an_empty_folder_says_so(case: CaseFile, tmp_path: Path) -> None:
    (tmp_path / "empty" / "inner").mkdir(parents=True)
    [outcome] = import_paths(case, [tmp_path / "empty"])
    assert outcome.status == "refused"
    assert outcome.reason == "This folder holds no files, so nothing was added from it."
    assert list_evidence(case) == []


def test_a_folder_with_files_says_nothing_more(case: CaseFile, tmp_path: Path) -> None:
    (tmp_path / "full" / "inner").mkdir(parents=True)
    (tmp_path / "full" / "inner" / "a.txt").write_text("a")
    outcomes = import_paths(case, [tmp_path / "full"])
    assert [(Path(o.path).name, o.status) for o in outcomes] == [("a.txt", "added")]
