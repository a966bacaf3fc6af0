"""The row of ways to add evidence on the Evidence screen, and where the keyboard goes while
something is being added: greyed out, a button hands the keyboard on to the next in line."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from app.i18n import tr


def _button(text: str, slot: Callable[[], object], bar: QHBoxLayout) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.rstrip("…"))
    button.clicked.connect(lambda: slot())
    bar.addWidget(button)
    return button


class AddButtons:
    def __init__(self, bar: QHBoxLayout, *, add_files: Callable[[], object],
                 add_folder: Callable[[], object], paste: Callable[[], object],
                 take_screenshot: Callable[[], object]) -> None:
        self.files = _button(tr("Add files…"), add_files, bar)
        self.folder = _button(tr("Add a folder…"), add_folder, bar)
        self.paste = _button(tr("Paste"), paste, bar)
        self.paste.setToolTip(tr("Add a picture or files you copied (Ctrl+V)"))
        self.screenshot = _button(tr("Take a screenshot"), take_screenshot, bar)
        self.screenshot.setToolTip(tr("Safekeep hides, counts down from 3, and keeps a picture "
                                      "of your screen. No file is saved."))
        self.buttons = (self.files, self.folder, self.paste, self.screenshot)
        self._started_from: QWidget | None = None  # the button whose adding runs, if pressed

    def set_busy(self, busy: bool, grid: QWidget) -> None:
        """Greyed out while adding; the keyboard, if on one of them, goes to `grid`."""
        if busy:
            self._started_from = None
        focus = grid.window().focusWidget()
        if busy and focus in self.buttons:
            self._started_from = focus
            # Qt sends the focus of a button greyed out on to the next one in line, the
            # "Hide what I add next (sensitive)" box: the next Space ticked it. The grid, where
            # what is added shows, takes it instead. The window's focus widget, not hasFocus():
            # after a file dialog the window is not active yet, and gives the keyboard back
            # to that button when it is.
            grid.setFocus(Qt.FocusReason.OtherFocusReason)
        for button in self.buttons:
            button.setEnabled(not busy)

    def keyboard_back(self, grid: QWidget) -> None:
        """Nothing new to show (a file refused, a failure): the keyboard, put on the grid while
        adding, goes back to the button that started it. On an empty grid it was out of
        sight, and Enter, pressed to try again, did nothing."""
        button, self._started_from = self._started_from, None
        if button is not None and grid.window().focusWidget() is grid:
            button.setFocus(Qt.FocusReason.OtherFocusReason)
