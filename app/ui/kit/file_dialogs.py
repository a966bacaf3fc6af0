"""File pickers that leave no trace of where case files and evidence live.

Native dialogs record recent files and folders in the operating system (GTK's
`recently-used.xbel`, Windows' jump lists and "Recent" folder). Qt's own dialog is used instead
(`DontUseNativeDialog`), and what it remembers is scrubbed after each use (see
`app.ui.shell.settings.scrub_file_dialog_traces`). The start folder is a fixed one (Documents,
Pictures, or for a case file the folder new cases are suggested in), never "the last folder
you used".

Every picker is non-blocking: it shows the dialog and calls `on_chosen` with the result.
Nothing waits in a nested event loop, so a lock can close the dialog like any other, and tests
can drive it. Evidence is chosen from the Pictures folder (its Screenshots folder where there is
one): Documents holds the case file itself, and SQLite's two files beside it while it is open,
which the picker had listed first among the evidence. And no picker is modal: a window-modal
picker blocked the window it came from, and with it that window's red Quick exit button, in
plain sight beside the picker, which then did nothing when clicked. One picker per window: a
second one asked for replaces the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit, QToolTip, QWidget

from app.i18n import tr
from app.places import is_folder, is_there
from app.text_safety import visible_line
from app.ui.kit.case_files import cases_folder, documents_folder
from app.ui.kit.screen_fit import fit_to_screen
from app.ui.kit.titles import caption as window_caption
from app.ui.shell.settings import scrub_file_dialog_traces

CASE_SUFFIX = "skcase"  # the case file's suffix without the dot (QFileDialog wants it so)


def case_filter() -> str:
    return tr("Safekeep case files (*.skcase);;All files (*)")


class _Picker(QFileDialog):
    """Qt's own dialog, saying a name that is not there in a tooltip under the name box
    instead of its "File not found" box: that box is application-modal, in a nested event
    loop, and blocked every window and its Quick exit button until it was answered. Several
    names typed in quotes are what is chosen: Qt answers with what its list has chosen, and
    its list chose only the names it matched as they were typed ("private.png" "WhatsApp
    Chat with Sam.txt" added the picture alone, and said "1 added")."""

    def chosen(self) -> list[str]:
        """The files chosen: the names typed, where several are typed; else Qt's answer."""
        return self._typed() or list(self.selectedFiles())

    def _typed(self) -> list[str]:
        """Several names typed in quotes in the name box, as paths; [] for one or none (Qt's
        own answer is right then)."""
        if self.fileMode() != QFileDialog.FileMode.ExistingFiles:
            return []
        edit = self.findChild(QLineEdit, "fileNameEdit")
        names = re.findall(r'"([^"]+)"', edit.text()) if edit is not None else []
        folder = Path(self.directory().absolutePath())
        return [str(folder / Path(name).expanduser()) for name in names] if len(names) > 1 else []

    def accept(self) -> None:
        missing = self._missing()
        if missing is None:
            super().accept()
            return
        edit = self.findChild(QLineEdit, "fileNameEdit")
        if edit is None:
            return
        edit.selectAll()  # what is typed next replaces it
        words = (tr("There is no folder called \u201c{name}\u201d here. Choose one from the "
                    "list, or check the name.") if self.fileMode() == QFileDialog.FileMode.Directory
                 else tr("There is no file called \u201c{name}\u201d here. Choose one from the "
                         "list, or check the name."))
        QToolTip.showText(edit.mapToGlobal(QPoint(0, edit.height())),
                          words.format(name=visible_line(missing)), edit, QRect(), 10_000)

    def _missing(self) -> str | None:
        """The first name typed that Qt would answer with its modal box, or None."""
        if self.acceptMode() != QFileDialog.AcceptMode.AcceptOpen:
            return None
        mode = self.fileMode()
        if mode not in (QFileDialog.FileMode.ExistingFile, QFileDialog.FileMode.ExistingFiles,
                        QFileDialog.FileMode.Directory):
            return None
        files = self.chosen()
        for name in files[:1] if mode == QFileDialog.FileMode.Directory else files:
            if not is_there(Path(name)) and not name.rsplit("/", 1)[-1].startswith("$"):
                return Path(name).name  # ("$HOME" typed: Qt's own way, to that folder)
        return None


def make_dialog(parent: QWidget | None, caption: str, start: Path) -> QFileDialog:
    dialog = _Picker(parent, window_caption(caption), str(start))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    # Saving over a file is asked about by Safekeep itself (the export dialog's "Replace it";
    # a new case is never written over an old one). Qt's own question was a modal box in a
    # nested event loop, blocking every window and its Quick exit button, and a second ask.
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
    # A picker only chooses a name: it changes no file. Qt's own picker deleted the chosen
    # file on the Delete key (after a modal "Are you sure?") and offered Rename and Delete on
    # a right click, in "Choose files to add" (the person's originals) as in "Where to save
    # the bundle" (which shows the case file itself). New Folder goes with them.
    dialog.setOption(QFileDialog.Option.ReadOnly, True)
    dialog.setHistory([])  # do not offer folders from other sessions
    fit_to_screen(dialog, 720, 460)  # roomy on a large screen, inside a small one
    return dialog


def _open(dialog: QFileDialog, on_done: Callable[[list[str]], None]) -> QFileDialog:
    def finished(result: int) -> None:
        answer = dialog.chosen() if isinstance(dialog, _Picker) else dialog.selectedFiles()
        chosen = list(answer) if result == QDialog.DialogCode.Accepted else []
        # The dialog writes its "history" when it is destroyed; we are inside its done() here,
        # so delete it from the event loop and scrub once it is gone.
        dialog.destroyed.connect(lambda *_: scrub_file_dialog_traces())
        dialog.deleteLater()
        if chosen:
            on_done(chosen)

    dialog.finished.connect(finished)
    owner = dialog.parentWidget()
    for other in QApplication.topLevelWidgets():
        if isinstance(other, QFileDialog) and other is not dialog and other.isVisible() \
                and owner is not None and other.parentWidget() is owner:
            other.reject()  # "Add a folder…" after "Add files…": the newer choice stands
    dialog.setWindowModality(Qt.WindowModality.NonModal)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


# A case file and the files SQLite keeps beside an open one: never evidence (intake refuses
# the case itself), and listed first among the evidence they confused a person choosing it.
_CASE_FILES = re.compile(r"\.skcase(?:-wal|-shm|-journal)?$", re.IGNORECASE)


class _NoCaseFiles(QSortFilterProxyModel):
    """The picker's list without case files (it reads them from a QFileSystemModel)."""

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex |
                         QPersistentModelIndex) -> bool:
        source = self.sourceModel()
        name = source.index(source_row, 0, source_parent).data() if source is not None else None
        return not (isinstance(name, str) and _CASE_FILES.search(name))


