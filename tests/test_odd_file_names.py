"""A file name that is not UTF-8 keeps its bytes, escaped, in the case, the window's list, the
command line and the bundle (issue 20, item 10): `bad\\xff\\xfe.txt`, not six U+FFFD."""

import csv
import io
import os
import zipfile
from pathlib import Path

import pytest

from app.core.intake import import_paths
from app.core.records.evidence import list_evidence
from app.models.base import storable
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE, run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file names as bytes, as on Linux")

ESCAPED = "bad\\xff\\xfe.txt"


def _odd_file(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    raw = os.fsencode(folder) + b"/bad\xff\xfe.txt"
    with open(raw, "wb") as handle:
        handle.write(b"a chat from an old phone")
    return Path(os.fsdecode(raw))


def test_storable_escapes_undecodable_bytes_and_other_lone_surrogates() -> None:
    assert storable(b"bad\xff\xfe.png".decode("utf-8", "surrogateescape")) == "bad\\xff\\xfe.png"
    assert storable("a\ud800b") == "a\\ud800b"
    assert storable("plain é ✓") == "plain é ✓"


def test_the_name_keeps_its_bytes_in_the_case_and_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "case.skcase"
    with CaseFile.create(path, PASSPHRASE, display_name="x", actor="t",
                         kdf_profile=TEST_KDF_PROFILE) as case:
        [outcome] = import_paths(case, [_odd_file(tmp_path / "in").parent])
        assert outcome.status == "added"
        assert [e.original_name for e in list_evidence(case)] == [ESCAPED]
    listed = run_cli("list", str(path), "evidence")
    assert ESCAPED in listed.out, listed
    bundle = tmp_path / "bundle.zip"
    exported = run_cli("export", str(path), str(bundle))
    assert exported.code == 0, exported
    with zipfile.ZipFile(bundle) as archive:
        [name] = [n for n in archive.namelist() if n.endswith("csv/evidence.csv")]
        rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert any(ESCAPED in value for row in rows for value in row.values())


def test_the_line_saying_it_was_added_writes_the_name_as_the_list_does(tmp_path: Path) -> None:
    path = tmp_path / "case.skcase"
    CaseFile.create(path, PASSPHRASE, display_name="x", actor="t",
                    kdf_profile=TEST_KDF_PROFILE).close()
    added = run_cli("add-evidence", str(path), str(_odd_file(tmp_path / "in")))
    assert added.code == 0, added
    assert f"added: {tmp_path / 'in'}/{ESCAPED}" in added.out, added
    assert "\\udc" not in added.out + added.err
