"""A spare copy of an open case (`save_copy`, `safekeep copy`): it opens with the same
passphrase and holds everything, also while work goes on; it never replaces a file; a drive
without room, a missing folder and Stop each leave nothing behind; the copy is audited.
Real SQLCipher files, real small disks."""

import json
import os
import stat
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.records.check import check_case
from app.core.records.evidence import list_evidence
from app.core.records.identifiers import add_identifier, list_identifiers
from app.errors import Cancelled, InvalidInput, NotACaseFile, StorageError
from app.models import AuditEvent
from app.models.case_copy import save_copy
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, run_cli
from tests.damage_support import case_with, flip_a_byte_mid_file
from tests.test_export_support import add_evidence_direct, build_demo_case

MIB = 1 << 20


def copy_events(case: CaseFile) -> list[dict[str, object]]:
    with case.read() as session:
        return [json.loads(e.details) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action == "case.copy"))]


def test_the_copy_opens_with_the_same_passphrase_and_holds_everything(
        case: CaseFile, tmp_path: Path) -> None:
    build_demo_case(case)
    result = save_copy(case, tmp_path / "spare.skcase")
    assert result.path == tmp_path / "spare.skcase"
    assert result.size == result.path.stat().st_size
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if "spare" in p.name) == ["spare.skcase"]
    assert copy_events(case) == [{"file": "spare.skcase", "bytes": result.size}]
    with CaseFile.open(result.path, PASSPHRASE, actor="t", record_open=False) as spare:
        assert [(e.sha256, e.original_name) for e in list_evidence(spare)] == \
            [(e.sha256, e.original_name) for e in list_evidence(case)]
        assert list_identifiers(spare) == list_identifiers(case)
        assert check_case(spare).ok  # every item's hash and the audit chain
        assert copy_events(spare) == []  # the copy is of the moment before it was recorded


def test_a_folder_gives_the_copy_a_name_of_its_own(case: CaseFile, tmp_path: Path) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    result = save_copy(case, folder)
    assert result.path == folder / f"{case.path.stem} copy {date.today().isoformat()}.skcase"
    with pytest.raises(InvalidInput, match="already exists"):
        save_copy(case, folder)  # the same day again: never replaced


@pytest.mark.parametrize("where", ["exists", "case", "no-folder"])
def test_a_copy_never_replaces_a_file(case: CaseFile, tmp_path: Path, where: str) -> None:
    target = {"exists": tmp_path / "old.skcase", "case": case.path,
              "no-folder": tmp_path / "gone" / "x.skcase"}[where]
    if where == "exists":
        target.write_bytes(b"someone else's file")
    with pytest.raises(InvalidInput):
        save_copy(case, target)
    if where == "exists":
        assert target.read_bytes() == b"someone else's file"
    assert copy_events(case) == []


def test_work_going_on_meanwhile_leaves_the_copy_whole(case: CaseFile, tmp_path: Path) -> None:
    add_evidence_direct(case, os.urandom(20 * MIB), "call.mp4", kind="video",
                        detected_type="video/mp4", thumbnail=False)
    stop = threading.Event()
    added: list[int] = []

    def keep_adding() -> None:
        while not stop.is_set():
            add_identifier(case, "email", f"someone{len(added)}@example.com")
            added.append(1)

    writer = threading.Thread(target=keep_adding)
    writer.start()
    try:
        result = save_copy(case, tmp_path / "spare.skcase")
    finally:
        stop.set()
        writer.join()
    assert added, "nothing was written while the copy was made: the test proved nothing"
    with CaseFile.open(result.path, PASSPHRASE, actor="t", record_open=False) as spare:
        assert check_case(spare).ok
        assert len(list_identifiers(spare)) <= len(added)


def test_progress_and_stop_leave_nothing(case: CaseFile, tmp_path: Path) -> None:
    add_evidence_direct(case, os.urandom(60 * MIB), "call.mp4", kind="video",
                        detected_type="video/mp4", thumbnail=False)
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled, match="No copy was saved"):
        save_copy(case, tmp_path / "spare.skcase", progress=lambda d, t: seen.append((d, t)),
                  is_cancelled=lambda: bool(seen))
    assert seen and 0 <= seen[0][0] < seen[0][1]
    assert [p.name for p in tmp_path.iterdir() if "spare" in p.name] == []
    assert copy_events(case) == []
    result = save_copy(case, tmp_path / "spare.skcase")  # the case is as it was
    assert result.path.is_file()


def test_a_drive_without_room_is_said_before_anything_is_written(
        case: CaseFile, tiny_disk: Path) -> None:
    add_evidence_direct(case, os.urandom(2 * MIB), "call.mp4", kind="video",
                        detected_type="video/mp4", thumbnail=False)
    with pytest.raises(StorageError, match=r"^The copy needs up to 2\.\d MB, and this drive "
                                           r"has 1\.0 MB free\."):
        save_copy(case, tiny_disk / "spare.skcase")
    assert list(tiny_disk.iterdir()) == []


def test_the_command_line(case: CaseFile, tmp_path: Path) -> None:
    path = case.path
    case.close()
    done = run_cli("copy", str(path), str(tmp_path / "spare.skcase"))
    assert done.code == 0, done
    assert done.out.startswith(f"Saved a copy of the case: {tmp_path / 'spare.skcase'} (")
    assert "It opens with the same passphrase." in done.out
    again = run_cli("copy", str(path), str(tmp_path / "spare.skcase"))
    assert again.code == 2 and again.err == (
        "safekeep: error: A file with that name already exists. Choose another name.\n")
    with CaseFile.open(tmp_path / "spare.skcase", PASSPHRASE, actor="t") as spare:
        assert check_case(spare).ok


def test_a_damaged_case_says_what_can_still_be_done(tmp_path: Path) -> None:
    path = case_with(tmp_path, {"a.txt": b"small " * 30,
                                "video.mp4": b"\x00\x00\x00\x18ftypmp42" + os.urandom(6 * MIB)})
    flip_a_byte_mid_file(path)
    with CaseFile.open(path, PASSPHRASE, actor="t", record_open=False) as case:
        with pytest.raises(NotACaseFile) as raised:
            save_copy(case, tmp_path / "spare.skcase")
        assert copy_events(case) == []
    assert raised.value.message.startswith(
        "Part of this case file is damaged, so a whole copy of it cannot be made.")
    assert "a bundle for police can still be made" in raised.value.message
    assert not [p for p in tmp_path.iterdir() if "spare" in p.name]


def test_a_copy_killed_part_way_is_swept_by_the_next(case: CaseFile, tmp_path: Path) -> None:
    """A copy stopped by a power cut leaves its hidden file: the next copy to that name
    removes it once it is an hour old, never one that may still be written."""
    old = tmp_path / ".spare.skcase.copy-0badf00d"
    fresh = tmp_path / ".spare.skcase.copy-5eed1e55"
    for leftover in (old, fresh):
        leftover.write_bytes(b"half a case")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    save_copy(case, tmp_path / "spare.skcase")
    assert not old.exists() and fresh.exists()
