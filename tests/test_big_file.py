"""A big file is stored in parts (app/core/intake/streaming.py), and until its last part is
committed it is INCOMPLETE (app/models/incomplete.py): nothing lists, counts, checks or exports
it, a failure removes it at once, and a process killed mid-file leaves a case that opens,
checks clean, shows nothing of it, and takes the same file again.

The files here are 100-160 MiB with parts of 16 MiB, so a kill lands after several parts have
been committed, as it would for a 3 GB video with 64 MiB parts."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.intake import import_paths
from app.core.records import EvidenceRow, case_summary, list_evidence
from app.core.records.check import check_case
from app.export import export_bundle, verify_bundle
from app.models import AuditEvent, EvidenceChunk, EvidenceItem
from app.models.casefile import CaseFile
from app.models.content import CHUNK_SIZE, store_chunks
from app.models.incomplete import SHOW_INCOMPLETE, incomplete_marker
from tests.conftest import PASSPHRASE

MiB = 1024 * 1024
# The child runs this checkout's code, whatever the interpreter would find first.
CHILD_ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
PART = 16 * MiB

CHILD = textwrap.dedent("""
    import sys
    import app.core.intake.streaming as streaming
    from app.core.intake import import_paths
    from app.models.casefile import CaseFile

    if __name__ == "__main__":
        case_path, file, passphrase, part = sys.argv[1:5]
        streaming.PART_BYTES = int(part)
        case = CaseFile.open(case_path, passphrase, actor="child")
        print("ready", flush=True)
        [outcome] = import_paths(case, [file])
        print(outcome.status, outcome.sha256, flush=True)
        case.close()
""")


def _video(path: Path, mib: int, seed: int) -> str:
    """An MP4 header and `mib` MiB that do not compress; returns its SHA-256."""
    digest = hashlib.sha256()
    block = os.urandom(MiB)
    with path.open("wb") as handle:
        for i in range(mib):
            head = b"\x00\x00\x00\x18ftypmp42" if i == 0 else b""
            piece = head + block + bytes([seed, i % 256])
            digest.update(piece)
            handle.write(piece)
    return digest.hexdigest()


def _every_chunk_belongs_to_a_whole_item(case: CaseFile) -> None:
    """No chunk rows are left of an incomplete item (they are removed, not just hidden)."""
    with case.read() as session:
        chunks = session.scalar(select(func.count()).select_from(EvidenceChunk))
        sizes = session.scalars(select(EvidenceItem.size))
        expected = sum(-(-size // CHUNK_SIZE) for size in sizes)
        hidden = session.scalar(select(func.count()).select_from(EvidenceItem)
                                .execution_options(**{SHOW_INCOMPLETE: True}))
        shown = session.scalar(select(func.count()).select_from(EvidenceItem))
    assert chunks == expected and hidden == shown


def _autocheckpoint_of_every_connection(case: CaseFile) -> set[int]:
    """`wal_autocheckpoint` of every connection the case's pool can hand out (all at once, so
    none is handed out twice)."""
    pool = case.engine.pool
    raws = [case.engine.raw_connection() for _ in range(pool.size() + 2)]  # + max_overflow
    try:
        return {raw.driver_connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
                for raw in raws}
    finally:
        for raw in raws:
            raw.close()


def _read_so_far(pid: int, path: Path) -> int:
    """How far process `pid` has read `path`: the offset of its open file (0 before it opens)."""
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            if os.readlink(fd) == str(path):
                return int(Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text().split()[1])
    except OSError:  # the process ended or the file was closed between the two looks
        pass
    return 0


def _kill_and_find_a_clean_case(proc: subprocess.Popen[str], case_path: Path) -> None:
    """SIGKILL the importing child, then: the case opens and checks clean, holds only its
    first exhibit, and no part of the killed import is left."""
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    assert "added" not in out, "the import finished before the kill: the test proved nothing"
    with CaseFile.open(case_path, PASSPHRASE, actor="checker", record_open=False) as case:
        report = check_case(case)
        assert report.ok, report.problems
        assert [item.original_name for item in list_evidence(case)] == ["first.txt"]
        _every_chunk_belongs_to_a_whole_item(case)


def _add_again_and_check(child: Path, case_path: Path, video: Path,
                         sha: str) -> list[EvidenceRow]:
    """After the kills, the same import run to its end: it succeeds, the case checks clean,
    and every stored piece belongs to a whole item. The case's items, for the caller."""
    proc = subprocess.run([sys.executable, str(child), str(case_path), str(video), PASSPHRASE,
                           str(PART)], capture_output=True, text=True, timeout=600, env=CHILD_ENV)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split()[-2:] == ["added", sha]
    with CaseFile.open(case_path, PASSPHRASE, actor="checker", record_open=False) as case:
        assert check_case(case).ok
        _every_chunk_belongs_to_a_whole_item(case)
        return list_evidence(case)


