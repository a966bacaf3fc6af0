"""The encrypted case file, with real SQLCipher files on disk."""

import os
import sqlite3
import stat
import zlib
from pathlib import Path

import pytest
from sqlalchemy import text

from app.errors import CaseInUse, InvalidInput, NotACaseFile, WrongPassphrase
from app.models import CaseInfo, Identifier
from app.models.audit import verify_chain
from app.models.casefile import CaseFile
from app.models.kdf import PROFILES, profile_for_salt
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE

MARKER = "PLAINTEXT-MARKER-7f3a9"


def _create(path: Path, passphrase: str = PASSPHRASE) -> CaseFile:
    return CaseFile.create(
        path,
        passphrase,
        display_name=f"{MARKER}-name",
        actor=f"{MARKER}-actor",
        kdf_profile=TEST_KDF_PROFILE,
    )


def _snapshot(path: Path) -> tuple[bytes, float]:
    return path.read_bytes(), path.stat().st_mtime


def test_new_file_is_encrypted_owner_only_and_holds_no_plaintext(case_path: Path) -> None:
    case = _create(case_path)
    with case.write() as s:
        s.add(
            Identifier(
                type="email", value=f"{MARKER}@example.com", normalised=f"{MARKER}@example.com"
            )
        )
    # Read the bytes while the case is open too: the WAL holds the newest pages.
    files = [p for p in case_path.parent.iterdir() if p.name.startswith(case_path.name)]
    contents = b"".join(p.read_bytes() for p in files)
    case.close()
    contents += case_path.read_bytes()
    assert not case_path.read_bytes().startswith(b"SQLite format 3")
    assert MARKER.encode() not in contents
    assert MARKER.encode("utf-16-le") not in contents
    assert stat.S_IMODE(case_path.stat().st_mode) == 0o600
    # Encrypted pages look random: they do not compress.
    data = case_path.read_bytes()
    assert len(zlib.compress(data, 9)) > 0.95 * len(data)


def test_salt_in_header_names_the_kdf_profile(case_path: Path) -> None:
    _create(case_path).close()
    profile = profile_for_salt(case_path.read_bytes()[:16])
    assert profile == PROFILES[TEST_KDF_PROFILE]
    assert profile.memory_kib >= 64 * 1024


@pytest.mark.parametrize("passphrase", ["a'b\"c;--", "pässwörd ünïcödé", "密码🔑", " spaces  "])
def test_awkward_passphrases_work(tmp_path: Path, passphrase: str) -> None:
    path = tmp_path / "c.skcase"
    CaseFile.create(path, passphrase, display_name="x", actor="t", kdf_profile=1).close()
    with CaseFile.open(path, passphrase, actor="t") as case, case.read() as s:
        assert s.get(CaseInfo, 1) is not None
    with pytest.raises(WrongPassphrase):
        CaseFile.open(path, passphrase.strip() + "x", actor="t")


def test_unicode_passphrase_is_normalised(tmp_path: Path) -> None:
    path = tmp_path / "c.skcase"
    CaseFile.create(path, "caf\u00e9", display_name="x", actor="t", kdf_profile=1).close()
    CaseFile.open(path, "cafe\u0301", actor="t").close()  # e + combining accent


def test_wrong_passphrase_leaves_file_unchanged(case_path: Path) -> None:
    _create(case_path).close()
    before = _snapshot(case_path)
    with pytest.raises(WrongPassphrase) as info:
        CaseFile.open(case_path, "not it", actor="t")
    assert "passphrase" in info.value.message
    assert _snapshot(case_path) == before
    assert sorted(p.name for p in case_path.parent.iterdir()) == [case_path.name]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _plain_sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("create table t(x)")
    conn.commit()
    conn.close()
    return path