def evidence_folder() -> Path:
    """Where pickers of evidence start: Pictures/Screenshots (where Windows and GNOME keep
    screenshots), else Pictures, else Documents."""
    from PySide6.QtCore import QStandardPaths

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    if found:
        for folder in (Path(found) / "Screenshots", Path(found)):
            if is_folder(folder):
                return folder
    return documents_folder()


def choose_files(parent: QWidget | None, caption: str,
                 on_chosen: Callable[[list[str]], None]) -> QFileDialog:
    """Pick one or more existing files (evidence to add)."""
    dialog = make_dialog(parent, caption, evidence_folder())
    dialog.setProxyModel(_NoCaseFiles(dialog))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _open(dialog, on_chosen)


def choose_folder(parent: QWidget | None, caption: str,
                  on_chosen: Callable[[list[str]], None]) -> QFileDialog:
    """Pick one folder of evidence; `on_chosen` gets a one-item list."""
    dialog = make_dialog(parent, caption, evidence_folder())
    dialog.setProxyModel(_NoCaseFiles(dialog))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return _open(dialog, lambda paths: on_chosen(paths[:1]))


def choose_new_case_path(parent: QWidget | None, suggested: Path,
                         on_chosen: Callable[[str], None]) -> QFileDialog:
    dialog = make_dialog(parent, tr("Where to keep the case file"), suggested.parent)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(case_filter())
    dialog.setDefaultSuffix(CASE_SUFFIX)
    dialog.selectFile(suggested.name)
    return _open(dialog, lambda paths: on_chosen(paths[0]))


def choose_case_to_open(parent: QWidget | None, on_chosen: Callable[[str], None],
                        start: Path | None = None) -> QFileDialog:
    dialog = make_dialog(parent, tr("Open a case file"), start or cases_folder()[0])
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(case_filter())
    return _open(dialog, lambda paths: on_chosen(paths[0]))


def choose_save_path(parent: QWidget | None, caption: str, suggested: Path, name_filter: str,
                     suffix: str, on_chosen: Callable[[str], None]) -> QFileDialog:
    """A general "save as" (for the bundle): same no-trace rules."""
    dialog = make_dialog(parent, caption, suggested.parent)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(name_filter)
    dialog.setDefaultSuffix(suffix)
    dialog.selectFile(suggested.name)
    return _open(dialog, lambda paths: on_chosen(paths[0]))