def _case_and_child(tmp_path: Path, *, seed: int) -> tuple[Path, str, Path, Path]:
    """A 160 MiB video, a case holding one small exhibit, and the child script that adds the
    video to it: (video, its SHA-256, the case, the script)."""
    video = tmp_path / "recording.mp4"
    sha = _video(video, 160, seed=seed)
    first = tmp_path / "first.txt"
    first.write_text("the first exhibit")
    case_path = tmp_path / "case.skcase"
    with CaseFile.create(case_path, PASSPHRASE, display_name="big", actor="t",
                         kdf_profile=1) as case:
        import_paths(case, [first])
    child = tmp_path / "child.py"
    child.write_text(CHILD, encoding="utf-8")
    return video, sha, case_path, child


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="watches the child's reading in /proc")
def test_a_kill_mid_file_leaves_a_clean_case_that_takes_the_file_again(tmp_path: Path) -> None:
    video, sha, case_path, child = _case_and_child(tmp_path, seed=1)
    removed: list[int] = []
    # Kill when the child has read into part 3, 5 and 8: it reads at most a few chunks ahead
    # of what it stores, so each kill lands with parts committed and the next one half-stored.
    for into_part in (3, 5, 8):
        proc = subprocess.Popen([sys.executable, str(child), str(case_path), str(video),
                                 PASSPHRASE, str(PART)], stdout=subprocess.PIPE, text=True,
                                env=CHILD_ENV)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 120
        while (_read_so_far(proc.pid, video) < (into_part - 1) * PART + PART // 2
               and proc.poll() is None and time.monotonic() < deadline):
            time.sleep(0.002)  # watching the child's reading: the moment to kill under test
        _kill_and_find_a_clean_case(proc, case_path)
        with CaseFile.open(case_path, PASSPHRASE, actor="checker", record_open=False) as case:
            assert case_summary(case).evidence_items == 1
            with case.read() as session:
                events = session.scalars(select(AuditEvent.details).where(
                    AuditEvent.action == "evidence.add-interrupted")).all()
        assert len(events) == len(removed) + 1  # the removal is in the audit log
        removed.append(json.loads(events[-1])["bytes_stored_and_removed"])
        assert removed[-1] >= (into_part - 2) * PART, removed  # whole parts were committed
    items = _add_again_and_check(child, case_path, video, sha)
    assert [(i.original_name, i.exhibit_number) for i in items] == [
        ("first.txt", 1), ("recording.mp4", 2)]  # the killed imports used no number


def test_an_incomplete_item_is_never_listed_counted_checked_or_exported(
    case: CaseFile, tmp_path: Path
) -> None:
    whole = tmp_path / "whole.txt"
    whole.write_text("a whole item")
    import_paths(case, [whole])
    # The state a big import is in between two parts: a row with the placeholder hash and some
    # committed chunks, written the way the importer writes them.
    with case.write() as session:
        item = EvidenceItem(sha256=incomplete_marker(), size=0, original_name="half.mp4",
                            kind="video", detected_type="video/mp4")
        session.add(item)
        session.flush()
        half_id = item.id
        store_chunks(session, half_id, 0, [os.urandom(CHUNK_SIZE)] * 3)
    assert item.exhibit_number is None  # numbered only when complete
    assert [i.original_name for i in list_evidence(case)] == ["whole.txt"]
    assert case_summary(case).evidence_items == 1
    with case.read() as session:
        assert session.get(EvidenceItem, half_id) is None
        assert session.scalar(select(func.count(EvidenceItem.id))) == 1
    report = check_case(case)
    assert report.ok and report.evidence_checked == 1, report.problems
    result = export_bundle(case, tmp_path / "bundle.zip")
    with zipfile.ZipFile(result.path) as bundle:
        names = bundle.namelist()
        assert not any("half" in name for name in names), names
        assert any(name.endswith("whole.txt") for name in names), names
        for name in names:
            if name.endswith((".json", ".csv", ".html", ".txt")):
                assert b"half.mp4" not in bundle.read(name), name
    assert verify_bundle(result.path).ok
    # Opened again (as after a crash), the leftover is removed with its chunks, and said so.
    path = case.path
    case.close()
    with CaseFile.open(path, PASSPHRASE, actor="t") as reopened:
        with reopened.read() as session:
            assert session.scalar(select(func.count()).select_from(EvidenceItem).execution_options(
                **{SHOW_INCOMPLETE: True})) == 1
            assert session.scalar(select(func.count()).select_from(EvidenceChunk).where(
                EvidenceChunk.evidence_id == half_id)) == 0
            event = session.scalars(select(AuditEvent).where(
                AuditEvent.action == "evidence.add-interrupted")).one()
        assert "half.mp4" in event.details and str(3 * CHUNK_SIZE) in event.details
        assert check_case(reopened).ok


