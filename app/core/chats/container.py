"""Reading an export's files safely: one plain file, or the members of a ZIP or TAR file,
never unpacked.

Exports come from phones and download pages, but a file a person is sent may be built to
harm: member names that climb out of a folder (`../`, `/etc/...`, `C:\\...`), symlinks, or a
ZIP bomb. Unsafe members are left out (and counted, so the person is told); a member is read
only through zipfile's own stream, which stops at the size the ZIP declares, and only when that
size and its compression ratio are sane. Nothing is ever written to disk.
"""

import io
import json
import re
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Protocol

from app.core.chats.outlook_msg import MAX_MSG_BYTES, OLE_MAGIC, as_eml, looks_like_msg
from app.core.chats.tar_members import TarListing, list_members, looks_like_tar
from app.core.chats.window import Window
from app.errors import ChatExportUnreadable
from app.i18n import tr

#: JSON is parsed whole (the formats nest messages in one object); beyond this it is refused.
MAX_JSON_BYTES = 512 * 1024 * 1024
#: A text export streams, so it may be large; a member declaring more than this is refused.
MAX_MEMBER_BYTES = 8 * 1024 * 1024 * 1024
#: Chat text compresses about 3 to 10 times; a member unpacking to far more is a bomb.
MAX_COMPRESSION_RATIO = 200
#: Ratios of small members say nothing (a page of one repeated letter compresses 1000-fold).
RATIO_CHECK_FROM_BYTES = 1024 * 1024
MAX_MEMBERS = 500_000
#: How much of a file detection looks at.
HEAD_BYTES = 64 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")


def damaged() -> ChatExportUnreadable:
    return ChatExportUnreadable(
        tr("This chat export could not be read: it is damaged or incomplete."))


def _unsafe(info: zipfile.ZipInfo) -> bool:
    name = info.filename
    if "\\" in name or name.startswith("/") or _DRIVE.match(name) or "\0" in name:
        return True
    if any(part in ("..", ".") for part in name.split("/")):
        return True
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode) or bool(info.flag_bits & 0x1)  # symlink, or encrypted


class Source(Protocol):
    """Where an export's bytes are: a file on disk, or an item already stored in a case (read
    back from it, never written out). `name` and `stem` are the file's own name."""

    @property
    def name(self) -> str: ...

    @property
    def stem(self) -> str: ...

    def open_binary(self) -> IO[bytes]:
        """A fresh, seekable handle on the whole file, closed by the caller."""
        ...

    def size(self) -> int: ...


@dataclass(frozen=True)
class FileSource:
    """A file on disk."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def place(self) -> str:
        return self.path.as_posix()

    def open_binary(self) -> IO[bytes]:
        return self.path.open("rb")

    def size(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class BytesSource:
    """A file's bytes already in memory (intake has just read and hashed them)."""

    name: str
    data: bytes
    place: str = ""  # where it was, as the batch shows it (Container.place)

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    def open_binary(self) -> IO[bytes]:
        return io.BytesIO(self.data)

    def size(self) -> int:
        return len(self.data)


def as_source(path: "Path | Source") -> Source:
    return FileSource(path) if isinstance(path, Path) else path


def cut_zip_note(data: bytes) -> str | None:
    """One calm sentence when `data` starts as a ZIP file but is not a whole one (a download
    cut short): nothing inside it can be read, not even whether it is a chat export."""
    return _cut_note(data[:4], io.BytesIO(data))


def cut_zip_note_in(handle: IO[bytes], size: int) -> str | None:
    """`cut_zip_note` for a file too large to hold in memory, read where the ZIP library
    looks (its first bytes, its end). Leaves the handle at the start."""
    handle.seek(0)
    try:
        # zipfile moves about from the end; the reader moves only from the start.
        return _cut_note(handle.read(4), Window(handle, 0, size, owns_handle=False))
    finally:
        handle.seek(0)


def _cut_note(head: bytes, whole: Any) -> str | None:
    if head.startswith(b"PK\x03\x04") and not zipfile.is_zipfile(whole):
        return tr("This ZIP file looks damaged or incomplete (a download cut short?), so "
                  "Safekeep could not look inside it. It is kept as it is.")
    return None


