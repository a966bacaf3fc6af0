"""Instagram's and Facebook's "Download your information" in HTML, the format Meta offers first.

Each conversation is a folder `messages/inbox/<thread>/` (as in the JSON form) of pages
`message_1.html`, `message_2.html`... (message_1 the newest), each listing its messages newest
first. Meta writes every message as a box whose class names it generates but has kept since
2022: `<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder">` holding the sender (`_a6-h`,
an h2 or a div), the content (`_a6-p`: the words, then a shared link or the files sent, then
reactions in `<ul class="_a6-q">`; some versions repeat the words in a second copy), and the
time (`_a6-o`, in newer Facebook pages inside `_a72d`, in some just after the box): "Mar 15,
2025 9:04 pm", Facebook with seconds. Files are linked from the top of the download, as the
JSON form names them.

Only English dates are read: a page whose dates are in another language, or whose boxes have
not that shape, is refused with one sentence saying to ask for the JSON form, which states
every time in UTC to the millisecond. The HTML states no time zone, so none is given.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import PurePosixPath

from app.core.chats.container import Container
from app.core.chats.html_blocks import VOID, BlockParser, Open, Words, read_blocks
from app.core.chats.meta import member_path
from app.core.chats.model import ChatExport, Conversation, Message, Platform, Precision, SentAt
from app.errors import ChatExportUnreadable
from app.i18n import tr

PAGE = re.compile(r"(?:^|/)messages/[a-z0-9_]+/[^/]+/message_\d+\.html$")
_BOX = re.compile(r'class="[^"]*\b_a6-g\b[^"]*"')
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_TIME = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?"
                   r"(?: ?([ap])\.?m\.?)?", re.IGNORECASE)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_FACEBOOK_FOLDERS = ("your_facebook_activity/", "your_activity_across_facebook/")


def html_platform(member: str, head: str, file_name: str = "") -> Platform | None:
    """Instagram or Messenger, for a thread page of the HTML download; None for any other
    page, or one whose app cannot be told (by its folder, the download's own name
    "instagram-name-2025-03-16-x.zip", or an address in the page)."""
    if not _BOX.search(head):
        return None
    name, lowered = file_name.lower(), head.lower()
    if any(f in member for f in _FACEBOOK_FOLDERS) or name.startswith("facebook-") \
            or "facebook.com" in lowered:
        return Platform.MESSENGER
    if "your_instagram_activity/" in member or name.startswith("instagram-") \
            or "instagram.com" in lowered:
        return Platform.INSTAGRAM
    return None


def refused(platform: Platform) -> ChatExportUnreadable:
    """The calm sentence for a page Safekeep cannot read: what to ask for instead."""
    app = "Instagram" if platform is Platform.INSTAGRAM else "Facebook"
    return ChatExportUnreadable(tr(
        "This is {app}'s download in HTML, written in a way Safekeep does not read (its dates "
        "are not in English, or its pages have changed). To have its messages read, ask {app} "
        "for your information again and choose JSON as the format (in Accounts Centre: Your "
        "information and permissions, then Download your information), then add that "
        "download too.").format(app=app))


def _when(text: str) -> SentAt | None:
    found = _TIME.fullmatch(_SPACES.sub(" ", text).strip())
    if found is None or found.group(1)[:3].lower() not in _MONTHS:
        return None
    month = _MONTHS.index(found.group(1)[:3].lower()) + 1
    day, year, hour, minute = (int(found.group(n)) for n in (2, 3, 4, 5))
    if found.group(7):  # 12-hour clock
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found.group(7).lower() == "p" else 0)
    try:
        when = datetime(year, month, day, hour, minute, int(found.group(6) or 0))
    except ValueError:
        return None
    return SentAt(when, Precision.SECOND if found.group(6) else Precision.MINUTE)


@dataclass
class _Box:
    sender: Words = field(default_factory=Words)
    words: Words = field(default_factory=Words)
    time: Words = field(default_factory=Words)
    hrefs: list[str] = field(default_factory=list)


class _PageParser(BlockParser[_Box]):
    """The message boxes of one page, in page order (newest first), and its title."""

    raw_breaks_are_words = True  # Meta's pages have no layout breaks: a raw one is the words'

    def __init__(self) -> None:
        super().__init__()
        self.title = Words()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        sink = self.open[-1].sink if self.open else None
        if tag == "br":
            if sink is not None:
                sink.line_break()
            return
        if tag == "a" and self.block is not None and values.get("href"):
            self.block.hrefs.append(values["href"] or "")
        if tag in VOID or not self.room():
            return
        if tag == "div" and "_a6-g" in classes and self.block is None:
            self.block = _Box()
            self.open.append(Open(tag, None, block=True))
            return
        if self.block is None:  # outside the boxes, words inside a title or time go on
            if tag == "h1" and not self.title.parts:
                sink = self.title
            elif "_a6-o" in classes and self.last is not None and not self.last.time.parts:
                sink = self.last.time  # a Facebook layout: the time after its box
        elif "_a6-h" in classes and not self.block.sender.parts:
            sink = self.block.sender
        elif "_a6-p" in classes:
            sink = self.block.words
        elif "_a6-o" in classes:
            sink = self.block.time
        elif tag == "ul":
            sink = None  # reactions are not the message's words
        elif tag in ("div", "p", "li") and sink is not None:
            sink.line_break()  # a block of its own: a line of its own
        self.open.append(Open(tag, sink))


def _boxes(container: Container, member: str) -> tuple[str, list[_Box]]:
    """A page's title and its boxes (a thread page is at most a few MB: Meta splits them)."""
    parser = _PageParser()
    boxes = list(read_blocks(container, member, parser))
    return parser.title.text(), boxes


