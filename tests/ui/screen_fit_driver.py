"""Open the real app on one screen size and scale factor, in this (child) process; print JSON.

Used by test_screen_fit.py. The screen comes from the environment, set by the parent before Qt
starts: `QT_QPA_PLATFORM=offscreen:configfile=...` (a JSON file giving the screen's size in
device pixels) and `QT_SCALE_FACTOR`. Under Xvfb (`QT_QPA_PLATFORM=xcb`) the X screen is used.

    python tests/ui/screen_fit_driver.py FOLDER [CASE]

FOLDER is an empty temporary folder: the settings go there, and a copy of CASE (a case made by
`make_case`, with PASSPHRASE; made here when not given). The case is
unlocked by typing its passphrase into the unlock dialog, and
the main window is shown by the session as it would be for a person. Then every top-level
window (welcome, unlock, new case, settings, export, case details, help) is opened in turn.
The output is one JSON object on stdout: the screen, and for each window and each main control
its global rectangle, whether it is visible, and whether an ancestor clips it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QPoint, QRect, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QScrollArea,
    QTabBar,
    QToolBar,
    QWidget,
)

from tests.ui.still import Still  # noqa: E402

PASSPHRASE = "a long enough test passphrase"
# An Action Fraud reference and a police incident number, as a person might type both.
LONG_REFERENCE = "NFRC250398765432 / CAD 4417/14MAR25"


def settle() -> None:
    """Run events until background work is done and the windows are still (see Still)."""
    from app.ui.kit.worker import running_tasks, wait_for_all

    still = Still(QApplication.topLevelWidgets)
    end = time.monotonic() + 30
    while True:
        QCoreApplication.processEvents()
        wait_for_all(20)
        if running_tasks():  # their results arrive as events: be still after those
            still = Still(QApplication.topLevelWidgets)
        elif still():
            return
        if time.monotonic() > end:
            raise TimeoutError("the windows did not settle")
        time.sleep(0.005)


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get ready")
        QCoreApplication.processEvents()
        time.sleep(0.005)


def make_case(folder: Path) -> Path:
    """A real case file with three pictures, an offender detail, details found in a chat and
    not checked, and a long crime reference.

    No Qt here: the test makes it once, in its own process, for every screen."""
    from PIL import Image

    from app.core.intake.ingest import import_paths
    from app.core.records.identifiers import add_identifier
    from app.core.records.summary import edit_case
    from app.models.casefile import CaseFile

    pictures = folder / "pictures"
    pictures.mkdir()
    for index, colour in enumerate(("#4267b2", "#f0f2f5", "#8a7f76")):
        Image.new("RGB", (640, 400), colour).save(pictures / f"screenshot-{index}.png")
    path = folder / "fit.skcase"
    case = CaseFile.create(path, PASSPHRASE, display_name="Alex Example-Longname",
                           actor="tester", kdf_profile=1)
    chat = folder / "WhatsApp Chat with Sam Example-Longname.txt"
    chat.write_text("".join(
        f"13/01/2024, 14:{minute:02d} - {'Sam Example-Longname' if minute % 2 else 'Alex'}: "
        f"message {minute}, long enough to wrap onto a second line in a narrow window\n"
        for minute in range(40)) + "13/01/2024, 14:41 - Sam Example-Longname: write to "
        "sam.example.longname@example.com or call +44 7700 900123\n", encoding="utf-8")
    try:
        from app.core.reading import find_in_chats

        import_paths(case, sorted(pictures.iterdir()))
        import_paths(case, [chat])
        find_in_chats(case)  # details not checked: the export dialog says so, and must fit
        add_identifier(case, "skype-id", "live:.cid.7f3a9c2e51d0b8aa", platform="skype")
        edit_case(case, crime_reference=LONG_REFERENCE)
    finally:
        case.close()
    return path


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def clipped_by_ancestor(widget: QWidget) -> bool:
    """True when some ancestor (up to the window) cuts part of the widget off."""
    rect = global_rect(widget)
    parent = widget.parentWidget()
    while parent is not None:
        if not global_rect(parent).contains(rect):
            return True
        if parent.isWindow():
            break
        parent = parent.parentWidget()
    return False


def squeezed(widget: QWidget) -> bool:
    """A button narrower than its own minimum: its text is cut."""
    hint = widget.minimumSizeHint()
    return widget.width() < hint.width() or widget.height() < hint.height()


def describe(widget: QWidget | None) -> dict[str, Any]:
    if widget is None:
        return {"exists": False}
    rect = global_rect(widget)
    return {
        "exists": True,
        "visible": widget.isVisible(),
        "rect": [rect.x(), rect.y(), rect.width(), rect.height()],
        "clipped": clipped_by_ancestor(widget),
        "squeezed": squeezed(widget) if isinstance(widget, QAbstractButton) else False,
    }


def describe_window(window: QWidget, name: str = "") -> dict[str, Any]:
    shots = os.environ.get("SAFEKEEP_FIT_SHOTS")  # for a person to look at, by hand
    if shots and name:
        window.grab().save(str(Path(shots) / f"{name}.png"))
    frame, inner = window.frameGeometry(), window.geometry()
    return {
        "visible": window.isVisible(),
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "inner": [inner.x(), inner.y(), inner.width(), inner.height()],
        "maximized": window.isMaximized(),
        "min_size": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
        "screen": window.screen().name() if window.screen() else "",
        # Wrapped texts given less height than their lines need at their width: cut off.
        "texts_cut": texts_cut(window),
        "spare_height": spare_height(window),
    }


def spare_height(window: QWidget) -> int:
    """How much taller the window is than what it holds needs at its width (gaps between
    its parts); 0 when its layout cannot say."""
    layout = window.layout()
    if layout is None or not layout.hasHeightForWidth():
        return 0
    return window.height() - layout.totalHeightForWidth(window.width())


def texts_cut(widget: QWidget) -> list[str]:
    """Wrapped texts shown with less height than their lines need at their width."""
    return [label.text()[:60] for label in widget.findChildren(QLabel)
            if label.wordWrap() and label.isVisible() and label.text()
            and label.height() < label.heightForWidth(label.width())]


def tab_bar_report(bar: QTabBar) -> dict[str, Any]:
    report = describe(bar)
    scrollers = [b for b in bar.findChildren(QAbstractButton) if b.isVisible()]
    # The scroll arrows sit over the bar's end: a tab under them is cut too.
    shown_to = min([b.x() for b in scrollers], default=bar.width())
    whole = QRect(0, 0, shown_to, bar.height())
    report["names"] = [bar.tabText(i) for i in range(bar.count())]
    report["tabs_cut"] = [bar.tabText(i) for i in range(bar.count())
                          if not whole.contains(bar.tabRect(i))]
    report["scroll_buttons"] = len(scrollers)
    report["texts_elided"] = [bar.tabText(i) for i in range(bar.count())
                              if bar.tabRect(i).width() < bar.tabSizeHint(i).width()]
    return report


def main_window_report(window: Any) -> dict[str, Any]:
    bar = window.findChild(QToolBar, "MainToolbar")
    actions = {}
    for name in ("export_action", "lock_action", "settings_action", "help_action"):
        action = getattr(window, name, None)
        actions[name] = describe(bar.widgetForAction(action) if action is not None else None)
    extension = bar.findChild(QAbstractButton, "qt_toolbarext_button") if bar else None
    return {
        "window": describe_window(window),
        "quick_exit": describe(window.quick_exit_button),
        "actions": actions,
        "toolbar_overflow": bool(extension is not None and extension.isVisible()),
        "case_label": describe(window.case_label),
        "details_button": describe(window.details_button),
        "tabs": tab_bar_report(window.tabs.tabBar()),
        "tab_area": describe(window.tabs),
        "status": describe(window.statusBar()),
        "checklist": describe(window.views.get("checklist")),
        "checklist_in_tab": window.checklist_in_tab,
        "pages_scroll": pages_scrolling(window),
    }


def pages_scrolling(window: Any) -> dict[str, list[Any]]:
    """For each tab page, whether it needs to scroll sideways / up and down; and under
    "texts cut", the wrapped texts any page shows with less height than they need."""
    found: dict[str, list[Any]] = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle()
        area = window.tabs.scroll_area(index)
        shots = os.environ.get("SAFEKEEP_FIT_SHOTS")
        if shots:
            window.grab().save(str(Path(shots) / f"main-tab-{index}.png"))
        found[window.tabs.tabText(index)] = [area.horizontalScrollBar().isVisible(),
                                             area.verticalScrollBar().isVisible()]
        cut = texts_cut(window)
        if cut:
            found.setdefault("texts cut", []).extend(cut)
    window.tabs.setCurrentIndex(0)
    settle()
    return found


def run(folder: Path, prepared: Path | None) -> dict[str, Any]:
    from app.i18n import set_translator
    from app.ui.shell.settings import AppSettings, locate_settings, redirect_qt_settings

    location = locate_settings(override_dir=folder / "settings")
    redirect_qt_settings(location)
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    set_translator(lambda ctx, text: QCoreApplication.translate(ctx, text))

    from app.ui.kit.controller import CaseController
    from app.ui.shell.session import SafekeepSession

    if prepared is None:
        case_path = make_case(folder)
    else:
        case_path = folder / prepared.name
        shutil.copyfile(prepared, case_path)
    screen = app.primaryScreen()
    out: dict[str, Any] = {
        "screen": {
            "geometry": list(screen.geometry().getRect()),
            "available": list(screen.availableGeometry().getRect()),
            "ratio": screen.devicePixelRatio(),
        },
        "windows": {},
    }
    controller = CaseController(actor="tester", kdf_profile=1)
    settings = AppSettings(location)
    # Optional: the Settings text size (0 normal .. 3 largest), set before anything shows.
    settings.text_scale_index = int(os.environ.get("SAFEKEEP_FIT_TEXT_SIZE", "0"))
    session = SafekeepSession(app, settings, controller=controller,
                              quit_on_quick_exit=False, watch_platform=False)
    # Three case files where new cases are suggested: the welcome window offers them all,
    # and "Start a new case" offers the newest, and both must still fit.
    session.cases_folder = case_path.parent
    for name in ("case 2.skcase", "an older case with a longer name.skcase"):
        (case_path.parent / name).write_bytes(b"")
    windows = out["windows"]
    welcome = session.start()
    settle()
    windows["welcome"] = describe_window(welcome, "welcome")
    windows["welcome"]["quick_exit"] = describe(welcome.quick_exit_button)
    # The newest case file there: what Enter opens, so in sight on every screen.
    windows["welcome"]["default"] = {"text": welcome.default_button().text(),
                                     **describe(welcome.default_button())}
    from app.ui.kit.file_dialogs import choose_case_to_open

    picker = choose_case_to_open(welcome, lambda path: None)  # Qt's own file dialog
    settle()
    windows["file_dialog"] = describe_window(picker, "file_dialog")
    picker.reject()
    settle()
    new_case = session.show_new_case()
    settle()
    windows["new_case"] = describe_window(new_case, "new_case")
    # Grown as a person fills it: "under 18" ticked says a word, two passphrases not yet
    # the same say two (it had grown past a 1024x600 screen at 200%, its buttons out of reach).
    new_case.under_18_box.setFocus()
    QTest.keyClick(new_case.under_18_box, Qt.Key.Key_Space)
    new_case.pass1.edit.setFocus()
    QTest.keyClicks(new_case.pass1.edit, "abc")
    new_case.pass2.edit.setFocus()
    QTest.keyClicks(new_case.pass2.edit, "abd")
    settle()
    windows["new_case_grown"] = describe_window(new_case, "new_case_grown")
    new_case.reject()
    settle()

    unlock = session.show_unlock(case_path)
    settle()
    windows["unlock"] = describe_window(unlock, "unlock")
    QTest.keyClicks(unlock.passphrase_edit, PASSPHRASE)
    unlock.unlock_button.click()  # Enter in this dialog is another helper's test
    wait_until(controller.is_open)
    window = session.main_window
    assert window is not None
    wait_until(window.isVisible)
    settle()
    out["main"] = main_window_report(window)
    shots = os.environ.get("SAFEKEEP_FIT_SHOTS")
    if shots:
        window.grab().save(str(Path(shots) / "main.png"))

    for name, opener in (("export", window.open_export_dialog),
                         ("case_details", window.open_case_details),
                         ("settings", session.show_settings), ("help", session.show_help)):
        dialog = opener()
        assert isinstance(dialog, QDialog)
        settle()
        windows[name] = describe_window(dialog, name)
        if name == "export":  # ticking "protect with a passphrase" makes it grow: still fits
            windows["export"]["unchecked_note"] = describe(dialog.unchecked_note)
            box = dialog.protect_box
            QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
            settle()
            windows["export_grown"] = describe_window(dialog, "export_grown")
            QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
            windows["export_ready"] = export_ready_report(dialog, folder / "bundle.zip")
        if name == "settings":  # the case check's answer, shown once it is done, shows whole
            windows["settings_checked"] = settings_check_report(dialog)
        if name == "case_details":  # once read, the keyboard is in the name, in sight
            wait_until(dialog.name_edit.isEnabled)
            settle()
            focus = QApplication.focusWidget()
            windows[name]["keyboard"] = {"on_name": focus is dialog.name_edit,
                                         **describe(focus)}
            windows[name]["scrolls"] = any(area.verticalScrollBar().maximum() > 0
                                           for area in dialog.findChildren(QScrollArea))
        if name == "help":  # tall: it has a Quick exit of its own, kept in sight
            windows["help"]["quick_exit"] = describe(dialog.quick_exit_button)
        dialog.close()
        settle()
    details = window.open_case_details()
    settle()
    out["reference"] = {"text": details.reference_edit.text(),
                        "shown_whole": shows_whole_text(details.reference_edit)}
    details.close()
    out["sha"] = evidence_sha_report(window)
    out["conversation"] = conversation_report(window)
    session.dispose()
    settle()
    return out


def export_ready_report(dialog: Any, target: Path) -> dict[str, Any]:
    """Enter in "Save as" prepares the bundle; once it is ready, where is the keyboard?"""
    edit = dialog.path_edit
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, str(target))
    QTest.keyClick(edit, Qt.Key.Key_Return)
    wait_until(lambda: dialog.result_info() is not None)
    settle()
    focus = QApplication.focusWidget()
    return {"on_show_folder": focus is dialog.show_folder_button, **describe(focus),
            "window": describe_window(dialog, "export_ready")}


def settings_check_report(dialog: Any) -> dict[str, Any]:
    box = dialog.check_box
    QTest.mouseClick(box.button, Qt.MouseButton.LeftButton)
    wait_until(lambda: box.result.isVisible() and not box.is_running())
    settle()
    report = describe_window(dialog, "settings_checked")
    answer = box.result
    report["answer"] = describe(answer)
    report["answer_height"] = answer.height()
    report["answer_needs"] = answer.heightForWidth(answer.width())
    return report


def shows_whole_text(edit: Any) -> bool:
    """The whole text of a line edit fits inside it, with nothing scrolled off."""
    margins = edit.textMargins()
    needed = edit.fontMetrics().horizontalAdvance(edit.text()) + margins.left() + margins.right()
    return bool(needed + 8 <= edit.width())


def evidence_sha_report(window: Any) -> dict[str, Any]:
    view = window.show_view("evidence")
    view.grid.setCurrentIndex(view.model.index(0, 0))
    settle()
    text = view.details.sha_text
    shots = os.environ.get("SAFEKEEP_FIT_SHOTS")
    if shots:
        window.grab().save(str(Path(shots) / "main-evidence-selected.png"))
    return {
        "text": text.toPlainText(),
        "needs_scrolling": text.verticalScrollBar().maximum() > 0,
        "visible": text.isVisible(),
    }


def conversation_report(window: Any) -> dict[str, Any]:
    """The Chats tab with its conversation open: its buttons and the messages in sight."""
    view = window.show_view("conversations")
    wait_until(lambda: view.conversations.tree.topLevelItemCount() > 0)
    view.conversations.open_selected()
    wait_until(lambda: view.page.model.rowCount() > 0)
    settle()
    page = view.page
    shots = os.environ.get("SAFEKEEP_FIT_SHOTS")
    if shots:
        window.grab().save(str(Path(shots) / "main-conversation.png"))
    area = window.tabs.scroll_area(window.tabs.indexOf(view))
    return {
        "parts": {name: describe(getattr(page, name)) for name in (
            "back_button", "me_box", "add_button", "attachment_button")},
        "list": describe(page.list.viewport()),
        "page_scrolls": [area.horizontalScrollBar().isVisible(),
                         area.verticalScrollBar().isVisible()],
    }


def main() -> int:
    folder = Path(sys.argv[1])
    result = run(folder, Path(sys.argv[2]) if len(sys.argv) > 2 else None)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
