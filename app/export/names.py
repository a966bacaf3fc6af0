"""Safe names in a bundle: originals as `AB-3_<first 8 hex>_<sanitised name>`, the bundle's
one top-level folder (and its file name) from the case's alias, crime reference and date.

Original names come from criminals as often as from victims: a name may hold path separators,
`..`, control or bidi characters (U+202E makes `gpj.exe` read as `exe.jpg`), a reserved
Windows device name, or be too long for the officer's file system. The exhibit reference and
the hash prefix make every name unique and tie it to the report; the sanitised original name
keeps it recognisable. The exact original name stays in manifest.json and csv/evidence.csv.
"""

import re
import unicodedata
from datetime import date

from app.text_safety import is_hidden

MAX_NAME_CHARS = 100
# ext4, NTFS and most others allow 255 *bytes* per name: 100 CJK or emoji characters would be
# 300-400 bytes of UTF-8, so the byte length is limited too.
MAX_NAME_BYTES = 200
_MAX_EXTENSION_CHARS = 12

# Characters Windows refuses in names, plus look-alike slashes a person could mistake for a
# folder boundary when reading the name.
_FORBIDDEN = set('/\\:*?"<>|') | {"\u2215", "\u2044", "\uff0f", "\uff3c", "\u29f8", "\u29f9"}
# Printable ASCII needs only the forbidden characters replaced: a table does it in C (a case of
# 30,000 items has 30,000 names to clean at every export).
_ASCII_FORBIDDEN = str.maketrans({ch: "_" for ch in _FORBIDDEN if ch.isascii()})
_RESERVED = re.compile(
    r"(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])", re.IGNORECASE
)
_EXTENSION = re.compile(rf"\.[A-Za-z0-9]{{1,{_MAX_EXTENSION_CHARS - 1}}}$")


def is_reserved_windows_name(name: str) -> bool:
    """True for CON, nul.txt, com1.tar.gz, "AUX " ...: Windows treats the part before the
    first dot, ignoring trailing spaces, as a device name whatever the extension."""
    stem = name.split(".", 1)[0].rstrip(" ")
    return _RESERVED.fullmatch(stem) is not None


def _clean_char(ch: str) -> str:
    if ch in _FORBIDDEN:
        return "_"
    category = unicodedata.category(ch)
    if is_hidden(ch):  # the one set in app/text_safety.py: dropped, except controls and line
        # separators (tab, newline, NUL, escape...), which keep the words on each side apart
        return "_" if category in ("Cc", "Zl", "Zp") else ""
    if category.startswith("Z"):  # every kind of space becomes a plain space
        return " "
    return ch


def sanitise_name(original: str) -> str:
    """The original name reduced to something every file system and every eye reads the same.

    Never empty; no separators, no `..`, no control, bidi or invisible characters; no trailing
    dots or spaces; not a reserved Windows name; at most MAX_NAME_CHARS characters (and
    MAX_NAME_BYTES bytes of UTF-8), keeping the extension.
    """
    if original.isascii() and original.isprintable():
        text = original.translate(_ASCII_FORBIDDEN)
    else:
        text = "".join(_clean_char(ch) for ch in unicodedata.normalize("NFC", original))
    # Each pattern only where it can match: most names have none (two names an item).
    if ".." in text:
        text = re.sub(r"\.{2,}", ".", text)  # ".." anywhere: never a parent-folder step
    if "  " in text:
        text = re.sub(r" {2,}", " ", text)
    text = text.strip(" .")
    if "___" in text:
        text = re.sub(r"_{3,}", "__", text)
    if not text:
        text = "file"
    if is_reserved_windows_name(text):
        text = f"_{text}"
    return fit_length(text, MAX_NAME_CHARS, MAX_NAME_BYTES)


def fit_length(name: str, max_chars: int, max_bytes: int = MAX_NAME_BYTES) -> str:
    """Shorten the stem (never the extension) until the name fits both limits."""

    def fits(candidate: str) -> bool:
        return len(candidate) <= max_chars and len(candidate.encode("utf-8")) <= max_bytes

    if fits(name):
        return name
    match = _EXTENSION.search(name)
    extension = match.group(0) if match and match.start() > 0 else ""
    stem = name[: len(name) - len(extension)]
    while stem and not fits(stem + extension):
        stem = stem[:-1]
    stem = stem.rstrip(" .") or "file"
    result = stem + extension
    while not fits(result):  # only when the extension alone is too long for the limits
        result = result[:-1]
    return result.rstrip(" .") or "file"


def evidence_file_name(exhibit_stem: str, sha256: str, original_name: str) -> str:
    """`AB-3_3fa9c2d1_screenshot.png`: the exhibit reference ("AB/3", written "AB-3" where a
    "/" cannot go), the first 8 hex of the SHA-256, and the original name made safe."""
    prefix = f"{sanitise_name(exhibit_stem)}_{sha256[:8].lower()}_"
    # The extension is at most 12 characters, so shortening never reaches the prefix.
    return fit_length(prefix + sanitise_name(original_name), MAX_NAME_CHARS)


_PART_CHARS = 32  # alias and crime reference each; the folder stays short enough for Windows
_NOT_PLAIN = re.compile(r"[^A-Za-z0-9]+")
FOLDER_PREFIX = "Safekeep"


def _name_part(text: str) -> str:
    """One part of the folder name: ASCII letters and digits only ("José" gives "Jose"),
    anything else one "-". The name is typed into terminals (`cd NAME`) and read aloud over
    the phone, so no quote, `$`, `..`, formula sign or look-alike character may reach it."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(ch))
    return _NOT_PLAIN.sub("-", plain).strip("-")[:_PART_CHARS].strip("-")


def bundle_folder_name(case_alias: str, crime_reference: str | None, day: date) -> str:
    """`Safekeep-Alex-WMP-20251114-0042-2026-11-30`: the one folder at the top of the ZIP.

    Officers receive many files: the prefix says where it comes from, the alias (the name the
    case was given, which may itself be an alias) and the crime reference say which case, the
    date which bundle is newer. Parts that come out empty (no crime reference yet, an alias
    in a script other than Latin) are left out.
    """
    parts = [FOLDER_PREFIX, _name_part(case_alias), _name_part(crime_reference or ""),
             day.isoformat()]
    return "-".join(p for p in parts if p)


def is_bundle_folder_name(name: str) -> bool:
    """True for a name `bundle_folder_name` could have made (verify checks it)."""
    return _FOLDER_NAME.fullmatch(name) is not None


_FOLDER_NAME = re.compile(rf"{FOLDER_PREFIX}(-[A-Za-z0-9]+)*-\d{{4}}-\d{{2}}-\d{{2}}")


def bundle_file_name(case_alias: str, day: date, crime_reference: str | None = None) -> str:
    """The ZIP's suggested name: its folder's name and ".zip"."""
    return bundle_folder_name(case_alias, crime_reference, day) + ".zip"
