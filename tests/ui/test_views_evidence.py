"""Adding evidence by every route (file dialog, folder, drag and drop, paste of an image and of
copied files, a real screen capture), editing in the details pane, sensitive items hidden until
shown and hidden again on lock, search over descriptions, and Stop during an import."""

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from app.core.records.evidence import EvidenceRow, list_evidence
from app.ui.evidence.model import HIDDEN_ROLE
from app.ui.evidence.view import EvidenceView
from app.ui.kit.controller import CaseController
from app.ui.records.search_view import SearchView
from tests.ui.keys import drop_on, put_focus
from tests.ui.views_support import (  # noqa: F401
    controller_fixture,
    png_file,
    run_in_case,
    settle,
)


def _stored(qtbot: QtBot, controller: CaseController) -> list[EvidenceRow]:
    return run_in_case(qtbot, controller, list_evidence)  # type: ignore[return-value]


def _view(qtbot: QtBot, controller: CaseController) -> EvidenceView:
    view = EvidenceView(controller)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.reload()
    settle(qtbot)
    return view


def _wait_import(qtbot: QtBot, view: EvidenceView) -> None:
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    settle(qtbot)


def test_file_dialog_and_folder(qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    view = _view(qtbot, controller)
    assert view.hint.isVisibleTo(view)  # empty case: a kind hint on how to add things
    one = png_file(tmp_path / "chat.png")
    note = tmp_path / "notes.txt"
    note.write_text("He said he would post it at 9pm.")

    view.add_files()  # the real (Qt, non-native) dialog, driven without exec()
    dialog = view.findChild(QFileDialog)
    assert dialog is not None
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setDirectory(str(tmp_path))
    dialog.selectFile(f'"{one.name}" "{note.name}"')
    dialog.accept()
    qtbot.waitUntil(lambda: view.is_busy() or bool(view.result_label.text()), timeout=5000)
    _wait_import(qtbot, view)
    assert view.result_label.text() == "2 added."
    assert sorted(e.original_name for e in _stored(qtbot, controller)) == ["chat.png", "notes.txt"]
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    assert not view.hint.isVisibleTo(view)

    folder = tmp_path / "shots"
    folder.mkdir()
    png_file(folder / "a.png", "#a03070")
    png_file(folder / "b.png", "#30a070")
    (folder / "copy-of-chat.png").write_bytes(one.read_bytes())
    view.import_paths([str(folder)])
    _wait_import(qtbot, view)
    assert view.result_label.text() == "2 added, 1 was already in the case."
    sources = {e.original_name: e.source for e in _stored(qtbot, controller)}
    assert sources["a.png"] == "folder" and sources["chat.png"] == "file"


def test_drag_and_drop_files(qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    view = _view(qtbot, controller)
    dropped = png_file(tmp_path / "dropped.png")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped)), QUrl("https://example.com/not-fetched.png")])
    assert drop_on(view, mime, QPoint(50, 50))
    _wait_import(qtbot, view)
    stored = _stored(qtbot, controller)
    assert [e.original_name for e in stored] == ["dropped.png"]  # the web address was ignored

    nothing = QMimeData()
    nothing.setText("  \n\t ")  # only spaces: nothing to keep
    assert not drop_on(view, nothing, QPoint(5, 5))


WEB_ADDRESS = ("That is a web address, not a picture or a file, so nothing was added: Safekeep "
               "never goes online. To keep the link (to their profile, say), add it on the "
               "Offender details tab. To keep a picture from a web page, save it first "
               "(right-click it, then Save image as), then add the file.")


def test_a_picture_dragged_from_a_browser_says_why_nothing_is_added(
        qtbot: QtBot, controller: CaseController) -> None:
    """A browser gives a dragged picture's address, not its pixels: the drop had been refused
    with a "no" cursor and no word, and a person dragging the offender's profile picture
    in would not know what to do instead."""
    view = _view(qtbot, controller)
    mime = QMimeData()
    mime.setUrls([QUrl("https://scontent.example.com/v/profile_pic.jpg")])
    mime.setText("https://scontent.example.com/v/profile_pic.jpg")
    assert drop_on(view, mime, QPoint(50, 50))
    assert view.result_label.text() == WEB_ADDRESS
    assert _stored(qtbot, controller) == []


