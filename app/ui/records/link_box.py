"""The tick box under a record's form that links what is saved to the evidence selected on the
Evidence screen: shown only while something is selected there, saying how many."""

from PySide6.QtWidgets import QCheckBox, QWidget

from app.i18n import tr, tr_n


class EvidenceLinkBox(QCheckBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selected: list[int] = []
        self.hide()

    def set_selected(self, evidence_ids: list[int]) -> None:
        """The Evidence screen's selection, as the main window passes it on."""
        self.selected = list(evidence_ids)
        count = len(evidence_ids)
        self.setText(tr("Link it to the selected evidence item") if count == 1 else
                     tr_n("Link it to the %n selected evidence item",
                          "Link it to the %n selected evidence items", count))
        self.setVisible(count > 0)
        if not count:
            self.setChecked(False)

    def links(self) -> list[int]:
        """The items to link what is saved to: the selected ones, if ticked."""
        return list(self.selected) if self.isChecked() else []
