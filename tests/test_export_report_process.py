"""report.pdf drawn in a forked child while the parent copies the originals
(app/export/report_process.py): the bundle is the one drawn in one process, listed in the same
order; a child that dies, a cancel, or a picture that cannot be read stop the export calmly and
leave no process behind. Real cases, real ZIPs, real PDFs read back with pypdf."""

import errno
import io
import os
import signal
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

import app.export.bundle_contents as bundle_contents
import app.export.report_process as report_process
from app.errors import Cancelled, SafekeepError
from app.export import export_bundle
from app.export.bundle_contents import Progress
from app.export.casedata import take_snapshot
from app.export.documents import SpooledDocument
from app.export.manifest import REPORT_NAME
from app.export.messages_export import transcripts_of
from app.export.report_process import ReportDrawing, can_draw_apart
from app.export.room import storage_message
from app.export.verify import verify_bundle
from app.models.casefile import CaseFile
from tests.test_export_support import add_demo_chat, add_evidence_direct, build_demo_case, png_bytes

pytestmark = pytest.mark.skipif(not can_draw_apart(), reason="the report is drawn apart on Linux")


def _children() -> set[int]:
    """This process's children, zombies included (they are what a missing wait leaves)."""
    found: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        with open(task / "children", encoding="ascii") as listing:
            found.update(int(pid) for pid in listing.read().split())
    return found


def _made_here(before: set[int]) -> set[int]:
    """Children this thread made since `before`. The export forks the report's process from
    the thread it runs in (here, the test's); the picture workers it may start meanwhile are
    started by its thread that serves the pictures, and are not counted."""
    listing = Path(f"/proc/self/task/{threading.get_native_id()}/children")
    return {int(pid) for pid in listing.read_text(encoding="ascii").split()} - before


def _left_behind(before: set[int]) -> set[int]:
    """Children made since `before` that are still here: the report's process, or a zombie
    (a child nobody waited for)."""
    new = _children() - before
    zombies = set()
    for pid in new:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # it ended meanwhile
            continue
        if state == "Z":
            zombies.add(pid)
    return _made_here(before) | zombies


def _signal_after_fork(before: set[int], sig: signal.Signals
                       ) -> tuple[Callable[[int, int, str], None], list[int]]:
    """A progress callback that sends `sig` to the report's process just after the fork (the
    export says "Writing the spreadsheets" then), and the list of those it was sent to."""
    sent: list[int] = []

    def progress(done: int, total: int, label: str) -> None:
        if label == "Writing the spreadsheets" and not sent:
            for pid in _made_here(before):
                os.kill(pid, sig)
                sent.append(pid)

    return progress, sent


def _a_case_worth_drawing(case: CaseFile, folder: Path) -> Path:
    """The case filled; returns an empty folder for its bundles."""
    build_demo_case(case)
    chats = folder / "chats"
    chats.mkdir()
    add_demo_chat(case, chats)
    for n in range(3):
        add_evidence_direct(case, png_bytes(text=f"anna.petrova{n}@example.com", seed=n),
                            f"Screenshot_{n}.png")
    for n in range(150):  # enough rows that the report takes a while to draw
        add_evidence_direct(case, f"chat log {n}\n".encode(), f"log-{n}.txt", kind="text",
                            detected_type="text/plain", thumbnail=False)
    bundles = folder / "bundles"
    bundles.mkdir()
    return bundles


