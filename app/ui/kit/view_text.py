"""Small text helpers shared by the views: times, sizes, fonts. No case data is kept here."""

from datetime import date, datetime

from PySide6.QtGui import QFont, QFontDatabase

from app.i18n import tr_n


def local_time(value: datetime | None) -> str:
    """An aware UTC time as the person's local time, e.g. "3 May 2024, 21:14"."""
    if value is None:
        return ""
    local = value.astimezone()
    return f"{local.day} {local.strftime('%b %Y, %H:%M')}"


def day_text(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%b %Y')}"


def human_size(size: int) -> str:
    if size < 1024:
        return tr_n("%n byte", "%n bytes", size)
    amount = float(size)
    for unit in ("KB", "MB", "GB"):
        amount /= 1024
        if amount < 1024 or unit == "GB":
            return f"{amount:.1f} {unit}"
    return f"{amount:.1f} GB"  # pragma: no cover - the loop always returns


def monospace_font() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