def test_a_copied_link_pasted_says_why_nothing_is_added(
        qtbot: QtBot, controller: CaseController) -> None:
    view = _view(qtbot, controller)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()  # shortcuts only fire in the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view, timeout=5000)
    put_focus(qtbot, view.grid)
    for copied in ("https://www.instagram.com/anna.smith.love88/", "www.example.com/x"):
        QGuiApplication.clipboard().setText(copied)
        QTest.keyClick(view.grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        assert view.result_label.text() == WEB_ADDRESS, copied
    assert _stored(qtbot, controller) == []
    QGuiApplication.clipboard().clear()


def test_paste_image_and_copied_files(qtbot: QtBot, controller: CaseController,
                                      tmp_path: Path) -> None:
    view = _view(qtbot, controller)
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#204060"))
    mime = QMimeData()
    mime.setImageData(image)
    QGuiApplication.clipboard().setMimeData(mime)
    view.paste()
    _wait_import(qtbot, view)
    stored = _stored(qtbot, controller)
    assert len(stored) == 1 and stored[0].source == "clipboard"
    assert stored[0].original_name.startswith("Pasted image") and stored[0].width == 40

    copied = png_file(tmp_path / "copied.png", "#602040")
    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(copied))])
    QGuiApplication.clipboard().setMimeData(files)
    view.grid.setFocus()
    view.paste()
    _wait_import(qtbot, view)
    assert "copied.png" in {e.original_name for e in _stored(qtbot, controller)}

    QGuiApplication.clipboard().setText(" \n ")  # text kept is tested in test_pasted_text
    assert view.paste() is None
    assert view.result_label.text() == ("There was nothing to paste. Copy a picture, files or "
                                        "text first, then paste.")
    QGuiApplication.clipboard().clear()


def test_screen_capture_is_real_and_writes_no_file(qtbot: QtBot, controller: CaseController,
                                                   tmp_path: Path) -> None:
    from PySide6.QtWidgets import QLabel

    chat = QLabel("Anna: pay or I send it")  # what the person keeps: a grab of nothing is not
    chat.setStyleSheet("background: white; color: black; font-size: 28px; padding: 40px")
    qtbot.addWidget(chat)
    chat.show()
    qtbot.waitExposed(chat)
    view = _view(qtbot, controller)
    view.capture.seconds, view.capture.tick_ms, view.capture.settle_ms = 2, 30, 20
    view.show()
    qtbot.waitExposed(view)
    before = sorted(p.name for p in tmp_path.iterdir())
    view.take_screenshot()
    assert not view.isVisible()  # the window steps aside
    assert "2" in view.capture.countdown_text()
    qtbot.waitUntil(lambda: view.isVisible(), timeout=5000)
    _wait_import(qtbot, view)
    stored = _stored(qtbot, controller)
    assert len(stored) == 1 and stored[0].source == "screen-capture"
    screen = QGuiApplication.primaryScreen().geometry()
    assert stored[0].width and stored[0].width >= screen.width() // 2
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("views.")) == [
        n for n in before if not n.startswith("views.")]


