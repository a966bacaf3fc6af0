"""A word in the export dialog about details found in the evidence and not checked yet.

The report lists them apart, as read by machine and not checked by the person (page 1,
"Found in the evidence, not checked"). Someone about to hand the bundle over should know
that before, and be able to check them first: one may be their own e-mail address, read
from a message they sent.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.i18n import tr, tr_n
from app.ui.kit.controller import CaseController


class UncheckedNote(QLabel):
    """Hidden until the count is read (in the worker); shown only when there are some."""

    shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.count = 0  # details not checked, once read
        self.hide()

    def load(self, controller: CaseController) -> None:
        from app.core.reading import unchecked_details

        case = controller.case
        if case is not None:
            controller.run(lambda _ctx: len(unchecked_details(case)), on_result=self._counted,
                           on_error=lambda _message: None)

    def _counted(self, count: int) -> None:
        import shiboken6

        if not shiboken6.isValid(self) or count == 0:
            return
        self.count = count
        self.setText(tr_n(
            "Safekeep found %n detail in your evidence that you have not checked yet (on the "
            "Found in evidence tab). The report lists it apart, as not checked by you. You can "
            "check it first, or make the bundle now.",
            "Safekeep found %n details in your evidence that you have not checked yet (on the "
            "Found in evidence tab). The report lists them apart, as not checked by you. You "
            "can check them first, or make the bundle now.", count))
        self.show()
        self.shown.emit()


def check_first_button(note: UncheckedNote, parent: QWidget) -> QPushButton:
    """"Check them first": shown with the note; the dialog closes and the Found in evidence tab
    shows (the note had said where they are, and left the person to find the way)."""
    button = QPushButton(parent)
    button.setToolTip(tr("Close this and go to the Found in evidence tab"))
    button.hide()

    def shown() -> None:
        button.setText(tr_n("Check it first", "Check them first", note.count))
        button.show()

    note.shown.connect(shown)
    return button


def sensitive_box_words(count: int) -> str:
    """The "Include sensitive items?" box's words, with how many are marked."""
    if count == 0:
        return tr("Include sensitive items? (none are marked sensitive)")
    return tr_n("Include sensitive items? (%n item is marked sensitive)",
                "Include sensitive items? (%n items are marked sensitive)", count)


def sensitive_items_words(under_18: bool) -> str:
    """Said under "Include sensitive items?" the first time it is ticked."""
    text = tr("Sensitive items are the ones marked as intimate. Police may need them as "
              "evidence, and they go into the ZIP unchanged. They are never shown in the "
              "report. Anyone who opens the ZIP could see them, so keep it safe, or protect it "
              "with a passphrase below.")
    if under_18:
        text += " " + tr("If you are under 18, you don't need to include pictures of "
                         "yourself: officers can tell you how to share them safely.")
    return text


def portal_note(parent: QWidget) -> QLabel:
    """What a portal pack is, shown while "Make a portal pack" is ticked."""
    note = QLabel(tr(
        "Some forces ask you to upload evidence to a portal that takes a limited number of "
        "files (Axon Citizen: at most 16 files of at most 2 GB each). This makes a folder "
        "with at most 16 ZIP files instead of one ZIP. Upload all of them: the same files "
        "and fingerprints, with a list of which file holds what."), parent)
    note.setWordWrap(True)
    note.hide()
    return note
