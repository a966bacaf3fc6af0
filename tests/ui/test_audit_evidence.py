"""The Evidence tab as a person meets it while work finishes in the background: a reload (an
import or text recognition finishing) keeps where they scrolled to in a big grid, an import
finishing never loses the description they typed, and what they drop or paste while an import
runs is not lost without a word."""

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QSplitter, QWidget
from pytestqt.qtbot import QtBot

from app.core.records.evidence import EvidenceRow, list_evidence
from app.ui.evidence.view import EvidenceView
from app.ui.kit.controller import CaseController, DataArea
from tests.ui.keys import (
    closed,
    drop_on,
    focused,
    press,
    put_focus,
    show_active,
    type_keys,
    wheel_over,
)
from tests.ui.views_support import (  # noqa: F401
    controller_fixture,
    png_file,
    run_in_case,
    settle,
)


def _stored(qtbot: QtBot, controller: CaseController) -> dict[str, EvidenceRow]:
    rows = run_in_case(qtbot, controller, list_evidence)
    return {row.original_name: row for row in rows}  # type: ignore[attr-defined]


def _view(qtbot: QtBot, controller: CaseController) -> EvidenceView:
    view = EvidenceView(controller)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.reload()
    settle(qtbot)
    show_active(qtbot, view)
    return view


def _add(qtbot: QtBot, view: EvidenceView, *paths: Path) -> None:
    assert view.import_paths([str(path) for path in paths]) is not None
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    settle(qtbot)


