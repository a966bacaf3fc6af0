"""Getting evidence in: what each route hands the worker, and the calm summary afterwards.

The routes (file dialog, folder, drag and drop, paste, screen capture) all end in
`app.core.intake.ingest`, in the worker thread. What happens on the GUI thread is only reading what
the person gave (paths, clipboard data, a grabbed screen) and turning it into plain values.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QUrl
from PySide6.QtGui import QImage

from app.core.intake import READ_BESIDE, ChatReading, ImportOutcome
from app.errors import SafekeepError
from app.i18n import tr, tr_n
from app.models import EMAIL_PLATFORM
from app.models.base import file_name_in

# Raw clipboard formats kept byte for byte, in order of preference: when a program put an
# encoded image on the clipboard we store exactly those bytes rather than re-encoding.
_RAW_IMAGE_FORMATS = (("image/png", "png"), ("image/jpeg", "jpg"), ("image/gif", "gif"),
                      ("image/bmp", "bmp"), ("image/webp", "webp"))


@dataclass(frozen=True)
class ClipboardItem:
    """What a paste or a drop gives to keep: an image (raw encoded bytes, or a QImage to
    encode in the worker), from the clipboard or a screen capture; or text, kept as a UTF-8
    text file (`is_text`)."""

    name: str
    raw: bytes | None
    image: QImage | None
    a_screen: bool = False  # grabbed by "Take a screenshot": a blank grab is not kept
    is_text: bool = False  # copied or dragged text (raw holds it, as UTF-8)

    def png_or_raw(self) -> bytes:
        """Worker thread: the bytes to store."""
        if self.raw is not None:
            return self.raw
        assert self.image is not None
        if self.a_screen and is_one_colour(self.image):
            raise SafekeepError(tr(
                "The screenshot came out as one plain colour, so nothing was added. This "
                "computer may not let programs see the screen. Take one with the computer's own "
                "tool instead (on Windows, Windows key + Shift + S), then Paste it here or add "
                "the file."))
        return encode_png(self.image)


def is_one_colour(image: QImage) -> bool:
    """Every pixel the same: what a desktop that does not let programs see the screen hands
    back (black, on Wayland through XWayland). Exact, every pixel; in the worker, as it reads
    the whole picture (33 MB at 4K)."""
    if image.isNull():
        return True
    pixels = image.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(pixels.constBits())  # 32-bit rows: no padding between them
    return data == data[:4] * (len(data) // 4)


def local_paths(urls: Sequence[QUrl]) -> list[str]:
    """Local files and folders only: Safekeep never fetches a web address someone dropped."""
    return [url.toLocalFile() for url in urls if url.isLocalFile() and url.toLocalFile()]


def web_address_only(mime: QMimeData) -> bool:
    """A web address and nothing Safekeep could keep: a link or a picture dragged from a
    browser (which gives its address, not its pixels), or a copied link."""
    if mime.hasUrls():
        return bool(mime.urls()) and not local_paths(mime.urls())
    words = mime.text().strip() if mime.hasText() else ""
    return words.lower().startswith(("http://", "https://", "www.")) and not any(
        space in words for space in " \n\t")


def web_address_sentence() -> str:
    return tr("That is a web address, not a picture or a file, so nothing was added: Safekeep "
              "never goes online. To keep the link (to their profile, say), add it on the "
              "Offender details tab. To keep a picture from a web page, save it first "
              "(right-click it, then Save image as), then add the file.")


def read_mime(mime: QMimeData, now: datetime | None = None, *,
              dropped: bool = False) -> list[str] | ClipboardItem | None:
    """What a drop or a paste carries: local paths, an image, text (a message copied from a
    web page: kept as a text file, its words read for the offender's details), or nothing
    we can keep (a web address alone: see web_address_sentence)."""
    if mime.hasUrls():
        paths = local_paths(mime.urls())
        if paths:
            return paths
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H.%M.%S")
    for mime_type, extension in _RAW_IMAGE_FORMATS:
        if mime.hasFormat(mime_type):
            data = bytes(mime.data(mime_type).data())
            if data:
                return ClipboardItem(tr("Pasted image {when}.{ext}").format(
                    when=stamp, ext=extension), data, None)
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QImage) and not image.isNull():
            # copy(): the worker must own pixels nobody else can change underneath it
            return ClipboardItem(tr("Pasted image {when}.png").format(when=stamp), None,
                                 image.copy())
    text = mime.text() if mime.hasText() and not web_address_only(mime) else ""
    if text.strip():  # as it was copied, line breaks and all
        name = tr("Dropped text {when}.txt") if dropped else tr("Pasted text {when}.txt")
        return ClipboardItem(name.format(when=stamp), text.encode("utf-8"), None, is_text=True)
    return None


def encode_png(image: QImage) -> bytes:
    """Worker thread: lossless PNG bytes in memory (no file is ever written)."""
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 wants a str format at run time, whatever its stubs say.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        buffer.close()
        raise ValueError("PNG encoding failed")
    buffer.close()
    return bytes(array.data())


def screenshot_name(now: datetime | None = None) -> str:
    return tr("Screenshot {when}.png").format(
        when=(now or datetime.now()).strftime("%Y-%m-%d %H.%M.%S"))


def summarise(outcomes: Sequence[ImportOutcome], *, cancelled: bool = False,
              turned_away: bool = False) -> str:
    """One calm line: "3 added, 1 was already in the case, 1 could not be added: <reason>".
    `turned_away`: something more was dropped or pasted while this ran, and not added."""
    text = _summary(outcomes, cancelled=cancelled)
    if turned_away:  # said when it was dropped too, but that may be a while ago
        text += " " + tr("What you dropped or pasted while this ran was not added: add it "
                         "again.")
    return text


def stopped_by(problem: str, reported: Sequence[ImportOutcome]) -> str:
    """What a person is told when a problem (a full disk) stopped adding: what was stored
    before it (every item reported was committed), then the problem."""
    return f"{_summary(reported, cancelled=False)} {problem}" if reported else problem


def still_adding() -> str:
    """What a drop or a paste while an import runs is told (the buttons are greyed then)."""
    return tr("Still adding the files from before, so these were not added. Add them again "
              "once that has finished.")


def _summary(outcomes: Sequence[ImportOutcome], *, cancelled: bool) -> str:
    added = sum(1 for o in outcomes if o.status == "added")
    already = sum(1 for o in outcomes if o.status == "already-there")
    refused = [o for o in outcomes if o.status == "refused"]
    parts: list[str] = []
    if added:
        parts.append(tr_n("%n added", "%n added", added))
    if already:
        parts.append(tr_n("%n was already in the case", "%n were already in the case", already))
    if refused:
        reasons = "; ".join(_refusal(o) for o in refused[:3])
        if len(refused) > 3:
            reasons += " " + tr_n("(and %n more)", "(and %n more)", len(refused) - 3)
        parts.append(tr_n("%n could not be added: {reasons}", "%n could not be added: {reasons}",
                          len(refused)).format(reasons=reasons))
    if left_out := [o for o in outcomes if o.status == "left-out"]:
        names = ", ".join(_name(o) for o in left_out[:3]) + (", …" if len(left_out) > 3 else "")
        parts.append(tr_n("%n file the computer or an app makes for itself was left out "
                          "({names})",
                          "%n files the computer or an app makes for itself were left out "
                          "({names})",
                          len(left_out)).format(names=names))
    if not parts:
        text = tr("Nothing was added.") if not cancelled else tr("Stopped. Nothing was added.")
        return text
    text = ", ".join(parts) + "."
    text = text[0].upper() + text[1:]
    if cancelled:
        text = tr("Stopped. {summary} The rest was not read.").format(summary=text)
    return text


def chats_note(readings: Sequence[ChatReading]) -> list[str]:
    """Where the messages of the chat exports just added are, or what they wait for."""
    emails = [r for r in readings if r.platform == EMAIL_PLATFORM]
    # A page of Telegram's "both formats" read from its result.json: one chat, said once.
    readings = [r for r in readings if r.platform != EMAIL_PLATFORM and r.status != READ_BESIDE]
    read = sum(1 for r in readings if r.status in ("read", "already-read"))
    waiting = waiting_for_date_order(readings)
    unread = len(readings) - read - waiting
    notes = _emails_note(emails)
    if read:
        notes.append(tr_n("The chat export's messages are on the Chats tab.",
                          "The messages of %n chat exports are on the Chats tab.", read))
    if waiting:
        notes.append(waiting_sentence(waiting))
    if unread:
        notes.append(tr_n("A chat export is kept, but its messages could not be read; the "
                          "Chats tab says why.", "%n chat exports are kept, but their messages "
                          "could not be read; the Chats tab says why.", unread))
    return notes


def waiting_for_date_order(readings: Sequence[ChatReading]) -> int:
    return sum(1 for r in readings if r.status == "needs-date-order")


def waiting_sentence(waiting: int) -> str:
    return tr_n("A chat export waits for you to choose how its dates are written, on the "
                "Chats tab.", "%n chat exports wait for you to choose how their dates are "
                "written, on the Chats tab.", waiting)


def _emails_note(emails: Sequence[ChatReading]) -> list[str]:
    """Saved e-mails are read like chats, but said as e-mails."""
    read = sum(1 for r in emails if r.status in ("read", "already-read"))
    unread = len(emails) - read
    notes = [tr_n("The e-mail is on the Chats tab.", "%n e-mails are on the Chats tab.",
                  read)] if read else []
    if unread:
        notes.append(tr_n("An e-mail is kept, but it could not be read; the Chats tab says "
                          "why.", "%n e-mails are kept, but they could not be read; the Chats "
                          "tab says why.", unread))
    return notes


def _name(outcome: ImportOutcome) -> str:
    return file_name_in(outcome.path)


def _refusal(outcome: ImportOutcome) -> str:
    reason = (outcome.reason or tr("it could not be read")).rstrip(".")
    return tr("{name} ({reason})").format(name=_name(outcome), reason=reason)
