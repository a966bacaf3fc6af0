"""A whole session leaves nothing readable behind in HOME or TMPDIR.

New case -> add evidence (files and a pasted image) -> edit details -> export cancelled ->
copy to the clipboard -> lock. HOME, TMPDIR and the XDG folders point at empty folders; the
case file itself lives in HOME/Documents (encrypted). Then every file there is searched for the
case's text, for the case file's name (a "recent files" trace) and for image files.
"""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.records.identifiers import add_identifier
from app.core.records.payments import add_payment
from app.core.records.summary import case_summary
from app.export.bundle import export_bundle
from app.models.evidence import EvidenceSource
from app.ui.evidence.view import EvidenceView
from app.ui.kit.controller import CaseController
from app.ui.kit.worker import TaskContext
from app.ui.shell.main_window import MainWindow
from app.ui.shell.new_case_dialog import NewCaseDialog
from app.ui.shell.session import SafekeepSession
from app.ui.shell.settings import AppSettings, locate_settings, redirect_qt_settings
from tests.conftest import TEST_KDF_PROFILE
from tests.steps import step
from tests.ui.keys import click_tab
from tests.ui.shell_support import open_handles_on, settle, widgets_showing

MARKER = "Quillwort-Ember-9931"
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")


def _image(path: Path | None, text: str) -> QImage:
    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawText(20, 100, text)
    painter.end()
    if path is not None:
        assert image.save(str(path))  # format from the suffix
    return image


@pytest.fixture
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    (home / "Documents").mkdir(parents=True)
    tmp.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(tmp))
    for name, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_CACHE_HOME", ".cache"),
                      ("XDG_DATA_HOME", ".local/share"), ("XDG_STATE_HOME", ".local/state")):
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setattr(tempfile, "tempdir", None)  # recomputed from TMPDIR
    yield {"home": home, "tmp": tmp}
    tempfile.tempdir = None


def _run(qtbot: QtBot, controller: CaseController, fn: object, *, changes: str = "") -> object:
    box: list[object] = []
    errors: list[str] = []
    controller.run(fn, changes=changes or None, on_result=box.append,  # type: ignore[arg-type]
                   on_error=errors.append)
    qtbot.waitUntil(lambda: bool(box or errors), timeout=20000)
    return box[0] if box else errors[0]


def test_whole_session_leaves_no_traces(qtbot: QtBot, tmp_path: Path,
                                        empty_home: dict[str, Path]) -> None:
    originals = tmp_path / "originals"  # the person's own files: not ours to judge
    originals.mkdir()
    for i in range(3):
        _image(originals / f"{MARKER}-{i}.png", f"{MARKER} message {i}")
    documents = empty_home["home"] / "Documents"

    location = locate_settings()  # the real, non-portable place: under the fake HOME
    assert str(location.ini_path).startswith(str(empty_home["home"]))
    redirect_qt_settings(location)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    controller = CaseController(actor="tester", kdf_profile=TEST_KDF_PROFILE)
    session = SafekeepSession(app, AppSettings(location), controller=controller,
                              quit_on_quick_exit=False, watch_platform=False)
    try:
        with step("a new case, from the welcome window"):
            window = _new_case(qtbot, session, documents)
        with step("evidence: files, and a pasted picture"):
            _add_evidence(qtbot, window, controller, originals)
        with step("details: an identifier and a payment"):
            _add_details(qtbot, controller)
        with step("an export, cancelled part-way"):
            _cancelled_export(qtbot, controller, documents)
        with step("something copied, then a lock"):
            _copy_and_lock(qtbot, session, documents)
    finally:
        settle(qtbot)
        session.dispose()
        settle(qtbot)

    with step("HOME and TMPDIR searched"):
        _search(tmp_path, empty_home)


def _new_case(qtbot: QtBot, session: SafekeepSession, documents: Path) -> MainWindow:
    session.start()
    assert session.welcome is not None
    session.welcome.new_button.click()
    dialog = session.new_case_dialog
    assert isinstance(dialog, NewCaseDialog)
    assert dialog.path_edit.text() == str(documents / "case.skcase")
    dialog.name_edit.setText(MARKER)
    dialog.pass1.edit.setText("maple orbit tundra kettle")
    dialog.pass2.edit.setText("maple orbit tundra kettle")
    dialog.create_button.click()
    qtbot.waitUntil(session.controller.is_open, timeout=20000)
    settle(qtbot)
    window = session.main_window
    assert isinstance(window, MainWindow)
    return window


