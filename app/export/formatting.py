"""Shared ways of writing times, sizes and hostile text in the bundle's PDF, CSV and README.

Times are written twice on purpose: UTC is what the audit log and the manifest use and what
officers compare across systems; local time is what the person saw on their screen when they
took a screenshot, and what they will remember in an interview.
"""

import unicodedata
from datetime import UTC, datetime, timedelta

# Bidi controls reorder what a reader sees (U+202E turns "gpj.exe" into "exe.jpg" on screen);
# the zero-width ones hide text. In the bundle they are shown as escapes so nothing is hidden.
BIDI_AND_INVISIBLE = frozenset(
    [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)),
     "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\u2060", "\ufeff"]
)


def escape_char(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible_text(text: str, *, keep: str = "\t\n\r") -> str:
    """Control, bidi and invisible characters as `\\u0007`-style escapes; all else unchanged.

    Used where text must stay text (CSV cells, README lines, terminal output) but a crafted
    value must not hide, reorder or rewrite what is around it.
    """
    if text.isprintable() and not any(ch in BIDI_AND_INVISIBLE for ch in text):
        return text  # the common case, without a per-character loop
    out = []
    for ch in text:
        if ch in keep:
            out.append(ch)
        elif ch in BIDI_AND_INVISIBLE or unicodedata.category(ch) in ("Cc", "Cs"):
            out.append(escape_char(ch))
        else:
            out.append(ch)
    return "".join(out)


def one_line(text: str, limit: int = 200) -> str:
    """A value for a single line (README, header, messages): escapes, no newlines, shortened."""
    flat = visible_text(text, keep="")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def iso_utc(value: datetime | None) -> str:
    """Machine-readable UTC, to the second: 2024-03-01T21:14:05Z."""
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_text(value: datetime | None, *, seconds: bool = True) -> str:
    if value is None:
        return ""
    pattern = "%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC"
    return value.astimezone(UTC).strftime(pattern)


def local_text(value: datetime | None, *, seconds: bool = True) -> str:
    """The computer's local time with its offset: 2024-03-01 22:14:05 BST (UTC+01:00)."""
    if value is None:
        return ""
    local = value.astimezone()
    clock = local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    offset = local.strftime("%z")
    offset_text = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    zone = local.tzname() or ""
    # Some systems name zones "+01"; repeating the offset twice helps nobody.
    if zone and not zone.startswith(("+", "-")) and zone != "UTC":
        return f"{clock} {zone} ({offset_text})"
    return f"{clock} ({offset_text})"


def local_is_utc(value: datetime) -> bool:
    """True when the local clock read the same as UTC at that moment (a UTC computer, or the
    UK in winter): then one time is enough, and a second identical one would only confuse."""
    return value.astimezone().utcoffset() == timedelta(0)


def size_text(size: int) -> str:
    """1.4 MB (1,432,123 bytes): the rounded size to read, the exact one to check."""
    if size < 1000:
        return f"{size:,} bytes"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            return f"{value:.1f} {unit} ({size:,} bytes)"
    raise AssertionError("unreachable")


def evidence_number(evidence_id: int) -> str:
    """The item's number as shown everywhere in the bundle (report, CSV, file names)."""
    return f"{evidence_id:04d}"
