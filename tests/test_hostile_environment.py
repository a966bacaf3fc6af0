"""The world around the case file misbehaves: a full disk, a changed byte, a curious network
monitor. Each gives a calm error, loses nothing, and Safekeep never touches the network."""

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from app.core.intake.ingest import import_paths
from app.core.records.check import check_case
from app.core.records.evidence import list_evidence, remove_evidence
from app.errors import NotACaseFile, StorageError, WrongPassphrase
from app.models.casefile import PAGE_SIZE, CaseFile
from tests.conftest import PASSPHRASE, CliResult, room_unknown, run_cli
from tests.conftest import small_disk_at as small_disk


def _png(path: Path) -> Path:
    Image.new("RGB", (64, 64), (10, 200, 10)).save(path)
    return path


def test_a_file_that_cannot_fit_is_refused_before_it_fills_the_disk(tmp_path: Path) -> None:
    """A 6 MB video onto a 3 MiB disk: refused at once, with the sizes, before a byte of it
    is written (the disk never fills); the rest of the batch is added; the case is whole."""
    with small_disk(tmp_path / "disk", "3m") as disk:
        case_path = disk / "case.skcase"
        CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
        before = _png(tmp_path / "first.png")
        big = tmp_path / "video.mp4"
        big.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(6 * 1024 * 1024))
        after = tmp_path / "after.png"
        Image.new("RGB", (64, 64), (200, 10, 10)).save(after)
        with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
            assert import_paths(case, [before])[0].status == "added"
            free = shutil.disk_usage(disk).free
            video, picture = import_paths(case, [big, after])
            assert video.status == "refused" and picture.status == "added"
            # Twice the file: the case file grows by it, and the log holds it until folded in.
            assert video.reason.startswith(
                "This file is 6.3 MB and needs at least 12.8 MB free on the disk that holds the "
                "case while it is stored; that disk has 2.")
            assert free - shutil.disk_usage(disk).free < 256 * 1024  # the picture, no more
        with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
            assert [e.original_name for e in list_evidence(case)] == ["first.png", "after.png"]
            assert check_case(case).ok


def _small_files(folder: Path, count: int, size: int = 16 * 1024) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"{i:04d}.bin").write_bytes(os.urandom(size))
    return folder


def _import_onto_small_disk(tmp_path: Path, files: Path) -> tuple[str, list[str], list[str], int]:
    """Add `files` to a new case on a 4 MiB disk until the batch stops: (the message it
    stopped with, the names reported as added, the names stored, the disk's free bytes)."""
    with small_disk(tmp_path / "disk", "4m") as disk:
        case_path = disk / "case.skcase"
        CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
        reported: list[str] = []
        with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
            with pytest.raises(StorageError) as info:
                import_paths(case, [files], on_outcome=lambda o: reported.append(o.path))
        free = shutil.disk_usage(disk).free  # with the log folded in as the case closed
        with CaseFile.open(case_path, PASSPHRASE, actor="t", record_open=False) as case:
            stored = [e.original_name for e in list_evidence(case)]
            assert check_case(case).ok
    assert reported, "nothing was committed before the disk filled: the test proved nothing"
    return info.value.message, [Path(p).name for p in reported], stored, free


@pytest.mark.parametrize(("count", "size"), [(600, 16 * 1024), (3000, 1024), (60, 200 * 1024)])
def test_small_files_are_stored_as_far_as_the_disk_surely_holds_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, size: int) -> None:
    """Small files go in groups: of the group the case's disk cannot hold, the files that
    surely fit are stored and the rest are not written at all (the disk never fills: a full
    disk would have said "The disk is full"); the batch stops saying so, and every file
    reported before is there, whole."""
    # Groups of 40 items, whatever the machine's speed: on a quick machine every file is read
    # within the 150 ms a group may wait, and one group would hold them all.
    monkeypatch.setattr("app.core.intake.group.GROUP_MAX_ITEMS", 40)
    message, reported, stored, free = _import_onto_small_disk(
        tmp_path, _small_files(tmp_path / "notes", count, size))  # 10-12 MB in all
    assert re.fullmatch(
        r"The disk that holds the case is nearly full, so the files from (\d+)\.bin on "
        r"were not added: they would fill it\. "
        r"Everything added before is safe\. Free some space, then add the rest again\.",
        message), message
    assert sorted(stored) == sorted(reported) == [f"{i:04d}.bin" for i in range(len(stored))]
    assert f"from {len(stored):04d}.bin on" in message  # where the person takes it up again
    assert 0 < free < (4 << 20) // 4, (free, len(stored), message)  # the disk used, not filled


