""""Found in this picture": the details text recognition saw in one picture, each shown on the
picture itself, with one click to add it to the case's details or to dismiss it. For a chat
export, the same section lists the details found in its messages, each with the message's
sender and time instead of a mark on a picture.

The picture shown here is decoded from the original in an isolated worker process (the same
guards as previews), a little larger than a thumbnail so the marked words can be read; it is
never decoded for a sensitive item that is hidden. Everything loads in the worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.core.reading import (
    TEXT_READER,
    Reading,
    Suggestion,
    TextSource,
    add_suggestions,
    dismiss_suggestions,
    reading_of,
    screenshot_tip,
    suggestions_for,
    text_source,
)
from app.i18n import tr
from app.models import SuggestionState
from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.into_view import KeptInPlace
from app.ui.kit.pools import PICTURE_SIDE, WorkerPools
from app.ui.kit.worker import TaskContext
from app.ui.reading.found_status import (
    chat_words,
    document_words,
    heading_words,
    picture_words,
)
from app.ui.reading.found_words import sighting_words, where_it_goes

_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_MARK = QColor(255, 200, 0)  # a highlighter's yellow: marks, never alarms


@dataclass(frozen=True)
class _Loaded:
    evidence_id: int
    reading: Reading | None
    suggestions: list[Suggestion]
    tip: str | None
    picture: QImage | None
    source: TextSource | None = None  # None: a picture, read or to be read


def _load_picture(case: CaseFile, evidence_id: int, pools: WorkerPools) -> QImage | None:
    """Worker thread: the original, decoded in an isolated process (the session's preview
    pool), as a JPEG up to PICTURE_SIDE pixels."""
    from app.core.pictures import PreviewStatus
    from app.core.records import iter_content

    data = b"".join(iter_content(case, evidence_id))
    result = pools.previews().submit(data, max_side=PICTURE_SIDE).result()
    if result.status is not PreviewStatus.OK or result.thumbnail is None:
        return None
    image = QImage.fromData(result.thumbnail, "JPEG")  # type: ignore[arg-type]
    return None if image.isNull() else image


class FoundInPicture(QWidget):
    """Lives inside the evidence details pane."""

    message_requested = Signal(int)  # a chat message's id: its conversation, at it

    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._evidence_id: int | None = None
        self._hidden = True
        self._loaded: _Loaded | None = None
        self._seq = 0
        self._text_opened_for: int | None = None  # a text file whose words were shown at once
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        self.heading = heading = QLabel(tr("Found in this picture"))
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.tip = QLabel()
        self.tip.setWordWrap(True)
        self.tip.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.tip)
        self.found = QListWidget()
        self.found.setAccessibleName(tr("Details found in this picture"))
        self.found.setWordWrap(True)
        self.found.currentItemChanged.connect(lambda *_: self._selection_changed())
        layout.addWidget(self.found)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(tr("Add to details"))
        self._add_tip = tr("Save this as a detail about the offender, linked to this picture")
        self.add_button.setToolTip(self._add_tip)
        self.add_button.clicked.connect(self._add)
        self.dismiss_button = QPushButton(tr("Not right, dismiss"))
        self.dismiss_button.clicked.connect(self._dismiss)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch()
        layout.addLayout(buttons)
        # A chat's detail: the message it was first seen in, in its conversation. On a line
        # of its own: beside the other two it widened the pane past a small screen's edge.
        self.message_button = QPushButton(tr("Show the message"))
        self.message_button.clicked.connect(self._show_message)
        layout.addWidget(self.message_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setAccessibleName(tr("The picture, with the found details marked"))
        layout.addWidget(self.picture)
        self.zoom = QLabel()
        self.zoom.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom.setAccessibleName(tr("The selected detail, enlarged"))
        layout.addWidget(self.zoom)
        self.show_text = QPushButton(tr("Show the text Safekeep read"))
        self.show_text.setCheckable(True)
        layout.addWidget(self.show_text, 0, Qt.AlignmentFlag.AlignLeft)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName(tr("The text Safekeep read in this picture"))
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(160)
        self.text.hide()
        self.show_text.toggled.connect(self.text.setVisible)
        layout.addWidget(self.text)
        controller.data_changed.connect(self._data_changed)
        self.clear()

    # -- loading -----------------------------------------------------------------------------

    def show_for(self, evidence_id: int, *, hidden: bool) -> None:
        if evidence_id != self._evidence_id:
            self.clear()
        self._evidence_id, self._hidden = evidence_id, hidden
        self._seq += 1
        seq, case = self._seq, self._controller.case
        if case is None:
            return
        # The same item shown again after a change: its picture has not changed, so it is
        # not decoded again (that takes a worker process and a fraction of a second).
        kept = self._loaded.picture if self._loaded is not None and not hidden else None
        pools = self._controller.pools

        def load(ctx: TaskContext) -> _Loaded:
            source = text_source(case, evidence_id)
            found = suggestions_for(case, evidence_id)
            if source.chat is not None or source.nothing_to_read:  # no picture, no reading
                return _Loaded(evidence_id, None, found, None, None, source)
            reading = reading_of(case, evidence_id)
            shown = [s for s in found if s.state is not SuggestionState.DISMISSED]
            picture = kept
            if picture is None and shown and not hidden and not ctx.cancelled():
                picture = _load_picture(case, evidence_id, pools)  # a PDF's: its first page
            if source.document:  # no screenshot to take again
                return _Loaded(evidence_id, reading, found, None, picture, source)
            tip = screenshot_tip(case, evidence_id)
            return _Loaded(evidence_id, reading, found, tip, picture)

        self._controller.run(load, on_result=lambda r: self._loaded_now(seq, r))

    def set_hidden(self, hidden: bool) -> None:
        """A sensitive item was shown or hidden again: show or drop its picture here too."""
        if self._evidence_id is not None and hidden != self._hidden:
            self.show_for(self._evidence_id, hidden=hidden)

    def _loaded_now(self, seq: int, loaded: _Loaded) -> None:
        if not isValid(self):
            return  # the window went (a test ending) while the worker read
        if seq != self._seq or loaded.evidence_id != self._evidence_id:
            return  # the person has moved on
        # The same item read again (a detail added or dismissed): its buttons stay where the
        # pointer is, whatever grows above them.
        kept = KeptInPlace(self.add_button) if self._loaded is not None \
            and self._loaded.evidence_id == loaded.evidence_id else None
        self._loaded = loaded
        reading, source = loaded.reading, loaded.source
        if source is not None and source.nothing_to_read:
            self.hide()  # a PDF, a video, a ZIP...: Safekeep reads no text in them
            return
        self.show()
        heading, named = heading_words(source)
        self.heading.setText(heading)
        self.found.setAccessibleName(named)
        self.text.setAccessibleName(tr("The text Safekeep read in this document")
                                    if source is not None and source.document
                                    else tr("The text Safekeep read in this picture"))
        if source is not None and source.document:
            said = document_words(reading, loaded.suggestions)
        elif source is not None:
            said = chat_words(source, loaded.suggestions)
        else:
            said = picture_words(reading, loaded.suggestions)
        self.status.setText(said)
        self.tip.setText(loaded.tip or "")
        self.tip.setVisible(bool(loaded.tip))
        selected = self._selected()
        # A detail dismissed (or added) by keyboard: the one that takes its place is chosen,
        # and the focus stays where the person was, so they can go on with the next.
        at, had_focus = self.found.currentRow(), QApplication.focusWidget()
        self.found.clear()
        for item in loaded.suggestions:
            if item.state is SuggestionState.DISMISSED:
                continue
            row = QListWidgetItem(sighting_words(item))
            row.setData(_ID_ROLE, item.id)
            self.found.addItem(row)
            if selected is not None and item.id == selected.id:
                self.found.setCurrentItem(row)
        if self.found.currentRow() < 0 <= at and self.found.count():
            self.found.setCurrentRow(min(at, self.found.count() - 1))
        self.found.setVisible(self.found.count() > 0)
        self._fit_list()
        self.add_button.setVisible(self.found.count() > 0)
        self.dismiss_button.setVisible(self.found.count() > 0)
        self.message_button.setVisible(any(s.message is not None for s in loaded.suggestions))
        text = reading.text if reading is not None else ""
        self.text.setPlainText(text)
        self.show_text.setVisible(bool(text))
        # A text file has no picture: its words are what there is to see (pasted text, kept
        # as a file, had shown only a "No preview" tile). Shown at once, once: hidden again
        # by the person, they stay hidden through a reload.
        if text and reading is not None and reading.engine.startswith(TEXT_READER) \
                and self._text_opened_for != loaded.evidence_id:
            self._text_opened_for = loaded.evidence_id
            self.show_text.setChecked(True)
        self._selection_changed()
        if kept is not None:
            kept.restore()
        if had_focus in (self.found, self.add_button, self.dismiss_button) \
                and QApplication.focusWidget() is not had_focus:
            target = had_focus if had_focus.isEnabled() and had_focus.isVisible() else self.found
            if target.isVisible():
                target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fit_list(self) -> None:
        """As tall as its rows, up to eight of them: no empty box under a short list. Each
        row as tall as it is: a long e-mail wraps in a narrow pane, and a list sized by its
        first row had cut the second in half (1024x768 at 125%)."""
        rows = min(self.found.count(), 8)
        tall = self.found.fontMetrics().height() + 2
        if rows:  # the rows as laid out (sizeHintForRow gives one line, wrapped or not)
            first = self.found.visualItemRect(self.found.item(0))
            last = self.found.visualItemRect(self.found.item(rows - 1))
            tall = max(tall, last.bottom() - first.top() + 1)
        self.found.setFixedHeight(tall + 2 * self.found.frameWidth() + 6)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # rows wrap anew
            self._fit_list()

    def clear(self) -> None:
        self._seq += 1
        self._evidence_id = None
        self._loaded = None
        self.found.clear()
        self.text.clear()
        self._no_picture()
        self.status.clear()
        self.tip.clear()
        self.show_text.setChecked(False)
        self.hide()

    def _data_changed(self, area: DataArea) -> None:
        # Identifier changes reach this panel through the evidence view, which reloads the
        # item (its linked details changed); only suggestion changes come here directly.
        if area is DataArea.SUGGESTIONS and self._evidence_id is not None:
            self.show_for(self._evidence_id, hidden=self._hidden)

    # -- words -------------------------------------------------------------------------------

    # -- choosing ----------------------------------------------------------------------------

    def _selected(self) -> Suggestion | None:
        row = self.found.currentItem()
        if row is None or self._loaded is None:
            return None
        wanted = row.data(_ID_ROLE)
        return next((s for s in self._loaded.suggestions if s.id == wanted), None)

    def _selection_changed(self) -> None:
        chosen = self._selected()
        self.add_button.setEnabled(chosen is not None and chosen.can_add)
        goes = where_it_goes(chosen.kind) if chosen is not None else None
        self.add_button.setToolTip(goes or self._add_tip)  # shown on the greyed button too
        self.dismiss_button.setEnabled(chosen is not None and not chosen.saved)
        self.message_button.setEnabled(chosen is not None and chosen.message is not None)
        self._draw(chosen)

    def _show_message(self) -> None:
        chosen = self._selected()
        if chosen is not None and chosen.message is not None:
            self.message_requested.emit(chosen.message.message_id)

    def _add(self) -> None:
        chosen, case = self._selected(), self._controller.case
        if chosen is not None and case is not None:
            self._controller.run(lambda ctx: add_suggestions(case, [chosen.id]),
                                 changes=DataArea.IDENTIFIERS,
                                 on_result=lambda r: self._controller.status.emit(r.message))

    def _dismiss(self) -> None:
        chosen, case = self._selected(), self._controller.case
        if chosen is not None and case is not None:
            self._controller.run(lambda ctx: dismiss_suggestions(case, [chosen.id]),
                                 changes=DataArea.SUGGESTIONS)

    # -- the picture -------------------------------------------------------------------------

    def _draw(self, chosen: Suggestion | None) -> None:
        loaded = self._loaded
        if loaded is None or loaded.picture is None or loaded.reading is None:
            self._no_picture()
            return
        page = loaded.reading.page
        image = loaded.picture.copy()
        if page is None or page.width < 1:
            return
        scale = image.width() / page.width
        painter = QPainter(image)
        for item in loaded.suggestions:
            if item.state is SuggestionState.DISMISSED:
                continue
            strong = chosen is not None and item.id == chosen.id
            for left, top, width, height in _on(item.boxes, image, scale):
                rect = QRect(int(left * scale) - 2, int(top * scale) - 2,
                             int(width * scale) + 4, int(height * scale) + 4)
                fill = QColor(_MARK)
                fill.setAlpha(110 if strong else 45)
                painter.fillRect(rect, fill)
                painter.setPen(QPen(_MARK.darker(160), 3 if strong else 1))
                painter.drawRect(rect)
        painter.end()
        side = max(160, self.width() - 8)
        self.picture.setPixmap(QPixmap.fromImage(image.scaledToWidth(
            min(side, image.width()), Qt.TransformationMode.SmoothTransformation)))
        self.picture.show()
        self.zoom.clear()
        marked = _on(chosen.boxes, image, scale) if chosen is not None else []
        self.zoom.setVisible(bool(marked))
        if marked:
            self.zoom.setPixmap(QPixmap.fromImage(self._zoomed(image, marked, scale, side)))

    def _no_picture(self) -> None:
        # Hidden, not just empty: two empty labels left a gap in a pane that is short on
        # a small screen.
        for label in (self.picture, self.zoom):
            label.clear()
            label.hide()

    @staticmethod
    def _zoomed(image: QImage, boxes: list[tuple[int, int, int, int]], scale: float,
                side: int) -> QImage:
        """The chosen detail with a little of its surroundings, as large as fits."""
        lefts = [b[0] for b in boxes]
        tops = [b[1] for b in boxes]
        rights = [b[0] + b[2] for b in boxes]
        bottoms = [b[1] + b[3] for b in boxes]
        height = (max(bottoms) - min(tops)) * scale
        margin = int(max(12.0, height * 1.5))
        rect = QRect(int(min(lefts) * scale) - margin, int(min(tops) * scale) - margin,
                     int((max(rights) - min(lefts)) * scale) + 2 * margin,
                     int(height) + 2 * margin).intersected(image.rect())
        part = image.copy(rect)
        return part.scaledToWidth(min(side, part.width() * 3),
                                  Qt.TransformationMode.SmoothTransformation)


def _on(boxes: tuple[tuple[int, int, int, int], ...], image: QImage,
        scale: float) -> list[tuple[int, int, int, int]]:
    """The boxes that fall on the picture: a PDF's picture is its first page, and a detail
    on a later page is listed, not marked."""
    return [box for box in boxes if box[1] * scale < image.height()]