BAD_FILES = {
    "empty": lambda p: _write(p, b""),
    "random-odd-size": lambda p: _write(p, os.urandom(10_000)),
    "text": lambda p: _write(p, b"hello, this is not a case\n" * 100),
    "plain-sqlite": _plain_sqlite,
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_files_are_refused_unchanged(tmp_path: Path, kind: str) -> None:
    path = BAD_FILES[kind](tmp_path / "bad.skcase")
    before = _snapshot(path)
    with pytest.raises(NotACaseFile) as info:
        CaseFile.open(path, PASSPHRASE, actor="t")
    assert info.value.exit_code == 4
    assert _snapshot(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.skcase"]


def test_truncated_case_is_refused(case_path: Path) -> None:
    _create(case_path).close()
    data = case_path.read_bytes()
    case_path.write_bytes(data[: len(data) // 2 + 100])
    with pytest.raises(NotACaseFile):
        CaseFile.open(case_path, PASSPHRASE, actor="t")


def test_truncated_on_page_boundary_is_damaged_not_wrong_passphrase(case_path: Path) -> None:
    case = _create(case_path)
    with case.write() as s:
        for i in range(300):
            s.add(Identifier(type="other", value="x" * 500 + str(i), normalised=str(i)))
    case.close()
    data = case_path.read_bytes()
    case_path.write_bytes(data[: 4096 * 2])
    with pytest.raises(NotACaseFile):
        CaseFile.open(case_path, PASSPHRASE, actor="t")


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotACaseFile, match="folder"):
        CaseFile.open(tmp_path, PASSPHRASE, actor="t")
    with pytest.raises(NotACaseFile):
        CaseFile.open(tmp_path / "nope.skcase", PASSPHRASE, actor="t")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX fork to drop privileges")
def test_no_permission(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    path = shared / "case.skcase"
    _create(path).close()
    for folder in (shared, *shared.parents):
        if folder.stat().st_mode & 0o001 == 0 and folder != Path("/"):
            folder.chmod(folder.stat().st_mode | 0o001)  # let another user reach the file...
    path.chmod(0o600)  # ...but not read it
    before = _snapshot(path)
    pid = os.fork()
    if pid == 0:  # child: become an ordinary user (root ignores permissions), then try to open
        code = 99
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            CaseFile.open(path, PASSPHRASE, actor="t")
            code = 0
        except NotACaseFile as exc:
            code = 4 if "allowed" in exc.message else 98
        except BaseException:
            code = 97
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 4
    assert _snapshot(path) == before


def test_random_bytes_in_whole_pages_never_crash(tmp_path: Path) -> None:
    # Indistinguishable from a case with another passphrase: either answer is honest.
    path = _write(tmp_path / "r.skcase", os.urandom(4096 * 3))
    with pytest.raises((NotACaseFile, WrongPassphrase)):
        CaseFile.open(path, PASSPHRASE, actor="t")


def test_second_open_is_told_the_case_is_in_use(case_path: Path) -> None:
    case = _create(case_path)
    with pytest.raises(CaseInUse):
        CaseFile.open(case_path, PASSPHRASE, actor="t")
    case.close()
    CaseFile.open(case_path, PASSPHRASE, actor="t").close()


def test_create_never_overwrites(case_path: Path) -> None:
    case_path.write_bytes(b"precious")
    with pytest.raises(InvalidInput):
        _create(case_path)
    assert case_path.read_bytes() == b"precious"


def test_close_drops_everything(case_path: Path) -> None:
    case = _create(case_path)
    case.close()
    case.close()  # twice is fine
    assert "open" not in repr(case)
    from app.errors import CaseLocked

    with pytest.raises(CaseLocked):
        with case.read():
            pass


def test_pragmas_are_set(case: CaseFile) -> None:
    with case.read() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # MEMORY
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar().startswith("4.")


def test_passphrase_change_needs_the_current_one_when_asked(case_path: Path) -> None:
    case = _create(case_path)
    before = case_path.read_bytes()
    assert case.passphrase_opens(PASSPHRASE)
    assert not case.passphrase_opens("a guess")
    assert not case.passphrase_opens("")
    with pytest.raises(WrongPassphrase, match="not the current passphrase"):
        case.change_passphrase("a new one", kdf_profile=TEST_KDF_PROFILE,
                               current_passphrase="a guess")
    case.close()
    assert case_path.read_bytes() == before  # nothing was changed
    with CaseFile.open(case_path, PASSPHRASE, actor="t", record_open=False) as again:
        again.change_passphrase("a new one", kdf_profile=TEST_KDF_PROFILE,
                                current_passphrase=PASSPHRASE)
    CaseFile.open(case_path, "a new one", actor="t").close()


def test_passphrase_change_keeps_everything(case_path: Path) -> None:
    case = _create(case_path)
    with case.write() as s:
        s.add(Identifier(type="mtcn", value="1234567890", normalised="1234567890"))
    case.change_passphrase("a new passphrase", kdf_profile=TEST_KDF_PROFILE)
    with case.read() as s:  # still usable straight after
        assert s.query(Identifier).count() == 1
    case.close()
    with pytest.raises(WrongPassphrase):
        CaseFile.open(case_path, PASSPHRASE, actor="t")
    with CaseFile.open(case_path, "a new passphrase", actor="t") as reopened, reopened.read() as s:
        assert s.query(Identifier).one().value == "1234567890"
        report = verify_chain(s)
        assert report.first_broken_id is None
        actions = [a for (a,) in s.execute(text("select action from audit_event order by id"))]
        assert "case.passphrase-changed" in actions
    assert stat.S_IMODE(case_path.stat().st_mode) == 0o600
    assert sorted(p.name for p in case_path.parent.iterdir()) == [case_path.name]
