"""Drawing one message as a chat bubble: the person's own on the right, everyone else's on the
left, system lines small and quiet in the middle, a date line where the day changes.

Nothing here is a widget: one delegate paints every row, and a row's height is measured once
per width and kept (a conversation may hold 200,000 messages). The same `bubble_layout` places
the parts for painting and for clicks, so a click on an attachment's line is a click on what
is drawn there.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.core.records import Attachment, MessageRow
from app.i18n import tr
from app.text_safety import escape_hidden, visible_line
from app.ui.chats.message_model import (
    MESSAGE_ROLE,
    MINE_ROLE,
    NEW_DAY_ROLE,
    MessageListModel,
    day_of,
)
from app.ui.kit.view_text import day_as_written, time_as_written

ModelIndex = QModelIndex | QPersistentModelIndex

MARGIN = 8
PAD = 8
SHOWN_CHARS = 4000  # a longer message is shortened on screen; all of it stays in the case
_TALL = 10**6
_CACHE_LIMIT = 50_000
_LAYOUTS_KEPT = 500


def shown_text(text: str) -> str:
    """The text as shown: hidden characters as visible escapes (line breaks kept), and a very
    long text cut, saying so."""
    if len(text) > SHOWN_CHARS:
        text = text[:SHOWN_CHARS] + " … " + tr("(shortened here; the whole message is in "
                                               "the case and in the export)")
    # Left-to-right and right-to-left marks stay as they are: WhatsApp writes them around
    # its own words ("\u200eThis message was deleted."), and they cannot reorder the text
    # as an override (U+202E) can, which is shown as an escape like every other hidden one.
    return escape_hidden(text, keep="\n\u200e\u200f")


_BREAK = "\u200b"  # zero width space: a place a line may break, drawn as nothing
_LONG_RUN = 20  # a run of letters this long may not fit a bubble's line


def drawn_text(text: str) -> str:
    """`shown_text`, with places to break inside very long words (`breakable`)."""
    return breakable(shown_text(text))


def breakable(text: str) -> str:
    """Places to break inside very long words. Qt's word wrap never breaks a word, and a long
    link or a run of characters with no space was cut off at the bubble's edge: the rest of a
    URL the offender sent could not be read. Never before a combining mark or inside an emoji
    sequence, so letters and emoji stay whole."""
    def broken(run: re.Match[str]) -> str:
        word, out = run.group(), []
        for i, char in enumerate(word):
            if i and _may_break_before(word[i - 1], char):
                out.append(_BREAK)
            out.append(char)
        return "".join(out)

    return re.sub(rf"[^\s{_BREAK}]{{{_LONG_RUN},}}", broken, text)


def _may_break_before(previous: str, char: str) -> bool:
    joiners = ("\u200d", "\ufe0e", "\ufe0f")
    flags = ("\U0001f1e6" <= previous <= "\U0001f1ff") and ("\U0001f1e6" <= char <= "\U0001f1ff")
    return not (unicodedata.category(char).startswith("M") or char in joiners or flags
                or previous == "\u200d" or "\U0001f3fb" <= char <= "\U0001f3ff")


def attachment_words(attachment: Attachment) -> str:
    name = visible_line(attachment.path.rsplit("/", 1)[-1])
    if attachment.evidence_id is None:
        return tr("Attached: {name} (not in the export)").format(name=name)
    return tr("Attached: {name} · open evidence #{id}").format(name=name,
                                                               id=attachment.evidence_id)


def flag_lines(message: MessageRow) -> list[str]:
    lines = []
    if message.is_deleted:
        lines.append(tr("Deleted message"))
    if message.media_omitted:
        lines.append(tr("A picture or video was here; the export left it out"))
    # A link whose whole address the words already show (Instagram writes a shared link as
    # both) is not said twice; one behind other words ("here", "paypal.me/x") is.
    lines += [tr("Link in the export: {url}").format(url=visible_line(url))
              for url in message.links if url not in message.text]
    return [breakable(line) for line in lines]  # a long link is read whole


@dataclass
class BubbleLayout:
    height: int
    bubble: QRect
    day: QRect | None = None
    sender: QRect | None = None
    text: QRect | None = None
    flags: list[QRect] = field(default_factory=list)
    attachments: list[tuple[QRect, Attachment]] = field(default_factory=list)
    time: QRect | None = None


@dataclass(frozen=True)
class Fonts:
    base: QFont
    small: QFont
    bold: QFont
    quiet: QFont

    @classmethod
    def from_font(cls, font: QFont) -> "Fonts":
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() * 0.88, 7.0))
        bold = QFont(font)
        bold.setBold(True)
        quiet = QFont(small)
        quiet.setItalic(True)
        return cls(font, small, bold, quiet)


def bubble_layout(width: int, message: MessageRow, new_day: bool, mine: bool,
                  fonts: Fonts) -> BubbleLayout:
    """Where each part of one row goes, in a row `width` wide starting at (0, 0)."""
    base, small = QFontMetrics(fonts.base), QFontMetrics(fonts.small)
    bold = QFontMetrics(fonts.bold)
    y = 0
    day: QRect | None = None
    if new_day:
        day = QRect(0, 4, width, small.height() + 4)
        y = day.bottom() + 6
    wrap = int(Qt.TextFlag.TextWordWrap)
    if message.is_system:
        inner = max(120, min(width - 6 * MARGIN, 640))
        words = f"{time_as_written(message.sent_at)}  {drawn_text(message.text)}"
        box = QFontMetrics(fonts.quiet).boundingRect(
            QRect(0, 0, inner, _TALL), wrap | int(Qt.AlignmentFlag.AlignHCenter), words)
        centred = QRect((width - inner) // 2, y + 4, inner, box.height())
        bubble = centred.adjusted(-PAD, -4, PAD, 4)
        return BubbleLayout(bubble.bottom() + MARGIN, bubble, day, text=centred)
    most = max(160, min(int(width * 0.74), 640))
    inner = most - 2 * PAD
    top = y + PAD
    parts_width = 0
    sender: QRect | None = None
    if message.sender is not None:
        # A few pixels to spare: the advance is fractional, and a name exactly as wide as
        # its box would be elided when drawn.
        w = min(bold.horizontalAdvance(visible_line(message.sender)) + 4, inner)
        sender = QRect(0, top, w, bold.height())
        top = sender.bottom() + 3
        parts_width = max(parts_width, w)
    text: QRect | None = None
    if message.text:
        box = base.boundingRect(QRect(0, 0, inner, _TALL), wrap, drawn_text(message.text))
        text = QRect(0, top, min(box.width(), inner), box.height())
        top = text.bottom() + 3
        parts_width = max(parts_width, text.width())
    flags = []
    for line in flag_lines(message):
        box = QFontMetrics(fonts.quiet).boundingRect(QRect(0, 0, inner, _TALL), wrap, line)
        flags.append(QRect(0, top, min(box.width(), inner), box.height()))
        top = flags[-1].bottom() + 3
        parts_width = max(parts_width, flags[-1].width())
    attachments = []
    for attachment in message.attachments:
        w = min(small.horizontalAdvance(attachment_words(attachment)) + 8, inner)
        attachments.append((QRect(0, top, w, small.height() + 4), attachment))
        top += small.height() + 6
        parts_width = max(parts_width, w)
    stamp_width = small.horizontalAdvance(time_as_written(message.sent_at))
    parts_width = max(parts_width, stamp_width, 60)
    stamp = QRect(parts_width - stamp_width, top, stamp_width, small.height())
    left = width - MARGIN - parts_width - 2 * PAD if mine else MARGIN
    offset_x = left + PAD

    def moved(rect: QRect) -> QRect:
        return rect.translated(offset_x, 0)

    bubble = QRect(left, y + 2, parts_width + 2 * PAD, stamp.bottom() + PAD - y)
    return BubbleLayout(
        bubble.bottom() + MARGIN, bubble, day,
        moved(sender) if sender else None, moved(text) if text else None,
        [moved(r) for r in flags], [(moved(r), a) for r, a in attachments], moved(stamp))


class BubbleDelegate(QStyledItemDelegate):
    attachment_clicked = Signal(int)  # the evidence item of an attachment clicked

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        # Heights as plain ints: the garbage collector walks every QSize wrapper kept, and a
        # long scroll keeps tens of thousands.
        self._sizes: dict[tuple[int, int, bool], int] = {}
        # Where the parts of the rows lately shown go: scrolling paints the same few rows
        # many times over, and wrapping their text again each time was most of a frame.
        self._layouts: dict[tuple[int, int, bool, bool], BubbleLayout] = {}
        self._fonts_for: tuple[str, Fonts] | None = None

    def _width(self) -> int:
        return max(self._view.viewport().width() - 2, 240)

    def _fonts(self) -> Fonts:
        font = self._view.font()
        key = font.key()
        if self._fonts_for is None or self._fonts_for[0] != key:
            self._fonts_for = (key, Fonts.from_font(font))
            self.forget_sizes()  # measured in the old font
        return self._fonts_for[1]

    def forget_sizes(self) -> None:
        self._sizes.clear()
        self._layouts.clear()

    @staticmethod
    def _row(index: ModelIndex) -> tuple[MessageRow | None, bool, bool]:
        """(message, starts a day, mine): straight from the model, not through QVariant roles
        (a sixth of the time of a layout, which asks for every row held)."""
        model = index.model()
        if isinstance(model, MessageListModel):
            row = index.row()
            message = model.message_at(row)
            return (message, model.starts_day(row),
                    message is not None and message.sender is not None
                    and message.sender == model.me)
        return (index.data(MESSAGE_ROLE), bool(index.data(NEW_DAY_ROLE)),
                bool(index.data(MINE_ROLE)))

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        # Called for every row held at each layout: kept per message and width.
        message, new_day, _mine = self._row(index)
        if message is None:
            return QSize(self._width(), 24)
        width = self._width()
        key = (message.id, width, new_day)
        height = self._sizes.get(key)
        if height is None:
            if len(self._sizes) > _CACHE_LIMIT:  # the oldest goes: a clear at once stalled
                del self._sizes[next(iter(self._sizes))]
            # The side does not change the height, so it is measured on the left.
            height = self._sizes[key] = self._layout(width, message, new_day, False).height
        return QSize(width, height)

    def measure(self, messages: list[MessageRow], before: MessageRow | None) -> None:
        """Measure rows before they are shown (`before`: the message just above the first),
        so the view's layout finds their heights kept."""
        width = self._width()
        for message in messages:
            new_day = before is None or day_of(before) != day_of(message)
            key = (message.id, width, new_day)
            if key not in self._sizes:
                height = bubble_layout(width, message, new_day, False, self._fonts()).height
                self._sizes[key] = height
            before = message

    def _layout(self, width: int, message: MessageRow, new_day: bool,
                mine: bool) -> BubbleLayout:
        key = (message.id, width, new_day, mine)
        found = self._layouts.get(key)
        if found is None:
            if len(self._layouts) > _LAYOUTS_KEPT:
                del self._layouts[next(iter(self._layouts))]
            found = self._layouts[key] = bubble_layout(width, message, new_day, mine,
                                                       self._fonts())
        return found

    def layout_at(self, rect: QRect, index: ModelIndex) -> BubbleLayout | None:
        message, new_day, mine = self._row(index)
        if message is None:
            return None
        found = self._layout(rect.width(), message, new_day, mine)
        return _translated(found, rect.left(), rect.top())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        message, _new_day, mine = self._row(index)
        found = self.layout_at(QRect(option.rect), index)
        if found is None or message is None:
            return
        palette: QPalette = option.palette
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        fonts = self._fonts()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        quiet = palette.color(QPalette.ColorRole.PlaceholderText)
        if found.day is not None:
            painter.setFont(fonts.small)
            painter.setPen(quiet)
            painter.drawText(found.day, int(Qt.AlignmentFlag.AlignCenter),
                             day_as_written(message.sent_at))
        light = palette.color(QPalette.ColorRole.Base).lightness() > 128
        if message.is_system:
            fill = QColor(Qt.GlobalColor.transparent)
        elif mine:
            fill = QColor("#d9f2e1") if light else QColor("#234a33")
        else:
            fill = QColor("#eceff3") if light else QColor("#30353b")
        edge = palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(edge, 2) if selected else Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(found.bubble, 8, 8)
        text_colour = palette.color(QPalette.ColorRole.Text)
        wrap = int(Qt.TextFlag.TextWordWrap)
        if message.is_system and found.text is not None:
            painter.setFont(fonts.quiet)
            painter.setPen(text_colour if selected else quiet)
            painter.drawText(found.text, wrap | int(Qt.AlignmentFlag.AlignHCenter),
                             f"{time_as_written(message.sent_at)}  {drawn_text(message.text)}")
            painter.restore()
            return
        if found.sender is not None and message.sender is not None:
            painter.setFont(fonts.bold)
            painter.setPen(text_colour)
            painter.drawText(found.sender, 0, QFontMetrics(fonts.bold).elidedText(
                visible_line(message.sender), Qt.TextElideMode.ElideRight, found.sender.width()))
        if found.text is not None:
            painter.setFont(fonts.base)
            painter.setPen(text_colour)
            painter.drawText(found.text, wrap, drawn_text(message.text))
        painter.setFont(fonts.quiet)
        painter.setPen(quiet if not selected else text_colour)
        for line, words in zip(found.flags, flag_lines(message), strict=True):
            painter.drawText(line, wrap, words)
        link = QFont(fonts.small)
        link.setUnderline(True)
        painter.setFont(link)
        for place, attachment in found.attachments:
            stored = attachment.evidence_id is not None
            painter.setPen(palette.color(QPalette.ColorRole.Link) if stored else quiet)
            painter.drawText(place.adjusted(2, 2, 0, 0), 0, QFontMetrics(link).elidedText(
                attachment_words(attachment), Qt.TextElideMode.ElideMiddle, place.width() - 2))
        if found.time is not None:
            painter.setFont(fonts.small)
            painter.setPen(quiet)
            painter.drawText(found.time, int(Qt.AlignmentFlag.AlignRight),
                             time_as_written(message.sent_at))
        painter.restore()

    def editorEvent(self, event: QEvent, model: object, option: QStyleOptionViewItem,
                    index: ModelIndex) -> bool:
        if (event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent)
                and event.button() == Qt.MouseButton.LeftButton):
            found = self.layout_at(QRect(option.rect), index)
            point = event.position().toPoint()
            for place, attachment in found.attachments if found else []:
                if attachment.evidence_id is not None and place.contains(point):
                    self.attachment_clicked.emit(attachment.evidence_id)
                    return True
        return False


def _translated(found: BubbleLayout, dx: int, dy: int) -> BubbleLayout:
    def move(rect: QRect | None) -> QRect | None:
        return rect.translated(dx, dy) if rect is not None else None

    return BubbleLayout(
        found.height, found.bubble.translated(dx, dy), move(found.day), move(found.sender),
        move(found.text), [r.translated(dx, dy) for r in found.flags],
        [(r.translated(dx, dy), a) for r, a in found.attachments], move(found.time))
