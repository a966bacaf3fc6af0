"""Telegram Desktop's HTML chat export written the way its export_output_html.cpp writes it:
the same tags and classes, attributes in name order (a std::map), a block tag on a line of
its own indented by the number of tags open, text escaped by its SerializeString (a line
break as <br>), a day's heading before the first message of each day, "joined" messages
without a name, and 1,000 messages to a page. For the tests of the reader and of adding an
export to a case."""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PIL import Image

PER_PAGE = 1000
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def serialize(text: str) -> str:
    escaped = (text.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&apos;")
               .replace("<", "&lt;").replace(">", "&gt;"))
    return escaped.replace("\n", "<br>").replace("\u2028", "<br>")


@dataclass
class Msg:
    sender: str
    when: datetime
    text: str = ""  # already markup where it holds links (<a href=...>)
    photo: str | None = None  # the photo's path in the export, e.g. photos/photo_1@...jpg
    file: tuple[str, str] | None = None  # (path, name) of a document
    missing_photo: bool = False
    call: str | None = None  # "Incoming (15 seconds)"
    contact: tuple[str, str] | None = None  # (name, phone)
    forwarded_from: str | None = None
    reply_to: int | None = None
    notice: str | None = None  # a service message ("X joined Telegram") instead
    sender_id: int = 1


@dataclass
class _Writer:
    zone: str | None
    out: list[str] = field(default_factory=list)
    open_tags: list[str] = field(default_factory=list)

    def push(self, tag: str, **attrs: str) -> None:
        inner = "".join(f' {k}="{serialize(v)}"' for k, v in sorted(attrs.items()))
        self.out.append(f"\n{' ' * len(self.open_tags)}<{tag}{inner}>\n")
        self.open_tags.append(tag)

    def pop(self) -> None:
        tag = self.open_tags.pop()
        self.out.append(f"\n{' ' * len(self.open_tags)}</{tag}>\n")

    def div(self, classes: str, body: str | None = None) -> None:
        self.push("div", **{"class": classes})
        if body is not None:
            self.out.append(body)
            self.pop()

    def time(self, when: datetime) -> str:
        text = when.strftime("%d.%m.%Y %H:%M:%S")
        return f"{text} {self.zone}" if self.zone else text


def _media(w: _Writer, m: Msg) -> None:
    if m.photo:
        w.div("media_wrap clearfix")
        w.push("a", **{"class": "photo_wrap clearfix pull_left", "href": m.photo})
        w.out.append(f'<img class="photo" src="{m.photo[:-4]}_thumb.jpg" style="width: 260px;'
                     ' height: 146px"/>')
        w.pop()
        w.pop()
    generic = None
    if m.file:
        generic = ("media_file", m.file[0], m.file[1], "3.2 KB", "")
    elif m.missing_photo:
        generic = ("media_photo", "", "Photo", "1280x720, 96.1 KB",
                   "Not included, change data exporting settings to download.")
    elif m.call:
        generic = ("media_call success", "", m.sender, m.call, "")
    elif m.contact:
        generic = ("media_contact", "", m.contact[0], m.contact[1], "")
    if generic is None:
        return
    classes, link, title, status, description = generic
    w.div("media_wrap clearfix")
    if link:
        w.push("a", **{"class": f"media clearfix pull_left block_link {classes}", "href": link})
    else:
        w.div(f"media clearfix pull_left {classes}")
    w.div("fill pull_left", "")
    w.div("body")
    for cls, words in (("title bold", title), ("description", description),
                       ("status details", status)):
        if words:
            w.div(cls, serialize(words))
    w.pop()
    w.pop()
    w.pop()