def test_the_command_line_lists_what_was_added_before_the_disk_had_no_more_room(
        tmp_path: Path) -> None:
    files = _small_files(tmp_path / "notes", 300)
    with small_disk(tmp_path / "disk", "4m") as disk:
        case_path = disk / "case.skcase"
        CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
        added = run_cli("add-evidence", str(case_path), str(files))
        with CaseFile.open(case_path, PASSPHRASE, actor="t", record_open=False) as case:
            stored = sorted(e.original_name for e in list_evidence(case))
    assert added.code != 0 and 0 < len(stored) < 300, added
    assert added.out.splitlines() == [f"added: {files / name}" for name in stored], added
    assert added.err == (f"safekeep: error: The disk that holds the case is nearly full, so "
                         f"the files from {len(stored):04d}.bin on were not added: they would "
                         "fill it. Everything added before is safe. Free some space, then add "
                         "the rest again.\n"), added


def test_small_files_onto_a_full_disk_keep_every_group_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the room check let a group through that still fills the disk (the case's own
    growth is only estimated), the group that meets the full disk fails as a whole,
    unreported, and every group committed (and reported) before it is there, whole."""
    monkeypatch.setattr("app.core.intake.group.GROUP_MAX_ITEMS", 40)
    room_unknown(monkeypatch)
    message, reported, stored, _ = _import_onto_small_disk(
        tmp_path, _small_files(tmp_path / "notes", 600))
    assert "disk is full" in message
    assert sorted(stored) == sorted(reported)


def test_a_write_that_filled_the_disk_gives_its_room_back_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight small files in one transaction, more than the disk holds: rolled back, and the
    write-ahead log that had grown to fill the disk is cut back at once, while the case is
    still open (SQLite keeps a log's file at its largest for reuse: the disk had stayed full,
    whatever the person freed, until the case was closed). The room check would stop such a
    group before it is written; here it sees room, as it would were the disk filled after it."""
    room_unknown(monkeypatch)
    files = tmp_path / "notes"
    files.mkdir()
    for i in range(8):
        (files / f"{i}.bin").write_bytes(os.urandom(512 * 1024))
    with small_disk(tmp_path / "disk", "3m") as disk:
        case_path = disk / "case.skcase"
        CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
        with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
            free = shutil.disk_usage(disk).free
            with pytest.raises(StorageError, match="disk is full"):
                import_paths(case, [files])
            assert Path(f"{case_path}-wal").stat().st_size == 0
            assert free - shutil.disk_usage(disk).free < 64 * 1024
            assert list_evidence(case) == []


def test_room_freed_inside_the_case_counts(tmp_path: Path) -> None:
    """A video removed leaves its pages inside the case file for reuse: another of the same
    size is then stored in them, on a disk that has too little free space for it otherwise."""
    def video(name: str) -> Path:
        path = tmp_path / name
        path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(5 * 1024 * 1024))
        return path

    with small_disk(tmp_path / "disk", "16m") as disk:
        case_path = disk / "case.skcase"
        CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
        with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
            first = import_paths(case, [video("first.mp4")])[0]
            assert first.status == "added" and first.evidence_id is not None
            remove_evidence(case, first.evidence_id, "added by mistake")
            # Leave the disk 3 MB free: less than a 5 MB video needs, as free space.
            filler = disk / "filler"
            filler.write_bytes(b"\0" * (shutil.disk_usage(disk).free - 3 * 1024 * 1024))
            second = import_paths(case, [video("second.mp4")])[0]
            assert second.status == "added", second.reason
            assert check_case(case).ok


