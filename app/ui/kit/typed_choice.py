"""Letters typed on a list box choose the entry a person means, not only one starting so.

A list box on its own only matches the start of its entries: on *Offender details*, "Inst"
chose "IBAN (international bank account)" (an Instagram account is a username, with
Instagram as its platform), and on *Payments*, "bitcoin" chose "Bank transfer". A box with
this watcher hands the letters typed in quick succession (Qt's own keyboard interval) to the
form, which knows what they mean (app/core/identifiers/type_lookup.py,
app/core/records/typed_words.py). A space straight after letters is part of them ("western
union"), as kit/combo_search.py makes it for other list boxes; a space on its own, arrows,
Home and End keep Qt's own meaning; letters that find nothing change nothing. The same holds
in the box's open list: clicked open, "mtcn" typed there had chosen "MoneyGram reference
number" by its first letter, and Enter saved a Western Union number under it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox

from app.ui.kit.combo_search import OWN_TYPED_SEARCH

_LONGEST = 40  # letters read together: longer than any entry's name
_CHORD_KEYS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
               | Qt.KeyboardModifier.MetaModifier)


class TypedChoice(QObject):
    """Installed on `box`: `choose` is called with the letters typed so far at each letter."""

    def __init__(self, box: QComboBox, choose: Callable[[str], object]) -> None:
        super().__init__(box)
        self._box, self._choose = box, choose
        self._typed = ""
        self._last_key = 0.0
        box.setProperty(OWN_TYPED_SEARCH, True)
        box.installEventFilter(self)
        self._list = box.view()  # the open list
        self._list.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The event's type first: as the box is torn down, its list still has events.
        if event.type() != QEvent.Type.KeyPress:
            return False
        in_list = watched is self._list
        if watched is not self._box and not in_list:
            return False
        assert isinstance(event, QKeyEvent)
        now = time.monotonic()
        if (now - self._last_key) * 1000 > QApplication.keyboardInputInterval():
            self._typed = ""
        text = event.text()
        if event.modifiers() & _CHORD_KEYS or not text or not text.isprintable() \
                or (text.isspace() and not self._typed):
            self._typed = ""
            return False  # a space on its own opens the list, arrows move: Qt's own keys
        self._typed = (self._typed + text)[:_LONGEST]  # a key held down adds no more
        self._last_key = now
        self._choose(self._typed)
        if in_list:  # the entry chosen is the one Enter takes from the open list
            box = self._box
            self._list.setCurrentIndex(box.model().index(box.currentIndex(), box.modelColumn(),
                                                         box.rootModelIndex()))
        return True


def choose_entry(box: QComboBox, data: str | None) -> None:
    """Choose the entry of `box` whose data is `data` (if there is one), telling the form as
    Qt's own typing search does (`activated`): the form hears a person's change."""
    if data is None:
        return
    index = box.findData(data)
    if index >= 0 and index != box.currentIndex():
        box.setCurrentIndex(index)
        box.activated.emit(index)
