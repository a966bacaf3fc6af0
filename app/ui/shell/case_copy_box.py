""""Keep a spare copy of this case", in Settings: the window's `safekeep copy`. The whole case
is copied into a new file that opens with the same passphrase (app/models/case_copy.py), in
the worker, with progress and a way to stop; the person chooses where, and is told to keep it
apart from this computer."""

from datetime import date

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.i18n import rounded_size, tr
from app.models.case_copy import CopyResult, copy_name, save_copy
from app.synced_folders import open_case_sentence, spare_copy_sentence
from app.text_safety import visible_line
from app.ui.kit.case_files import cases_folder
from app.ui.kit.controller import CaseController
from app.ui.kit.file_dialogs import case_filter, choose_save_path
from app.ui.kit.synced_note import SyncedNote
from app.ui.kit.worker import TaskContext
from app.ui.shell.case_task_box import CaseTaskBox


class CaseCopyBox(CaseTaskBox):
    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(
            controller, tr("Keep a spare copy of this case"),
            tr("Saves the whole case into a second file, locked with the same passphrase. "
               "Keep it apart from this computer, such as on a USB stick you keep safe: if "
               "this computer is lost or breaks, the evidence is not lost with it."),
            start_text=tr("Save a copy…"), stop_text=tr("Stop saving the copy"),
            progress_name=tr("Saving a copy of the case"),
            said_stopped=tr("Stopped. No copy was saved."), parent=parent)
        # A case kept where a sync program copies it online: a copy saved elsewhere, opened
        # from then on, is the way to bring it back to this computer alone.
        case = controller.case
        case_path = case.path if case is not None else None
        self.synced_note = SyncedNote(
            lambda found: open_case_sentence(found, case_path) if case_path else "", self)
        if case_path is not None:
            self.synced_note.look_at(case_path)
        box_layout = self.layout()
        assert isinstance(box_layout, QVBoxLayout)
        box_layout.insertWidget(1, self.synced_note)

    def begin(self) -> None:
        case = self._controller.require_case()
        suggested = case.path.with_name(copy_name(case, date.today()))
        if self.synced_note.found is not None:  # a copy to bring the case back to this computer
            folder, _ = cases_folder(self.synced_note.places)
            if self.synced_note.places.find(folder) is None:
                suggested = folder / suggested.name
        choose_save_path(self, tr("Where to save the copy"), suggested, case_filter(),
                         "skcase", self.start)

    def start(self, path: str) -> None:
        """Save the copy at `path` (chosen in the file dialog)."""
        if self.is_running() or not self._controller.is_open():
            return
        case = self._controller.require_case()

        def work(ctx: TaskContext) -> CopyResult:
            return save_copy(case, path, progress=lambda done, total: ctx.progress(done, total),
                             is_cancelled=ctx.cancelled)

        self.run(work, self._saved)
        self.button.setFocus()  # Space or Enter again stops it; the keyboard stays here


    def _saved(self, result: CopyResult) -> str:
        said = tr("Saved: {name} ({size}), in {folder}. It opens with the same passphrase."
                  ).format(name=visible_line(result.path.name), size=rounded_size(result.size),
                           folder=visible_line(str(result.path.parent)))
        copied = self.synced_note.places.find(result.path)
        return said if copied is None else said + " " + spare_copy_sentence(copied)
