"""Every way a passphrase change can end, and what the person is told (issue 20, item 1).

Not changed: the old passphrase still opens the case, nothing is lost, the case stays open and
usable, and the message says "not changed". Changed: only the new passphrase opens it, and the
message says so even when something after the change failed. Failures come from the real
thing where a test can make it happen (a damaged byte, a file size limit, a read-only folder);
only failures a test cannot cause for real (a failing directory fsync, a rename that reports an
error) are injected at the system call, around the real code.
"""

import errno
import os
import resource
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from app.core.records import check_case
from app.errors import (
    CaseInUse,
    NotACaseFile,
    PassphraseChangedCaseClosed,
    StorageError,
    WrongPassphrase,
)
from app.models import Identifier, rekey
from app.models import casefile as casefile_module
from app.models.casefile import PAGE_SIZE, CaseFile
from app.models.filelock import lock_path_for
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE

NEW = "a new passphrase"
ROOT = Path(__file__).resolve().parent.parent


def _made(case_path: Path, identifiers: int = 20) -> CaseFile:
    case = CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t",
                           kdf_profile=TEST_KDF_PROFILE)
    with case.write() as s:
        s.add_all(Identifier(type="other", value=f"v{i}", normalised=f"v{i}")
                  for i in range(identifiers))
    return case


def _opens_with(case_path: Path) -> list[str]:
    """Which of the two passphrases open the case; each must leave it whole."""
    opened = []
    for candidate in (PASSPHRASE, NEW):
        try:
            with CaseFile.open(case_path, candidate, actor="c", record_open=False) as case:
                assert check_case(case).ok
                with case.read() as s:
                    assert s.query(Identifier).count() == 20
            opened.append(candidate)
        except WrongPassphrase:
            pass
    return opened


def _only_the_case_is_left(case_path: Path) -> None:
    assert sorted(p.name for p in case_path.parent.iterdir()) == [case_path.name]


def _assert_not_changed(case: CaseFile, case_path: Path, exc: BaseException) -> None:
    assert "passphrase was not changed" in str(exc)
    assert case.is_open  # still open, on the old file, and usable
    with case.write() as s:
        s.add(Identifier(type="other", value="after", normalised="after"))
        s.flush()
        s.delete(s.query(Identifier).filter_by(value="after").one())
    case.close()
    assert _opens_with(case_path) == [PASSPHRASE]
    _only_the_case_is_left(case_path)


