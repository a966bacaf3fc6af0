"""What a ZIP entry may be, for `verify` to read it: only what the exporter writes.

Officers run `verify` on files they did not make, so nothing it reads can be allowed to grow
without bound. The exporter writes plain files only, stored or deflated at level 1 (AES-256
wrapped when the bundle has a passphrase, every entry alike), at most a few hundred thousand of
them. So, before anything is decoded:
- the ZIP's central directory is measured and its entries counted straight from the file,
  because the ZIP library reads all of it into memory at once;
- bzip2 and LZMA entries are refused unread: their decoders hand back everything at once (a
  3 KB ZIP made verify use 8.4 GB), and deflate is decoded a piece at a time;
- an entry that claims to unpack to far more than deflate at level 1 ever makes of its bytes
  is refused, and so is a ZIP whose entries add up to far more than its size: hashing stays
  within a few hundred times the ZIP's own size, whatever it holds;
- links, devices, folders holding data and ZipCrypto are refused: Safekeep writes none.
"""

import stat
import struct
import zipfile
from pathlib import Path
from typing import Any

from app.export.formatting import one_line
from app.i18n import tr

MAX_ENTRIES = 100_000  # a case of 30,000 items makes about 30,015
MAX_DIRECTORY = 64 << 20  # bytes of central directory (about 250 a file, as Safekeep names them)
# Deflate at level 1 (what the exporter uses, zlib or zlib-ng) makes at most about 230:1, of
# zeros; a bomb made at level 9 reaches 1,030:1. Small entries are cheap whatever they claim.
MAX_RATIO = 500
_SMALL = 1 << 20
_SLACK = 64 << 20  # the whole ZIP may unpack to MAX_RATIO times its size, and this much more
_AES_256 = 3
_DOS_FOLDER = 0x10


def directory_problem(path: Path) -> str | None:
    """Why the ZIP's central directory is too large to read safely, or None. Read from the
    file itself, before the ZIP library holds it all (and an object per entry) in memory."""
    try:
        with open(path, "rb") as f:
            # The ZIP library's own reader of the end record (also ZIP64): private, but the
            # same function opening the ZIP uses a moment later.
            end = zipfile._EndRecData(f)  # type: ignore[attr-defined]
            if not end:
                return None  # not a ZIP: opening it says so
            size = end[zipfile._ECD_SIZE]  # type: ignore[attr-defined]
            if size > MAX_DIRECTORY:
                return _too_many()
            start = end[zipfile._ECD_LOCATION] - size  # type: ignore[attr-defined]
            if end[zipfile._ECD_SIGNATURE] == zipfile.stringEndArchive64:  # type: ignore
                start -= zipfile.sizeEndCentDir64 + zipfile.sizeEndCentDir64Locator  # type: ignore
            if start < 0:
                return None
            f.seek(start)
            data = f.read(size)
    except OSError:
        return None
    count, at = 0, 0
    while at + 46 <= len(data) and data[at:at + 4] == b"PK\x01\x02":
        name, extra, comment = struct.unpack_from("<HHH", data, at + 28)
        at += 46 + name + extra + comment
        count += 1
        if count > MAX_ENTRIES:
            return _too_many()
    return None


def _too_many() -> str:
    return tr("This ZIP holds more than {n:,} files, more than Safekeep puts in a bundle. It "
              "was not read.").format(n=MAX_ENTRIES)


def total_problem(infos: list[Any], archive_size: int) -> str | None:
    """Why the entries together claim too much to hash, or None."""
    claimed = sum(info.file_size for info in infos)
    if claimed > MAX_RATIO * archive_size + _SLACK:
        return tr("This ZIP says it unpacks to {claimed:,} bytes from {size:,}, far more than "
                  "a bundle Safekeep made ever does. It was not read.").format(
            claimed=claimed, size=archive_size)
    return None


def is_folder(info: Any) -> bool:
    return bool(info.filename.endswith("/"))


def entry_problem(info: Any, encrypted_bundle: bool) -> str | None:
    """Why this entry is not one the exporter writes, or None. Nothing of it is decoded."""
    name = one_line(info.filename)
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if is_folder(info):
        if info.file_size:
            return tr("{name}: a folder entry holding data ({size:,} bytes). Safekeep writes "
                      "no folder entries, and an unzip tool may drop or misplace that data."
                      ).format(name=name, size=info.file_size)
        return None
    if kind == stat.S_IFLNK:
        return tr("{name}: a link, not a file. Unzipped, it could point anywhere on the "
                  "computer; Safekeep never writes links.").format(name=name)
    if kind not in (0, stat.S_IFREG) or info.external_attr & _DOS_FOLDER:
        return tr("{name}: not a plain file (a folder, device or pipe by its attributes). "
                  "Safekeep writes only plain files.").format(name=name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return tr("{name}: compressed with a method Safekeep never uses (method {method}). It "
                  "was not unpacked.").format(name=name, method=info.compress_type)
    if info.flag_bits & 0x1:
        if getattr(info, "wz_aes_vendor_id", None) is None or \
                getattr(info, "wz_aes_strength", None) != _AES_256:
            return tr("{name}: encrypted in a way Safekeep never uses (Safekeep uses "
                      "AES-256). It was not unpacked.").format(name=name)
    elif encrypted_bundle:
        return tr("{name}: not encrypted, unlike every other file of this bundle (a file was "
                  "added).").format(name=name)
    if info.file_size > _SMALL and info.file_size > MAX_RATIO * info.compress_size:
        return tr("{name}: compressed {ratio:,}:1, far more than Safekeep's files ever are "
                  "(a \"ZIP bomb\"). It was not unpacked.").format(
            name=name, ratio=info.file_size // max(1, info.compress_size))
    return None