def _pdf_text(bundle: Path) -> str:
    with zipfile.ZipFile(bundle) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/report.pdf"))
        reader = PdfReader(io.BytesIO(archive.read(name)), strict=True)
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_report_drawn_apart_makes_the_bundle_one_process_makes(
        case: CaseFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_path = _a_case_worth_drawing(case, tmp_path)
    before = _children()
    drawing: list[set[int]] = []  # the children while the spreadsheets are written
    told: list[tuple[int, int]] = []

    def progress(done: int, total: int, label: str) -> None:
        told.append((done, total))
        if label == "Writing the spreadsheets":
            drawing.append(_made_here(before))

    apart = export_bundle(case, tmp_path / "apart.zip", progress=progress)
    # The pictures sent to the child are told as the originals are copied: the progress
    # only moves forward, and ends where it should.
    assert [d for d, _t in told] == sorted(d for d, _t in told)
    assert told[-1][0] == told[-1][1]
    monkeypatch.setattr(bundle_contents, "can_draw_apart", lambda: False)
    here = export_bundle(case, tmp_path / "here.zip", progress=progress)
    assert len(drawing[0]) == 1 and drawing[-1] == set()  # a child, then none

    for result in (apart, here):
        assert verify_bundle(result.path).ok
    with zipfile.ZipFile(apart.path) as a, zipfile.ZipFile(here.path) as b:
        listed = [n.split("/", 1)[1] for n in a.namelist()]
        assert listed == [n.split("/", 1)[1] for n in b.namelist()]
        assert listed[:2] == ["report.pdf", "README.txt"]
        assert listed[-1].startswith("evidence/") and "SHA256SUMS" in listed
        # Listed first, though written after the originals (drawn while they were copied).
        offsets = {i.filename.split("/", 1)[1]: i.header_offset for i in a.infolist()}
        assert offsets["report.pdf"] > max(v for k, v in offsets.items()
                                           if k.startswith("evidence/"))
        for name in listed:  # the same files, but for the ones that name the moment of export
            if name.endswith(".csv") and name != "csv/audit.csv":
                assert a.read(f"{apart.folder}/{name}") == b.read(f"{here.folder}/{name}"), name
    # The same report, page for page, but for the moment it was made.
    apart_text, here_text = _pdf_text(apart.path), _pdf_text(here.path)
    assert apart_text.count("\n") == pytest.approx(here_text.count("\n"), abs=40)
    for words in ("Screenshot_2.png", "log-149.txt", "Anna Petrova",
                  "Exhibits and their continuity", "Audit log"):
        assert words in apart_text and words in here_text, words


def test_a_child_that_dies_stops_the_export_calmly_and_is_waited_for(
        case: CaseFile, tmp_path: Path) -> None:
    tmp_path = _a_case_worth_drawing(case, tmp_path)
    before = _children()
    progress, killed = _signal_after_fork(before, signal.SIGKILL)

    with pytest.raises(SafekeepError) as raised:
        export_bundle(case, tmp_path / "bundle.zip", progress=progress)
    assert killed
    assert "report could not be made" in raised.value.message
    assert "\n" not in raised.value.message and "Traceback" not in raised.value.message
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".zip") == []
    assert not any(p.name.startswith(".bundle.zip.partial") for p in tmp_path.iterdir())
    assert _left_behind(before) == set()


def _sigterm_ends_the_child(case: CaseFile, tmp_path: Path) -> None:
    """Export with SIGTERM sent to the report's process just after the fork, in a process that
    answers SIGTERM calmly as the desktop app does: the export fails calmly, nothing left."""
    tmp_path = _a_case_worth_drawing(case, tmp_path)
    before = _children()
    progress, ended = _signal_after_fork(before, signal.SIGTERM)
    calm = signal.signal(signal.SIGTERM, lambda _number, _frame: None)  # as the app has it
    try:
        with pytest.raises(SafekeepError) as raised:
            export_bundle(case, tmp_path / "bundle.zip", progress=progress)
    finally:
        signal.signal(signal.SIGTERM, calm)
    assert ended and "report could not be made" in raised.value.message
    assert _left_behind(before) == set()


def test_the_child_ends_on_sigterm_though_the_desktop_app_does_not(
        case: CaseFile, tmp_path: Path) -> None:
    """The desktop app answers SIGTERM by quitting calmly (app/ui/kit/end_request.py), with a
    handler its forked child kept: sent SIGTERM by a shutdown, the child drew on."""
    _sigterm_ends_the_child(case, tmp_path)