def test_a_new_file_that_does_not_read_back_is_never_published(
        case_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _made(case_path)
    real_settle = rekey.settle

    def settle_then_damage(engine: object, path: Path) -> None:
        real_settle(engine, path)  # type: ignore[arg-type]
        if path != case_path:  # the new file: one flipped byte in its second page
            with path.open("r+b") as handle:
                handle.seek(PAGE_SIZE + 100)
                byte = handle.read(1)
                handle.seek(PAGE_SIZE + 100)
                handle.write(bytes([byte[0] ^ 0xFF]))

    monkeypatch.setattr(rekey, "settle", settle_then_damage)
    with pytest.raises(NotACaseFile) as caught:
        case.change_passphrase(NEW, kdf_profile=TEST_KDF_PROFILE)
    assert "did not read back whole" in str(caught.value)
    _assert_not_changed(case, case_path, caught.value)


CHILD_WITH_SIZE_LIMIT = textwrap.dedent("""
    import resource, signal, sys
    from app.errors import SafekeepError
    from app.models.casefile import CaseFile

    case_path, passphrase, new, limit = sys.argv[1:5]
    case = CaseFile.open(case_path, passphrase, actor="child", record_open=False)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing past the limit fails (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), resource.RLIM_INFINITY))
    try:
        case.change_passphrase(new, kdf_profile=1)
        print("changed")
    except SafekeepError as exc:
        print(type(exc).__name__, exc.message)
    case.close()
""")


def test_a_write_refused_during_the_copy_changes_nothing(case_path: Path) -> None:
    _made(case_path).close()
    script = case_path.with_name("child.py")
    script.write_text(CHILD_WITH_SIZE_LIMIT, encoding="utf-8")
    limit = case_path.stat().st_size // 2  # the copy cannot be finished
    proc = subprocess.run(
        [sys.executable, str(script), str(case_path), PASSPHRASE, NEW, str(limit)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("StorageError The passphrase was not changed"), proc.stdout
    assert "could not be written" in proc.stdout
    script.unlink()
    assert _opens_with(case_path) == [PASSPHRASE]
    _only_the_case_is_left(case_path)
    assert resource.getrlimit(resource.RLIMIT_FSIZE)[0] == resource.RLIM_INFINITY


def test_a_failure_after_the_rename_says_the_passphrase_changed(
        case_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _made(case_path)

    def failing_fsync_dir(_directory: Path) -> None:
        raise OSError(errno.EIO, "the stick was pulled out")

    monkeypatch.setattr(rekey, "fsync_dir", failing_fsync_dir)
    with pytest.raises(PassphraseChangedCaseClosed) as caught:
        case.change_passphrase(NEW, kdf_profile=TEST_KDF_PROFILE)
    assert caught.value.message.startswith("The passphrase was changed: only the new one")
    assert not case.is_open  # closed, and its lock given up: anyone may open it now
    assert not lock_path_for(case_path).exists()
    assert _opens_with(case_path) == [NEW]
    _only_the_case_is_left(case_path)


def test_a_rename_that_reports_an_error_but_happened_says_changed(
        case_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _made(case_path)
    real_replace = os.replace

    def replaced_then_failed(src: str, dst: str) -> None:
        real_replace(src, dst)
        raise OSError(errno.EIO, "a network folder that answered late")

    monkeypatch.setattr(rekey.os, "replace", replaced_then_failed)
    with pytest.raises(PassphraseChangedCaseClosed):
        case.change_passphrase(NEW, kdf_profile=TEST_KDF_PROFILE)
    monkeypatch.undo()
    assert _opens_with(case_path) == [NEW]


def test_a_rename_refused_changes_nothing(
        case_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What Windows does when another program holds the case file open."""
    case = _made(case_path)

    def refused(_src: str, _dst: str) -> None:
        raise PermissionError(errno.EACCES, "in use by another program")

    monkeypatch.setattr(rekey.os, "replace", refused)
    with pytest.raises(StorageError) as caught:
        case.change_passphrase(NEW, kdf_profile=TEST_KDF_PROFILE)
    monkeypatch.undo()
    _assert_not_changed(case, case_path, caught.value)


def test_no_log_of_the_old_file_is_left_for_the_new_one(case_path: Path) -> None:
    case = _made(case_path)
    wal = Path(f"{case_path}-wal")
    with case.write() as s:  # something in the log, not yet in the file
        s.add(Identifier(type="other", value="in the log", normalised="x"))
    assert wal.exists() and wal.stat().st_size > 0
    real_replace = os.replace
    seen: list[list[str]] = []

    def looking(src: str, dst: str) -> None:
        seen.append(sorted(p.name for p in case_path.parent.iterdir()))
        real_replace(src, dst)

    rekey.os.replace = looking  # type: ignore[assignment]
    try:
        case.change_passphrase(NEW, kdf_profile=TEST_KDF_PROFILE)
    finally:
        rekey.os.replace = real_replace  # type: ignore[assignment]
    # At the rename: the case, its lock file and the new file, and no -wal or -shm of either.
    assert len(seen) == 1 and not [n for n in seen[0] if n.endswith(("-wal", "-shm"))], seen
    with case.read() as s:
        assert s.query(Identifier).filter_by(value="in the log").count() == 1
    case.close()


def test_work_in_the_same_process_waits_and_is_not_lost(case_path: Path) -> None:
    case = _made(case_path)
    started = threading.Event()

    def slow_writer() -> None:
        with case.write() as s:
            started.set()
            time.sleep(0.5)  # still writing when the change begins
            s.add(Identifier(type="other", value="written meanwhile", normalised="m"))

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert started.wait(10)
    case.change_passphrase(NEW, kdf_profile=TEST_KDF_PROFILE)
    writer.join()
    with case.read() as s:
        assert s.query(Identifier).filter_by(value="written meanwhile").count() == 1
    case.close()
    with CaseFile.open(case_path, NEW, actor="c", record_open=False) as again, again.read() as s:
        assert s.query(Identifier).filter_by(value="written meanwhile").count() == 1


def test_work_that_does_not_finish_leaves_the_passphrase_unchanged(
        case_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(casefile_module, "_QUIET_WAIT_SECONDS", 0.3)
    case = _made(case_path)
    release = threading.Event()

    def long_reader() -> None:
        with case.read():
            release.wait(20)

    reader = threading.Thread(target=long_reader)
    reader.start()
    time.sleep(0.1)
    try:
        with pytest.raises(CaseInUse) as caught:
            case.change_passphrase(NEW, kdf_profile=TEST_KDF_PROFILE)
    finally:
        release.set()
        reader.join()
    assert "still busy" in str(caught.value)
    _assert_not_changed(case, case_path, caught.value)


def test_the_lock_file_is_beside_the_case_only_while_it_is_open(case_path: Path) -> None:
    lock = lock_path_for(case_path)
    assert lock == case_path.with_name(".case.skcase.lock")
    case = _made(case_path)
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600
    with pytest.raises(CaseInUse, match="already open in another window or program"):
        CaseFile.open(case_path, PASSPHRASE, actor="second")
    case.change_passphrase(NEW, kdf_profile=TEST_KDF_PROFILE)
    assert lock.exists()  # never renamed, never given up during the change
    with pytest.raises(CaseInUse):
        CaseFile.open(case_path, NEW, actor="second")
    case.close()
    _only_the_case_is_left(case_path)


def test_a_lock_file_left_by_a_crash_does_not_keep_the_case_shut(case_path: Path) -> None:
    _made(case_path).close()
    lock_path_for(case_path).write_bytes(b"left over")
    with CaseFile.open(case_path, PASSPHRASE, actor="t"):
        pass
    _only_the_case_is_left(case_path)


def test_a_long_case_name_gets_a_short_lock_file(tmp_path: Path) -> None:
    path = tmp_path / ("a" * 230 + ".skcase")
    assert len(lock_path_for(path).name) < 40
    assert lock_path_for(path) == lock_path_for(path)  # the same for every opener


@pytest.fixture
def read_only_folder(tmp_path: Path) -> object:
    """A folder Safekeep cannot write in: a read-only mount when the tests run as root (who
    may write anywhere else), otherwise a folder without write permission."""
    folder = tmp_path / "stick"
    folder.mkdir()
    if os.geteuid() != 0:
        yield folder, lambda: folder.chmod(0o555)
        folder.chmod(0o755)
        return
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "none", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot make a read-only folder here")
    try:
        yield folder, lambda: subprocess.run(["mount", "-o", "remount,ro", str(folder)],
                                             check=True)
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_case_in_a_read_only_folder_says_why_it_will_not_open(read_only_folder: object) -> None:
    folder, make_read_only = read_only_folder  # type: ignore[misc]
    case_path = folder / "case.skcase"
    _made(case_path).close()
    before = case_path.read_bytes()
    make_read_only()
    with pytest.raises(StorageError, match="cannot write in the folder this case is in"):
        CaseFile.open(case_path, PASSPHRASE, actor="t")
    assert case_path.read_bytes() == before


def test_a_new_case_in_a_read_only_folder_asks_for_another_folder(
        read_only_folder: object) -> None:
    # It said "Copy the case to a folder you can write to": there is no case yet to copy.
    folder, make_read_only = read_only_folder  # type: ignore[misc]
    make_read_only()
    with pytest.raises(StorageError) as info:
        _made(folder / "new.skcase")
    assert "Choose another folder for the new case" in info.value.message
    assert "Copy the case" not in info.value.message
