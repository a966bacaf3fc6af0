"""The username in an Instagram chat's header: the offender's handle, under their display name.

Instagram's direct messages (on the web and in the phone app) head each conversation with the
other person's display name and, on the line below, their username ("jade.moore44"), alone:
no "@", no "instagram:" before it. Other apps put "online", "typing..." or "Active now" there.
So a single handle-like word, in the top part of the picture, just under a line with a
capitalised name, is taken as an Instagram username: on a page that shows it is Instagram (its
address bar or tab, or the "Message..." box Instagram writes in its composer), or, where that
box is too faint to read, when the word looks made up (a digit, a dot or an underscore), which
"online", "typing..." and "Active now" never do. `pictures/text_second_look.py` reads that line
again when the avatar beside it garbled the first reading.

OCR reads the avatar and the call icons beside the header as stray marks ("/'", "Lok", "®"),
so words of one or two characters, and marks with no letters, are ignored around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.core.identifiers import IdentifierType
from app.core.reading.lines import Found, Line, identifier_found

_INSTAGRAM = "Instagram"
_CUE_RE = re.compile(r"instagram|\bmessage(?:\.{2,3}|…)")
_HEADER_PART = 0.16  # of the picture's height, from the top: where a chat's header is
# Instagram usernames are lower case letters, digits, dots and underscores, 30 at most.
# (A word with "@" is left to the @handle rule, which has its own way of naming a platform.)
_USERNAME_RE = re.compile(r"(?P<name>[a-z0-9_][a-z0-9._]{4,29})", re.ASCII)
_NAME_WORD_RE = re.compile(r"[A-Z][a-z]{2,}")
_MADE_UP_RE = re.compile(r"[0-9._]")
_PLAIN_NAME_SHORTEST = 11
# What other apps write under the name, and header words: never a username.
_NOT_NAMES = frozenset({
    "online", "offline", "typing", "typing...", "active", "recently", "yesterday", "today",
    "messages", "message", "instagram", "calling", "ringing",
})


def find_header_handles(lines: list[Line], index: int) -> Iterator[Found]:
    if index == 0:
        return
    line, above = lines[index], lines[index - 1]
    if index >= 2 and not _has_word(above.text):
        above = lines[index - 2]  # a line of marks only: the avatar beside the name
    bottom = max(other.box[3] for other in lines)
    if bottom <= 0 or line.box[1] > bottom * _HEADER_PART:
        return
    if not _NAME_WORD_RE.search(above.text) or not _just_below(above, line):
        return
    words = _beside(line, above)
    if any(w.startswith("@") and len(w) > 2 for w in words):
        return
    handles = [w for w in words if _USERNAME_RE.fullmatch(w)]
    # One username and nothing else that reads as a word: four letters or more, or a word in
    # lower case ("are you there" is a message, not a header).
    others = [w for w in words if w not in handles and (
        sum(c.isalpha() for c in w) >= 4 or (len(w) >= 3 and w.isalpha() and w.islower()))]
    if len(handles) != 1 or others:
        return
    match = _USERNAME_RE.fullmatch(handles[0])
    name = match["name"].rstrip(".") if match else ""
    if match is None or name in _NOT_NAMES:
        return
    # Without a sign of Instagram on the page (its "Message..." box is often too faint to
    # read), only a name that looks made up: a digit, a dot or an underscore in it.
    # With one, a plain word of eleven letters or more ("realadamkhan"): shorter ones are
    # as likely a message ("there", "whatever", "understand") as a name.
    if not _MADE_UP_RE.search(name) and (len(name) < _PLAIN_NAME_SHORTEST or not any(
            _CUE_RE.search(other.lower) for other in lines)):
        return
    start = line.text.find(handles[0])
    if start < 0:
        return
    yield identifier_found(IdentifierType.USERNAME, "@" + name,
                           ((index, start, start + len(name)),), _INSTAGRAM)


def _has_word(text: str) -> bool:
    return any(sum(c.isalpha() for c in word) >= 2 for word in text.split(" "))


def _beside(line: Line, above: Line) -> list[str]:
    """The words of `line` under or near the name above: OCR may join the header's line
    to a line of another column level with it ("Messages" at the far left of Instagram)."""
    height = max(1, above.box[3] - above.box[1])
    left, right = above.box[0] - 4 * height, above.box[2] + 4 * height
    near = [n for n in dict.fromkeys(line.owners) if 0 <= n < len(line.page_words)
            and line.page_words[n].left < right
            and line.page_words[n].left + line.page_words[n].width > left]
    return [line.page_words[n].text for n in near] if line.page_words else line.text.split(" ")


def _just_below(above: Line, line: Line) -> bool:
    """`line` sits lower than `above`, starting within a line's height under it, and the
    two overlap sideways. (The avatar beside both may stretch a line's box upwards, so
    their middles are compared, not their tops.)"""
    height = max(1, above.box[3] - above.box[1])
    overlaps = line.box[0] < above.box[2] and above.box[0] < line.box[2]
    lower = line.box[1] + line.box[3] > above.box[1] + above.box[3]
    return overlaps and lower and line.box[1] <= above.box[3] + height
