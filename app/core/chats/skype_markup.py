"""The text of a Skype message, from the markup its `content` is written in.

Skype writes a message as a fragment of XML-like markup: `<b>`, `<i>`, `<s>`, `<pre>`,
`<a href="...">`, emoticons (`<ss type="smile">:)</ss>`), an edit mark (`<e_m .../>`), a
reply (`<quote authorname="..."><legacyquote>[time] Name: </legacyquote>text
<legacyquote>\\n\\n&lt;&lt;&lt; </legacyquote></quote>`), a file (`<URIObject ...><OriginalName
v="photo.jpg"/>To view this file, go to: ...</URIObject>`), a shared contact (`<contacts><c
s="live:..." f="Name"/></contacts>`) or a call (`<partlist type="ended"><part
identity="..."><name>...</name><duration>84.8</duration></part></partlist>`). Entities
(`&apos;`, `&amp;`...) are decoded. Markup that is broken is read as far as it goes: the
standard library's HTML parser never fails on it and never fetches anything.
"""

from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

# Inside these, the words are Skype's own (a web address to view a file, the time and name
# of a quoted message, an edit mark), not what was written.
_SILENT = frozenset({"uriobject", "legacyquote", "e_m", "partlist", "contacts"})
_LINK_SCHEMES = ("http://", "https://", "mailto:")


@dataclass
class SkypeContent:
    text: str = ""
    links: list[str] = field(default_factory=list)
    file_names: list[str] = field(default_factory=list)  # OriginalName of files sent
    object_ids: list[str] = field(default_factory=list)  # the files' ids (doc_id)
    contacts: list[tuple[str, str]] = field(default_factory=list)  # (Skype ID, name) shared
    call: str = ""  # "started", "ended", "missed"... for a call's event
    call_seconds: float | None = None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = SkypeContent()
        self._parts: list[str] = []
        self._silent = 0
        self._in_duration = False
        self._duration = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href", "").lower().startswith(_LINK_SCHEMES) \
                and not self._silent:  # not Skype's own address to view a file
            self.found.links.append(values["href"])
        elif tag == "originalname" and values.get("v"):
            self.found.file_names.append(values["v"])
        elif tag == "uriobject" and values.get("doc_id"):
            self.found.object_ids.append(values["doc_id"])
        elif tag == "c" and (values.get("s") or values.get("f")):
            self.found.contacts.append((values.get("s", ""), values.get("f", "")))
        elif tag == "partlist":
            self.found.call = values.get("type", "")
        elif tag == "duration":
            self._in_duration = True
        elif tag == "quote" and not self._silent:
            who = values.get("authorname") or values.get("author") or ""
            self._parts.append(f"> {who}: " if who else "> ")
        elif tag == "br":
            self._parts.append("\n")
        if tag in _SILENT:
            self._silent += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SILENT:
            self._silent -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SILENT and self._silent:
            self._silent -= 1
        elif tag == "quote" and not self._silent:
            self._parts.append("\n")
        if tag == "duration":
            self._in_duration = False

    def handle_data(self, data: str) -> None:
        if self._in_duration:
            self._duration += data
        if not self._silent:
            self._parts.append(data)

    def result(self) -> SkypeContent:
        self.found.text = "".join(self._parts).strip()
        try:
            seconds = float(self._duration) if self._duration.strip() else None
        except ValueError:
            seconds = None
        self.found.call_seconds = seconds if seconds is not None and 0 <= seconds < 1e7 else None
        return self.found


def read_content(markup: str) -> SkypeContent:
    """What a message's content says, and what it points at."""
    if "<" not in markup:  # most messages: words and entities only, read 30 times quicker
        return SkypeContent(text=unescape(markup).strip())
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return reader.result()
