"""Linking a record (an offender's detail, a payment) to the evidence selected on the Evidence
screen: a tick box under the form, for what is saved next, and a button under the table, for
the record already saved that is selected there."""

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QPushButton, QWidget

from app.i18n import tr, tr_n


class EvidenceLinkBox(QCheckBox):
    """Shown only while something is selected on the Evidence screen, saying how many."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selected: list[int] = []
        self.hide()

    def set_selected(self, evidence_ids: list[int]) -> None:
        """The Evidence screen's selection, as the main window passes it on."""
        self.selected = list(evidence_ids)
        count = len(evidence_ids)
        # Where they were selected, said: the Evidence screen is another tab.
        self.setText(tr("Link it to the evidence item selected on the Evidence screen")
                     if count == 1 else
                     tr_n("Link it to the %n evidence item selected on the Evidence screen",
                          "Link it to the %n evidence items selected on the Evidence screen",
                          count))
        self.setVisible(count > 0)
        if not count:
            self.setChecked(False)

    def links(self) -> list[int]:
        """The items to link what is saved to: the selected ones, if ticked."""
        return list(self.selected) if self.isChecked() else []


class LinkSelectedButton(QPushButton):
    """"Link to the selected evidence" adds the items selected on the Evidence screen to the
    selected record's links (those it has stay); with `unlinks`, "Unlink the selected
    evidence" takes them off (a picture linked by mistake). `link` gets the record's id and
    its links as they should be; the button is live only when that changes something."""

    def __init__(self, link: Callable[[int, list[int]], None], *, unlinks: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("Unlink the selected evidence") if unlinks else
                         tr("Link to the selected evidence"), parent)
        self._link, self._unlinks = link, unlinks
        self._selected: list[int] = []
        self._record: tuple[int, tuple[int, ...]] | None = None  # its id and its links
        self.clicked.connect(self._clicked)
        self._update()

    def set_selected(self, evidence_ids: list[int]) -> None:
        """The Evidence screen's selection, as the main window passes it on."""
        self._selected = list(evidence_ids)
        self._update()

    def set_record(self, record_id: int | None, linked: tuple[int, ...] = ()) -> None:
        """The record selected in the table, and the items it is linked to now."""
        self._record = None if record_id is None else (record_id, tuple(linked))
        self._update()

    def _wanted(self) -> list[int] | None:
        if self._record is None or not self._selected:
            return None
        linked, selected = set(self._record[1]), set(self._selected)
        wanted = linked - selected if self._unlinks else linked | selected
        return None if wanted == linked else sorted(wanted)

    def _update(self) -> None:
        wanted = self._wanted()
        self.setEnabled(wanted is not None)
        self.setToolTip(
            tr("Select items on the Evidence screen first.") if not self._selected else
            tr("Select a row in the table first.") if self._record is None else
            "" if wanted is not None else
            tr("None of the selected items is linked to it.") if self._unlinks else
            tr("It is already linked to them."))

    def _clicked(self) -> None:
        wanted = self._wanted()
        if wanted is not None and self._record is not None:
            self._link(self._record[0], wanted)


class LinkButtons:
    """The two buttons under a record table, fed the same selections."""

    def __init__(self, link: Callable[[int, list[int]], None]) -> None:
        self.link_button = LinkSelectedButton(link)
        self.unlink_button = LinkSelectedButton(link, unlinks=True)
        self.buttons = (self.link_button, self.unlink_button)

    def set_selected(self, evidence_ids: list[int]) -> None:
        for button in self.buttons:
            button.set_selected(evidence_ids)

    def set_record(self, record_id: int | None, linked: tuple[int, ...] = ()) -> None:
        for button in self.buttons:
            button.set_record(record_id, linked)


def linked_words(count: int) -> str:
    """What the message line says once a record's links are saved."""
    if not count:
        return tr("Saved. It is not linked to any evidence now.")
    return tr_n("Saved. It is now linked to %n evidence item.",
                "Saved. It is now linked to %n evidence items.", count)
