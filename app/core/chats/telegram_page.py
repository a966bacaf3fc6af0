"""One page of Telegram Desktop's HTML export, read into the blocks it is made of.

Telegram Desktop writes each page (`messages.html`, `messages2.html`... 1,000 messages each)
from fixed markup (its `export_output_html.cpp`): a message is `<div class="message default
clearfix" id="message123">` (with `joined` when it follows one from the same sender within 15
minutes, and then no sender's name), holding `<div class="pull_right date details"
title="15.03.2025 21:04:11 UTC+01:00">`, `<div class="from_name">`, media (`<a
class="photo_wrap ..." href="photos/...">`, or a generic block with a title, status and
description), and `<div class="text">` whose line breaks are `<br>` (a raw line break is only
layout). A notice is `<div class="message service">` with `<div class="body details">`; a
notice with a negative id is the day's heading ("15 March 2025"). A forwarded message keeps
its original author's name inside `<div class="forwarded body">`.

Read with the standard library's HTML parser, which never fails on broken markup, runs no
script and fetches nothing; each message's words are capped, and so is how deep markup nests.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from app.core.chats.container import Container, damaged

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
_MEDIA_WRAPS = frozenset({"photo_wrap", "video_file_wrap", "sticker_wrap", "animated_wrap"})
#: Characters kept of one message's words (a crafted page may hold one of a gigabyte).
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
class Media:
    """A message's media block as written: its classes, its link (a file of the export or a
    web address) and the words Telegram wrote in it."""

    classes: frozenset[str]
    href: str | None
    title: Words = field(default_factory=Words)
    status: Words = field(default_factory=Words)
    description: Words = field(default_factory=Words)


@dataclass
class Block:
    """One message, notice or day's heading of a page. `kind` is "message", "notice" or "day"."""

    kind: str
    joined: bool = False
    date_title: str = ""
    sender: Words = field(default_factory=Words)
    words: Words = field(default_factory=Words)
    links: list[str] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    sink: Words | None  # where the words inside go; None: nowhere
    forwarded: bool = False
    media: Media | None = None
    block: bool = False  # the element that opened the current block


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.finished: list[Block] = []
        self._open: list[_Open] = []
        self._block: Block | None = None
        self._passed_over = 0  # start tags beyond _MAX_DEPTH, whose ends are passed over too

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = frozenset((values.get("class") or "").split())
        if tag == "br":
            if self._open and self._open[-1].sink is not None:
                self._open[-1].sink.line_break()
            return
        if tag in _VOID:
            return
        if len(self._open) >= _MAX_DEPTH:
            self._passed_over += 1
            return
        parent = self._open[-1] if self._open else _Open("", None)
        if tag == "div" and "message" in classes and self._block is None:
            identity = values.get("id") or ""
            kind = ("message" if "service" not in classes else
                    "day" if identity.startswith("message-") else "notice")
            self._block = Block(kind, joined="joined" in classes)
            self._open.append(_Open(tag, None, block=True))
            return
        self._open.append(self._inside(tag, classes, values, parent))

    def _inside(self, tag: str, classes: frozenset[str], values: dict[str, str | None],
                parent: _Open) -> _Open:
        block = self._block
        if block is None:
            return _Open(tag, None)
        if parent.media is not None:  # a generic media block's title, status, description
            media = parent.media
            part = (media.title if "title" in classes else media.status if "status" in classes
                    else media.description if "description" in classes else parent.sink)
            return _Open(tag, part, parent.forwarded, media)
        forwarded = parent.forwarded or {"forwarded", "body"} <= classes
        if {"pull_right", "date", "details"} <= classes:
            if not forwarded and not block.date_title:
                block.date_title = values.get("title") or ""
            return _Open(tag, None, forwarded)
        if "from_name" in classes:
            return _Open(tag, None if forwarded else block.sender, forwarded)
        if classes & _MEDIA_WRAPS or "media" in classes:
            media = Media(classes, values.get("href") if tag == "a" else None)
            block.media.append(media)
            return _Open(tag, None, forwarded, media if "media" in classes else None)
        if classes == {"text"} or (block.kind != "message" and {"body", "details"} <= classes):
            return _Open(tag, block.words, forwarded)
        if classes & {"reply_to", "signature", "userpic_wrap", "media_poll", "date"}:
            return _Open(tag, None, forwarded)
        if tag == "a" and parent.sink is block.words and values.get("href"):
            block.links.append(values["href"] or "")
        return _Open(tag, parent.sink, forwarded)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self._passed_over:
            self._passed_over -= 1
            return
        for back in range(1, min(len(self._open), _END_TAG_REACH) + 1):
            if self._open[-back].tag == tag:
                closed = self._open[-back:]
                del self._open[-back:]
                if any(o.block for o in closed) and self._block is not None:
                    self.finished.append(self._block)
                    self._block = None
                return

    def close(self) -> None:
        """The end of the page: a block left open (a page cut short, or broken markup) is
        kept as far as it goes."""
        super().close()
        if self._block is not None:
            self.finished.append(self._block)
            self._block = None

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1].sink is not None:
            self._open[-1].sink.add(data)


def blocks(container: Container, member: str) -> Iterator[Block]:
    """The page's blocks in the order written, read as a stream."""
    parser = _PageParser()
    with container.text(member) as text:
        while chunk := text.read(_CHUNK):
            parser.feed(chunk)
            if len(parser.rawdata) > _MAX_PENDING:
                raise damaged()
            yield from parser.finished
            parser.finished.clear()
    parser.close()
    yield from parser.finished