def _words(box: _Box) -> str:
    """The message's words, each line once: some versions write them twice over."""
    lines = [" ".join(line.split()) for line in box.words.text().split("\n")]
    return "\n".join(dict.fromkeys(line for line in lines if line))


def _message(container: Container, member: str, box: _Box, platform: Platform) -> Message:
    when = _when(box.time.text())
    if when is None:
        raise refused(platform)
    files: list[str] = []
    links: list[str] = []
    for href in dict.fromkeys(box.hrefs):
        if href.startswith(("http://", "https://")):
            links.append(href)
        elif not _SCHEME.match(href) and (path := member_path(container, member, href)):
            files.append(path)  # not "javascript:", "mailto:" or the like
    sender = " ".join(box.sender.text().split()) or None
    return Message(sender, when, _words(box), tuple(files), tuple(links))


def _thread_messages(container: Container, pages: tuple[str, ...],
                     platform: Platform) -> Iterator[Message]:
    for member in reversed(pages):  # message_1 is the newest; each page newest first
        _, boxes = _boxes(container, member)
        for box in reversed(boxes):
            yield _message(container, member, box, platform)


def _page_number(member: str) -> int:
    digits = re.search(r"(\d+)$", PurePosixPath(member).stem)
    return int(digits.group(1)) if digits else 0


def read_meta_html(container: Container, members: list[str], platform: Platform) -> ChatExport:
    threads: dict[str, list[str]] = {}
    for member in members:
        threads.setdefault(str(PurePosixPath(member).parent), []).append(member)
    conversations = []
    for folder, pages in sorted(threads.items()):
        pages.sort(key=_page_number)
        title, boxes = _boxes(container, pages[0])
        if not boxes or any(_when(b.time.text()) is None for b in boxes):
            raise refused(platform)  # not the shape known, or dates in another language
        people = tuple(dict.fromkeys(  # as the newest page names them
            name for b in boxes if (name := " ".join(b.sender.text().split()))))
        notes = [tr("This download in HTML states no time zone for its times (its JSON form "
                    "gives them in UTC).")]
        if platform is Platform.MESSENGER:
            notes.append(tr("This Messenger download has no end-to-end encrypted chats; "
                            "they need a separate download."))
        conversations.append(Conversation(
            platform, title or PurePosixPath(folder).name, people, tuple(notes), folder,
            partial(_thread_messages, container, tuple(pages), platform)))
    return ChatExport(platform, tuple(conversations))
