"""The drive that holds an open case is pulled out (a USB stick, as caseworkers on shared
machines keep cases): on a real FUSE mount that fails every call with EIO from that moment
(tests/pullable_drive.py), as a stick's mount does.

SQLite meets it as "database disk image is malformed" or "unable to open database file", and
Safekeep said "Part of this case file is damaged", of a file whole on the stick in the person's
hand; closing the case then failed (the lock file's descriptor), which stopped the window's
lock and Quick exit half way (tests/ui/test_drive_pulled_window.py).
"""

import os
from pathlib import Path

import pytest
from PIL import Image

from app.core.intake.ingest import import_paths
from app.core.records.check import check_case
from app.core.records.evidence import list_evidence
from app.core.records.payments import add_payment, list_payments
from app.errors import CaseFileAbsent, CaseOutOfReach, StorageError
from app.models.casefile import CaseFile, check_looks_like_case
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE, Drive, run_cli

GONE = ("The case file can no longer be reached. Was the USB stick or drive that holds it "
        "taken out? Everything saved before is in the case file. Put the drive back, then "
        "open the case again.")


def _case_on(drive: Drive) -> CaseFile:
    return CaseFile.create(drive.root / "case.skcase", PASSPHRASE, display_name="On a stick",
                           actor="tester", kdf_profile=TEST_KDF_PROFILE)


def test_a_change_after_the_drive_is_pulled_says_so_and_what_was_saved_stays(
        pullable_drive: Drive) -> None:
    case = _case_on(pullable_drive)
    add_payment(case, amount="100", currency="GBP", method="western-union")
    pullable_drive.pull()
    for _ in range(2):  # the first meets "malformed", the next "unable to open"
        with pytest.raises(CaseOutOfReach) as gone:
            add_payment(case, amount="300", currency="GBP", method="western-union")
        assert gone.value.message == GONE
    case.close()  # no error: the lock's descriptor is let go whatever the drive says
    assert not case.is_open

    pullable_drive.put_back()
    case = CaseFile.open(pullable_drive.root / "case.skcase", PASSPHRASE, actor="tester")
    try:
        assert [str(p.amount) for p in list_payments(case)] == ["100"]
        report = check_case(case)
        assert report.problems == [], report.problems
        assert report.audit is not None and report.audit.first_broken_id is None
    finally:
        case.close()


def test_reading_after_the_drive_is_pulled_says_so_too(pullable_drive: Drive) -> None:
    case = _case_on(pullable_drive)
    case.close()
    case = CaseFile.open(pullable_drive.root / "case.skcase", PASSPHRASE, actor="tester")
    case.drop_idle_connections()  # nothing of the file in a connection's cache
    pullable_drive.pull()
    try:
        with pytest.raises(CaseOutOfReach):
            check_case(case)
    finally:
        case.close()


def test_opening_a_case_whose_drive_is_out_says_to_plug_it_in(
        pullable_drive: Drive, tmp_path: Path) -> None:
    path = pullable_drive.root / "case.skcase"
    _case_on(pullable_drive).close()
    pullable_drive.pull()  # the mount still there, failing: EIO
    with pytest.raises(CaseFileAbsent) as unreadable:
        check_looks_like_case(path)
    assert unreadable.value.message == ("This file could not be read. If it is on a USB stick "
                                        "or another drive, check that the drive is plugged in.")
    # Its mount gone, as a desktop takes it away a moment later: no file there at all.
    with pytest.raises(CaseFileAbsent) as missing:
        check_looks_like_case(tmp_path / "media" / "STICK" / "case.skcase")
    assert missing.value.message == (
        "There is no case file here. If it is on a USB stick or another drive, plug the drive "
        "in; if not, check the name and the folder.")
    pullable_drive.put_back()
    assert len(check_looks_like_case(path)) == 16  # the salt: it opens again


def test_the_command_line_says_it_in_one_line(pullable_drive: Drive) -> None:
    path = pullable_drive.root / "case.skcase"
    _case_on(pullable_drive).close()
    pullable_drive.pull()
    result = run_cli("add-payment", str(path), "--amount", "100", "--currency", "GBP",
                     "--method", "western-union")
    assert result.code != 0
    assert "Traceback" not in result.err
    assert result.err.strip().splitlines() == [
        "safekeep: error: This file could not be read. If it is on a USB stick or another drive, "
        "check that the drive is plugged in."], result


def test_a_folder_is_still_named_a_folder(tmp_path: Path) -> None:
    """The first look at the file is now one stat: a folder must still be told apart."""
    from app.errors import NotACaseFile

    with pytest.raises(NotACaseFile) as folder:
        check_looks_like_case(tmp_path)
    assert folder.value.message == "This is a folder, not a Safekeep case file."


# -- the files being added are on the drive pulled out -------------------------------------------