@dataclass(frozen=True)
class Container:
    """A file to read an export from. `members` are the safe file names inside (for a plain
    file, just its own name); each read opens the file again, so nothing stays open."""

    path: Source
    is_zip: bool
    members: tuple[str, ...]
    ignored: int = 0
    tar: TarListing | None = field(default=None, compare=False)  # for a TAR file
    attached: tuple[str, ...] = ()  # a saved e-mail's attached files (email_parts.py)
    # Their bytes, decoded on first use all at once: each member read (its size, then its
    # bytes) would otherwise parse the whole e-mail again.
    _decoded: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    @property
    def place(self) -> str:
        """Where a lone file was when it was added ('/'-separated, the folders above it
        included), where that is known; else its own name. Meta's downloads say Instagram or
        Messenger in their folders' names only."""
        place = getattr(self.path, "place", "")
        return place.replace("\\", "/") if isinstance(place, str) and place else self.path.name

    @property
    def is_archive(self) -> bool:
        """A ZIP or TAR file, whose members are read; otherwise the file is its only member."""
        return self.is_zip or self.tar is not None

    @property
    def cut(self) -> int:
        """Members of a TAR file left out because the archive ends before their bytes do."""
        return self.tar.cut if self.tar is not None else 0

    @classmethod
    def open(cls, where: "Path | Source", *, attachments: bool = False) -> "Container":
        """With `attachments`, a saved e-mail's attached files are members too (listing them
        reads the whole e-mail, which detection need not)."""
        path = as_source(where)
        with path.open_binary() as handle:
            is_zip = zipfile.is_zipfile(handle)
            if not is_zip and looks_like_tar(handle):
                return cls._open_tar(path, handle)
        if not is_zip:
            path = _msg_as_eml(path)
            attached = _email_attachments(path) if attachments else ()
            return cls(path, False, (path.name, *attached), attached=attached)
        try:
            with path.open_binary() as handle, zipfile.ZipFile(handle) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise damaged() from error
        if len(infos) > MAX_MEMBERS:
            raise ChatExportUnreadable(
                tr("This ZIP file holds too many files to be a chat export."))
        files = [i for i in infos if not i.is_dir()]
        safe = tuple(i.filename for i in files if not _unsafe(i))
        return cls(path, True, safe, len(files) - len(safe))

    @classmethod
    def _open_tar(cls, path: Source, handle: IO[bytes]) -> "Container":
        try:
            listing = list_members(handle, path.size())
        except (tarfile.TarError, OSError, UnicodeError) as error:
            raise damaged() from error
        except ValueError as error:
            raise ChatExportUnreadable(
                tr("This TAR file holds too many files to be a chat export.")) from error
        return cls(path, False, tuple(listing.members), listing.unsafe, listing)

    def size(self, member: str) -> int:
        if member in self.attached:
            return len(self._attachment(member))
        if self.tar is not None:
            return self.tar.members[member].size
        if not self.is_zip:
            return self.path.size()
        with self.path.open_binary() as handle, zipfile.ZipFile(handle) as archive:
            return archive.getinfo(member).file_size

    @contextmanager
    def binary(self, member: str) -> Iterator[IO[bytes]]:
        if member in self.attached:
            yield io.BytesIO(self._attachment(member))
            return
        if self.tar is not None:
            place = self.tar.members[member]  # KeyError for a name left out as unsafe
            window = Window(self.path.open_binary(), place.offset, place.size)
            with io.BufferedReader(window) as stream:
                yield stream
            return
        if not self.is_zip:
            with self.path.open_binary() as handle:
                yield handle
            return
        if member not in self.members:
            raise KeyError(member)  # unsafe names are never opened, even when asked for
        try:
            with self.path.open_binary() as handle, zipfile.ZipFile(handle) as archive:
                info = archive.getinfo(member)
                _check_bomb(info)
                with archive.open(info) as stream:
                    yield stream
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as error:
            # also when raised while the caller reads: a bad CRC shows only at the end
            raise damaged() from error

    @contextmanager
    def text(self, member: str) -> Iterator[IO[str]]:
        """The member as text lines: UTF-8 (with or without BOM) or UTF-16 with its BOM.
        Undecodable bytes become U+FFFD so one bad byte in 2 GB loses one character."""
        with self.binary(member) as raw:
            encoding = _encoding(raw.read(4))
            raw.seek(0)
            wrapper = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None)
            try:
                yield wrapper
            finally:
                wrapper.detach()

    def head(self, member: str, limit: int = HEAD_BYTES) -> bytes:
        with self.binary(member) as raw:
            return raw.read(limit)

    def load_json(self, member: str) -> Any:
        if self.size(member) > MAX_JSON_BYTES:
            raise ChatExportUnreadable(
                tr("This chat export is larger than Safekeep reads in one piece (512 MiB)."))
        with self.binary(member) as raw:
            data = raw.read(MAX_JSON_BYTES + 1)
        if len(data) > MAX_JSON_BYTES:
            raise ChatExportUnreadable(
                tr("This chat export is larger than Safekeep reads in one piece (512 MiB)."))
        try:
            return json.loads(data)  # bytes: json finds UTF-8, -16 or -32 itself
        except (ValueError, RecursionError) as error:
            raise damaged() from error

    def _attachment(self, member: str) -> bytes:
        """An attached file of a saved e-mail, decoded (the e-mail is at most
        email_message.MAX_EMAIL_BYTES)."""
        if not self._decoded:
            from app.core.chats.email_parts import attachment_bytes, named_attachments, parse_email

            with self.path.open_binary() as handle:
                parsed = parse_email(handle.read())
            self._decoded.update((name, attachment_bytes(part))
                                 for name, part in named_attachments(parsed))
        return self._decoded.get(member, b"")


