"""Row actions of the record tables (offender details, payments, timeline)."""

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton

from app.i18n import tr
from app.ui.kit.calm_dialog import keep_from_enter


class InlineRemove:
    """"Remove…" that asks in place ("Yes, remove it" / "Keep it") instead of a modal box:
    a modal box would sit above the Quick exit button, and a misclick removes nothing.

    The buttons have no parent until a layout places them, so they take their place in the
    Tab order where they stand on the screen, not where the tab happened to make them."""

    def __init__(self, accessible_name: str, *, has_selection: Callable[[], bool],
                 on_confirm: Callable[[], object]) -> None:
        self._has_selection = has_selection
        self._on_confirm = on_confirm
        self.remove_button = QPushButton(tr("Remove…"))
        self.remove_button.setAccessibleName(accessible_name)
        self.remove_button.clicked.connect(self.ask)
        self.confirm_button = QPushButton(tr("Yes, remove it"))
        self.confirm_button.clicked.connect(self._confirmed)
        # Focus lands here after "Remove…": a second Enter pressed in a hurry must not remove.
        keep_from_enter(self.confirm_button)
        self.keep_button = QPushButton(tr("Keep it"))
        self.keep_button.clicked.connect(self.hide_confirm)
        self.confirm_button.hide()  # not hide_confirm(): showing a button with no parent
        self.keep_button.hide()  # would open it as a window of its own

    @property
    def buttons(self) -> tuple[QPushButton, QPushButton, QPushButton]:
        """To place side by side: "Remove…", then (in its place) "Yes, remove it", "Keep it"."""
        return self.remove_button, self.confirm_button, self.keep_button

    def ask(self) -> None:
        if self._has_selection():
            self.remove_button.hide()
            self.confirm_button.show()
            self.keep_button.show()
            self.confirm_button.setFocus()

    def hide_confirm(self) -> None:
        self.confirm_button.hide()
        self.keep_button.hide()
        self.remove_button.show()

    def _confirmed(self) -> None:
        self.hide_confirm()
        self._on_confirm()