def test_a_sigterm_sent_as_the_child_is_born_still_ends_it(
        case: CaseFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child is born with the app's calm SIGTERM handler and puts the default back first
    thing; a SIGTERM that came before that (a busy machine, or a shutdown at that moment) was
    caught by the calm handler and the child drew on. Held back across the fork, it now ends
    the child. The child is kept from putting the default back for a moment, to be sure the
    signal comes first."""
    parent = os.getpid()
    set_wakeup_fd = signal.set_wakeup_fd

    def slow_in_the_child(fd: int, **kwargs: bool) -> int:
        if os.getpid() != parent:
            time.sleep(0.5)
        return set_wakeup_fd(fd, **kwargs)

    monkeypatch.setattr(signal, "set_wakeup_fd", slow_in_the_child)
    _sigterm_ends_the_child(case, tmp_path)


def test_a_cancel_while_the_report_is_drawn_leaves_no_process(
        case: CaseFile, tmp_path: Path) -> None:
    tmp_path = _a_case_worth_drawing(case, tmp_path)
    before = _children()
    seen: list[str] = []

    def cancelled() -> bool:
        return bool(seen) and seen[-1] == "Writing the spreadsheets"

    with pytest.raises(Cancelled):
        export_bundle(case, tmp_path / "bundle.zip", is_cancelled=cancelled,
                      progress=lambda d, t, label: seen.append(label))
    assert _left_behind(before) == set()
    assert not list(tmp_path.glob("*.zip")) and not list(tmp_path.glob(".bundle.zip*"))
    # And the next export, not cancelled, is whole.
    result = export_bundle(case, tmp_path / "bundle.zip")
    assert verify_bundle(result.path).ok
    assert _left_behind(before) == set()


def test_the_report_drawn_apart_still_has_what_it_reads_from_the_audit_log(
        case: CaseFile, tmp_path: Path) -> None:
    """Everything the report needs from the audit log is read before the fork; the child's
    copy of the log is cut off (a walk there, by a section added later, fails loudly)."""
    tmp_path = _a_case_worth_drawing(case, tmp_path)
    result = export_bundle(case, tmp_path / "bundle.zip")
    text = _pdf_text(result.path)
    assert "Hash chain" in text and "evidence.add" in text  # the audit summary, from the tally
    assert "by " in text and "SHA-256 checked again" in text  # continuity, read before


@pytest.mark.parametrize("apart", [True, False], ids=["in the child", "in this process"])
def test_a_full_disk_while_the_report_is_drawn_is_told_as_a_full_disk(
        case: CaseFile, tmp_path: Path, apart: bool) -> None:
    """The report goes to /dev/full, where every write fails as on a full disk (ENOSPC).
    ReportLab raises its own OSError (no errno) in place of the first; the child sends the
    first one back, and bundle.py's sentence looks through the wrapping: both say the disk is
    full (a wrapped one used to get the sentence for any other write error)."""
    tmp_path = _a_case_worth_drawing(case, tmp_path)
    snap = take_snapshot(case, include_sensitive=False)
    document = SpooledDocument(REPORT_NAME, tmp_path)
    document._file.close()
    document._file = open("/dev/full", "w+b")
    before = _children()
    drawing = ReportDrawing(case, snap, {}, transcripts_of(snap),
                            Progress(None, None, 0, len(snap.evidence)), document)
    try:
        with pytest.raises(OSError) as raised:
            drawing.start(apart=apart)
            assert len(_made_here(before)) == 1
            drawing.finish()
    finally:
        drawing.abandon()
        document.close()
    if apart:
        assert raised.value.errno == errno.ENOSPC
    assert _left_behind(before) == set()
    assert "disk is full" in storage_message(raised.value, portal=False)


def test_a_stuck_child_is_stopped_and_the_report_drawn_here_instead(
        case: CaseFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that stops starting pages (here it is stopped with SIGSTOP, as a lock held
    forever would stop it) is killed once silent for the limit, and the report is drawn in the
    export's own thread: the bundle is whole and verifies, and nothing is left behind."""
    tmp_path = _a_case_worth_drawing(case, tmp_path)
    monkeypatch.setattr(report_process, "SILENT_LIMIT", 0.5)
    before = _children()
    progress, stopped = _signal_after_fork(before, signal.SIGSTOP)

    result = export_bundle(case, tmp_path / "bundle.zip", progress=progress)
    assert len(stopped) == 1
    assert verify_bundle(result.path).ok
    text = _pdf_text(result.path)
    assert "log-149.txt" in text and "Exhibits and their continuity" in text
    assert _left_behind(before) == set()
