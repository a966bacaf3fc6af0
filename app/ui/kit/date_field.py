"""One way to type a date, or a date and time, used by every form and table that takes one.

A plain line: a person types `14/03/2025 22:30`, `14 March 2025, 10:30pm`, `today`...
(`app.core.records.when_text` reads it). A calendar button inside the line, or Alt+Down or F4,
opens a calendar to pick a day. Tab leaves the field as it leaves any text box: there are no
day/month/year sections to walk, so text meant for the next field cannot land in the year.

In a form, `DateField` says below the line what was understood ("Read as: Friday 14 March
2025, 22:30"), asks gently about a date in the future or long ago, and, once the person moves
on or tries to save, says calmly what it could not read. Nothing is saved until it reads.
With `month_ok` (a payment's date), a month alone ("March 2025", "03/2025") is read too, as a
`MonthOnly`: people often remember only the month they paid.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPalette, QResizeEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.records import MonthOnly, When, describe, edit_text, hint_for, read_month, read_when
from app.errors import InvalidInput
from app.i18n import tr
from app.ui.kit.icons import icon

DateValue = date | datetime


@dataclass(frozen=True)
class Reading:
    """What the field's text says now: the value, or why it cannot be saved yet."""

    when: When | None
    problem: str = ""  # non-empty: nothing may be saved from this text
    hint: str = ""  # a gentle question; saving is still allowed
    understood: str = ""  # "Friday 14 March 2025, 22:30"