def _screenshots_on(drive: Drive, count: int) -> Path:
    folder = drive.root / "DCIM"
    folder.mkdir()
    for number in range(count):
        Image.frombytes("RGB", (64, 48), os.urandom(64 * 48 * 3)).save(
            folder / f"shot-{number:03d}.png")
    return folder


def test_a_folder_read_from_a_drive_pulled_out_stops_at_the_first_file_not_read(
        pullable_drive: Drive, case: CaseFile) -> None:
    """One sentence and a stop, not a refusal for every file after it; what was read before
    is kept and reported (a stick pulled out during 300 screenshots gave 167 lines of "This
    file could not be read")."""
    folder = _screenshots_on(pullable_drive, 30)
    added: list[str] = []

    def pull_at_the_eleventh(index: int, total: int, name: str) -> None:
        if index == 10:
            pullable_drive.pull()

    with pytest.raises(StorageError) as stopped:
        import_paths(case, [folder], progress=pull_at_the_eleventh,
                     on_outcome=lambda outcome: added.append(Path(outcome.path).name))
    assert stopped.value.message == (
        "The files from shot-010.png on were not added: the drive or folder they are in can no "
        "longer be read. Was a USB stick or phone taken out? Everything added before is safe. "
        "Put it back, then add the rest again.")
    assert added == [f"shot-{n:03d}.png" for n in range(10)]
    assert sorted(row.original_name for row in list_evidence(case)) == added

    pullable_drive.put_back()  # and the same folder added again: the rest
    outcomes = import_paths(case, [folder])
    assert [o.status for o in outcomes] == ["already-there"] * 10 + ["added"] * 20
    assert len(list_evidence(case)) == 30


def test_a_drive_that_does_not_answer_at_all_is_said_not_unexpected(
        pullable_drive: Drive, case: CaseFile) -> None:
    folder = _screenshots_on(pullable_drive, 2)
    pullable_drive.pull()
    for given in (folder, folder / "shot-001.png"):
        with pytest.raises(StorageError, match="can no longer be read"):
            import_paths(case, [given])
    assert list_evidence(case) == []


def test_a_file_read_whole_is_kept_if_the_drive_goes_as_it_is_closed(
        pullable_drive: Drive) -> None:
    """Closing a file on FUSE (as a phone's files are) asks the drive, and fails once it has
    gone: the file read to its end must not be lost for it."""
    from app.core.intake.read_stops import open_to_read

    path = pullable_drive.root / "note.txt"
    path.write_text("a message")
    with open_to_read(path) as handle:
        data = handle.read()
        pullable_drive.pull()
    assert data == b"a message"
    with pytest.raises(OSError), path.open("rb") as handle:  # the drive really is gone
        handle.read()


def test_adding_from_a_drive_that_is_out_says_it_in_one_line(
        pullable_drive: Drive, case: CaseFile) -> None:
    folder = _screenshots_on(pullable_drive, 3)
    path = case.path
    case.close()
    pullable_drive.pull()
    result = run_cli("add-evidence", str(path), str(folder))
    assert result.code != 0 and "Traceback" not in result.err
    assert result.err.strip().splitlines() == [
        "safekeep: error: The files from DCIM on were not added: the drive or folder they are "
        "in can no longer be read. Was a USB stick or phone taken out? Everything added "
        "before is safe. Put it back, then add the rest again."], result


# -- writing to the drive pulled out: a spare copy, a new case -----------------------------------

WRITING_GONE = ("The drive or folder this was being written to can no longer be reached. Was a "
                "USB stick taken out? Nothing already saved was lost. Put it back, or choose "
                "another place, and try again.")


def test_a_spare_copy_onto_a_stick_pulled_out_says_so_and_the_case_is_whole(
        pullable_drive: Drive, case: CaseFile, tmp_path: Path) -> None:
    """Settings suggests a USB stick for the spare copy. Pulled out before it began, the copy
    had said "Something unexpected went wrong" (pathlib's is_dir raised EIO); pulled out
    halfway, SQLite's words could say the case was damaged."""
    from app.models.case_copy import save_copy

    for number in range(6):  # 24 MB: the copy takes long enough to be pulled out of
        (tmp_path / f"recording-{number}.bin").write_bytes(os.urandom(4 << 20))
    import_paths(case, sorted(tmp_path.glob("recording-*.bin")))
    pullable_drive.pull()
    with pytest.raises(StorageError) as before:
        save_copy(case, pullable_drive.root)
    assert before.value.message == WRITING_GONE
    pullable_drive.put_back()

    def pull_once_begun(done: int, total: int) -> None:
        pullable_drive.pull()

    with pytest.raises(StorageError) as halfway:
        save_copy(case, pullable_drive.root / "spare.skcase", progress=pull_once_begun)
    assert halfway.value.message == WRITING_GONE
    pullable_drive.put_back()
    assert not (pullable_drive.root / "spare.skcase").exists()
    assert check_case(case).problems == []  # the case itself: whole