def _email_attachments(path: Source) -> tuple[str, ...]:
    """The attached files' member names, when `path` is a saved e-mail small enough to read."""
    from app.core.chats.email_message import MAX_EMAIL_BYTES, looks_like_email
    from app.core.chats.email_parts import named_attachments, parse_email

    with path.open_binary() as handle:
        text = decode_head(handle.read(HEAD_BYTES))
        if text is None or not looks_like_email(text) or path.size() > MAX_EMAIL_BYTES:
            return ()
        handle.seek(0)
        try:
            return tuple(name for name, _ in named_attachments(parse_email(handle.read())))
        except Exception:  # the reader says why the e-mail itself cannot be read
            return ()


def _msg_as_eml(path: Source) -> Source:
    """An Outlook .msg file as the saved e-mail it holds (outlook_msg.py), read by the e-mail
    reader; any other file as it is."""
    with path.open_binary() as handle:
        head = handle.read(HEAD_BYTES)
    # Outlook writes the directory, which names the property streams, near the start; where
    # it lies past a large attachment, the name says what the file is meant to be.
    named = head.startswith(OLE_MAGIC) and path.name.lower().endswith(".msg")
    if not (looks_like_msg(head) or named) or path.size() > MAX_MSG_BYTES:
        return path
    with path.open_binary() as handle:
        data = handle.read(MAX_MSG_BYTES + 1)
    try:
        return BytesSource(path.name, as_eml(data))
    except Exception as error:  # olefile and the e-mail writer raise many kinds on a crafted one
        raise damaged() from error


def _check_bomb(info: zipfile.ZipInfo) -> None:
    if info.file_size > MAX_MEMBER_BYTES or (
            info.file_size > RATIO_CHECK_FROM_BYTES
            and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
        raise ChatExportUnreadable(tr(
            "This ZIP file unpacks to far more than its own size, as harmful files do, "
            "so Safekeep did not read it."))


def _encoding(start: bytes) -> str:
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8-sig"


#: Stray bytes a text file's head may hold and still be text: a few, or one in 200 characters
#: (a picture or random data has one in two or three).
_STRAY_ALLOWED = 4
_STRAY_PER_CHARS = 200


def decode_head(head: bytes) -> str | None:
    """The start of a file as text, or None when it is not text in an encoding exports use
    (random bytes, a picture). A multi-byte character cut at the end is allowed, and so are a
    few stray bytes (a NUL, one character in another encoding): the readers replace them as
    they read, so a chat with one odd byte near its start is read like one with it at its end.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8-sig", errors="replace")
        if text.endswith("\ufffd"):  # perhaps a character cut by the end of the head
            text = text.rstrip("\ufffd")
    stray = text.count("\ufffd") + text.count("\0")
    if stray > max(_STRAY_ALLOWED, len(text) // _STRAY_PER_CHARS):
        return None
    return text
