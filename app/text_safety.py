"""The one rule for hostile and invisible characters, and the three ways of rendering them.

Values in a case come from criminals as often as from victims. A character that controls a
terminal, reorders text or shows as nothing can make a value read differently from what it is:
U+202E turns "gpj.exe" into "exe.jpg" on screen ("Trojan Source"), U+200B or U+2060 make
"pay\u200bpal" look like "paypal", a newline in a value can start a line that looks like one
of ours ("Crime reference: ..."), and tag characters (U+E0020-U+E007F) can carry a whole
message nobody sees. Every place that shows case text to a person (the window, the CLI, the
PDF, the CSVs, file names in a bundle, texts to paste into a police form) uses this module,
so all of them agree on what is hidden.

A character is *hidden* when it is:

- a control character (category Cc: C0, DEL and C1, with tab and the line breaks);
- a format character (Cf): the bidi embeddings, overrides, isolates and marks (U+202A-U+202E,
  U+2066-U+2069, U+200E, U+200F, U+061C), the zero-width ones (U+200B-U+200D, U+2060-U+2064,
  U+FEFF, U+180E), the soft hyphen U+00AD, tag characters, and the rest of the category;
- a line or paragraph separator (Zl, Zp: U+2028, U+2029), which break lines like a newline;
- a surrogate (Cs: only lone ones reach Python, from undecodable bytes), a private-use
  character (Co: no meaning anyone agrees on, and our fonts draw none), or a code point this
  Python's Unicode database does not know (Cn, including the noncharacters U+FFFE, U+FFFF and
  U+FDD0-U+FDEF): a later Unicode may make an unknown one a format character;
- one of Unicode's other default-ignorable characters, which renderers draw as nothing
  although their category looks harmless: the combining grapheme joiner U+034F, the Hangul
  fillers (U+115F, U+1160, U+3164, U+FFA0, used for "blank" user names), the Khmer inherent
  vowels U+17B4 and U+17B5, the Mongolian free variation selectors, and the variation
  selectors U+FE00-U+FE0D and U+E0100-U+E01EF. These pick rare glyph variants, and a run of
  them can carry a hidden message (each one is a byte).

Not hidden, on purpose: U+FE0E and U+FE0F, which only choose text or emoji style for the
character before them and are in everyday emoji ("\u2764\ufe0f"); spaces of every width, which
show as space (a file name turns them into plain spaces itself). The price of a whole-category
rule is small and known: an emoji joined with U+200D or a flag built from tag characters shows
as its parts, and U+200C between Persian or Indic letters is dropped or shown as an escape.

The renderings, each for its channels:

- `drop_hidden`: remove them (texts to paste into a form, file names);
- `escape_hidden`: show each as `\\u202e` (the CLI, CSV cells, README lines, the PDF, window
  labels), so nothing is hidden and the person can see something odd is there;
- `flatten`: line breaks and tabs become spaces, for fields shown on one line;
- `json_escape_hidden`: JSON's own `\\u202e` escapes in a JSON document (the CLI's --json),
  which a JSON reader turns back into the exact value.

`pasteable_line` and `visible_line` are the usual combinations. Each channel keeps its own
further rules (file names avoid separators, CSV neutralises formulas, the PDF escapes markup).
"""

import functools
import re
import unicodedata

HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"})

# Default-ignorable code points (Unicode's DerivedCoreProperties.txt) whose category is not in
# HIDDEN_CATEGORIES, less U+FE0E and U+FE0F (see the module docstring).
_IGNORABLE_MARKS = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u3164\ufe00-\ufe0d\uffa0"
    "\U000e0100-\U000e01ef]"
)

# What `str.splitlines()` breaks on, plus tab: each becomes one space when a field is flattened.
_LINE_BREAKS = re.compile("\r\n|[\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029]")


def is_hidden(ch: str) -> bool:
    """True if the character `ch` is in the set above."""
    return unicodedata.category(ch) in HIDDEN_CATEGORIES or _IGNORABLE_MARKS.match(ch) is not None


def _plain(text: str) -> bool:
    """True when `text` surely holds nothing hidden: the common case, without a loop in Python.

    `str.isprintable()` is False for every character of the hidden categories (and for spaces
    other than " "), so printable text can hold only the few default-ignorable marks, none of
    them ASCII."""
    if text.isascii():
        return text.isprintable()
    return text.isprintable() and _IGNORABLE_MARKS.search(text) is None


def has_hidden(text: str, *, keep: str = "") -> bool:
    """True if `text` holds a hidden character other than those in `keep`."""
    if _plain(text):
        return False
    return any(is_hidden(ch) and ch not in keep for ch in text)


def escape_char(ch: str) -> str:
    """`\\u202e` for a character of the Basic Multilingual Plane, `\\U000e0041` beyond it."""
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def escape_hidden(text: str, *, keep: str = "") -> str:
    """Every hidden character (except those in `keep`) as a visible escape; all else as is."""
    if _plain(text) or (keep and _plain(text.translate(_as_spaces(keep)))):
        return text  # the common case: nothing hidden, or only the characters kept (CR, LF)
    # A slice at a time: a character at a time over a whole long text held a list entry
    # per character (nine times a megabyte-long CSV cell).
    return "".join(
        "".join(escape_char(ch) if ch not in keep and is_hidden(ch) else ch
                for ch in text[start:start + _SLICE])
        for start in range(0, len(text), _SLICE))


_SLICE = 1 << 16


@functools.lru_cache(maxsize=8)
def _as_spaces(characters: str) -> dict[int, str]:
    return {ord(ch): " " for ch in characters}


def drop_hidden(text: str, *, keep: str = "") -> str:
    """`text` without its hidden characters (except those in `keep`)."""
    if _plain(text):
        return text
    return "".join(ch for ch in text if ch in keep or not is_hidden(ch))


def json_escape_hidden(document: str) -> str:
    """A JSON document from `json.dumps(..., ensure_ascii=False)` with every hidden character
    except the newlines between its lines written as a JSON escape, so `json.loads` gives back
    exactly the same values. (json.dumps escapes C0 controls in strings itself, so a hidden
    character left in its output is always inside a string, where an escape means the same.)"""
    if _plain(document.replace("\n", " ")):
        return document
    return "".join(_json_escape(ch) if ch != "\n" and is_hidden(ch) else ch for ch in document)


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON escapes are UTF-16 code units: a surrogate pair beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def flatten(text: str) -> str:
    """Every line break (CR LF counts as one) and tab as one space: a value for one line."""
    return _LINE_BREAKS.sub(" ", text)


def pasteable_line(text: str) -> str:
    """One line of plain text to paste into a form: breaks as spaces, hidden ones dropped,
    no spaces at either end."""
    return drop_hidden(flatten(text)).strip()


def visible_line(text: str) -> str:
    """One line to show a person (a table cell, a label): breaks as spaces, every other
    hidden character as an escape."""
    return escape_hidden(flatten(text))