def _add_evidence(qtbot: QtBot, window: MainWindow, controller: CaseController,
                  originals: Path) -> None:
    """Through the evidence view: files, and a pasted image with no file behind it."""
    evidence = window.views["evidence"]
    assert isinstance(evidence, EvidenceView)
    evidence.import_paths([str(p) for p in sorted(originals.iterdir())])
    settle(qtbot)
    mime = QMimeData()
    mime.setImageData(_image(None, f"{MARKER} pasted"))
    evidence.import_mime(mime, EvidenceSource.CLIPBOARD)
    settle(qtbot)
    case = controller.require_case()
    summary = _run(qtbot, controller, lambda ctx: case_summary(case))
    assert getattr(summary, "evidence_items", 0) >= 3, "the evidence really went in"


def _add_details(qtbot: QtBot, controller: CaseController) -> None:
    """Through core (the views use the same calls)."""
    case = controller.require_case()
    _run(qtbot, controller, lambda ctx: add_identifier(case, "skype-id", f"live:{MARKER.lower()}"),
         changes="identifiers")
    _run(qtbot, controller, lambda ctx: add_payment(
        case, amount="250.00", method="western-union", reference="1234567890",
        recipient_name=MARKER), changes="payments")
    settle(qtbot)


def _cancelled_export(qtbot: QtBot, controller: CaseController, documents: Path) -> None:
    """No partial bundle may be left anywhere."""
    case = controller.require_case()
    target = documents / "bundle.zip"
    calls = [0]

    def cancel_soon() -> bool:
        calls[0] += 1
        return calls[0] > 2

    def work(ctx: TaskContext) -> object:
        return export_bundle(case, target, include_sensitive=True, progress=ctx.progress,
                             is_cancelled=cancel_soon)

    outcome = _run(qtbot, controller, work)
    assert isinstance(outcome, str) and "cancelled" in outcome, outcome
    assert not target.exists()


def _copy_and_lock(qtbot: QtBot, session: SafekeepSession, documents: Path) -> None:
    """The clipboard and every widget let go of what was copied."""
    controller = session.controller
    window = session.main_window
    assert isinstance(window, MainWindow)
    for page in (window.payments, window.identifiers, window.evidence):
        click_tab(qtbot, window.tabs, page)  # each tab reads the case as it shows
        settle(qtbot)
    assert window.payments.model.rowCount() == 1 and window.identifiers.model.rowCount() == 1
    controller.copy_text(MARKER)
    session.lock("button")
    settle(qtbot)
    assert not controller.is_open()
    assert QApplication.clipboard().text() == ""
    assert widgets_showing(MARKER) == []
    assert open_handles_on(documents / "case.skcase") == []
    assert os.environ["HOME"].endswith("home")


def _search(tmp_path: Path, empty_home: dict[str, Path]) -> None:
    """Nothing but the encrypted case and settings; no text of the case, no picture."""
    leaks = []
    for folder in empty_home.values():
        for path in folder.rglob("*"):
            if not path.is_file():
                continue
            data = path.read_bytes()
            if path.suffix == ".skcase":
                continue  # the encrypted case itself (checked for the marker just below)
            for needle in (MARKER.encode(), MARKER.encode("utf-16-le"), b"case.skcase"):
                if needle in data:
                    leaks.append(f"{path}: contains {needle[:12]!r}")
            if data.startswith(IMAGE_MAGIC) or b"WEBP" in data[:16]:
                leaks.append(f"{path}: is an image file")
    case_file = empty_home["home"] / "Documents" / "case.skcase"
    assert case_file.is_file()
    assert MARKER.encode() not in case_file.read_bytes()
    assert leaks == []
    files = sorted(str(p.relative_to(tmp_path)) for f in empty_home.values()
                   for p in f.rglob("*") if p.is_file())
    # Only the case and (at most) the settings INI and Qt's scrubbed file-dialog record.
    assert all(name.endswith((".skcase", ".ini", ".conf")) for name in files), files
