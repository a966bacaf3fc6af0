"""Instagram's and Facebook's "Download your information" in HTML, written in the shapes Meta's
pages have had since 2022, as public readers of them describe and test them: Instagram's box
(an h2 for the sender, the words in the second div of `_a6-p`, then a shared link or the files
sent, reactions in `<ul class="_a6-q">`, the time in `_a6-o`: "Mar 15, 2025 9:04 pm"), some
versions writing the words a second time, and Facebook's newer box (the sender in a div, the
time with seconds inside `_a72d`). Newest first in each page; message_1 holds the newest."""

import html
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Box:
    sender: str
    when: datetime
    text: str = ""
    link: str | None = None
    files: tuple[str, ...] = ()  # from the top of the download
    reaction: str | None = None


def _stamp(when: datetime, seconds: bool) -> str:
    hour = when.hour % 12 or 12
    clock = f"{hour}:{when.minute:02d}" + (f":{when.second:02d}" if seconds else "")
    return f"{when.strftime('%b')} {when.day:02d}, {when.year} {clock} " + (
        "pm" if when.hour >= 12 else "am")


def instagram_box(box: Box, twice: bool = False) -> str:
    words = html.escape(box.text).replace("\n", "<br />")
    extra = ""
    if box.link:
        extra = (f'<div><div><div><a target="_blank" href="{html.escape(box.link)}">'
                 f"{html.escape(box.link)}</a></div></div></div>")
    for path in box.files:
        extra += (f'<div><a target="_blank" href="{html.escape(path)}"><img src="'
                  f'{html.escape(path)}" class="_a6_o _3-96" /></a></div>')
    # The copy writes a line break as it is, not as <br />.
    copy = (f"<div><div><div>{html.escape(box.text)}</div></div></div>" if twice
            else "<div></div>")
    reaction = (f'<ul class="_a6-q"><li><span>{html.escape(box.reaction)}</span></li></ul>'
                if box.reaction else "")
    return ('<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder">'
            f'<h2 class="_3-95 _2pim _a6-h _a6-i">{html.escape(box.sender)}</h2>'
            f'<div class="_3-95 _a6-p"><div><div></div><div>{words}</div>{extra or "<div></div>"}'
            f"{copy}{reaction}</div></div>"
            f'<div class="_3-94 _a6-o">{_stamp(box.when, False)}</div></div>')


def facebook_card(box: Box) -> str:
    """Another Facebook layout: the time in the element after the box, not inside it."""
    return (f'<div class="_a6-g"><div class="_a6-h">{html.escape(box.sender)}</div>'
            f'<div class="_a6-p"><div>{html.escape(box.text)}</div></div></div>'
            f'<div class="_3-94 _a6-o"><div class="_a72d">{_stamp(box.when, True)}</div></div>')


def facebook_box(box: Box) -> str:
    words = html.escape(box.text).replace("\n", "<br />")
    files = "".join(f'<a href="{html.escape(p)}"><img src="{html.escape(p)}" /></a>'
                    for p in box.files)
    return ('<div class="_3-95 _a6-g">'
            f'<div class="_2ph_ _a6-h _a6-i">{html.escape(box.sender)}</div>'
            f'<div class="_2ph_ _a6-p"><div><div></div><div>{words}</div><div>{files}</div>'
            "<div></div></div></div>"
            f'<div class="_3-94 _a6-o"><div class="_a72d">{_stamp(box.when, True)}</div></div>'
            "</div>")


def page(title: str, boxes: list[Box], *, facebook: bool = False, twice: bool = False,
         cards: bool = False) -> str:
    """A thread page: the boxes given oldest first, written newest first as Meta does."""
    newest_first = sorted(boxes, key=lambda b: b.when, reverse=True)
    body = "".join(facebook_card(b) if cards else facebook_box(b) if facebook
                   else instagram_box(b, twice) for b in newest_first)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8" /><title>'
            f"{html.escape(title)}</title><style>._a6-g{{background:#fff}}._a6-h{{font-weight:"
            "700}</style></head><body class=\"_5vb_ _2yq _a7o5\"><div class=\"_li\"><div "
            'class="_a705"><header class="_as-_ _a70a"><div class="_a70d"><h1>'
            f"{html.escape(title)}</h1></div></header>"
            f'<main class="_a706" role="main">{body}</main></div></div></body></html>')
