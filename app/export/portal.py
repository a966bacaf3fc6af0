"""A portal pack: the same bundle grouped into a few ZIP files for a police upload portal.

Upload portals take a limited number of files of limited size (Axon Citizen, used by many UK
forces: at most 16 files of at most 2 GB each). A portal pack holds exactly the bundle's files,
each inside the same top-level folder, spread over at most `max_files` ZIPs of at most
`max_size` bytes. Unzipping every part into one folder gives the bundle's folder again, so
`sha256sum -c SHA256SUMS` works as for a one-file bundle. An original too large for one part
is cut into numbered pieces (`NAME.001`, `NAME.002`...) that `cat` or `copy /b` join again.

This module only plans: which part holds which file (or piece). Sizes are bounded before
anything is written, so the plan never has to change half-way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from app.errors import InvalidInput
from app.export.bundle_zip import ARCHIVE_OVERHEAD, member_bound
from app.export.formatting import size_text
from app.i18n import tr

DEFAULT_MAX_FILES = 16
DEFAULT_MAX_SIZE = 2 * 1000**3  # "2 GB": the smaller reading of it (not 2 GiB), to be safe
MAX_PARTS = 99  # two digits in "part-01-of-16"
MIN_SIZE = 256 << 10  # small enough for tests; no real portal is this small
_PIECE_DIGITS = 3
_MIN_PIECE = 64 << 10  # no piece smaller than this, except the last piece of a file

PART_NAME = re.compile(r"(?P<stem>.+)-part-(?P<n>\d{2})-of-(?P<m>\d{2})\.zip", re.IGNORECASE)


@dataclass(frozen=True)
class PortalLimits:
    max_files: int = DEFAULT_MAX_FILES
    max_size: int = DEFAULT_MAX_SIZE  # the portal's limit per file, in bytes

    def __post_init__(self) -> None:
        if not 1 <= self.max_files <= MAX_PARTS:
            raise InvalidInput(tr("A portal pack has between 1 and {most} files.").format(
                most=MAX_PARTS))
        if self.max_size < MIN_SIZE:
            raise InvalidInput(tr("Each file of a portal pack must be allowed at least "
                                  "{size}.").format(size=size_text(MIN_SIZE)))

    @property
    def margin(self) -> int:
        """Room kept free under the portal's limit (1%): portals differ in what they count."""
        return max(4 << 10, self.max_size // 100)

    @property
    def part_capacity(self) -> int:
        """What the members of one part may take, at most."""
        return self.max_size - self.margin - ARCHIVE_OVERHEAD


def parse_size(text: str) -> int:
    """"2G", "2GB", "1.5G", "500M", "700MiB", "123456789" -> bytes (G = 1,000,000,000)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(i?)[bB]?\s*", text)
    if match is None:
        raise InvalidInput(tr("Write the size as a number with K, M or G, such as 2G or "
                              "500M."))
    unit = match.group(2).upper()
    base = 1024 if match.group(3) else 1000
    power = {"": 0, "K": 1, "M": 2, "G": 3, "T": 4}[unit]
    return int(float(match.group(1)) * base**power)


def part_file_name(stem: str, number: int, total: int) -> str:
    """`Alex-2026-11-30-part-01-of-05.zip`."""
    return f"{stem}-part-{number:02d}-of-{total:02d}.zip"


def piece_name(path: str, number: int) -> str:
    """`evidence/AB-7_1a2b3c4d_call.mp4.001`: sorted by name, the pieces join in order."""
    return f"{path}.{number:0{_PIECE_DIGITS}d}"


@dataclass(frozen=True)
class PlannedFile:
    path: str  # in the bundle's folder
    size: int
    compress: bool
    sha256: str  # as expected (an original's is checked again as it is written)
    label: str = ""  # the exhibit reference of an original, for the index


@dataclass(frozen=True)
class Segment:
    """A whole file (`pieces == 0`), or piece `piece` of `pieces` of it, in one part."""

    file: PlannedFile
    offset: int
    length: int
    piece: int = 0
    pieces: int = 0
    stored: bool = False  # kept as it is even if it would compress (its bound assumed so)

    @property
    def member(self) -> str:
        return piece_name(self.file.path, self.piece) if self.pieces else self.file.path

    @property
    def compress(self) -> bool:
        # Pieces are stored: their sizes are exact, and `cat` joins them as they are.
        return self.file.compress and not self.pieces and not self.stored


@dataclass
class Part:
    room: int
    segments: list[Segment] = field(default_factory=list)

    def take(self, segment: Segment, bound: int) -> None:
        self.segments.append(segment)
        self.room -= bound


@dataclass(frozen=True)
class Plan:
    parts: list[list[Segment]]

    def segments_of(self, path: str) -> list[tuple[int, Segment]]:
        """(part index, segment) of one file, in the file's order."""
        found = [(i, s) for i, part in enumerate(self.parts) for s in part if s.file.path == path]
        return sorted(found, key=lambda pair: pair[1].offset)

    @property
    def split_files(self) -> list[PlannedFile]:
        seen: dict[str, PlannedFile] = {}
        for part in self.parts:
            for s in part:
                if s.pieces:
                    seen.setdefault(s.file.path, s.file)
        return list(seen.values())


def _bound(segment: Segment, folder: str) -> int:
    return member_bound(segment.member, segment.length, segment.compress, folder)


def _pieces_of(f: PlannedFile, lengths: list[int]) -> list[Segment]:
    out, offset = [], 0
    for number, length in enumerate(lengths, start=1):
        out.append(Segment(f, offset, length, number, len(lengths)))
        offset += length
    return out


def _first_fit(files: list[PlannedFile], capacity: int, reserve: int, folder: str) -> list[Part]:
    """Each file whole in the first part with room for it, in the bundle's order (so exhibits
    stay mostly in runs). A file larger than a part is cut into pieces of a full part each."""
    parts = [Part(capacity - reserve)]
    for f in files:
        whole = Segment(f, 0, f.size)
        bound = _bound(whole, folder)
        if bound <= capacity:
            target = next((p for p in parts if p.room >= bound), None)
            if target is None:
                target = Part(capacity)
                parts.append(target)
            target.take(whole, bound)
            continue
        overhead = _bound(Segment(f, 0, 0, 1, 1), folder) + 16  # room for more digits too
        per_piece = capacity - overhead
        count = math.ceil(f.size / per_piece)
        lengths = [per_piece] * (count - 1) + [f.size - per_piece * (count - 1)]
        for piece in _pieces_of(f, lengths):
            bound = _bound(piece, folder)
            target = next((p for p in parts if p.room >= bound), None)
            if target is None:
                target = Part(capacity)
                parts.append(target)
            target.take(piece, bound)
    return parts


def _filled(files: list[PlannedFile], capacity: int, reserve: int, folder: str) -> list[Part]:
    """Every part filled to the brim, cutting files where a part ends: the fewest parts, at the
    price of more pieces to join. Used only when whole files do not fit the portal's count."""
    parts = [Part(capacity - reserve)]
    for f in files:
        whole = Segment(f, 0, f.size)
        if _bound(whole, folder) <= parts[-1].room:
            parts[-1].take(whole, _bound(whole, folder))
            continue
        overhead = _bound(Segment(f, 0, 0, 1, 1), folder) + 16
        cuts: list[tuple[Part, int]] = []  # (part, length) of each piece, in order
        left = f.size
        while left > 0:
            space = parts[-1].room - overhead
            if space < min(left, _MIN_PIECE):  # too little room here: start the next part
                parts.append(Part(capacity))
                continue
            length = min(left, space)
            cuts.append((parts[-1], length))
            parts[-1].room -= length + overhead
            left -= length
        if len(cuts) == 1:  # it fitted in one part after all: whole, stored (as was bounded)
            cuts[0][0].segments.append(Segment(f, 0, f.size, stored=True))
            continue
        for (part, _length), piece in zip(cuts, _pieces_of(f, [n for _p, n in cuts]),
                                          strict=True):
            part.segments.append(piece)
    return parts


def plan_pack(files: list[PlannedFile], limits: PortalLimits, folder: str,
              reserve: int) -> Plan:
    """Which part holds what; `reserve` bytes stay free in the first part for the index.

    Raises InvalidInput, before anything is written, when the bundle cannot fit.
    """
    capacity = limits.part_capacity
    if reserve > capacity // 2:
        raise InvalidInput(tr("Each file of the portal pack would be too small for its own "
                              "index. Allow larger files."))
    parts = _first_fit(files, capacity, reserve, folder)
    if len(parts) > limits.max_files:
        parts = _filled(files, capacity, reserve, folder)
    if len(parts) > limits.max_files:
        total = sum(f.size for f in files)
        raise InvalidInput(tr(
            "This bundle ({size}) does not fit in {count} files of {each}. Make a one-file "
            "bundle instead, or ask the officer how to send large files.").format(
                size=size_text(total), count=limits.max_files, each=size_text(limits.max_size)))
    return Plan([p.segments for p in parts if p.segments or p is parts[0]])