class _BreaksAfter:
    """A file whose reading fails part-way, as a disconnected drive does."""

    def __init__(self, path: Path, limit: int) -> None:
        self._handle = path.open("rb")
        self._limit = limit

    def read(self, size: int = -1) -> bytes:
        if self._handle.tell() >= self._limit:
            raise OSError(5, "Input/output error")
        return self._handle.read(size)

    def fileno(self) -> int:
        return self._handle.fileno()

    def tell(self) -> int:
        return self._handle.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._handle.seek(offset, whence)


def test_a_read_error_mid_file_removes_the_committed_parts_at_once(
    case: CaseFile, tmp_path: Path
) -> None:
    from app.core.intake.streaming import stream_item

    video = tmp_path / "video.mp4"
    _video(video, 40, seed=2)
    handle = _BreaksAfter(video, 30 * MiB)

    def make_item(placeholder: str) -> EvidenceItem:
        return EvidenceItem(sha256=placeholder, size=0, original_name="video.mp4",
                            kind="video", detected_type="video/mp4")

    with pytest.raises(OSError):
        stream_item(case, handle, make_item, lambda _s, _i: None,  # type: ignore[arg-type]
                    part_bytes=8 * MiB)
    # The thread folding the log in stopped with the import, and no connection still leaves
    # its commits' log unfolded.
    assert not [t for t in threading.enumerate() if t.name == "safekeep-log-folding"]
    assert _autocheckpoint_of_every_connection(case) == {1000}
    _every_chunk_belongs_to_a_whole_item(case)
    with case.read() as session:
        assert session.scalar(select(func.count()).select_from(EvidenceItem).execution_options(
            **{SHOW_INCOMPLETE: True})) == 0
    assert check_case(case).ok


def test_a_big_copy_is_found_before_it_is_written_and_a_big_file_reads_back(
    case: CaseFile, tmp_path: Path
) -> None:
    import app.core.intake.streaming as streaming

    video = tmp_path / "video.mp4"
    sha = _video(video, 100, seed=3)
    copy = tmp_path / "copy.mp4"
    copy.write_bytes(video.read_bytes())
    old = streaming.PART_BYTES
    streaming.PART_BYTES = PART
    try:
        [added] = import_paths(case, [video])
        size_after_first = case.path.stat().st_size
        [again] = import_paths(case, [copy])
    finally:
        streaming.PART_BYTES = old
    assert (added.status, added.sha256) == ("added", sha)
    assert (again.status, again.evidence_id) == ("already-there", added.evidence_id)
    # Nothing was written and removed again (removed pages would stay in the file as free).
    assert case.path.stat().st_size <= size_after_first + PART
    report = check_case(case)
    assert report.ok and report.evidence_checked == 1
    _every_chunk_belongs_to_a_whole_item(case)