def _message(w: _Writer, number: int, m: Msg, previous: Msg | None) -> None:
    if m.notice is not None:
        w.push("div", **{"class": "message service", "id": f"message{number}"})
        w.div("body details", m.notice)
        w.pop()
        return
    wrap = (previous is None or previous.notice is not None or previous.sender != m.sender
            or previous.when.date() != m.when.date()
            or (m.when - previous.when).total_seconds() > 900
            or bool(previous.forwarded_from) != bool(m.forwarded_from))
    w.push("div", **{"class": "message default clearfix" + ("" if wrap else " joined"),
                     "id": f"message{number}"})
    if wrap:
        w.div("pull_left userpic_wrap")
        w.push("div", **{"class": f"userpic userpic{m.sender_id % 7 + 1}",
                         "style": "width: 42px; height: 42px"})
        w.push("div", **{"class": "initials", "style": "line-height: 42px"})
        w.out.append(serialize(m.sender[:1]))
        w.pop()
        w.pop()
        w.pop()
    w.div("body")
    w.push("div", **{"class": "pull_right date details", "title": w.time(m.when)})
    w.out.append(m.when.strftime("%H:%M"))
    w.pop()
    if wrap:
        w.div("from_name", serialize(m.sender))
    if m.forwarded_from:
        w.div("pull_left forwarded userpic_wrap", "")
        w.div("forwarded body")
        w.div("from_name")
        w.out.append(serialize(m.forwarded_from))
        w.out.append(f'<span class="date details" title="{w.time(m.when)}"> '
                     f'{m.when.strftime("%d.%m.%Y %H:%M:%S")}</span>')
        w.pop()
    if m.reply_to:
        w.div("reply_to details", f'In reply to <a href="#go_to_message{m.reply_to}" '
                                   f'onclick="return GoToMessage({m.reply_to})">this message</a>')
    _media(w, m)
    if m.text:
        w.div("text", m.text)
    if m.forwarded_from:
        w.pop()
    w.pop()
    w.pop()


def _day_heading(w: _Writer, number: int, when: datetime) -> None:
    w.push("div", **{"class": "message service", "id": f"message-{number}"})
    w.div("body details", f"{when.day} {_MONTHS[when.month - 1]} {when.year}")
    w.pop()


def pages(title: str, messages: list[Msg], zone: str | None = "UTC+01:00",
          ) -> dict[str, str]:
    """The chat's pages by file name: messages.html, messages2.html..."""
    result: dict[str, str] = {}
    headings = 0
    previous: Msg | None = None
    for index in range(0, max(len(messages), 1), PER_PAGE):
        number = index // PER_PAGE
        w = _Writer(zone)
        w.out.append("<!DOCTYPE html>")
        w.push("html")
        w.push("head")
        w.out.append('\n  <meta charset="utf-8"/>\n<title>Exported Data</title>\n  <meta '
                     'content="width=device-width, initial-scale=1.0" name="viewport"/>\n  '
                     '<link href="css/style.css" rel="stylesheet"/>\n  <script src="js/'
                     'script.js" type="text/javascript">\n  </script>\n')
        w.pop()
        w.push("body", onload="CheckLocation();")
        w.div("page_wrap")
        w.div("page_header")
        w.div("content")
        w.div("text bold", serialize(title))
        w.pop()
        w.pop()
        w.div("page_body chat_page")
        w.div("history")
        if number:
            w.push("a", **{"class": "pagination block_link",
                           "href": "messages.html" if number == 1 else f"messages{number}.html"})
            w.out.append("Previous messages")
            w.pop()
        previous = None  # a new page starts a new group, as Telegram's writer does
        for offset, m in enumerate(messages[index:index + PER_PAGE]):
            if previous is None or previous.when.date() != m.when.date():
                headings += 1
                _day_heading(w, headings, m.when)
            _message(w, index + offset + 1, m, previous)
            previous = m
        if index + PER_PAGE < len(messages):
            w.push("a", **{"class": "pagination block_link",
                           "href": f"messages{number + 2}.html"})
            w.out.append("Next messages")
            w.pop()
        while w.open_tags:
            w.pop()
        result["messages.html" if not number else f"messages{number + 1}.html"] = "".join(w.out)
    return result


def _icon() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (24, 24), (84, 141, 212, 255)).save(out, "PNG")
    return out.getvalue()


#: What Telegram Desktop copies into every HTML export for its pages (HtmlWriter::start):
#: a style sheet, a script and icons (a few of its 20 here, each with its @2x twin).
PAGE_FILES = {"css/style.css": b".page_wrap {\n background-color: #ffffff;\n}\n",
              "js/script.js": b"function CheckLocation() {\n  return true;\n}\n",
              **{f"images/{name}{twin}.png": _icon() for name in
                 ("back", "media_photo", "media_call", "section_chats")
                 for twin in ("", "@2x")}}


def write_folder(folder: Path, title: str, messages: list[Msg], files: dict[str, bytes],
                 zone: str | None = "UTC+01:00", page_files: bool = True) -> Path:
    """The export as Telegram Desktop leaves it: a folder of pages, css, js, images and the
    chat's own media."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages(title, messages, zone).items():
        (folder / name).write_text(text, encoding="utf-8")
    for name, data in {**(PAGE_FILES if page_files else {}), **files}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def zip_of(folder: Path, path: Path) -> Path:
    """The folder zipped as Windows' "Compress to ZIP file" does: one top folder inside."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, f"{folder.name}/{file.relative_to(folder).as_posix()}")
    path.write_bytes(buffer.getvalue())
    return path