class CalendarPopup(QCalendarWidget):
    """A month to pick a day from; Enter or a click picks it, Escape closes it."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Popup)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setAccessibleName(tr("Pick a day"))
        plain = QTextCharFormat()  # Qt paints weekends red; no alarm colours here
        plain.setForeground(self.palette().color(QPalette.ColorRole.Text))
        for weekend in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.setWeekdayTextFormat(weekend, plain)
        self.clicked.connect(self._pick)
        self.activated.connect(self._pick)

    def _pick(self, day: QDate) -> None:
        self.picked.emit(day)
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class DateLineEdit(QLineEdit):
    """A line for a date (`with_time=False`: a `date`) or a date and time (a naive local
    `datetime`, to the minute unless seconds were typed). `optional` allows it empty."""

    reading_changed = Signal()
    picked = Signal()  # a day was chosen from the calendar: a change the person made

    def __init__(self, parent: QWidget | None = None, *, with_time: bool, optional: bool,
                 missing_time: str = "", month_ok: bool = False) -> None:
        super().__init__(parent)
        self._with_time, self._optional = with_time, optional
        self._month_ok = month_ok and not with_time
        self._missing_time = missing_time or tr("Add the time too, like 14/03/2025 22:30.")
        self._loaded: tuple[str, DateValue] | None = None  # text shown for a stored value
        self._show_problems = False
        self.popup: CalendarPopup | None = None
        self.calendar_action = self.addAction(icon("calendar"),
                                              QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.setText(tr("Pick a day from a calendar"))
        self.calendar_action.setToolTip(tr("Pick a day from a calendar (Alt+Down)"))
        self.calendar_action.triggered.connect(self.open_calendar)
        self.setPlaceholderText(tr("like 14/03/2025 22:30") if with_time
                                else tr("like 14/03/2025, or March 2025") if self._month_ok
                                else tr("like 14/03/2025 or today"))
        self.setAccessibleDescription(
            tr("Type the day first, then the month, like 14/03/2025 22:30.") if with_time
            else tr("Type the day first, then the month, like 14/03/2025."))
        self.textChanged.connect(self._text_changed)
        self.textEdited.connect(self._typing)

    @property
    def with_time(self) -> bool:
        return self._with_time

    # ----- reading ------------------------------------------------------------------------

    def reading(self) -> Reading:
        text = self.text()
        if not text.strip():
            required = tr("Type when it happened, like 14/03/2025 22:30.") if self._with_time \
                else tr("Type the date, like 14/03/2025.")
            return Reading(None, "" if self._optional else required)
        try:
            month = read_month(text) if self._month_ok else None
            if month is not None:
                return Reading(When(month), "", hint_for(When(month), now=datetime.now(),
                                                         with_time=False),
                               tr("{month} (the day is not known)").format(month=month.words()))
            when = read_when(text, today=date.today(), with_time=self._with_time)
        except InvalidInput as exc:
            return Reading(None, exc.message)
        understood = describe(when, with_time=self._with_time)
        if when.about:
            understood += " " + tr("(about then)")
        problem = ""
        if self._with_time and when.clock is None:
            problem = self._missing_time
        elif not self._with_time and when.clock is not None:
            understood += " " + tr("(only the day is kept)")
        hint = hint_for(when, now=datetime.now(), with_time=self._with_time)
        return Reading(when, problem, hint, understood)

    def value(self) -> DateValue | None:
        """What to save. Raises InvalidInput (a calm sentence) when the text does not read;
        an optional empty field gives None. A stored value shown unchanged comes back exactly
        as it was stored, so saving a form never rounds a time it did not touch."""
        if self._loaded is not None and self.text() == self._loaded[0]:
            return self._loaded[1]
        reading = self.reading()
        if reading.problem:
            raise InvalidInput(reading.problem)
        if reading.when is None:
            return None
        return reading.when.at() if self._with_time else reading.when.day

    def set_value(self, value: DateValue | None) -> None:
        """Show a stored value as a person would type it: "14/03/2025 22:30"."""
        if value is None:
            self._loaded, text = None, ""
        elif isinstance(value, MonthOnly):
            text = value.words()  # "March 2025": it reads back as the same month
            self._loaded = (text, value)
        elif isinstance(value, datetime):
            local = value.astimezone().replace(tzinfo=None) if value.tzinfo else value
            text = edit_text(local.date(), time(local.hour, local.minute, local.second))
            self._loaded = (text, value)
        else:
            text = edit_text(value)
            self._loaded = (text, value)
        self._show_problems = False
        self.setText(text)

    def check(self) -> bool:
        """True when the text can be saved; otherwise the problem is shown from now on."""
        self._show_problems = True
        self.reading_changed.emit()
        return not self.reading().problem

    def showing_problems(self) -> bool:
        return self._show_problems

    def _text_changed(self) -> None:
        self.reading_changed.emit()

    def _typing(self) -> None:
        self._show_problems = False  # while typing, say only what reads; problems on leaving

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason and self.text().strip():
            self._show_problems = True
            self.reading_changed.emit()

    # ----- the calendar -------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = (event.key() == Qt.Key.Key_Down
                    and event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.open_calendar()
            return
        super().keyPressEvent(event)

    def open_calendar(self) -> None:
        reading = self.reading()
        start = reading.when.day if reading.when is not None else date.today()
        popup = CalendarPopup(self)
        popup.setSelectedDate(QDate(start.year, start.month, start.day))
        popup.picked.connect(self._picked)
        popup.adjustSize()
        below = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen().availableGeometry()
        x = max(screen.left(), min(below.x(), screen.right() - popup.width()))
        y = below.y() if below.y() + popup.height() <= screen.bottom() \
            else self.mapToGlobal(QPoint(0, 0)).y() - popup.height()
        popup.move(x, max(screen.top(), y))
        self.popup = popup
        popup.destroyed.connect(self._popup_gone)
        popup.show()
        popup.setFocus(Qt.FocusReason.PopupFocusReason)

    def _popup_gone(self) -> None:
        self.popup = None

    def _picked(self, qday: QDate) -> None:
        day = date(qday.year(), qday.month(), qday.day())
        reading = self.reading()
        clock = reading.when.clock if reading.when is not None and self._with_time else None
        self.setText(edit_text(day, clock))
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        if self._with_time and clock is None:
            self.end(False)
            self.insert(" ")  # the cursor waits for the time
        self.picked.emit()


class DateField(QWidget):
    """A `DateLineEdit` with, below it, what was understood, a gentle hint, or a problem."""

    def __init__(self, parent: QWidget | None = None, *, with_time: bool, optional: bool,
                 missing_time: str = "", month_ok: bool = False) -> None:
        super().__init__(parent)
        self.edit = DateLineEdit(self, with_time=with_time, optional=optional,
                                 missing_time=missing_time, month_ok=month_ok)
        self.feedback = QLabel(self)
        self.feedback.setWordWrap(True)
        self.feedback.setTextFormat(Qt.TextFormat.PlainText)
        self.feedback.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.feedback)
        self.setFocusProxy(self.edit)
        self.edit.reading_changed.connect(self._show_reading)

    def feedback_text(self) -> str:
        reading = self.edit.reading()
        lines = []
        if reading.understood:
            lines.append(tr("Read as: {when}").format(when=reading.understood))
        if reading.problem and (self.edit.showing_problems() or reading.when is not None):
            lines.append(reading.problem)
        if reading.hint:
            lines.append(reading.hint)
        return "\n".join(lines)

    def _show_reading(self) -> None:
        text = self.feedback_text()
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))
        self._feedback_whole()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._feedback_whole()

    def _feedback_whole(self) -> None:
        """The words below the line as tall as they wrap to at the width they have: a form's
        grid worked their height out at a slightly other width, and a line that wrapped once
        more there ("Read as: Wednesday 12 January 2028") was cut at its foot."""
        width = self.width()
        needed = self.feedback.heightForWidth(width) if self.feedback.text() and width > 0 else 0
        if needed != self.feedback.minimumHeight():
            self.feedback.setMinimumHeight(max(needed, 0))