def test_creating_a_case_on_a_full_disk(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "64k") as disk:
        (disk / "filler").write_bytes(b"\x00" * (60 * 1024))
        with pytest.raises(StorageError):
            CaseFile.create(
                disk / "case.skcase", PASSPHRASE, display_name="x", actor="t", kdf_profile=1
            )
        assert not (disk / "case.skcase").exists()
        assert [p.name for p in disk.iterdir()] == ["filler"]


def _filled_case(path: Path) -> None:
    with CaseFile.create(path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1) as case:
        from app.core.records.identifiers import add_identifier

        for i in range(200):
            add_identifier(case, "other", f"value {i} " + "x" * 200)


@pytest.mark.parametrize("page", [3, 10, -2])
def test_a_changed_byte_is_detected(
    tmp_path: Path, page: int, cli: Callable[..., CliResult]
) -> None:
    path = tmp_path / "case.skcase"
    _filled_case(path)
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE_SIZE
    offset = (page % pages) * PAGE_SIZE + 1000
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))
    result = cli("check", str(path))
    assert result.code in (1, 4), result
    assert "damaged" in result.err and "Traceback" not in result.err
    listed = cli("list", str(path), "identifiers")
    assert listed.code in (0, 4), listed  # 4 when the damaged page holds a listed row
    assert "Traceback" not in listed.err


def test_a_changed_first_page_refuses_to_open(tmp_path: Path) -> None:
    path = tmp_path / "case.skcase"
    _filled_case(path)
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))
    # SQLCipher cannot tell a damaged first page from another passphrase: either is honest.
    with pytest.raises((WrongPassphrase, NotACaseFile)):
        CaseFile.open(path, PASSPHRASE, actor="t")


NETWORK_HOOK = textwrap.dedent("""
    import sys
    seen = []
    def hook(event, args):
        if event.startswith(("socket.", "urllib.", "http.", "ftplib.", "smtplib.")):
            seen.append(event)
    sys.addaudithook(hook)
    from app.__main__ import main
    codes = [main(args) for args in COMMANDS]
    print("CODES", codes)
    print("NETWORK", seen)
""")


def _workflow(tmp_path: Path) -> list[list[str]]:
    case = str(tmp_path / "c.skcase")
    shot = str(_png(tmp_path / "shot.png"))
    return [
        ["new", case, "--kdf-profile", "1"],
        ["add-evidence", case, shot],
        ["ocr", case],  # Tesseract in its worker processes, and the model from disk
        ["add-identifier", case, "email", "someone@example.com"],
        ["add-identifier", case, "url", "https://example.com/where-the-images-are"],
        [
            "add-payment",
            case,
            "--amount",
            "250",
            "--method",
            "western-union",
            "--reference",
            "1234567890",
        ],
        ["checklist", case, "--done", "report-to-police", "--reference", "CR-1"],
        ["check", case],
        ["list", case, "audit"],
    ]


def test_cli_workflow_makes_no_network_calls(tmp_path: Path) -> None:
    script = NETWORK_HOOK.replace("COMMANDS", json.dumps(_workflow(tmp_path)))
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "SAFEKEEP_PASSPHRASE": PASSPHRASE},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "CODES [0, 0, 0, 0, 0, 0, 0, 0, 0]" in proc.stdout, proc.stdout[-2000:]
    assert "NETWORK []" in proc.stdout


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_no_process_opens_a_network_socket(tmp_path: Path) -> None:
    """strace -f follows the preview and OCR worker processes too, which an audit hook
    cannot."""
    trace = tmp_path / "trace.txt"
    for args in _workflow(tmp_path):
        proc = subprocess.run(
            [
                "strace",
                "-f",
                "-qq",
                "-e",
                "trace=socket,connect",
                "-o",
                str(trace),
                sys.executable,
                "-m",
                "app",
                *args,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "SAFEKEEP_PASSPHRASE": PASSPHRASE},
            timeout=300,
        )
        if proc.returncode != 0 and "ptrace" in proc.stderr:
            pytest.skip("strace is not permitted here")
        assert proc.returncode == 0, proc.stderr[-2000:]
        calls = [line for line in trace.read_text().splitlines() if "AF_INET" in line]
        assert calls == [], (args, calls)