def _drop(view: EvidenceView, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    assert drop_on(view, mime, QPoint(50, 50))


def _top_tile(view: EvidenceView) -> int:
    return view.grid.indexAt(QPoint(40, 40)).row()


def test_a_reload_keeps_the_place_scrolled_to_in_a_big_grid(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A person with an item near the top selected wheels far down a grid of 700 items; each
    picture's text being read reloads the grid, and it jumped back to the top (or to the
    selected item), losing their place every few seconds."""
    folder = tmp_path / "chats"
    folder.mkdir()
    for n in range(700):
        (folder / f"note-{n:03}.txt").write_text(f"message {n}")
    view = _view(qtbot, controller)
    _add(qtbot, view, folder)
    bar = view.grid.verticalScrollBar()
    while view.model.canFetchMore():  # the grid reads its pages as the person scrolls
        bar.setValue(bar.maximum())
        settle(qtbot)
    first = view.model.evidence(2)
    assert first is not None and view.select_evidence(first.id)
    settle(qtbot)
    bar.setValue(bar.maximum() - 2000)
    while _top_tile(view) < 600:
        assert wheel_over(view.grid.viewport(), -3)
    settle(qtbot)
    place, top = bar.value(), _top_tile(view)

    controller.data_changed.emit(DataArea.IDENTIFIERS)  # as text recognition says
    settle(qtbot)
    qtbot.waitUntil(lambda: bar.maximum() >= place, timeout=5000)  # laid out in batches
    settle(qtbot)
    assert (bar.value(), _top_tile(view)) == (place, top)
    assert view.selected_ids() == [first.id]  # and the selection stays

    put_focus(qtbot, view.grid)
    press(Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)  # nothing selected now
    assert view.selected_ids() == []
    while _top_tile(view) < 500:
        assert wheel_over(view.grid.viewport(), -3)
    settle(qtbot)
    place, top = bar.value(), _top_tile(view)
    controller.data_changed.emit(DataArea.EVIDENCE)  # as an import finishing says
    settle(qtbot)
    qtbot.waitUntil(lambda: bar.maximum() >= place, timeout=5000)
    settle(qtbot)
    assert (bar.value(), _top_tile(view)) == (place, top)
    assert view.grid.hasFocus()


def test_an_import_finishing_keeps_a_description_typed_and_not_saved(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A person types what a picture shows, then adds another file before pressing Save. The
    import finishing showed the new item, and what they had typed was gone, never saved."""
    view = _view(qtbot, controller)
    _add(qtbot, view, png_file(tmp_path / "threat.png"))
    assert view.details.title.text() == "threat.png"  # what was added is shown
    put_focus(qtbot, view.details.description)
    type_keys("He sent this at 9pm")
    put_focus(qtbot, view.add_files_button)
    _add(qtbot, view, png_file(tmp_path / "profile.png", "#a03070"))
    assert _stored(qtbot, controller)["threat.png"].description == "He sent this at 9pm"
    assert view.details.title.text() == "profile.png"  # and the new item is shown


def test_an_import_finishing_leaves_a_person_typing_on_their_item(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A person starts adding a folder and, while it runs, types a description of an item.
    When the import finished the pane jumped to the new item: the words typed before were
    gone and the rest of the sentence went into the new item's description."""
    view = _view(qtbot, controller)
    _add(qtbot, view, png_file(tmp_path / "threat.png"))
    put_focus(qtbot, view.details.description)
    assert view.import_paths([str(png_file(tmp_path / "later.png", "#30a070"))]) is not None
    type_keys("He sent this")
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    settle(qtbot)
    type_keys(" at 9pm")
    assert view.details.title.text() == "threat.png"
    assert focused() is view.details.description
    view.details.save_button.click()
    settle(qtbot)
    stored = _stored(qtbot, controller)
    assert stored["threat.png"].description == "He sent this at 9pm"
    assert stored["later.png"].description == ""
    assert view.model.row_of(stored["later.png"].id) is not None  # it is in the grid


def test_a_file_dropped_while_an_import_runs_is_not_lost_silently(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """While a folder is being added, a person drops one more picture on the window (the
    buttons are greyed, the window still takes a drop). It was never added and nothing said
    so: the summary read as if everything was in."""
    folder = tmp_path / "shots"
    folder.mkdir()
    for n in range(30):
        png_file(folder / f"{n:02}.png", f"#{n * 8:02x}4060")
    view = _view(qtbot, controller)
    assert view.import_paths([str(folder)]) is not None
    _drop(view, png_file(tmp_path / "late.png", "#ff00ff"))
    assert view.result_label.text() == ("Still adding the files from before, so these were not "
                                        "added. Add them again once that has finished.")
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    settle(qtbot)
    assert "late.png" not in _stored(qtbot, controller)
    said = view.result_label.text()
    assert said == ("30 added. What you dropped or pasted while this ran was not added: add "
                    "it again.")

    _drop(view, tmp_path / "late.png")  # dropped again once it has finished: added
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    settle(qtbot)
    assert "late.png" in _stored(qtbot, controller)
    assert view.result_label.text() == "1 added."


def test_after_removing_an_item_the_keyboard_goes_on_from_the_grid(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A person removes an item with the keyboard (Tab to "Remove from the case…", a reason,
    Tab, Space). The focus was thrown to "Add files…" at the top of the window with nothing
    selected: they had to find their way back to the grid to go on to the next item."""
    view = _view(qtbot, controller)
    _add(qtbot, view, *(png_file(tmp_path / f"{n}.png", f"#{n * 40:02x}4060") for n in range(4)))
    names = [row.original_name for row in view.model.rows()]
    put_focus(qtbot, view.grid)
    press(Qt.Key.Key_Home)
    press(Qt.Key.Key_Right)
    assert view.details.title.text() == names[1]
    while focused() is not view.details.remove_button:
        press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Space)
    type_keys("added by mistake")
    press(Qt.Key.Key_Tab)
    assert focused() is view.details.confirm_remove
    press(Qt.Key.Key_Space)
    settle(qtbot)
    assert names[1] not in _stored(qtbot, controller)
    assert focused() is view.grid
    assert view.details.title.text() == names[2]  # the next item took its place
    press(Qt.Key.Key_Right)
    assert view.details.title.text() == names[3]
    settle(qtbot)  # what the pane reads about it, before the view goes


def test_escape_keeps_the_item_when_asked_why_remove_it(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A person opens "Remove from the case…", types a reason, changes their mind and
    presses Escape. Nothing happened: the question stayed open, and pressing Escape again
    to be sure is Safekeep's quick exit. Escape now answers "Keep it"."""
    view = _view(qtbot, controller)
    _add(qtbot, view, png_file(tmp_path / "threat.png"))
    put_focus(qtbot, view.details.remove_button)
    press(Qt.Key.Key_Space)
    assert view.details.remove_box.isVisible() and focused() is view.details.remove_reason
    type_keys("not sure")
    press(Qt.Key.Key_Escape)
    assert not view.details.remove_box.isVisible()
    assert focused() is view.details.remove_button  # back where they were
    settle(qtbot)
    assert "threat.png" in _stored(qtbot, controller)


def test_a_file_name_with_markup_shows_in_its_tooltip_as_it_is(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A file named by the offender, "<b>proof<i> &amp; <img src='me.png'>.png": the tile's
    tooltip read the name as markup (the tags gone, "&amp;" as "&", an image looked for on
    disk)."""
    from tests.ui.keys import tooltip_over

    name = "<b>proof<i> &amp; <img src='me.png'>.png"  # no "/": a file name
    view = _view(qtbot, controller)
    _add(qtbot, view, png_file(tmp_path / name))
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert tooltip_over(qtbot, view.grid, view.model.index(0, 0)) == name


def test_a_file_already_in_the_case_is_shown(qtbot: QtBot, controller: CaseController,
                                              tmp_path: Path) -> None:
    """Adding a screenshot kept before said "1 was already in the case" and left the person
    to find which item that was among the others."""
    view = _view(qtbot, controller)
    first = png_file(tmp_path / "first.png", "#aa3030")
    _add(qtbot, view, first, png_file(tmp_path / "second.png", "#30aa30"))
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    kept = _stored(qtbot, controller)["first.png"]
    again = tmp_path / "again"
    again.mkdir()
    copy = again / "same-as-first.png"
    copy.write_bytes(first.read_bytes())
    _add(qtbot, view, copy)
    assert "1 was already in the case" in view.result_label.text()
    qtbot.waitUntil(lambda: view.selected_ids() == [kept.id], timeout=5000)
    assert view.details.current_id() == kept.id


def test_a_description_typed_and_left_is_kept_when_the_case_locks(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A person typed what a picture shows and walked away without pressing Save; the case
    locked after a while unused (or they pressed Quick exit), and the words were gone."""
    from app.models.casefile import CaseFile
    from tests.conftest import PASSPHRASE

    view = _view(qtbot, controller)
    _add(qtbot, view, png_file(tmp_path / "threat.png"))
    path = controller.require_case().path
    put_focus(qtbot, view.details.description)
    type_keys("He said he would send it to my family")
    controller.lock()
    assert view.details.description.toPlainText() == ""  # nothing of the case stays shown
    with CaseFile.open(path, PASSPHRASE, actor="tester", record_open=False) as case:
        [item] = list_evidence(case)
    assert item.description == "He said he would send it to my family"


def test_an_add_that_adds_nothing_does_not_say_saved(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """The case file itself dropped on the grid (it sits in the file dialog beside the
    pictures) is refused; the status bar said "Saved" beside "1 could not be added"."""
    said: list[str] = []
    controller.status.connect(said.append)
    view = _view(qtbot, controller)
    _drop(view, tmp_path / "views.skcase")
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    settle(qtbot)
    assert "case file itself" in view.result_label.text()
    assert "Saved" not in said

    _drop(view, png_file(tmp_path / "profile.png"))
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    settle(qtbot)
    assert "1 added" in view.result_label.text()
    assert said[-1] == "Saved" and set(_stored(qtbot, controller)) == {"profile.png"}


def test_the_details_pane_shows_its_fields_whole_however_far_it_is_squeezed(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """At 1366x768 and 125% the pane sat at its fixed 260 pixels, narrower than its fields:
    the platform box, the buttons and the ends of their lines went under the scroll bar."""
    view = _view(qtbot, controller)
    _add(qtbot, view, png_file(tmp_path / "profile.png"))
    qtbot.waitUntil(lambda: view.details.current_id() is not None, timeout=5000)
    splitter = view.details.parentWidget()
    assert isinstance(splitter, QSplitter)
    splitter.setSizes([10_000, 1])  # as a person dragging the handle all the way right
    settle(qtbot)
    viewport = view.details.viewport()
    for field in (view.details.platform, view.details.remove_button, view.details.sensitive):
        right = field.mapTo(viewport, QPoint(field.width(), 0)).x()
        assert field.isVisible() and right <= viewport.width(), field
        assert field.width() >= field.minimumSizeHint().width(), field


def test_a_button_greyed_while_adding_leaves_the_keyboard_on_the_grid(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """Space on "Paste" (or Enter on "Add files…") greys the buttons while the files are
    added; Qt sent the focus on to "Hide what I add next (sensitive)", so the next Space
    ticked it and the person's next pictures were hidden without their knowing why."""
    view = _view(qtbot, controller)
    copied = png_file(tmp_path / "copied.png")
    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(copied))])
    QGuiApplication.clipboard().setMimeData(files)
    put_focus(qtbot, view.paste_button)
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    settle(qtbot)
    assert "1 added" in view.result_label.text()
    assert focused() is view.grid
    press(Qt.Key.Key_Space)  # a second press, as people do when nothing seems to happen
    assert not view.sensitive_box.isChecked()
    QGuiApplication.clipboard().clear()


def test_a_file_name_with_no_spaces_does_not_push_the_pane_past_the_window(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A wrapped label asks to be as wide as its longest word: a 200-character file name made
    the pane ask for about two thousand pixels, and the description box and the buttons
    went past the right edge."""
    name = "WhatsApp_Image_" + "0123456789" * 20 + ".png"
    view = _view(qtbot, controller)
    _add(qtbot, view, png_file(tmp_path / name))
    qtbot.waitUntil(lambda: view.details.current_id() is not None, timeout=5000)
    settle(qtbot)
    assert view.details.minimumSizeHint().width() < 400
    viewport = view.details.viewport()
    for field in (view.details.description, view.details.platform, view.details.remove_button):
        right = field.mapTo(viewport, QPoint(field.width(), 0)).x()
        assert right <= viewport.width(), field
    assert name in view.details.title.toolTip()  # the whole name, on the pointer


def test_space_on_save_description_leaves_the_keyboard_in_the_description(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """Tab to "Save description" and Space: the button greys once saved, and Qt sent the
    focus on into the platform box, so the next words typed became the platform."""
    view = _view(qtbot, controller)
    _add(qtbot, view, png_file(tmp_path / "threat.png"))
    put_focus(qtbot, view.details.description)
    type_keys("Their profile picture")
    press(Qt.Key.Key_Tab)
    assert focused() is view.details.save_button
    press(Qt.Key.Key_Space)
    assert focused() is view.details.description
    settle(qtbot)  # the save's reload came back and put the cursor at the start
    type_keys(", taken on the 3rd")  # the person goes on writing
    settle(qtbot)
    assert view.details.platform.currentText() == ""
    assert view.details.description.toPlainText() == "Their profile picture, taken on the 3rd"
    qtbot.waitUntil(lambda: _stored(qtbot, controller)["threat.png"].description
                    == "Their profile picture", timeout=5000)


def test_adding_a_folder_from_its_dialog_leaves_the_keyboard_on_the_grid(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """Space on "Add a folder…" opens the folder dialog; the folder typed there and Enter
    start the adding while the dialog still has the keyboard. When the window had it back,
    Qt gave it to the button it left, greyed by then, so it went on to "Hide what I add next
    (sensitive)", and the next Space ticked it."""

    folder = tmp_path / "from-phone"
    folder.mkdir()
    for n, colour in enumerate(("#3070a0", "#a07030", "#30a070")):
        png_file(folder / f"shot-{n}.png", colour)
    view = _view(qtbot, controller)
    dialog = _picker_opened_by(qtbot, view.add_folder_button)
    show_active(qtbot, dialog)
    type_keys(str(folder))
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    view.window().activateWindow()  # as the window system gives it back
    qtbot.waitUntil(lambda: "3 added" in view.result_label.text(), timeout=30000)
    settle(qtbot)
    assert focused() is view.grid
    press(Qt.Key.Key_Space)
    assert not view.sensitive_box.isChecked()


def test_a_description_is_saved_when_the_keyboard_leaves_it_or_on_ctrl_enter(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """Typed, then *Prepare bundle for police* (or any other part of the window): the words
    were saved only when another item was chosen or the case locked, so the bundle went out
    without them while the status bar said every change is saved at once."""
    view = _view(qtbot, controller)
    _add(qtbot, view, png_file(tmp_path / "threat.png"))

    def stored_description() -> str:
        return _stored(qtbot, controller)["threat.png"].description

    put_focus(qtbot, view.details.description)
    type_keys("He said he would send it to my school")
    press(Qt.Key.Key_Tab)  # to its Save button: still the description's, nothing saved yet
    assert focused() is view.details.save_button
    settle(qtbot)
    assert stored_description() == ""
    press(Qt.Key.Key_Tab)  # on to the platform: left
    assert focused() is view.details.platform.lineEdit() or focused() is view.details.platform
    qtbot.waitUntil(lambda: stored_description() == "He said he would send it to my school",
                    timeout=5000)
    assert view.details.platform.currentText() == ""  # the keyboard went on, as Tab does

    put_focus(qtbot, view.details.description)
    press(Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    type_keys(" and my family")
    press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: stored_description().endswith("my school and my family"),
                    timeout=5000)
    assert focused() is view.details.description  # saved where they are
    assert "\n" not in view.details.description.toPlainText()
    settle(qtbot)  # the save's reload has come back: the cursor stays where it was

    type_keys(". On Instagram")
    put_focus(qtbot, view.grid)  # anywhere else in the window
    qtbot.waitUntil(lambda: stored_description().endswith("family. On Instagram"),
                    timeout=5000)


def test_the_line_that_a_chat_waits_for_its_date_order_goes_once_it_is_read(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    from app.core.chats import DateOrder
    from app.core.intake import read_chat

    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    chat.write_text("03/04/2024, 10:00 - Sam: hi\n05/06/2024, 11:00 - Alex: pay now\n",
                    encoding="utf-8")
    view = _view(qtbot, controller)
    _add(qtbot, view, chat)
    waits = "A chat export waits for you to choose how its dates are written, on the Chats tab."
    assert waits in view.result_label.text()
    said_before = view.result_label.text().replace(waits, "").strip()
    # As the Chats tab does when the person chooses "Day first".
    evidence_id = next(iter(_stored(qtbot, controller).values())).id
    done: list[object] = []
    controller.run(lambda ctx: read_chat(controller.require_case(), evidence_id,
                                         date_order=DateOrder.DAY_FIRST),
                   changes=DataArea.MESSAGES, on_result=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    settle(qtbot)
    assert waits not in view.result_label.text()
    assert view.result_label.text() == said_before  # what else it said stays


def _picker_opened_by(qtbot: QtBot, button: QWidget) -> QFileDialog:
    """The file picker that Space on `button` opens."""
    put_focus(qtbot, button)
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: any(isinstance(w, QFileDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5000)
    [dialog] = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QFileDialog) and w.isVisible()]
    return dialog


def test_evidence_is_chosen_from_the_pictures_folder_not_beside_the_case(
        qtbot: QtBot, controller: CaseController, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:

    home = tmp_path / "home"
    shots = home / "Pictures" / "Screenshots"
    shots.mkdir(parents=True)
    (home / "Documents").mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_PICTURES_DIR", "XDG_DOCUMENTS_DIR"):
        monkeypatch.delenv(name, raising=False)
    view = _view(qtbot, controller)
    for button, start in ((view.add_files_button, shots), (view.add_folder_button, shots)):
        dialog = _picker_opened_by(qtbot, button)
        assert Path(dialog.directory().absolutePath()) == start
        dialog.reject()
        qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    shots.rmdir()  # no Screenshots folder, and no Pictures: Documents, with the case in it
    (home / "Pictures").rmdir()
    documents = home / "Documents"
    for name in ("case.skcase", "case.skcase-wal", "case.skcase-shm", "other.SKCASE"):
        (documents / name).write_bytes(b"x")
    png_file(documents / "shot.png")
    dialog = _picker_opened_by(qtbot, view.add_files_button)
    assert Path(dialog.directory().absolutePath()) == documents
    listed = dialog.proxyModel()
    assert listed is not None

    def names() -> set[str]:
        root = listed.mapFromSource(listed.sourceModel().index(str(documents)))  # type: ignore[attr-defined]
        return {listed.index(r, 0, root).data() for r in range(listed.rowCount(root))}

    qtbot.waitUntil(lambda: "shot.png" in names(), timeout=5000)
    assert names() == {"shot.png"}  # the case and SQLite's files beside it are not listed
    dialog.reject()


def test_another_item_shows_its_details_from_the_top(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    view = _view(qtbot, controller)
    view.resize(900, 360)  # the details longer than the pane: it scrolls
    _add(qtbot, view, png_file(tmp_path / "first.png", "#3070a0"),
         png_file(tmp_path / "second.png", "#a07030"))
    settle(qtbot)
    put_focus(qtbot, view.grid)
    view.grid.setCurrentIndex(view.model.index(0, 0))
    settle(qtbot)
    bar = view.details.verticalScrollBar()
    assert bar.maximum() > 0

    def read_to_the_bottom() -> bool:  # with the wheel; the pane may still be laying out
        wheel_over(view.details.viewport(), -3)
        return bar.value() == bar.maximum() > 0

    qtbot.waitUntil(read_to_the_bottom, timeout=5000)
    before = view.details.title.text()
    press(Qt.Key.Key_Right)  # the next item, by keyboard
    qtbot.waitUntil(lambda: view.details.title.text() != before, timeout=5000)
    settle(qtbot)
    assert bar.value() == 0  # its name and exhibit reference in sight
