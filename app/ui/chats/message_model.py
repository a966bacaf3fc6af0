"""The messages of one conversation, as a list model that holds only what has been read.

A conversation may hold 200,000 messages. The model keeps a window of them, positions
`first` to `first + rowCount()` of the export's order, and reads more a page at a time, in
the worker, as the view scrolls: further on through Qt's own `canFetchMore`/`fetchMore`, and
back towards the start through `fetch_before` (opening a conversation at a search hit starts
the window in the middle). The window holds at most `MAX_ROWS`: a page read at one end lets
a page go at the other, so memory and the view's layout work stay the same however far the
person scrolls. That work is the one thing here that grows with the rows held: QListView
lays out every row again (a size hint each) whenever rows come or go, so 12,000 rows held
stalled the window for 0.3 s per page, and 1,500 up to 98 ms on a busy machine; 600 is
still pages of messages above and below any screen (benchmarks/bench_chat_view.py).
`window_moving`/`window_moved` frame the rows coming and going for one page, so the view
holds its place once per page, with one layout, not once per insert and once per removal;
`prepare` lets the view measure a page's bubbles a few at a time before its rows go in.
The reading itself is a function the view gives (`PageLoader`), so the model knows nothing
of the case file.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.core.records import MessageRow
from app.i18n import tr

PAGE = 150
MAX_ROWS = 4 * PAGE
MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 1  # the MessageRow
NEW_DAY_ROLE = Qt.ItemDataRole.UserRole + 2  # True: a date line goes above this message
MINE_ROLE = Qt.ItemDataRole.UserRole + 3  # True: sent by the person (shown on the right)

ModelIndex = QModelIndex | QPersistentModelIndex
# (conversation id, first position, how many, called back on the GUI thread with the rows)
PageLoader = Callable[[int, int, int, Callable[[list[MessageRow]], None]], None]
# (rows come, the message just before them or None, called back when they may go in)
PagePreparer = Callable[[list[MessageRow], MessageRow | None, Callable[[], None]], None]


def _ready_now(rows: list[MessageRow], before: MessageRow | None,
               ready: Callable[[], None]) -> None:
    ready()


def day_of(message: MessageRow) -> str:
    return message.sent_at[:10]  # the date as written, YYYY-MM-DD


@dataclass
class _Wanted:
    generation: int
    before: bool


class MessageListModel(QAbstractListModel):
    opened = Signal(int)  # the row of the message asked for when the first page came
    window_moving = Signal()  # a page is about to come in (and one, maybe, to go)
    window_moved = Signal()  # ...and it has: rows were added, and removed at the far end

    def __init__(self, load: PageLoader, parent: Any = None) -> None:
        super().__init__(parent)
        self._load = load
        self._rows: list[MessageRow] = []
        self._conversation: int | None = None
        self._total = 0
        self.first = 0  # the position of row 0 in the conversation
        self._loading: _Wanted | None = None
        self._generation = 0  # bumped on every open and clear: late pages are dropped
        self.me: str | None = None  # the sender shown on the right
        # Called with each page before its rows go in: the view measures their bubbles a few
        # at a time there, so the layout that follows has nothing new to measure.
        self.prepare: PagePreparer = _ready_now

    # ----- what the view reads --------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        message = self._rows[index.row()]
        if role == MESSAGE_ROLE:
            return message
        if role == NEW_DAY_ROLE:
            return self.starts_day(index.row())
        if role == MINE_ROLE:
            return message.sender is not None and message.sender == self.me
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return spoken(message)
        return None

    def starts_day(self, row: int) -> bool:
        if row == 0:
            return True  # the first shown always says its date
        return day_of(self._rows[row - 1]) != day_of(self._rows[row])

    def message_at(self, row: int) -> MessageRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def conversation(self) -> int | None:
        return self._conversation

    @property
    def total(self) -> int:
        return self._total

    def is_loading(self) -> bool:
        return self._loading is not None

    # ----- opening and reading further ------------------------------------------------------

    def open(self, conversation: int, total: int, at_position: int = 0) -> None:
        """Show one conversation from `at_position` (a little before it, so it has context);
        `opened(row)` says where that message landed once the first page is in."""
        self.beginResetModel()
        self._generation += 1
        self._rows = []
        self._conversation = conversation
        self._total = total
        at_position = max(0, min(at_position, max(total - 1, 0)))
        self.first = max(0, at_position - PAGE // 3)
        self._loading = None
        self.endResetModel()
        self._request(self.first, PAGE, before=False,
                      then=lambda: self.opened.emit(at_position - self.first))

    def clear(self) -> None:
        self.beginResetModel()
        self._generation += 1
        self._rows = []
        self._conversation = None
        self._total = 0
        self.first = 0
        self._loading = None
        self.me = None
        self.endResetModel()

    def canFetchMore(self, parent: ModelIndex) -> bool:
        return (not parent.isValid() and self._conversation is not None
                and self._loading is None and self.first + len(self._rows) < self._total)

    def fetchMore(self, parent: ModelIndex) -> None:
        if self.canFetchMore(parent):
            self._request(self.first + len(self._rows), PAGE, before=False)

    def can_fetch_before(self) -> bool:
        return self._conversation is not None and self._loading is None and self.first > 0

    def fetch_before(self) -> None:
        if self.can_fetch_before():
            start = max(0, self.first - PAGE)
            self._request(start, self.first - start, before=True)

    def _request(self, start: int, count: int, *, before: bool,
                 then: Callable[[], None] | None = None) -> None:
        conversation = self._conversation
        if conversation is None:
            return
        wanted = _Wanted(self._generation, before)
        self._loading = wanted

        def arrived(rows: list[MessageRow]) -> None:
            if wanted.generation != self._generation:
                return  # another conversation was opened, or the case locked, meanwhile

            def ready() -> None:
                if wanted.generation != self._generation:
                    return
                self._loading = None
                if rows:
                    self._add(rows, before=before)
                if then is not None:
                    then()

            self.prepare(rows, None if before or not self._rows else self._rows[-1], ready)

        self._load(conversation, start, count, arrived)

    def _add(self, rows: list[MessageRow], *, before: bool) -> None:
        self.window_moving.emit()
        if before:
            self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
            self._rows[:0] = rows
            self.first -= len(rows)
            self.endInsertRows()
            extra = len(self._rows) - MAX_ROWS
            if extra > 0:  # the far end goes: it is read again if the person goes back
                self.beginRemoveRows(QModelIndex(), len(self._rows) - extra, len(self._rows) - 1)
                del self._rows[-extra:]
                self.endRemoveRows()
        else:
            at = len(self._rows)
            self.beginInsertRows(QModelIndex(), at, at + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
            extra = len(self._rows) - MAX_ROWS
            if extra > 0:
                self.beginRemoveRows(QModelIndex(), 0, extra - 1)
                del self._rows[:extra]
                self.first += extra
                self.endRemoveRows()
        self.window_moved.emit()

    def load_failed(self) -> None:
        """The page could not be read (the message is shown by the view): allow a retry."""
        self._loading = None

    # ----- whose messages go on the right ---------------------------------------------------

    def set_me(self, sender: str | None) -> None:
        self.me = sender
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1), [MINE_ROLE])

    def row_of_position(self, position: int) -> int | None:
        row = position - self.first
        return row if 0 <= row < len(self._rows) else None


def spoken(message: MessageRow) -> str:
    """The message in words, for screen readers and the accessible name of its row."""
    text = " ".join(message.text.split())
    if message.is_system:
        return tr("{when}: {text}").format(when=message.sent_at, text=text)
    parts = [tr("{sender}, {when}:").format(sender=message.sender, when=message.sent_at), text]
    if message.is_deleted:
        parts.append(tr("(deleted)"))
    if message.media_omitted:
        parts.append(tr("(a picture or video left out of the export)"))
    parts += [tr("attachment {name}").format(name=a.path) for a in message.attachments]
    return " ".join(p for p in parts if p)
