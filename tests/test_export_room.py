"""A bundle that cannot fit where the person chose is refused before a byte is written (a drive
with too little free space, a FAT32 USB stick and a bundle over 4 GB), and one that meets the
drive's own limit while it is written says so in words a person can act on.

Real file systems: a 1 MiB tmpfs (root only), a FAT32 image mounted by the kernel or fusefat,
and the kernel's own "file too large" error (a file-size limit set on the child process)."""

import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import StorageError
from app.export import export_bundle
from app.export.room import Room, room_at, room_problem
from app.models.casefile import CaseFile
from app.models.disk_room import FAT_LARGEST_FILE, file_system_type
from tests.built_program_support import fat32_stick
from tests.conftest import PASSPHRASE, run_cli
from tests.test_export_bundle import audit_actions, no_partial_left
from tests.test_export_support import add_evidence_direct

MIB = 1 << 20


def add_video(case: CaseFile, size: int) -> None:
    """Already compressed, so the bundle stores it as it is: the least the bundle takes."""
    add_evidence_direct(case, os.urandom(size), "call.mp4", kind="video",
                        detected_type="video/mp4", thumbnail=False)


def test_a_bundle_larger_than_the_free_space_is_refused_at_once(case: CaseFile,
                                                                tiny_disk: Path) -> None:
    add_video(case, 2 * MIB)
    free = os.statvfs(tiny_disk).f_bfree
    stages: list[str] = []
    with pytest.raises(StorageError) as raised:
        export_bundle(case, tiny_disk / "bundle.zip",
                      progress=lambda _done, _total, label: stages.append(label))
    assert raised.value.message.startswith(
        "The bundle needs at least 2.1 MB, and this drive has 1.0 MB free.")
    assert "The case itself is unchanged." in raised.value.message
    # Refused before the report was drawn or a byte written.
    assert os.statvfs(tiny_disk).f_bfree == free
    assert list(tiny_disk.iterdir()) == []
    assert stages[-1] == "Preparing"
    assert audit_actions(case) == []
    export_bundle(case, tiny_disk.parent / "bundle.zip")  # somewhere with room: as ever


def test_text_that_may_shrink_is_not_counted_against_the_room(case: CaseFile,
                                                              tiny_disk: Path) -> None:
    """A chat log is compressed in the bundle, so its size is no sure part of the bundle's:
    2 MB of repeated text fits a 1 MiB disk, and is never refused."""
    add_evidence_direct(case, b"Pay me or I send it to everyone.\n" * 64_000, "chat.txt",
                        kind="text", detected_type="text/plain", thumbnail=False)
    result = export_bundle(case, tiny_disk / "bundle.zip")
    assert result.path.is_file()


def test_the_command_line_says_it_in_one_line(case: CaseFile, tiny_disk: Path) -> None:
    add_video(case, 2 * MIB)
    path = case.path
    case.close()
    result = run_cli("export", str(path), str(tiny_disk / "bundle.zip"))
    assert result.code == 5, result
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert result.err.startswith("safekeep: error: The bundle needs at least 2.1 MB")
    assert list(tiny_disk.iterdir()) == []


@pytest.fixture
def stick(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "stick"
    mount_point.mkdir()
    mounted = fat32_stick(tmp_path / "stick.img", mount_point)
    if isinstance(mounted, str):
        pytest.skip(f"no FAT32 file system can be mounted here: {mounted}")
    try:
        yield mount_point
    finally:
        mounted.unmount()


def test_a_fat32_stick_is_known_by_its_file_limit(stick: Path, tmp_path: Path) -> None:
    assert file_system_type(stick) in ("vfat", "fuse.fusefat")
    room = room_at(stick)
    assert room.largest_file == FAT_LARGEST_FILE
    assert room.free is not None and 600 * MIB < room.free < 700 * MIB
    assert room_at(tmp_path).largest_file is None  # the test machine's own disk
    # A bundle a little over 4 GiB would be refused there, before it is written...
    problem = room_problem(Room(None, room.largest_file), bundle_at_least=FAT_LARGEST_FILE + 1,
                           one_file=True)
    assert problem is not None and "Make a portal pack instead" in problem
    # ...and a small one is written as ever.
    assert room_problem(room, bundle_at_least=10 * MIB, one_file=True) is None


def test_what_is_refused_and_what_is_not() -> None:
    fat = Room(free=64 * 10**9, largest_file=FAT_LARGEST_FILE)
    assert room_problem(fat, bundle_at_least=FAT_LARGEST_FILE, one_file=True) is None
    assert "FAT32" in (room_problem(fat, bundle_at_least=5 * 10**9, one_file=True) or "")
    # A portal pack's parts are at most 2 GB each: not refused for its whole size.
    assert room_problem(fat, bundle_at_least=5 * 10**9, one_file=False) is None
    # Too little room beats the file limit: it is the first thing to mend.
    small = Room(free=3 * 10**9, largest_file=FAT_LARGEST_FILE)
    assert "has 3.0 GB free" in (room_problem(small, bundle_at_least=5 * 10**9,
                                              one_file=True) or "")
    # Nothing known, nothing refused.
    assert room_problem(Room(None, None), bundle_at_least=10**15, one_file=True) is None
    # Sizes that round alike are given exactly, so the sentence never reads as a mistake.
    close = room_problem(Room(free=3_000_000, largest_file=None), bundle_at_least=3_040_000,
                         one_file=True)
    assert close is not None and "3,040,000 bytes" in close and "3,000,000 bytes" in close


def test_the_list_of_mounts_is_read_safely(tmp_path: Path) -> None:
    device = os.stat(tmp_path).st_dev
    here = f"{os.major(device)}:{os.minor(device)}"
    mounts = tmp_path / "mountinfo"
    mounts.write_text(
        "garbage\n\n - \n1 2 3\n"  # broken lines are passed over
        f"36 35 {here} / /media/a\\040stick rw,nosuid shared:1 - vfat /dev/sdb1 rw\n",
        encoding="utf-8")
    assert file_system_type(tmp_path, mounts) == "vfat"
    mounts.write_bytes(b"\xff\xfe\x00 - \n")
    assert file_system_type(tmp_path, mounts) is None
    assert file_system_type(tmp_path, tmp_path / "missing") is None
    assert file_system_type(tmp_path / "gone", mounts) is None


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (MIB, MIB))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE as on Linux")
def test_a_drive_that_stops_a_large_file_is_named_as_such(case: CaseFile,
                                                          tmp_path: Path) -> None:
    """The kernel's "file too large" (EFBIG), as FAT32 gives at 4 GiB: here from a limit on
    the size of any file the child writes, met while the bundle is written."""
    add_evidence_direct(case, os.urandom(2 * MIB), "recording.bin", kind="other",
                        detected_type="application/octet-stream", thumbnail=False)
    path = case.path
    case.close()
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run([sys.executable, "-m", "app", "export", str(path),
                           str(out / "bundle.zip")], capture_output=True, text=True,
                          env={**os.environ, "SAFEKEEP_PASSPHRASE": PASSPHRASE},
                          preexec_fn=_limit_file_size, timeout=120)
    assert proc.returncode == 5, proc.stderr
    assert proc.stderr.startswith(
        "safekeep: error: The bundle will be larger than this drive can hold in one file")
    assert proc.stderr.count("\n") == 1
    no_partial_left(out, "bundle.zip")
    with CaseFile.open(path, PASSPHRASE, actor="test") as reopened:
        assert audit_actions(reopened) == []
