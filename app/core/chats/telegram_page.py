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

Read within the bounds of html_blocks.py: each message's words are capped, and so is how deep
markup nests.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from app.core.chats.container import Container
from app.core.chats.html_blocks import VOID, BlockParser, Open, Words, read_blocks

_MEDIA_WRAPS = frozenset({"photo_wrap", "video_file_wrap", "sticker_wrap", "animated_wrap"})


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
class _Open(Open):
    forwarded: bool = False  # inside a forwarded message (its author's name is not the sender)
    media: Media | None = None  # inside a generic media block


class _PageParser(BlockParser[Block]):
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = frozenset((values.get("class") or "").split())
        if tag == "br":
            if self.open and self.open[-1].sink is not None:
                self.open[-1].sink.line_break()
            return
        if tag in VOID or not self.room():
            return
        parent = self.open[-1] if self.open else _Open("", None)
        if tag == "div" and "message" in classes and self.block is None:
            identity = values.get("id") or ""
            kind = ("message" if "service" not in classes else
                    "day" if identity.startswith("message-") else "notice")
            self.block = Block(kind, joined="joined" in classes)
            self.open.append(_Open(tag, None, block=True))
            return
        self.open.append(self._inside(tag, classes, values, parent))

    def _inside(self, tag: str, classes: frozenset[str], values: dict[str, str | None],
                parent: Open) -> _Open:
        block = self.block
        if block is None:
            return _Open(tag, None)
        parent = parent if isinstance(parent, _Open) else _Open(parent.tag, parent.sink)
        if parent.media is not None:  # a generic media block's title, status, description
            media = parent.media
            part = (media.title if "title" in classes else media.status if "status" in classes
                    else media.description if "description" in classes else parent.sink)
            return _Open(tag, part, forwarded=parent.forwarded, media=media)
        forwarded = parent.forwarded or {"forwarded", "body"} <= classes
        if {"pull_right", "date", "details"} <= classes:
            if not forwarded and not block.date_title:
                block.date_title = values.get("title") or ""
            return _Open(tag, None, forwarded=forwarded)
        if "from_name" in classes:
            return _Open(tag, None if forwarded else block.sender, forwarded=forwarded)
        if classes & _MEDIA_WRAPS or "media" in classes:
            media = Media(classes, values.get("href") if tag == "a" else None)
            block.media.append(media)
            return _Open(tag, None, forwarded=forwarded,
                         media=media if "media" in classes else None)
        if classes == {"text"} or (block.kind != "message" and {"body", "details"} <= classes):
            return _Open(tag, block.words, forwarded=forwarded)
        if classes & {"reply_to", "signature", "userpic_wrap", "media_poll", "date"}:
            return _Open(tag, None, forwarded=forwarded)
        if tag == "a" and parent.sink is block.words and values.get("href"):
            block.links.append(values["href"] or "")
        return _Open(tag, parent.sink, forwarded=forwarded)


def blocks(container: Container, member: str) -> Iterator[Block]:
    """The page's blocks in the order written, read as a stream."""
    return read_blocks(container, member, _PageParser())
