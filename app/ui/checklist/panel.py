"""The checklist panel: what to do now, in order, and what is already done.

It shows progress ("4 of 12 done"), frames the next step, lets each step open to its
explanation and source, records when a step is ticked, asks inline for reference numbers,
and offers the app action that helps with a step. When the case's records already show a step
done (a Skype ID saved), it offers to tick it, and never ticks by itself; "Not yet" hides the
offer for that step until the case is locked (the progress table has no place to keep it, and
the person said "not yet", not "never"). Steps the records show are not needed are greyed.
The two case flags that change which steps apply ("I am under 18", "This is happening now")
are in its header.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.guidance import (
    AdvicePack,
    ChecklistAction,
    ChecklistEntry,
    ChecklistState,
    checklist_state,
    mark_item,
    shipped_pack,
)
from app.core.records import edit_case
from app.i18n import tr
from app.ui.checklist.item import STEP_FRAME_STYLE, ChecklistItemWidget, Typing
from app.ui.kit.app_font import (
    set_font_keeping_text_size,
    set_sheet_keeping_text_size,
    text_size,
)
from app.ui.kit.clipboard_copy import CLEAR_AFTER_MS, CaseTextCopier
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.first_look import CHECKLIST
from app.ui.kit.into_view import KeptInPlace
from app.ui.kit.turns import NextTurn
from app.ui.kit.when_shown import LoadWhenShown

# About 3 ms each to build when the case opens (cold), and twice that while another thread
# shares the interpreter (the first thumbnails). One per turn: the first turns after an opening
# also lay out and paint the whole window, and three steps on top of that took the longest of
# them past 50 ms (benchmarks/bench_open.py).
STEPS_PER_TURN = 1


def _heading_font() -> QFont:
    """Bold, a fifth larger than the window's text."""
    font = QFont()  # the application's font: the text size chosen in Settings
    font.setBold(True)
    if text_size() > 0:
        font.setPointSizeF(text_size() * 1.2)
    return font


