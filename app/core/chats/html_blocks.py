"""Reading an export's HTML pages as blocks (a message each), within bounds.

Telegram Desktop's and Meta's HTML exports both write each message as an element of known
classes; their readers (telegram_page.py, meta_html.py) say which element starts a block and
where the words inside each element go. What they share is here: the standard library's HTML
parser (it never fails on broken markup, runs no script and fetches nothing), a stack of the
elements open, each with where its words go, and the bounds a crafted page cannot pass: words
kept of one part of a block, how deep markup nests, how far back an end tag looks for its
start, and how much unfinished markup (a tag that never ends) is held.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Generic, TypeVar

from app.core.chats.container import Container, damaged

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "param", "source", "track", "wbr"})
#: Characters kept of one part of a block (a crafted page may hold a message of a gigabyte).
MAX_WORDS = 100_000
#: Elements open at once; beyond this, deeper markup is passed over.
_MAX_DEPTH = 2_000
#: How far back an end tag looks for its start, so unclosed tags cannot make it slow.
_END_TAG_REACH = 64
_CHUNK = 256 * 1024
#: Markup the parser holds unfinished (a tag not yet closed by ">"); a crafted tag that never
#: ends would otherwise be searched again at every chunk, ever longer.
_MAX_PENDING = 4 * 1024 * 1024
_LAYOUT_BREAK = re.compile(r"\n[ \t]*")
# A <br> while words are gathered: a raw carriage return never reaches the parser, since the
# text is read with universal newlines, so it cannot be confused with one in the words.
_BR = "\r"


class Words:
    """Words gathered for one part of a block, up to MAX_WORDS characters."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str) -> None:
        if self.size < MAX_WORDS:
            self.parts.append(text[: MAX_WORDS - self.size])
            self.size += len(text)

    def line_break(self) -> None:
        """A `<br>`: kept as a line break, where a raw one in the markup is only layout."""
        self.add(_BR)

    def text(self) -> str:
        """The words with layout line breaks taken out; a `<br>` is a line break."""
        return _LAYOUT_BREAK.sub("", "".join(self.parts)).replace(_BR, "\n").strip()


@dataclass
class Open:
    """An element open: its tag, where the words inside go (None: nowhere), and whether it
    started the block being read."""

    tag: str
    sink: Words | None
    block: bool = False


BlockT = TypeVar("BlockT")


class BlockParser(HTMLParser, Generic[BlockT]):
    """The stack and bounds; a reader says what starts a block and what each element is, in
    `handle_starttag` (with `room()` before a push), and gets `finished` blocks in page order.
    `raw_breaks_are_words`: a raw line break in the markup is part of the words (Meta's pages
    have no layout breaks) rather than layout (Telegram's indented markup)."""

    raw_breaks_are_words = False

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.finished: list[BlockT] = []  # taken away as the page is read
        self.last: BlockT | None = None  # the block finished last, still there once taken
        self.block: BlockT | None = None
        self.open: list[Open] = []
        self._passed_over = 0  # start tags beyond _MAX_DEPTH, whose ends are passed over too

    def room(self) -> bool:
        """Whether one more element may be opened; one beyond the depth is passed over."""
        if len(self.open) >= _MAX_DEPTH:
            self._passed_over += 1
            return False
        return True

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self._passed_over:
            self._passed_over -= 1
            return
        for back in range(1, min(len(self.open), _END_TAG_REACH) + 1):
            if self.open[-back].tag == tag:
                closed = self.open[-back:]
                del self.open[-back:]
                if any(o.block for o in closed):
                    self._finish()
                return

    def close(self) -> None:
        """The end of the page: a block left open (a page cut short, or broken markup) is
        kept as far as it goes."""
        super().close()
        self._finish()

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1].sink is not None:
            self.open[-1].sink.add(data.replace("\n", _BR) if self.raw_breaks_are_words
                                   else data)

    def _finish(self) -> None:
        if self.block is not None:
            self.finished.append(self.block)
            self.last, self.block = self.block, None


def read_blocks(container: Container, member: str,
                parser: BlockParser[BlockT]) -> Iterator[BlockT]:
    """The page's blocks in page order, read as a stream; a tag that never ends is refused."""
    with container.text(member) as text:
        while chunk := text.read(_CHUNK):
            parser.feed(chunk)
            if len(parser.rawdata) > _MAX_PENDING:
                raise damaged()
            yield from parser.finished
            parser.finished.clear()
    parser.close()
    yield from parser.finished
