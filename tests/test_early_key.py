"""The unlock derives the key before the database code is loaded (case_header.derive_ahead), so
at start-up Argon2 overlaps the import of SQLAlchemy instead of following it (issue 18). The key
is used only for the salt it was made for: a file replaced meanwhile (a passphrase change
elsewhere) is opened with a key derived again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import WrongPassphrase
from app.models.case_header import derive_ahead
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE

ROOT = Path(__file__).resolve().parents[1]
NEW = "a new passphrase"


def _made(path: Path) -> Path:
    CaseFile.create(path, PASSPHRASE, display_name="Early key", actor="tester",
                    kdf_profile=TEST_KDF_PROFILE).close()
    return path


def test_the_key_derived_ahead_opens_the_case(tmp_path: Path) -> None:
    path = _made(tmp_path / "case.skcase")
    early = derive_ahead(path, PASSPHRASE)
    assert early is not None and early.salt == path.read_bytes()[:16]
    with CaseFile.open(path, PASSPHRASE, actor="tester", early_key=early) as case:
        assert case.is_open


def test_a_key_for_a_file_replaced_meanwhile_is_not_used(tmp_path: Path) -> None:
    path = _made(tmp_path / "case.skcase")
    stale = derive_ahead(path, PASSPHRASE)
    with CaseFile.open(path, PASSPHRASE, actor="tester") as case:
        case.change_passphrase(NEW, kdf_profile=TEST_KDF_PROFILE)  # a new file, a new salt
    assert stale is not None and stale.salt != path.read_bytes()[:16]
    # The new passphrase opens it: the stale key (the old passphrase's) was not used...
    with CaseFile.open(path, NEW, actor="tester", early_key=stale) as case:
        assert case.is_open
    # ...and the old passphrase does not, whatever key was derived for the old file.
    with pytest.raises(WrongPassphrase):
        CaseFile.open(path, PASSPHRASE, actor="tester", early_key=stale)


def test_nothing_is_derived_for_a_file_that_is_not_a_case(tmp_path: Path) -> None:
    plain = tmp_path / "notes.skcase"
    plain.write_bytes(b"SQLite format 3\x00" + bytes(4080))
    assert derive_ahead(plain, PASSPHRASE) is None
    assert derive_ahead(tmp_path / "missing.skcase", PASSPHRASE) is None
    assert derive_ahead(tmp_path, PASSPHRASE) is None


def test_deriving_ahead_loads_no_database_code(tmp_path: Path) -> None:
    """What lets the key and SQLAlchemy's import overlap: app.models is a lazy face."""
    path = _made(tmp_path / "case.skcase")
    code = ("import sys; from app.models.case_header import derive_ahead; "
            f"assert derive_ahead({str(path)!r}, {PASSPHRASE!r}) is not None; "
            "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'sqlcipher3')))); "
            "from app.models import TimelineKind; print(TimelineKind.__name__, "
            "'sqlalchemy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.stdout.splitlines() == ["[]", "TimelineKind True"], result.stderr