def test_a_log_left_beside_the_case_by_a_full_disk_is_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The closing fold of the write-ahead log into the case file needs room: without it the
    # case lives in two files until it opens again with room. A person who moved the case
    # file alone to make room would have a copy that does not open, so the command says so.
    with small_disk(tmp_path / "disk", "3m") as disk:
        case_path = disk / "case.skcase"
        log = disk / "case.skcase-wal"
        CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
        big = tmp_path / "video.mp4"
        # Its log fits in the 3 MiB, the case file grown by it as well does not. The room
        # check refuses such a file now; the disk filling after the check (another program
        # writing) leaves the same, as the check seeing room here does.
        big.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(1_600_000))
        with monkeypatch.context() as patch:
            room_unknown(patch)
            with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
                assert import_paths(case, [big])[0].status == "added"
        assert log.stat().st_size > 0
        still = run_cli("info", str(case_path))
        assert still.code == 0, still
        said = [line for line in still.err.splitlines() if line.startswith("safekeep: ")]
        assert len(said) == 1 and said[0].startswith("safekeep: warning: "), still
        assert "case.skcase-wal" in said[0] and "Keep that file with the case file" in said[0]
        # Room again (the person freed some): the next command folds it in and says nothing.
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        again = run_cli("info", str(case_path))
        assert again.code == 0 and again.err == "", again
        assert not log.exists() or log.stat().st_size == 0
        with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
            assert [e.original_name for e in list_evidence(case)] == ["video.mp4"]
            assert check_case(case).ok


def test_a_file_whose_fold_the_disk_cannot_hold_is_refused(tmp_path: Path) -> None:
    """The same file through the command line: its log would fit, the case file grown by it
    as well would not. Refused with the sizes, the case left in one file."""
    with small_disk(tmp_path / "disk", "3m") as disk:
        case_path = disk / "case.skcase"
        CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
        big = tmp_path / "video.mp4"
        big.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(1_600_000))
        added = run_cli("add-evidence", str(case_path), str(big))
        assert added.code != 0, added
        assert added.err == ("safekeep: error: The disk that holds the case is nearly full, so "
                             "the files from video.mp4 on were not added: they would fill it. "
                             "Everything added before is safe. Free some space, then add the "
                             "rest again.\n"), added
        assert len(added.err.splitlines()) == 1, added
        assert not (disk / "case.skcase-wal").exists()
        with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
            assert list_evidence(case) == [] and check_case(case).ok


def test_a_case_open_elsewhere_is_not_taken_for_a_full_disk(tmp_path: Path) -> None:
    # While the window has the case open its log is beside it, as it should be; a command
    # that could not open the case has nothing to say about that log.
    case_path = tmp_path / "case.skcase"
    with CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1):
        assert (tmp_path / "case.skcase-wal").exists()
        result = run_cli("info", str(case_path))
    assert result.code != 0 and "warning" not in result.err, result


def _fill(disk: Path) -> None:
    """Write into `disk` until it is full."""
    with (disk / "filler.bin").open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass


