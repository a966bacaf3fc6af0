"""Reading a bundle's files for `verify`, within bounds: a file is one ZIP entry or the pieces
of a large original (read in order, a megabyte at a time, never whole); a text file is read a
line at a time with a longest line; JSON is parsed only when its size and shape bound the
memory its objects can take; problems are kept up to a number and then only counted.
"""

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyzipper  # reads plain and AES ZIPs alike

from app.errors import WrongPassphrase
from app.i18n import tr

# pyzipper carries its own copy of zipfile, with its own exception classes.
BAD_ZIP = (zipfile.BadZipFile, pyzipper.BadZipFile)
_CHUNK = 1 << 20
SHOWN_PROBLEMS = 50


class Unreadable(Exception):
    pass


# Why a file was not read: the name stored beside its bytes is not the one in the ZIP's list.
OTHER_NAME = "stored under another name"
# Why a file of an unzipped bundle was not read: the disk or its permissions would not let it.
NOT_READ = "could not be read"


class Problems:
    """The first problems found, and how many there were: a bundle built to have millions of
    problems (10.5 million lines, 1.2 GB, before this) costs a count, not their text."""

    def __init__(self, shown: int = SHOWN_PROBLEMS) -> None:
        self.first: list[str] = []
        self.count = 0
        self._shown = shown

    def append(self, problem: str) -> None:
        self.count += 1
        if len(self.first) < self._shown:
            self.first.append(problem)

    def __bool__(self) -> bool:
        return self.count > 0


@dataclass
class Member:
    """One file of the bundle: one ZIP entry, or the pieces of a large original in order."""

    sources: list[tuple[Any, Any]]  # (open ZIP, its entry)
    # A piece's expected SHA-256 and how to name it, when the file was joined from pieces.
    piece_checks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(info.file_size for _zf, info in self.sources)

    def chunks(self) -> Iterator[tuple[int, bytes]]:
        for index, (zf, info) in enumerate(self.sources):
            try:
                with zf.open(info) as stream:
                    while chunk := stream.read(_CHUNK):
                        yield index, chunk
            except RuntimeError as exc:  # pyzipper's way of saying the passphrase is wrong
                if "password" in str(exc).lower():
                    raise WrongPassphrase(tr("That passphrase does not open this bundle.")) \
                        from None
                raise Unreadable() from None
            except BAD_ZIP as exc:
                if str(exc).startswith("File name in directory"):  # the ZIP library's words
                    raise Unreadable(OTHER_NAME) from None
                raise Unreadable() from None  # a bad CRC-32: the stored bytes were changed
            except (OSError, EOFError, ValueError, NotImplementedError):
                # A bad AES authentication code, a cut file: the stored bytes were changed.
                raise Unreadable() from None


class LineTooLong(Exception):
    pass


def lines(member: Member, longest: int) -> Iterator[bytes]:
    """The file's lines (split at "\\n" only: JSON escapes every other line break), the last
    one "" when the file ends with "\\n". Raises LineTooLong past `longest` bytes."""
    pending = b""
    for _index, chunk in member.chunks():
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            if len(line) > longest:
                raise LineTooLong()
            yield line
        if len(pending) > longest:
            raise LineTooLong()
    yield pending


class Malformed(ValueError):
    pass


def bounded_json(text: str | bytes, most_bytes: int, most_objects: int) -> Any:
    """json.loads, only for text whose size and count of brackets and quotes keep the objects
    it makes to about a dozen times its size (`[[],[],...]` alone is twenty times). Raises
    Malformed for anything else, deep nesting included."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > most_bytes or \
            raw.count(b"[") + raw.count(b"{") + raw.count(b'"') // 2 > most_objects:
        raise Malformed("too large")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError, MemoryError):
        raise Malformed("not JSON") from None


def read_small(member: Member, most: int) -> bytes:
    if member.size > most:
        raise Unreadable()
    return b"".join(chunk for _index, chunk in member.chunks())
