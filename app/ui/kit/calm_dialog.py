"""The one Enter policy for every dialog: Enter does what the main button says, or nothing.

Qt presses an "auto-default" button on Enter: the focused one, or else the default one. Every
`QPushButton` in a `QDialog` is auto-default. When a dialog disables its focused field while it
works (unlocking derives a key for a few seconds), Qt moves focus to the next enabled button,
and the Enter press that started the work then reaches that button: in the unlock dialog it was
"Close Safekeep", so Enter quit the app. So here:

- no button is auto-default; the dialog names its main button (`set_primary`);
- Enter on a button the person has focused presses it, unless the button closes, cancels or
  quits (`keep_from_enter`): those take Space or a click, and Enter on them does nothing;
- otherwise Enter runs `enter_pressed()`: by default the main button if it is enabled and
  shown, else nothing. Enter never falls through to Qt's own handling.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

_NO_ENTER = "safekeepNoEnter"  # a dynamic property on buttons that Enter must never press
_QUIET_ROLES = (QDialogButtonBox.ButtonRole.RejectRole, QDialogButtonBox.ButtonRole.NoRole,
                QDialogButtonBox.ButtonRole.DestructiveRole)


@functools.cache
def _enter_keys() -> tuple[Qt.Key, Qt.Key, Qt.KeyboardModifier]:
    """Return, Enter, and the keypad modifier. `Qt` is imported on the first key press, not
    with this module: the first window's Quick exit button uses `keep_from_enter`, and
    importing `Qt` makes all of its 100 or so enum classes (about 15 ms of start-up)."""
    from PySide6.QtCore import Qt

    return Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier


def is_enter(event: QEvent) -> bool:
    """A Return or Enter key press, with or without the keypad modifier."""
    if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
        return False
    return_key, enter_key, keypad = _enter_keys()
    return event.key() in (return_key, enter_key) and not event.modifiers() & ~keypad


def keep_from_enter(*buttons: QPushButton) -> None:
    """These buttons close, cancel or quit: only Space or a click presses them."""
    for button in buttons:
        button.setProperty(_NO_ENTER, True)
        button.setAutoDefault(False)


def takes_enter(button: QPushButton) -> bool:
    return not bool(button.property(_NO_ENTER))


class CalmDialog(QDialog):
    """A dialog where Enter can only ever press the main button or the focused safe button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._primary: QPushButton | None = None

    def set_primary(self, button: QPushButton | None) -> None:
        """The button Enter presses when no other button has focus (None: Enter does nothing)."""
        if self._primary is not None and self._primary is not button:
            self._primary.setDefault(False)
        self._primary = button
        if button is not None:
            button.setDefault(True)

    @property
    def primary(self) -> QPushButton | None:
        return self._primary

    def showEvent(self, event: QShowEvent) -> None:
        self.calm_buttons()
        super().showEvent(event)

    def calm_buttons(self) -> None:
        """No button presses itself on Enter; close and cancel buttons never take Enter.
        Run on every show, so buttons added after construction are covered too."""
        for box in self.findChildren(QDialogButtonBox):
            for button in box.buttons():
                if isinstance(button, QPushButton) and box.buttonRole(button) in _QUIET_ROLES:
                    keep_from_enter(button)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            if button is not self._primary:
                button.setDefault(False)

    def grow_to_fit(self) -> None:
        """Grow (never shrink) to the height the content now needs at this width: wrapped
        text that appears as the person types (hints) must not be clipped. Never past the
        screen: what does not fit scrolls (at 1024x600 and 200%, ticking "under 18" in a new
        case had grown it past the screen's edge, its buttons out of reach)."""
        from app.ui.kit.screen_fit import fit_height

        fit_height(self, shrink=False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not is_enter(event):
            super().keyPressEvent(event)
            return
        event.accept()
        focused = self.focusWidget()
        if isinstance(focused, QPushButton) and focused is not self._primary:
            # A focused button takes Enter itself, or (close, cancel, quit) not at all: Enter
            # on "Cancel" must never press the main button instead.
            if focused.isEnabled() and focused.isVisible() and takes_enter(focused):
                focused.click()
            return
        self.enter_pressed()

    def enter_pressed(self) -> None:
        """Enter with no button focused: press the main button if it can be pressed now."""
        button = self._primary
        if button is not None and button.isEnabled() and button.isVisible():
            button.click()