def test_exporting_while_the_case_disk_is_full_names_that_disk(tmp_path: Path) -> None:
    # The bundle went to another disk with plenty of room; the export must record itself in
    # the case, on the full disk, and said only "The disk is full": the person looked at the
    # wrong disk.
    from app.export import export_bundle

    with small_disk(tmp_path / "disk", "3m") as disk:
        case_path = disk / "case.skcase"
        CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
        with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
            assert import_paths(case, [_png(tmp_path / "first.png")])[0].status == "added"
            _fill(disk)
            with pytest.raises(StorageError) as info:
                export_bundle(case, tmp_path / "bundle.zip")
        assert "The disk that holds the case file is full" in info.value.message
        assert "No bundle was written" in info.value.message
        assert not (tmp_path / "bundle.zip").exists()
        (disk / "filler.bin").unlink()
        with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
            assert [e.original_name for e in list_evidence(case)] == ["first.png"]


def test_a_case_on_a_fat32_drive_is_not_grown_past_4_gb(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A case kept on a FAT32 stick cannot grow past 4 GB (the most such a drive holds in one
    file): a 4.4 GB video is refused before a byte is read, in words that say what to do. The
    drive here is the test machine's own, named FAT32 in a copy of the kernel's list of mounts;
    the video a sparse file, so nothing of it is on the disk."""
    if shutil.disk_usage(tmp_path).free < 6 * 10**9:
        pytest.skip("less than 6 GB free here: the free space would refuse it first")
    device = os.stat(tmp_path).st_dev
    mounts = tmp_path / "mountinfo"
    mounts.write_text(f"36 35 {os.major(device)}:{os.minor(device)} / / rw - vfat /dev/sdb1 rw\n",
                      encoding="utf-8")
    import app.models.disk_room as disk_room

    monkeypatch.setattr(disk_room, "_MOUNTS", mounts)
    video = tmp_path / "call.mp4"
    with video.open("wb") as handle:
        handle.write(b"\x00\x00\x00\x18ftypmp42")
        handle.truncate(4_400_000_000)
    case_path = tmp_path / "case.skcase"
    CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
    with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
        [outcome] = import_paths(case, [video])
        assert outcome.status == "refused"
        assert outcome.reason == (
            "This file (4.4 GB) would make the case file larger than 4 GB, the most its drive "
            "holds in one file (it is formatted as FAT32, as many USB sticks are). Keep the "
            "case on another drive, then add it again.")
        assert list_evidence(case) == []
    assert case_path.stat().st_size < 10**6


def test_small_files_stop_where_a_fat32_drive_would_hold_no_more_in_one_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small files stored together stop at the file that would take the case past what its
    FAT32 drive holds in one file, every file before stored. The drive is named FAT32 in a
    copy of the kernel's list of mounts, and its limit lowered to 1 MB past the case as it
    starts (4 GB of small files would be a long test)."""
    device = os.stat(tmp_path).st_dev
    mounts = tmp_path / "mountinfo"
    mounts.write_text(f"36 35 {os.major(device)}:{os.minor(device)} / / rw - vfat /dev/sdb1 rw\n",
                      encoding="utf-8")
    import app.models.disk_room as disk_room

    monkeypatch.setattr(disk_room, "_MOUNTS", mounts)
    monkeypatch.setattr("app.core.intake.group.GROUP_MAX_ITEMS", 40)
    files = _small_files(tmp_path / "notes", 120)  # 2 MB
    case_path = tmp_path / "case.skcase"
    CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
    monkeypatch.setattr(disk_room, "FAT_LARGEST_FILE", case_path.stat().st_size + 10**6)
    reported: list[str] = []
    with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
        with pytest.raises(StorageError) as info:
            import_paths(case, [files], on_outcome=lambda o: reported.append(Path(o.path).name))
        stored = sorted(e.original_name for e in list_evidence(case))
    assert 0 < len(stored) < 120 and stored == sorted(reported)
    assert info.value.message == (
        f"Adding the files from {len(stored):04d}.bin on would make the case file larger than "
        "4 GB, the most its drive holds in one file (it is formatted as FAT32, as many USB "
        "sticks are). Everything added before is safe. Keep the case on another drive, then "
        "add the rest again.")
    assert case_path.stat().st_size <= disk_room.FAT_LARGEST_FILE