def test_a_new_case_on_a_stick_that_does_not_answer_says_so(pullable_drive: Drive) -> None:
    pullable_drive.pull()
    with pytest.raises(StorageError) as gone:
        _case_on(pullable_drive)
    assert gone.value.message == WRITING_GONE


def test_the_command_line_copy_says_it_in_one_line(pullable_drive: Drive,
                                                    case: CaseFile) -> None:
    path = case.path
    case.close()
    pullable_drive.pull()
    result = run_cli("copy", str(path), str(pullable_drive.root))
    assert result.code != 0 and "Traceback" not in result.err
    assert result.err.strip().splitlines() == [f"safekeep: error: {WRITING_GONE}"], result


def test_checking_a_bundle_on_a_stick_that_is_out_says_so(
        pullable_drive: Drive, case: CaseFile, tmp_path: Path) -> None:
    """An officer's `safekeep verify` of a bundle on a stick that stopped answering had said
    "Something unexpected went wrong" (pathlib's is_dir raised EIO)."""
    from app.export import export_bundle, verify_bundle

    (tmp_path / "note.txt").write_text("pay or else")
    import_paths(case, [tmp_path / "note.txt"])
    bundle = pullable_drive.root / "bundle.zip"
    export_bundle(case, bundle)
    assert verify_bundle(bundle).ok
    pullable_drive.pull()
    with pytest.raises(StorageError) as gone:
        verify_bundle(bundle)
    assert gone.value.message == (
        "The bundle could not be read to the end. If it is on a USB stick or another drive, "
        "check that the drive is plugged in, then check the bundle again.")
    result = run_cli("verify", str(bundle))
    assert result.code != 0 and "Traceback" not in result.err
    assert result.err.strip().splitlines() == [f"safekeep: error: {gone.value.message}"]


def test_a_bundle_made_onto_a_stick_that_is_out_says_so(pullable_drive: Drive,
                                                        case: CaseFile) -> None:
    from app.export import export_bundle

    pullable_drive.pull()
    for target in (pullable_drive.root / "bundle.zip", pullable_drive.root / "sub" / "b.zip"):
        with pytest.raises(StorageError) as gone:
            export_bundle(case, target)
        assert gone.value.message == WRITING_GONE
    path = case.path
    case.close()
    result = run_cli("export", str(path), str(pullable_drive.root))  # a folder: named in it
    assert result.code != 0 and "Traceback" not in result.err
    assert result.err.strip().splitlines() == [f"safekeep: error: {WRITING_GONE}"], result


def test_places_say_no_where_pathlib_raises(pullable_drive: Drive) -> None:
    import time

    from app.places import is_folder, is_there

    folder = pullable_drive.root / "cases"
    folder.mkdir()
    assert is_folder(folder) and is_there(folder)
    pullable_drive.pull()
    time.sleep(1.2)  # the kernel keeps a FUSE folder's details for a second (attr_timeout)
    with pytest.raises(OSError):
        folder.is_dir()
    assert not is_folder(folder) and not is_there(folder)


def test_a_copy_of_a_case_whose_own_stick_is_pulled_out_says_so(
        pullable_drive: Drive, tmp_path: Path) -> None:
    """The copy goes to the computer's disk, the case's stick comes out meanwhile: SQLite's
    "malformed" must not be read as the case damaged."""
    from app.models.case_copy import save_copy

    case = _case_on(pullable_drive)
    for number in range(6):  # 24 MB: the copy takes long enough to be pulled out of
        (tmp_path / f"recording-{number}.bin").write_bytes(os.urandom(4 << 20))
    import_paths(case, sorted(tmp_path.glob("recording-*.bin")))
    case.close()
    case = CaseFile.open(pullable_drive.root / "case.skcase", PASSPHRASE, actor="tester")
    case.drop_idle_connections()  # nothing of the file in a connection's cache
    try:
        with pytest.raises(CaseOutOfReach) as gone:
            save_copy(case, tmp_path / "spare.skcase",
                      progress=lambda done, total: pullable_drive.pull())
        assert gone.value.message == GONE
        assert not (tmp_path / "spare.skcase").exists()
    finally:
        case.close()


def test_adding_files_to_a_case_whose_stick_is_pulled_out_says_so(
        pullable_drive: Drive, tmp_path: Path) -> None:
    """Files added from the computer to a case whose own stick comes out halfway: said as the
    stick gone, not as the case damaged. (Here the group's commit meets it first; the lookup
    of each file's hash before it, which reads the case too, now goes the same way, but its
    reads came from the cache in this test, so that path is not pinned by it.)"""
    case = _case_on(pullable_drive)
    for number in range(20):
        (tmp_path / f"note-{number:02d}.txt").write_text(f"message {number}")
    case.drop_idle_connections()

    def pull_at_the_fourth(index: int, total: int, name: str) -> None:
        if index == 3:
            pullable_drive.pull()

    try:
        with pytest.raises(CaseOutOfReach):
            import_paths(case, sorted(tmp_path.glob("note-*.txt")), progress=pull_at_the_fourth)
    finally:
        case.close()
