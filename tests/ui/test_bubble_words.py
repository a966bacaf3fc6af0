"""A long link or a long run of characters in a chat message is shown whole: Qt's word wrap
never breaks a word, and the rest of a URL the offender sent was cut off at the bubble's edge
(also the "Link in the export" lines)."""

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from app.core.records import MessageRow
from app.ui.chats.bubble_delegate import PAD, Fonts, breakable, bubble_layout, drawn_text

URL = ("https://www.facebook.com/profile.php?id=100089456123789&mibextid=ZbWKwL"
       "&ref=share_from_a_stranger_who_asked_for_money_END")


def _message(text: str, links: list[str] | None = None) -> MessageRow:
    return MessageRow(1, 1, "Jess", "WhatsApp", 0, "Jess", "2025-03-13T22:41", "minute",
                      text, 1, [], links or [], False, False, False)


def _lines_needed(text: str, width: int, fonts: Fonts) -> int:
    """How tall the text is when every character is laid out inside `width`."""
    metrics = QFontMetrics(fonts.base)
    return metrics.boundingRect(QRect(0, 0, width, 10**6),
                                int(Qt.TextFlag.TextWrapAnywhere), text).height()


def test_a_long_link_is_laid_out_whole_inside_the_bubble(qapp: QApplication) -> None:
    fonts = Fonts.from_font(qapp.font())
    for width in (360, 600, 900):
        layout = bubble_layout(width, _message(f"pay here {URL} now"), False, False, fonts)
        assert layout.text is not None
        inner = layout.bubble.width() - 2 * PAD
        drawn = QFontMetrics(fonts.base).boundingRect(
            QRect(0, 0, layout.text.width(), 10**6), int(Qt.TextFlag.TextWordWrap),
            drawn_text(f"pay here {URL} now"))
        assert drawn.width() <= inner, width  # nothing past the bubble's edge
        assert layout.text.height() >= _lines_needed(f"pay here {URL} now", inner, fonts)

    layout = bubble_layout(360, _message("see the link", [URL]), False, False, fonts)
    (line,) = layout.flags
    assert line.height() >= 2 * QFontMetrics(fonts.quiet).height()  # wrapped, not cut


def test_breaking_keeps_words_letters_and_emoji_whole() -> None:
    assert breakable("a short message with ordinary words") == (
        "a short message with ordinary words")
    long = "x" * 30
    assert breakable(long).replace("\u200b", "") == long
    accented = "e\u0301" * 25  # é written as e and a combining accent
    assert "\u200b\u0301" not in breakable(accented)
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467" * 8  # joined emoji
    assert "\u200d\u200b" not in breakable(family) and "\u200b\u200d" not in breakable(family)
    flag = "\U0001f1ec\U0001f1e7" * 12  # regional indicator pairs: the UK flag
    assert all(part.startswith("\U0001f1ec")
               for part in breakable(flag).split("\u200b"))


def test_a_link_the_words_show_whole_is_not_said_twice() -> None:
    # Instagram writes a shared link both as words and as the link: it had been said twice.
    from app.ui.chats.bubble_delegate import flag_lines

    shown = _message(f"pay here {URL}", [URL])
    assert flag_lines(shown) == []
    hidden = _message("pay here", [URL])  # behind words ("here"): said
    assert [line.replace("\u200b", "") for line in flag_lines(hidden)] == [
        f"Link in the export: {URL}"]
    short = _message("paypal.me/annasm", ["https://paypal.me/annasm"])
    assert len(flag_lines(short)) == 1  # the words show less than the address
