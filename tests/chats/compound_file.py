"""A Compound File Binary writer ([MS-CFB], version 3: 512-byte sectors), for writing Outlook
.msg files ([MS-OXMSG]) in tests: no library writes one from nothing. Streams under 4,096
bytes go in the mini stream (64-byte sectors), as the format requires; each storage's children
form a binary search tree in the format's order (shorter names first, then by upper case)."""

import struct
from dataclasses import dataclass, field

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: dict[str, "_Entry"] = field(default_factory=dict)
    id: int = 0
    start: int = END
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM


def _key(entry: _Entry) -> tuple[int, str]:
    return len(entry.name), entry.name.upper()


def _tree(entries: list[_Entry]) -> int:
    """The id of the root of a balanced tree of these siblings, their links set."""
    if not entries:
        return NOSTREAM
    middle = len(entries) // 2
    node = entries[middle]
    node.left, node.right = _tree(entries[:middle]), _tree(entries[middle + 1:])
    return node.id


def _chain(fat: list[int], first: int, count: int) -> None:
    for n in range(count):
        fat[first + n] = first + n + 1 if n + 1 < count else END


def compound_file(streams: dict[str, bytes], *, directory_last: bool = False) -> bytes:
    """The file holding `streams`, named by '/'-separated paths ("a/b" is stream b in storage
    a; a storage with nothing in it is named with a trailing '/'). `directory_last` puts the
    directory after the streams' data, as a writer may."""
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        node = root
        *folders, name = path.split("/")
        for folder in folders:
            node = node.children.setdefault(folder, _Entry(folder, 1))
        if name:
            node.children[name] = _Entry(name, 2, data)
    order: list[_Entry] = []

    def number(entry: _Entry) -> None:
        entry.id = len(order)
        order.append(entry)
        for child in entry.children.values():
            number(child)
    number(root)
    for entry in order:
        entry.child = _tree(sorted(entry.children.values(), key=_key))

    mini = bytearray()
    minifat: list[int] = []
    big: list[_Entry] = []
    for entry in order:
        if entry.kind != 2 or not entry.data:
            continue
        if len(entry.data) < CUTOFF:
            entry.start = len(mini) // MINI
            count = -(-len(entry.data) // MINI)
            minifat += [entry.start + n + 1 if n + 1 < count else END for n in range(count)]
            mini += entry.data.ljust(count * MINI, b"\0")
        else:
            big.append(entry)
    directory_sectors = -(-len(order) * 128 // SECTOR)
    minifat_sectors = -(-len(minifat) * 4 // SECTOR)
    mini_sectors = -(-len(mini) // SECTOR)
    big_sectors = sum(-(-len(e.data) // SECTOR) for e in big)
    rest = directory_sectors + minifat_sectors + mini_sectors + big_sectors
    fat_sectors = 1
    while fat_sectors * 128 < rest + fat_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109, "the header's FAT list holds 109 sectors"
    fat = [FREE] * (fat_sectors * 128)
    for n in range(fat_sectors):
        fat[n] = FATSECT
    at = fat_sectors
    if directory_last:
        at += big_sectors  # the streams' data first; the directory after it
    directory_start = at
    _chain(fat, at, directory_sectors)
    at += directory_sectors
    minifat_start = at if minifat_sectors else END
    _chain(fat, at, minifat_sectors)
    at += minifat_sectors
    root.start = at if mini_sectors else END
    root.data = bytes(mini)
    _chain(fat, at, mini_sectors)
    at += mini_sectors
    body = bytearray()
    if directory_last:
        at = fat_sectors
    for entry in big:
        count = -(-len(entry.data) // SECTOR)
        entry.start = at
        _chain(fat, at, count)
        at += count
        body += entry.data.ljust(count * SECTOR, b"\0")

    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                         b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, fat_sectors,
                         directory_start, 0, CUTOFF, minifat_start, minifat_sectors, END, 0)
    header += struct.pack("<109I", *([*range(fat_sectors)] + [FREE] * (109 - fat_sectors)))
    directory = bytearray()
    for entry in order:
        name = entry.name.encode("utf-16-le")
        directory += struct.pack("<64sHBBIII16sIQQIQ", name, len(name) + 2, entry.kind, 1,
                                 entry.left, entry.right, entry.child, b"\0" * 16, 0, 0, 0,
                                 entry.start, len(entry.data))
    directory = directory.ljust(directory_sectors * SECTOR, b"\0")
    for unused in range(len(order), directory_sectors * 4):  # empty entries: no siblings
        offset = unused * 128
        directory[offset + 68:offset + 80] = struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
    small = [bytes(directory), struct.pack(f"<{len(minifat)}I", *minifat).ljust(
        minifat_sectors * SECTOR, b"\xff"), bytes(mini).ljust(mini_sectors * SECTOR, b"\0")]
    parts = [bytes(body), *small] if directory_last else [*small, bytes(body)]
    return b"".join([header, struct.pack(f"<{len(fat)}I", *fat), *parts])