def test_the_log_stays_a_few_parts_long_while_a_thread_folds_it_in(
    case: CaseFile, tmp_path: Path
) -> None:
    """The importing thread leaves the log to a folding thread, which is FOLD_EVERY parts
    behind at most: the log never grows with the file, and afterwards every connection folds
    the log in itself again (ordinary small writes must not let it grow either)."""
    import app.core.intake.streaming as streaming

    video = tmp_path / "video.mp4"
    sha = _video(video, 160, seed=4)
    wal = case.path.with_name(case.path.name + "-wal")
    sizes: list[int] = []
    importing = threading.Event()
    importing.set()

    def watch() -> None:
        while importing.is_set():
            sizes.append(wal.stat().st_size if wal.exists() else 0)
            time.sleep(0.001)

    watcher = threading.Thread(target=watch)
    old = streaming.PART_BYTES
    streaming.PART_BYTES = PART
    watcher.start()
    try:
        [added] = import_paths(case, [video])
    finally:
        importing.clear()
        watcher.join()
        streaming.PART_BYTES = old
    assert (added.status, added.sha256) == ("added", sha)
    frames = (streaming.FOLD_EVERY + 1) * PART * 1.01  # a frame is a page and 24 bytes
    assert PART < max(sizes) <= frames + MiB, max(sizes) / MiB  # MiB: b-tree pages
    assert not [t for t in threading.enumerate() if t.name == "safekeep-log-folding"]
    assert _autocheckpoint_of_every_connection(case) == {1000}
    with case.read() as session:  # folded in: nothing of the import is left in the log alone
        busy, in_log, folded = session.connection().exec_driver_sql(
            "PRAGMA wal_checkpoint(PASSIVE)").one()
    assert (busy, in_log) == (0, folded)
    assert case.path.stat().st_size > 160 * MiB
    assert check_case(case).ok


_WRITE_OR_SYNC = {"18", "74", "75"}  # x86-64 pwrite64, fsync, fdatasync: (fd, ...)


def _writing_to(pid: int, path: Path) -> bool:
    """Is a thread of `pid` writing or syncing `path` (not its log) at this moment? Only a
    checkpoint writes the case file itself during an import: the log is being folded in."""
    try:
        fds = {int(fd.name) for fd in Path(f"/proc/{pid}/fd").iterdir()
               if os.readlink(fd) == str(path)}
        for task in Path(f"/proc/{pid}/task").iterdir():
            call = (task / "syscall").read_text().split()
            if call[0] in _WRITE_OR_SYNC and int(call[1], 16) in fds:
                return True
    except (OSError, IndexError, ValueError):  # the process or thread ended between looks
        pass
    return False


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux" or os.uname().machine != "x86_64",
                    reason="watches the child's system calls in /proc (x86-64 numbers)")
def test_a_kill_while_the_log_is_folded_in_leaves_a_clean_case(tmp_path: Path) -> None:
    video, sha, case_path, child = _case_and_child(tmp_path, seed=5)
    for attempt in range(3):
        proc = subprocess.Popen([sys.executable, str(child), str(case_path), str(video),
                                 PASSPHRASE, str(PART)], stdout=subprocess.PIPE, text=True,
                                env=CHILD_ENV)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        foldings, last_seen = 0, -1.0
        deadline = time.monotonic() + 120
        # Let `attempt` foldings pass first (a folding is seen in a burst of looks), so the
        # kills land at different parts.
        while proc.poll() is None and time.monotonic() < deadline:
            if _writing_to(proc.pid, case_path):
                now = time.monotonic()
                foldings += now - last_seen > 0.05
                last_seen = now
                if foldings > attempt:
                    break
        _kill_and_find_a_clean_case(proc, case_path)
    items = _add_again_and_check(child, case_path, video, sha)
    assert [i.original_name for i in items] == ["first.txt", "recording.mp4"]


def test_stop_between_the_parts_of_a_big_file_removes_them_at_once(
    case: CaseFile, tmp_path: Path
) -> None:
    """Stop (a lock, a Quick exit) during a big file had to wait until all of it was stored:
    a 1.5 GB file kept a hidden window's case open for 10 s after a Quick exit, and a
    reopened Safekeep was told the case was open elsewhere. The import now stops between
    parts: the parts stored are removed, nothing is reported, and the same file goes in whole
    next time."""
    import app.core.intake.streaming as streaming

    video = tmp_path / "video.mp4"
    sha = _video(video, 100, seed=5)
    parts_asked: list[int] = []

    def stop_after_two_parts() -> bool:
        parts_asked.append(1)
        return len(parts_asked) > 2

    old = streaming.PART_BYTES
    streaming.PART_BYTES = PART
    try:
        stopped = import_paths(case, [video], is_cancelled=stop_after_two_parts)
        assert stopped == []  # not added, and not said to be
        assert list_evidence(case) == []
        _every_chunk_belongs_to_a_whole_item(case)
        with case.read() as session:
            kinds = list(session.scalars(select(AuditEvent.action)))
        assert "evidence.add" not in kinds
        [added] = import_paths(case, [video])
    finally:
        streaming.PART_BYTES = old
    assert (added.status, added.sha256) == ("added", sha)
    assert check_case(case).ok
