"""Copy a text built from the case to the clipboard, and take it back off after a minute.

Other programs (and other people at a shared PC) can read the clipboard, so a copied police
summary must not sit there all day. After `clear_after_ms` the clipboard is cleared, but only
if it still holds our text: if the person has copied something else since, that is theirs.
The controller's clipboard guard also clears it on lock and quick exit.
"""

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from app.core.guidance import ChecklistAction, copy_text_for
from app.i18n import tr
from app.ui.kit.controller import CaseController

CLEAR_AFTER_MS = 60_000


class CaseTextCopier(QObject):
    copied = Signal(str)  # a calm sentence for the person
    cleared = Signal()

    def __init__(self, controller: CaseController, parent: QObject | None = None, *,
                 clear_after_ms: int = CLEAR_AFTER_MS) -> None:
        super().__init__(parent)
        self._controller = controller
        self.clear_after_ms = clear_after_ms  # injectable: tests use a few milliseconds
        self._text: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_now)
        controller.case_locked.connect(self.forget)

    def copy(self, action: ChecklistAction) -> None:
        """Build the text for a copy action in the worker, then put it on the clipboard."""
        case = self._controller.case
        if case is not None:
            self._controller.run(lambda ctx: copy_text_for(case, action), on_result=self._put)

    def _put(self, text: str) -> None:
        self._controller.copy_text(text)
        self._text = text
        self._timer.start(self.clear_after_ms)
        self.copied.emit(tr("Copied. You can paste it now. Safekeep clears it from the "
                            "clipboard after a minute."))

    def is_pending(self) -> bool:
        return self._timer.isActive()

    def clear_now(self) -> None:
        self._timer.stop()
        text, self._text = self._text, None
        clipboard = QGuiApplication.clipboard()
        if text is not None and clipboard.text() == text:
            clipboard.clear()
            self.cleared.emit()

    def forget(self) -> None:
        """Locked: clear our text now rather than in a minute (if it is still ours)."""
        self.clear_now()