def test_details_sensitive_reveal_lock_and_search(qtbot: QtBot, controller: CaseController,
                                                  tmp_path: Path) -> None:
    view = _view(qtbot, controller)
    view.sensitive_box.setChecked(True)
    view.import_paths([str(png_file(tmp_path / "private.png", "#ffccaa"))])
    _wait_import(qtbot, view)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    item = view.model.evidence(0)
    assert item is not None and item.sensitive
    assert view.model.index(0, 0).data(HIDDEN_ROLE) is True
    assert view.select_evidence(item.id)
    assert view.details.reveal_button.text() == "Show"
    assert view.model.cached_picture(item.id) is None  # no pixels of it anywhere

    view.details.reveal_button.click()
    assert view.model.index(0, 0).data(HIDDEN_ROLE) is False
    view.grid.viewport().repaint()
    qtbot.waitUntil(lambda: view.model.cached_picture(item.id) is not None, timeout=5000)
    assert view.details.reveal_button.text() == "Hide again"

    assert view.details.sha_text.toPlainText() == item.sha256
    view.details.description.setPlainText("Threat message sent at 9pm on Instagram")
    view.details.save_button.click()
    settle(qtbot)
    assert _stored(qtbot, controller)[0].description.startswith("Threat message")
    assert view.model.revealed_ids() == {item.id}  # a reload keeps what was shown on purpose

    search = SearchView(controller)
    qtbot.addWidget(search)
    search.query.setText("threat message")
    search.search()
    qtbot.waitUntil(lambda: search.results.count() == 1, timeout=5000)
    assert search.results.item(0).text().startswith("Evidence")
    settle(qtbot)

    controller.lock()
    assert view.model.rowCount() == 0 and view.model.revealed_ids() == frozenset()
    assert view.model.cached_picture(item.id) is None
    assert view.details.sha_text.toPlainText() == ""
    assert view.details.description.toPlainText() == ""
    assert not view.sensitive_box.isChecked()


def test_stop_during_import(qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    view = _view(qtbot, controller)
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(40):
        png_file(folder / f"{n:02}.png", f"#{n * 5:02x}4060", (320, 240))
    handle = view.import_paths([str(folder)])
    assert handle is not None and view.progress_row.isVisibleTo(view)
    view.cancel_button.click()
    _wait_import(qtbot, view)
    stored = _stored(qtbot, controller)
    assert len(stored) < 40
    assert view.result_label.text().startswith("Stopped.")
    assert not view.progress_row.isVisibleTo(view)


def test_ctrl_v_pastes_into_the_case(qtbot: QtBot, controller: CaseController) -> None:
    view = _view(qtbot, controller)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()  # shortcuts only fire in the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view, timeout=5000)
    view.grid.setFocus()
    image = QImage(24, 24, QImage.Format.Format_RGB32)
    image.fill(QColor("#406020"))
    QGuiApplication.clipboard().setImage(image)
    qtbot.keyClick(view.grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(view.result_label.text()), timeout=10000)
    _wait_import(qtbot, view)
    assert view.result_label.text() == "1 added."
    QGuiApplication.clipboard().clear()


def test_a_platform_being_typed_survives_a_reload(qtbot: QtBot, controller: CaseController,
                                                 tmp_path: Path) -> None:
    """Text recognition or an import finishing reloads the item shown; the platform field
    was filled again from the case and what the person was typing there was gone. And a
    platform not on the list, typed and Entered, was never saved (only Tab saved it)."""
    from app.ui.kit.controller import DataArea
    from tests.ui.keys import press, put_focus, type_keys

    view = _view(qtbot, controller)
    view.show()
    qtbot.waitExposed(view)
    view.import_paths([str(png_file(tmp_path / "chat.png"))])
    _wait_import(qtbot, view)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    item = view.model.evidence(0)
    assert item is not None and view.select_evidence(item.id)
    settle(qtbot)
    line = view.details.platform.lineEdit()
    put_focus(qtbot, line)
    type_keys("Kik Mess")
    controller.data_changed.emit(DataArea.EVIDENCE)  # as a finished task says
    settle(qtbot)
    assert line.text() == "Kik Mess"
    type_keys("enger")
    press(Qt.Key.Key_Return)
    settle(qtbot)
    assert _stored(qtbot, controller)[0].platform == "Kik Messenger"
    assert view.details.platform.findText("Kik Messenger") == -1  # the list stays as shipped

    put_focus(qtbot, line)
    press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_keys("Snapchat")
    press(Qt.Key.Key_Return)
    settle(qtbot)
    assert _stored(qtbot, controller)[0].platform == "Snapchat"