class ChecklistPanel(QWidget):
    action_requested = Signal(object)  # a ChecklistAction the main window opens (not a copy)

    def __init__(self, controller: CaseController, parent: QWidget | None = None, *,
                 clear_after_ms: int = CLEAR_AFTER_MS) -> None:
        super().__init__(parent)
        self._controller = controller
        self._state: ChecklistState | None = None
        self._expanded: dict[str, bool] = {}
        self._ask_reference_for: str | None = None
        self._declined: set[str] = set()  # "Not yet" to an offer, until the case is locked
        self._reload_seq = 0  # only the newest reload is shown, whatever order they finish in
        self._unbuilt: list[ChecklistEntry] = []  # steps of the state shown still to build
        self._build_seq = 0  # bumped when a build under way must stop
        self._next_turn = NextTurn(self)  # the build's next few steps (kit/turns.py)
        self.items: dict[str, ChecklistItemWidget] = {}
        self.copier = CaseTextCopier(controller, self, clear_after_ms=clear_after_ms)
        self.copier.copied.connect(self._say)
        self.copier.cleared.connect(lambda: self._say(tr("The copied text was cleared from "
                                                         "the clipboard.")))
        layout = QVBoxLayout(self)
        title = QLabel(tr("What to do now"))
        set_font_keeping_text_size(title, _heading_font)
        layout.addWidget(title)
        progress_row = QHBoxLayout()
        self.progress_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(8)
        self.progress_bar.setAccessibleName(tr("Checklist progress"))
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress_bar, 1)
        layout.addLayout(progress_row)
        self.under_18_box = QCheckBox(tr("I am under 18"))
        self.under_18_box.setToolTip(tr("Some steps are different for young people."))
        self.in_danger_box = QCheckBox(tr("This is happening now"))
        self.in_danger_box.setToolTip(tr("Shows what to do straight away."))
        for box, field in ((self.under_18_box, "under_18"), (self.in_danger_box, "in_danger_now")):
            box.toggled.connect(lambda checked, f=field: self._flag_changed(f, checked))
        flags = QHBoxLayout()
        flags.addWidget(self.under_18_box)
        flags.addWidget(self.in_danger_box)
        flags.addStretch()
        layout.addLayout(flags)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # No Tab stop of its own (it showed no focus); Tab to a step scrolls it into view.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._list = QWidget()
        set_sheet_keeping_text_size(self._list, STEP_FRAME_STYLE)  # the steps' frames
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.addStretch()
        self.scroll_area.setWidget(self._list)
        layout.addWidget(self.scroll_area, 1)
        self._loading = False
        self._set_enabled(False)

        # Beside the tabs it shows and loads at once; in a tab of its own (a narrow window),
        # when that tab shows.
        self.loader = LoadWhenShown(self, controller, self.reload)
        controller.case_locked.connect(self.clear)
        controller.data_changed.connect(self._data_changed)

    # ----- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        case = self._controller.case
        if case is not None:
            self._reload_seq += 1
            seq = self._reload_seq
            # As the case opens, the unlock task has read it already (first_look.py).
            first = self._controller.take_first_look(CHECKLIST)
            if isinstance(first, ChecklistState):
                self._loaded(first, seq)
                return
            self._controller.run(lambda ctx: checklist_state(case),
                                 on_result=lambda state: self._loaded(state, seq))

    # A payment switches the "if you paid" steps on, the case flags switch others, and any
    # record can show a step done (a Skype ID saved) or not needed (every payment collected).
    # What the steps' conditions and the records' facts are read from.
    _RELOAD_AREAS = frozenset({DataArea.CHECKLIST, DataArea.CASE, DataArea.PAYMENTS,
                               DataArea.IDENTIFIERS, DataArea.EVIDENCE, DataArea.BUNDLE})

    def _data_changed(self, area: DataArea) -> None:
        if area in self._RELOAD_AREAS:
            self.loader.request()

    def state(self) -> ChecklistState | None:
        """What the panel shows, once every step of it is built (None before)."""
        return None if self._unbuilt else self._state

    def _loaded(self, state: ChecklistState, seq: int | None = None) -> None:
        if seq is not None and seq != self._reload_seq:
            return  # an older reload finishing late: a newer one is on its way
        if state == self._state and self.items:
            return  # nothing changed (an edit elsewhere): keep the widgets, focus and scroll
        self._state = state
        self._loading = True
        self.under_18_box.setChecked(state.context.under_18)
        self.in_danger_box.setChecked(state.context.in_danger)
        self._loading = False
        self.progress_label.setText(state.progress.text)
        self.progress_bar.setRange(0, max(state.progress.total, 1))
        self.progress_bar.setValue(state.progress.done)
        self._set_enabled(True)
        scroll = self.scroll_area.verticalScrollBar().value()
        focused = self._focused_item()
        pack = shipped_pack()
        if not self._unbuilt and [e.item.id for e in state.entries] == list(self.items):
            # The same steps: replace only those that changed (a tick, the next step, an
            # offer). Building every step costs about 50 ms of the window's time; one, a few.
            for entry in state.entries:
                old = self.items[entry.item.id]
                if old.entry != entry:
                    new = self._make_item(entry, pack)
                    self._list_layout.replaceWidget(old, new)
                    # In the old one's place among the panel's children too: the window's
                    # Tab order reads them in that order, and a step ticked had become the
                    # last stop before Quick exit, skipped by Tab from the step above it.
                    new.stackUnder(old)
                    new.take_typing(old.typing())
                    self._discard(old)
                    self.items[entry.item.id] = new
            self._built(scroll, focused)
            return
        # Every step anew (the case opened): STEPS_PER_TURN per turn of the event loop, from
        # the top, so the window answers meanwhile; 60 ms in one go when the case opened. The
        # first waits for the next turn too: the state arrives as the main window first
        # shows and paints, a turn long enough already. A number being typed in a step (a
        # payment saved meanwhile switched other steps on) goes to the step built anew.
        typing = {item_id: typed for item_id, widget in self.items.items()
                  if (typed := widget.typing()) is not None}
        self._remove_items()
        self._unbuilt = list(state.entries)
        self._build_seq += 1
        build_seq = self._build_seq
        self._next_turn.call(lambda: self._build_some(build_seq, pack, scroll, focused, typing))

    def _build_some(self, build_seq: int, pack: AdvicePack, scroll: int,
                    focused: str | None, typing: dict[str, Typing]) -> None:
        if build_seq != self._build_seq:
            return  # cleared, or a newer state is being built
        batch, self._unbuilt = self._unbuilt[:STEPS_PER_TURN], self._unbuilt[STEPS_PER_TURN:]
        for entry in batch:
            self.items[entry.item.id] = widget = self._make_item(entry, pack)
            self._list_layout.insertWidget(len(self.items) - 1, widget)
            widget.take_typing(typing.get(entry.item.id))
        if self._unbuilt:
            self._next_turn.call(
                lambda: self._build_some(build_seq, pack, scroll, focused, typing))
        else:
            self._built(scroll, focused)

    def _built(self, scroll: int, focused: str | None) -> None:
        self.scroll_area.verticalScrollBar().setValue(scroll)
        wanted, self._ask_reference_for = self._ask_reference_for, None
        if wanted in self.items:
            self.items[wanted].ask_for_reference()
        elif focused in self.items:
            # Rebuilding a step must not throw a keyboard user back to the top.
            widget, focus = self.items[focused], QApplication.focusWidget()
            if focus is None or not widget.isAncestorOf(focus):
                widget.check.setFocus()

    def _make_item(self, entry: ChecklistEntry, pack: AdvicePack) -> ChecklistItemWidget:
        # The next step opens by itself; others stay as the person left them.
        expanded = self._expanded.get(entry.item.id, entry.is_next)
        offer = entry.offer_tick and entry.item.id not in self._declined
        widget = ChecklistItemWidget(entry, pack, expanded=expanded, offer=offer)
        widget.done_toggled.connect(self._toggled)
        widget.offer_accepted.connect(self._offer_accepted)
        widget.offer_declined.connect(self._declined.add)
        widget.reference_saved.connect(self._reference_saved)
        widget.action_clicked.connect(self.run_action)
        widget.expanded_changed.connect(self._remember_expanded)
        return widget

    def _focused_item(self) -> str | None:
        focus = QApplication.focusWidget()
        for item_id, widget in self.items.items():
            if focus is not None and (focus is widget or widget.isAncestorOf(focus)):
                return item_id
        return None

    def _remove_items(self) -> None:
        for widget in self.items.values():
            self._list_layout.removeWidget(widget)
            self._discard(widget)
        self.items = {}

    @staticmethod
    def _discard(widget: ChecklistItemWidget) -> None:
        widget.hide()
        widget.deleteLater()

    def clear(self) -> None:
        """Locked: no trace of the case stays here (the next case starts fresh too)."""
        self._state = None
        self._unbuilt = []
        self._next_turn.cancel()
        self._build_seq += 1
        self._remove_items()
        self._expanded = {}
        self._declined = set()
        self._loading = True
        self.under_18_box.setChecked(False)
        self.in_danger_box.setChecked(False)
        self._loading = False
        self.progress_label.clear()
        self.progress_bar.setValue(0)
        self.message.clear()
        self.message.hide()
        self._set_enabled(False)

    def _set_enabled(self, enabled: bool) -> None:
        self.under_18_box.setEnabled(enabled)
        self.in_danger_box.setEnabled(enabled)

    # ----- changes ------------------------------------------------------------------------

    def _remember_expanded(self, item_id: str, expanded: bool) -> None:
        self._expanded[item_id] = expanded

    def _toggled(self, item_id: str, done: bool) -> None:
        widget = self.items.get(item_id)
        reference = None
        if widget is not None and done and widget.entry.item.takes_reference:
            # A number typed beside the box and not saved yet goes with the tick (the tick
            # rebuilds the step, which dropped it); with none, the step asks for it inline.
            reference = widget.typed_reference()
            if reference is None:
                self._ask_reference_for = item_id
        self.set_done(item_id, done, reference)

    def _offer_accepted(self, item_id: str) -> None:
        """The person said the step is done. A number the case already has for it (the crime
        reference) goes with the tick; a step that takes a number and has none asks for it."""
        widget = self.items.get(item_id)
        if widget is None:
            return
        entry = widget.entry
        reference = None
        if entry.item.takes_reference and not entry.reference:
            reference = entry.suggested_reference
            if reference is None:
                self._ask_reference_for = item_id
        widget.hide_offer()
        widget.check.setFocus()  # the offer goes; a keyboard user stays on the step
        self.set_done(item_id, True, reference)

    def set_done(self, item_id: str, done: bool, reference: str | None = None,
                 saved: str = "") -> None:
        """Tick or untick a step (with its number); `saved` is said once it is saved, and
        why not, here, when it cannot be."""
        case = self._controller.case
        if case is not None:
            self._controller.run(
                lambda ctx: mark_item(case, item_id, done=done, reference=reference),
                changes=DataArea.CHECKLIST,
                on_result=lambda _: self._say(saved) if saved else None,
                on_error=lambda message: self._say(tr("Not saved yet.") + " " + message),
            )

    def _reference_saved(self, item_id: str, reference: str) -> None:
        widget = self.items.get(item_id)
        if widget is None:
            return
        if not reference:
            # Enter in the empty field is no report made: it ticked the step. A number
            # saved before and now cleared goes, and the step stays as it was.
            if widget.entry.reference:
                self.set_done(item_id, widget.entry.done, "", saved=tr("Removed the number."))
            else:
                self._say(tr("There is no number to save yet."))
            return
        # Giving the number means the step is done: a report has been made.
        self.set_done(item_id, True, reference, saved=tr("Saved the number."))

    def _flag_changed(self, field: str, checked: bool) -> None:
        case = self._controller.case
        if self._loading or case is None:
            return
        self._controller.run(lambda ctx: edit_case(case, **{field: checked}),  # type: ignore[arg-type]
                             changes=DataArea.CASE)

    def run_action(self, action: ChecklistAction) -> None:
        """Copy actions are done here; every other action is for the main window to open."""
        if action.copies_text:
            self.copier.copy(action)
        else:
            self.action_requested.emit(action)

    def _say(self, text: str) -> None:
        # Said above the steps: the step just used stays under the pointer (the steps had
        # moved down by the message's lines, and the next click landed on another step).
        used = QApplication.focusWidget()
        kept = KeptInPlace(used) if used is not None and self._list.isAncestorOf(used) \
            else None
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if kept is not None:
            kept.restore()
