"""The "Found in evidence" tab: every detail found across the case, in the text of
pictures or in chat messages, one row per detail however many items show it, grouped by kind,
with one click to add or dismiss. A detail from a chat says who sent it and when.

Dates and times are folded away, and their rows are only made when the person unfolds them:
a case of 30,000 screenshots has a different time in nearly every one, and making 30,000 rows
held the window still for most of a second each time the case opened.

It also owns the background reader (`TextReader`) and shows its progress, with a way to stop
it and to start it by hand.
"""

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.reading import (
    CandidateKind,
    DetailKind,
    SuggestionGroup,
    add_suggestions,
    dismiss_suggestions,
    kind_label,
)
from app.i18n import tr, tr_n
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.row_actions import choose_a_row_on_tab
from app.ui.kit.when_shown import LoadWhenShown
from app.ui.reading.found_words import (
    finished_words,
    read_found,
    row_words,
    seen_words,
    show_words,
    where_it_goes,
)
from app.ui.reading.text_reader import TextReader

_GROUP_ROLE = Qt.ItemDataRole.UserRole + 1
_KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # on a kind's row: which kind
_FOLDED = frozenset({DetailKind.DATE_TIME})  # chats are full of times: listed, but folded


class FoundView(QWidget):
    navigate_requested = Signal(object, int)  # (DataArea.EVIDENCE, id): an item with a detail

    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._groups: list[SuggestionGroup] = []
        self._exhibits: dict[int, str] = {}  # evidence id -> "AB/3"
        self._unmade: dict[int, tuple[QTreeWidgetItem, list[int]]] = {}  # folded kinds' rows
        self._seq = 0
        self._first_wanted = False  # choose the first detail to check once the list is read
        self._go_on_from: tuple[str, str] | None = None  # a detail being added: then the next
        self.reader = TextReader(controller, self)
        layout = QVBoxLayout(self)
        intro = QLabel(tr(
            "Safekeep reads the text in your pictures and the messages in your chat exports, "
            "on this computer only, and lists the usernames, links, numbers and other details "
            "it finds. Nothing is added by itself: check each one against the picture or the "
            "message, then add it to the offender's details or dismiss it."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        progress_row = QHBoxLayout()
        self.progress = QLabel()
        self.progress.setWordWrap(True)
        progress_row.addWidget(self.progress, 1)
        self.read_button = QPushButton(tr("Read pictures now"))
        self.read_button.clicked.connect(self.reader.read_now)
        self.stop_button = QPushButton(tr("Pause reading"))
        self.stop_button.clicked.connect(self.reader.stop)
        progress_row.addWidget(self.read_button)
        progress_row.addWidget(self.stop_button)
        layout.addLayout(progress_row)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([tr("Detail"), tr("Seen in")])
        self.tree.setAccessibleName(tr("Details found in pictures and chats: press Enter to "
                                       "see where"))
        self.tree.setAlternatingRowColors(True)
        # Shift or Ctrl with the arrows or a click chooses several, to dismiss together (a case
        # of tiny screenshots misread a hundred addresses, each dismissed on its own).
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemActivated.connect(lambda *_: self.show_picture())
        self.tree.itemExpanded.connect(self._make_rows)
        # Its first detail still to add, not the heading above it nor one added already.
        choose_a_row_on_tab(self.tree, self._first_to_add)
        layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(tr("Add to details"))
        self.add_button.clicked.connect(self.add_selected)
        self.dismiss_button = QPushButton(tr("Not right, dismiss"))
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.picture_button = QPushButton(tr("Show the picture"))
        self.picture_button.clicked.connect(self.show_picture)
        for button in (self.add_button, self.dismiss_button, self.picture_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout.addLayout(buttons)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.reader.progressed.connect(self._progressed)
        self.reader.running_changed.connect(self._running_changed)
        self.reader.finished.connect(self._reading_finished)
        self.reader.stopped.connect(self.progress.setText)
        self.loader = LoadWhenShown(self, controller, self.reload)  # when the tab shows
        controller.case_locked.connect(self.clear)
        controller.data_changed.connect(self._data_changed)
        self._running_changed(False)
        self._selection_changed()

    # -- data --------------------------------------------------------------------------------

    def reload(self) -> None:
        case = self._controller.case
        if case is None:
            return
        self._seq += 1
        seq = self._seq
        self._controller.run(lambda ctx: read_found(case),
                             on_result=lambda read: self._show(seq, *read))

    def _show(self, seq: int, groups: list[SuggestionGroup], exhibits: dict[int, str]) -> None:
        if seq != self._seq:
            return
        self._exhibits = exhibits
        chosen = self.selected_group()
        wanted = None if chosen is None else (chosen.kind, chosen.normalised)
        # Where the person was: a row added or dismissed with the keyboard goes (or changes),
        # and the next one should be chosen, in sight, with the focus where it was.
        place = self._place_of(self.tree.currentItem())
        had_focus = QApplication.focusWidget()
        scrolled = self.tree.verticalScrollBar().value()
        self._groups = groups
        self._unmade = {}
        self.tree.clear()
        parents: dict[str, QTreeWidgetItem] = {}
        counts: dict[str, int] = {}
        for index, group in enumerate(groups):
            parent = parents.get(group.kind)
            if parent is None:
                parent = parents[group.kind] = QTreeWidgetItem([kind_label(group.kind), ""])
                parent.setData(0, _KIND_ROLE, group.kind)
                self.tree.addTopLevelItem(parent)
                if group.kind in _FOLDED:
                    parent.setChildIndicatorPolicy(
                        QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
                    self._unmade[id(parent)] = (parent, [])
                else:
                    parent.setExpanded(True)
            counts[group.kind] = counts.get(group.kind, 0) + 1
            if id(parent) in self._unmade:
                self._unmade[id(parent)][1].append(index)
                if wanted == (group.kind, group.normalised):
                    self._make_rows(parent)  # the one chosen before stays chosen
            else:
                self._add_row(parent, index)
            if wanted == (group.kind, group.normalised) and (
                    row := parent.child(parent.childCount() - 1)) is not None:
                self.tree.setCurrentItem(row)
        for kind, parent in parents.items():
            parent.setText(1, tr_n("%n found", "%n found", counts[kind]))
        if self.tree.currentItem() is None and place is not None:
            self._choose_near(parents, *place)
        self._go_on_if_added()
        if self._first_wanted:  # once, as this read comes in: not at some later change
            self._first_wanted = False
            if (first := self._first_to_add()) is not None:
                self.tree.setCurrentIndex(first)
        self.tree.resizeColumnToContents(0)
        self._keep_view(scrolled, had_focus)
        nothing = tr("Nothing found in the text of pictures and documents or in the chats' "
                     "messages yet.")
        if not groups:
            self.message.setText(nothing)
        elif self.message.text() == nothing:
            self.message.clear()
        self._selection_changed()

    def _rows_in_sight(self) -> list[QTreeWidgetItem]:
        """The detail rows under open headings, top to bottom."""
        return [row for parent in (self.tree.topLevelItem(t)
                                   for t in range(self.tree.topLevelItemCount()))
                if parent is not None and parent.isExpanded()
                for row in (parent.child(i) for i in range(parent.childCount()))
                if row is not None]

    def choose_first_to_add(self) -> None:
        """Choose the first detail not checked yet, now or once the list is read ("Check them
        first" in the bundle window had shown the tab with nothing chosen)."""
        first = self._first_to_add() if self._groups else None
        self._first_wanted = not self._groups  # not read yet: once it is
        if first is not None:
            self.tree.setCurrentIndex(first)
            self.tree.scrollTo(first)

    def _first_to_add(self) -> QModelIndex | None:
        for row in self._rows_in_sight():
            index = row.data(0, _GROUP_ROLE)
            if isinstance(index, int) and self._groups[index].can_add:
                return self.tree.indexFromItem(row)
        return None

    def _go_on_if_added(self) -> None:
        """The detail just added is in the details now: choose the one below it, so the next
        Space on "Add to details" goes on down the list (it stayed on the one added, where
        the button is off, and the next Space did nothing)."""
        group, row = self.selected_group(), self.tree.currentItem()
        if self._go_on_from is None or group is None or row is None or not group.saved \
                or (group.kind, group.normalised) != self._go_on_from:
            return
        self._go_on_from = None
        rows = self._rows_in_sight()
        at = rows.index(row) if row in rows else -1
        below = rows[at + 1] if 0 <= at < len(rows) - 1 else None
        if below is not None:
            self.tree.setCurrentItem(below)

    def _place_of(self, row: QTreeWidgetItem | None) -> tuple[str, int, int] | None:
        """The kind of the chosen detail, that kind's place in the tree, and the detail's row
        under it."""
        parent = row.parent() if row is not None else None
        if row is None or parent is None:
            return None
        return (parent.data(0, _KIND_ROLE), self.tree.indexOfTopLevelItem(parent),
                parent.indexOfChild(row))

    def _choose_near(self, parents: dict[str, QTreeWidgetItem], kind: str, top: int,
                     at: int) -> None:
        """The chosen detail went: choose the one that took its place, else the one before it;
        the last of its kind gone, the first of the kind that took its place."""
        kinds = list(parents)
        if kind not in parents:
            if not kinds:
                return
            kind, at = kinds[min(top, len(kinds) - 1)], 0
        for name in kinds[kinds.index(kind):]:
            self._make_rows(parents[name])
            row = parents[name].child(min(at, parents[name].childCount() - 1))
            if row is not None:
                self.tree.setCurrentItem(row)
                return
            at = 0

    def _keep_view(self, scrolled: int, had_focus: QWidget | None) -> None:
        """Scrolled where it was, and the focus back where the rebuilding moved it from (a
        button turned off for a moment while the rows were made moves it on)."""
        self.tree.verticalScrollBar().setValue(scrolled)
        row = self.tree.currentItem()
        if row is not None:
            self.tree.scrollToItem(row)
        ours = (self.tree, self.add_button, self.dismiss_button, self.picture_button)
        if had_focus in ours and QApplication.focusWidget() is not had_focus:
            target = had_focus if had_focus.isEnabled() and had_focus.isVisible() else self.tree
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _add_row(self, parent: QTreeWidgetItem, index: int) -> QTreeWidgetItem:
        group = self._groups[index]
        row = QTreeWidgetItem([row_words(group), seen_words(group, self._exhibits)])
        row.setToolTip(1, row.text(1))  # a long message is cut short in its column
        row.setData(0, _GROUP_ROLE, index)
        parent.addChild(row)
        return row

    def _make_rows(self, parent: QTreeWidgetItem) -> None:
        """A folded kind's rows, made when it is unfolded (or one of them is wanted)."""
        unmade = self._unmade.pop(id(parent), None)
        if unmade is not None:
            for index in unmade[1]:
                self._add_row(parent, index)

    def clear(self) -> None:
        self._seq += 1
        self._groups = []
        self._unmade = {}
        self.tree.clear()
        self.message.clear()
        self.progress.clear()
        self._selection_changed()

    def _data_changed(self, area: DataArea) -> None:
        # CASE: new initials in Case details change the exhibits named.
        if area in (DataArea.SUGGESTIONS, DataArea.IDENTIFIERS, DataArea.EVIDENCE,
                    DataArea.CASE):
            self.loader.request()

    # -- choosing ----------------------------------------------------------------------------

    def selected_group(self) -> SuggestionGroup | None:
        row = self.tree.currentItem()
        index = row.data(0, _GROUP_ROLE) if row is not None else None
        return self._groups[index] if isinstance(index, int) and index < len(self._groups) else None

    def select_group(self, kind: CandidateKind, normalised: str) -> bool:
        for parent, _indexes in list(self._unmade.values()):
            self._make_rows(parent)
        rows = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        for parent in (p for p in rows if p is not None):
            for row in (parent.child(i) for i in range(parent.childCount())):
                index = row.data(0, _GROUP_ROLE) if row is not None else None
                if row is not None and isinstance(index, int):
                    group = self._groups[index]
                    if (group.kind, group.normalised) == (kind, normalised):
                        self.tree.setCurrentItem(row)
                        return True
        return False

    def chosen_groups(self) -> list[SuggestionGroup]:
        """The details chosen together (headings left out), or the current one alone."""
        chosen = []
        for row in self.tree.selectedItems():
            index = row.data(0, _GROUP_ROLE)
            if isinstance(index, int) and index < len(self._groups):
                chosen.append(self._groups[index])
        current = self.selected_group()
        return chosen if len(chosen) > 1 else [current] if current is not None else []

    def _selection_changed(self) -> None:
        group, chosen = self.selected_group(), self.chosen_groups()
        several = len(chosen) > 1
        # Added one by one, each checked against its picture; dismissed together.
        self.add_button.setEnabled(group is not None and group.can_add and not several)
        to_dismiss = [g for g in chosen if not g.saved]
        self.dismiss_button.setEnabled(bool(to_dismiss))
        self.dismiss_button.setText(tr_n("Not right, dismiss", "Not right, dismiss these %n",
                                         len(to_dismiss)) if several
                                    else tr("Not right, dismiss"))
        self.picture_button.setEnabled(group is not None)
        # Below the buttons, where nothing under it moves: why Add is greyed for this one.
        goes = where_it_goes(group.kind) if group is not None and not several else None
        if goes is not None:
            self.message.setText(goes)
        elif self.message.text() in {where_it_goes(k) for k in DetailKind}:
            self.message.clear()
        self.picture_button.setText(show_words(group))

    def add_selected(self) -> None:
        group, case = self.selected_group(), self._controller.case
        if group is None or case is None:
            return
        ids = group.suggestion_ids
        self._go_on_from = (group.kind, group.normalised)
        self._controller.run(lambda ctx: add_suggestions(case, ids), changes=DataArea.IDENTIFIERS,
                             on_result=lambda r: self.message.setText(r.message),
                             on_error=self._add_failed)

    def _add_failed(self, message: str) -> None:
        self._go_on_from = None
        self.message.setText(message)

    def dismiss_selected(self) -> None:
        chosen, case = [g for g in self.chosen_groups() if not g.saved], self._controller.case
        if not chosen or case is None:
            return
        ids = [i for group in chosen for i in group.suggestion_ids]
        if len(chosen) > 1:  # the row that takes the first one's place is chosen after
            selected = set(map(id, self.tree.selectedItems()))
            top = next((r for r in self._rows_in_sight() if id(r) in selected), None)
            if top is not None:
                self.tree.setCurrentItem(top, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
        said = tr("Dismissed. It will not be suggested again.") if len(chosen) == 1 else tr_n(
            "%n dismissed. They will not be suggested again.",
            "%n dismissed. They will not be suggested again.", len(chosen))
        self._controller.run(lambda ctx: dismiss_suggestions(case, ids),
                             changes=DataArea.SUGGESTIONS,
                             on_result=lambda _: self.message.setText(said))

    def show_picture(self) -> None:
        """The picture a detail was read in; for one found only in documents, the first of
        them; for one found only in chats, the message it was first seen in, in its
        conversation, to check it against (it had shown the export's tile)."""
        group = self.selected_group()
        if group is None:
            return
        if not group.pictures and group.document_ids:
            self.navigate_requested.emit(DataArea.EVIDENCE, group.document_ids[0])
        elif not group.pictures and group.messages:
            self.navigate_requested.emit(DataArea.MESSAGES, group.messages[0].message_id)
        elif group.evidence_ids:
            self.navigate_requested.emit(DataArea.EVIDENCE,
                                         (group.picture_ids or group.evidence_ids)[0])

    # -- the reader --------------------------------------------------------------------------

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setText(tr("Reading the text in pictures and documents: {done} of "
                                 "{total}. You can carry on meanwhile.").format(
                                     done=done, total=total))

    def _running_changed(self, running: bool) -> None:
        self.read_button.setVisible(not running)
        self.stop_button.setVisible(running)
        if not running and self.progress.text().startswith(tr("Reading the text")):
            self.progress.clear()

    def _reading_finished(self, found: int, pictures: int, asked: bool) -> None:
        if (said := finished_words(found, pictures, asked)) is not None:
            self.progress.setText(said)
