"""A word at the moment an under-18 chooses to hide what they add next.

Ticking "Hide what I add next (sensitive)" is what a person does just before adding intimate
pictures. The police advice for someone under 18 is not to keep or send on nude or sexual
pictures of themselves, nor to add them here (the checklist step "Don't keep or send on
intimate pictures of yourself"), but that step may be far down the list, unread. So it is said
there and then, calmly, once per tick, and it goes when the box is unticked.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from app.i18n import tr
from app.ui.kit.controller import CaseController


class UnderEighteenNote(QLabel):
    """Hidden, except while the box is ticked in a case whose person is under 18."""

    def __init__(self, box: QCheckBox, controller: CaseController,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr(
            "Because you are under 18, please don't add nude or sexual pictures or videos of "
            "yourself here, even hidden. You have done nothing wrong: this rule is there to "
            "protect you. The screenshots of the messages and the details they used are what "
            "matter. CEOP, and Childline's Report Remove, can help get pictures taken down "
            "(see Help)."), parent)
        self.setWordWrap(True)
        self.hide()
        self._controller = controller
        self._box = box
        box.toggled.connect(self._toggled)

    def _toggled(self, ticked: bool) -> None:
        case = self._controller.case
        if not ticked or case is None:
            self.hide()
            return
        from app.core.records import case_summary

        # Read now, not at unlock: the box "I am under 18" may have been ticked since.
        self._controller.run(lambda _ctx: case_summary(case).under_18,
                             on_result=self._under_18, on_error=lambda _message: None)

    def _under_18(self, under_18: bool) -> None:
        import shiboken6

        # The answer may come after the box was unticked again, or the view closed.
        if shiboken6.isValid(self) and shiboken6.isValid(self._box):
            self.setVisible(under_18 and self._box.isChecked())
